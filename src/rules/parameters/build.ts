import { isIsoDate } from '../../kernel/dates.ts';
import { fromDecimal, fromInt, isDecimalString, type Rational } from '../../kernel/rational.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import type {
  ParameterDefinition,
  ParameterGap,
  ParameterUnit,
  ParameterValue,
  RawScalar,
  RuleSet,
} from './model.ts';
import type { ParameterInput, ParameterValueInput } from './schema.ts';

const ROUNDING_RULES = new Set(['half_up', 'half_even', 'down', 'up']);

/** One problem found while loading, always naming the file and the key inside it. */
export type LoadIssue = { file: string; key: string; message: string };

type Parsed = { scalar?: Rational; text?: string; isNull?: true; error?: string };

function parseScalar(raw: RawScalar, unit: ParameterUnit): Parsed {
  if (raw === null) return { isNull: true };
  switch (unit) {
    case 'ratio':
    case 'months':
    case 'times':
    case 'years':
    case 'days':
    case 'workdays':
    case 'minutes':
      if (typeof raw === 'number') return { scalar: fromInt(raw) };
      if (isDecimalString(raw)) return { scalar: fromDecimal(raw) };
      return { error: `expected a decimal number for unit ${unit}, got ${JSON.stringify(raw)}` };
    case 'fen':
      if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0)
        return { scalar: fromInt(raw) };
      return { error: `expected a non-negative integer number of fen, got ${JSON.stringify(raw)}` };
    case 'risk_class':
      if (typeof raw === 'number' && raw >= 1 && raw <= 8) return { scalar: fromInt(raw) };
      return { error: `expected a risk class 1–8, got ${JSON.stringify(raw)}` };
    case 'rounding_rule':
      if (typeof raw === 'string' && ROUNDING_RULES.has(raw)) return { text: raw };
      return { error: `expected one of half_up, half_even, down, up, got ${JSON.stringify(raw)}` };
    case 'text':
      if (typeof raw === 'string') return { text: raw };
      return { error: `expected a word, got ${JSON.stringify(raw)}` };
  }
}

/** Turns a validated YAML value entry into a ParameterValue with decimals parsed once. */
export function buildValue(
  v: ParameterValueInput,
  unit: ParameterUnit,
  at: { file: string; key: string },
  issues: LoadIssue[],
): ParameterValue {
  const base = {
    from: v.from,
    status: v.status,
    raw: v.value,
    ...(v.until === undefined ? {} : { until: v.until }),
    ...(v.citation === undefined ? {} : { citation: v.citation }),
    ...(v.note === undefined ? {} : { note: v.note }),
    ...(v.nullReason === undefined ? {} : { nullReason: v.nullReason }),
  };
  if (v.until !== undefined && v.until < v.from) {
    issues.push({ ...at, message: `until ${v.until} is before from ${v.from}` });
  }
  if (v.value !== null && typeof v.value === 'object') {
    const table = new Map<string, Rational | null>();
    for (const [k, raw] of Object.entries(v.value)) {
      const p = parseScalar(raw, unit);
      if (p.error !== undefined)
        issues.push({ ...at, key: `${at.key}.value.${k}`, message: p.error });
      else if (p.isNull && v.nullReason === undefined) {
        issues.push({
          ...at,
          key: `${at.key}.value.${k}`,
          message: 'null entry needs a nullReason',
        });
      }
      if (p.text !== undefined) {
        issues.push({ ...at, key: `${at.key}.value.${k}`, message: 'tables hold numbers only' });
      }
      table.set(k, p.scalar ?? null);
    }
    return { ...base, table };
  }
  const p = parseScalar(v.value, unit);
  if (p.error !== undefined) issues.push({ ...at, key: `${at.key}.value`, message: p.error });
  if (p.isNull)
    issues.push({ ...at, key: `${at.key}.value`, message: 'a scalar value cannot be null' });
  return {
    ...base,
    ...(p.scalar === undefined ? {} : { scalar: p.scalar }),
    ...(p.text === undefined ? {} : { text: p.text }),
  };
}

export function buildDefinition(
  region: string,
  path: string,
  file: string,
  input: ParameterInput,
  issues: LoadIssue[],
): ParameterDefinition {
  const values = input.values
    .map((v, i) =>
      buildValue(v, input.unit, { file, key: `parameters.${path}.values.${i}` }, issues),
    )
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const gaps: ParameterGap[] = (input.gaps ?? []).map((g) => ({ ...g }));
  return {
    region,
    path,
    file,
    description: input.description,
    unit: input.unit,
    ...(input.keys === undefined ? {} : { keys: input.keys }),
    values,
    gaps,
  };
}

/** Canonical content of a set (everything but file names and parsed caches), for the snapshot hash. */
export function canonicalContent(
  regions: ReadonlyMap<string, ReadonlyMap<string, ParameterDefinition>>,
) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [region, params] of regions) {
    const r: Record<string, unknown> = {};
    for (const [path, def] of params) {
      r[path] = {
        description: def.description,
        unit: def.unit,
        keys: def.keys,
        values: def.values.map((v) => ({
          from: v.from,
          until: v.until,
          status: v.status,
          citation: v.citation,
          note: v.note,
          nullReason: v.nullReason,
          value: v.raw,
        })),
        gaps: def.gaps,
      };
    }
    out[region] = r;
  }
  return out;
}

export function makeRuleSet(
  regions: ReadonlyMap<string, ReadonlyMap<string, ParameterDefinition>>,
  reform?: { name: string; baseSnapshotId: string },
): RuleSet {
  const content = canonicalContent(regions);
  const snapshotId = sha256Hex(
    canonicalJson(reform === undefined ? content : { content, reform: reform.name }),
  );
  return { snapshotId, regions, cache: new Map(), ...(reform === undefined ? {} : { reform }) };
}

export function isRegionCode(text: string): boolean {
  return /^\d{6}$/.test(text);
}

export { isIsoDate };
