import { z } from 'zod';
import { addDays, isIsoDate, laterDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { type InputProblem, parseInput } from '../../kernel/validation.ts';
import { buildValue, type LoadIssue, makeRuleSet } from '../parameters/build.ts';
import { checkRuleSet } from '../parameters/check.ts';
import type {
  ParameterDefinition,
  ParameterGap,
  ParameterValue,
  RawScalar,
  RuleSet,
} from '../parameters/model.ts';
import { citationSchema } from '../parameters/schema.ts';

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');
const rawScalar = z.union([
  z.string(),
  z.number().int('write non-integers as quoted decimal strings ("0.6") so they stay exact'),
  z.null(),
]);

const changeSchema = z
  .strictObject({
    region: z.string().regex(/^\d{6}$/, 'a 6-digit region code'),
    path: z.string().min(3),
    from: isoDate,
    until: isoDate.optional(),
    status: z.enum(['legislated', 'projected', 'demo']).default('projected'),
    value: z.union([rawScalar, z.record(z.string(), rawScalar)]).optional(),
    merge: z.record(z.string(), rawScalar).optional(),
    citation: citationSchema.optional(),
    note: z.string().optional(),
  })
  .refine((c) => (c.value === undefined) !== (c.merge === undefined), {
    message: 'give exactly one of value (replaces) or merge (changes some table keys)',
  })
  .refine((c) => c.until === undefined || c.until >= c.from, {
    message: 'until is before from',
    path: ['until'],
  });

/**
 * A reform: dated values laid over the base parameters without changing them (docs/calculator.md,
 * "Reforms"). Example: `{ name: 'grade5-20', changes: [{ region: '000000', path:
 * 'disability.lump_sum_months', from: '2026-01-01', merge: { '5': 20 } }] }`.
 */
export const overlaySchema = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().optional(),
  changes: z.array(changeSchema).min(1).max(500),
});

export type ParameterOverlay = z.output<typeof overlaySchema>;
type Change = ParameterOverlay['changes'][number];

/** Validates an overlay read from YAML or JSON; every problem is named by its path. */
export function parseOverlay(
  data: unknown,
): Result<ParameterOverlay, 'input.invalid'> & { problem?: InputProblem } {
  return parseInput(overlaySchema, data);
}

function clip(v: ParameterValue, from: string, until: string | undefined): ParameterValue {
  const { until: _drop, ...rest } = v;
  return until === undefined ? { ...rest, from } : { ...rest, from, until };
}

function spliceDefinition(
  def: ParameterDefinition,
  c: Change,
  reform: string,
  issues: LoadIssue[],
): ParameterDefinition {
  const F = c.from;
  const U = c.until;
  const at = { file: `reform ${reform}`, key: `changes[${c.region} ${c.path} ${F}]` };
  const citation = c.citation ?? {
    instrument: `reform ${reform}`,
    article: 'counterfactual overlay',
  };
  const kept: ParameterValue[] = [];
  const inserted: ParameterValue[] = [];
  const endsBefore = (until: string | undefined) => until !== undefined && until < F;
  const startsAfter = (from: string) => U !== undefined && from > U;
  for (const v of def.values) {
    if (endsBefore(v.until) || startsAfter(v.from)) {
      kept.push(v);
      continue;
    }
    if (v.from < F) kept.push(clip(v, v.from, addDays(F, -1)));
    if (U !== undefined && (v.until === undefined || v.until > U))
      kept.push(clip(v, addDays(U, 1), v.until));
    if (c.merge !== undefined) {
      if (v.raw === null || typeof v.raw !== 'object') {
        issues.push({ ...at, message: `${def.path} is not a table; use value, not merge` });
        continue;
      }
      const segFrom = laterDate(v.from, F);
      const segUntil =
        U === undefined ? v.until : v.until === undefined || v.until > U ? U : v.until;
      const raw: Record<string, RawScalar> = { ...v.raw, ...c.merge };
      inserted.push(
        buildValue(
          {
            from: segFrom,
            ...(segUntil === undefined ? {} : { until: segUntil }),
            status: c.status,
            citation,
            ...(c.note === undefined ? {} : { note: c.note }),
            value: raw,
          },
          def.unit,
          at,
          issues,
        ),
      );
    }
  }
  if (c.merge !== undefined && inserted.length === 0) {
    issues.push({
      ...at,
      message: `no base value of ${def.path} in ${c.region} overlaps ${F}; merge needs one (use value)`,
    });
  }
  if (c.value !== undefined) {
    inserted.push(
      buildValue(
        {
          from: F,
          ...(U === undefined ? {} : { until: U }),
          status: c.status,
          citation,
          ...(c.note === undefined ? {} : { note: c.note }),
          value: c.value,
        },
        def.unit,
        at,
        issues,
      ),
    );
  }
  const gaps: ParameterGap[] = [];
  for (const g of def.gaps) {
    if (g.until < F || startsAfter(g.from)) gaps.push(g);
    else {
      if (g.from < F) gaps.push({ ...g, until: addDays(F, -1) });
      if (U !== undefined && g.until > U) gaps.push({ ...g, from: addDays(U, 1) });
    }
  }
  const values = [...kept, ...inserted].sort((a, b) =>
    a.from < b.from ? -1 : a.from > b.from ? 1 : 0,
  );
  const file = def.file.startsWith('reform') ? def.file : `reform ${reform} over ${def.file}`;
  return { ...def, file, values, gaps };
}

function templateFor(base: RuleSet, path: string): ParameterDefinition | undefined {
  for (const params of base.regions.values()) {
    const d = params.get(path);
    if (d !== undefined) return d;
  }
  return undefined;
}

const applied = new WeakMap<
  RuleSet,
  WeakMap<ParameterOverlay, Result<RuleSet, 'rules.reform_invalid'>>
>();

/**
 * The base set with the overlay laid over it: a new RuleSet (new snapshot id), the base untouched.
 * Cached per (base, overlay object) so a reform is built once however many cases run under it.
 */
export function applyOverlay(
  base: RuleSet,
  overlay: ParameterOverlay,
): Result<RuleSet, 'rules.reform_invalid'> {
  let perBase = applied.get(base);
  if (perBase === undefined) {
    perBase = new WeakMap();
    applied.set(base, perBase);
  }
  const hit = perBase.get(overlay);
  if (hit !== undefined) return hit;
  const result = build(base, overlay);
  perBase.set(overlay, result);
  return result;
}

function build(base: RuleSet, overlay: ParameterOverlay): Result<RuleSet, 'rules.reform_invalid'> {
  const issues: LoadIssue[] = [];
  const regions = new Map<string, Map<string, ParameterDefinition>>();
  for (const [r, params] of base.regions) regions.set(r, new Map(params));
  for (const c of overlay.changes) {
    let params = regions.get(c.region);
    if (params === undefined) {
      params = new Map();
      regions.set(c.region, params);
    }
    let def = params.get(c.path);
    if (def === undefined) {
      const t = templateFor(base, c.path);
      if (t === undefined) {
        issues.push({
          file: `reform ${overlay.name}`,
          key: `changes[${c.region} ${c.path}]`,
          message: `unknown parameter ${c.path}`,
        });
        continue;
      }
      def = { ...t, region: c.region, file: `reform ${overlay.name}`, values: [], gaps: [] };
    }
    params.set(c.path, spliceDefinition(def, c, overlay.name, issues));
  }
  const reformed = makeRuleSet(regions, { name: overlay.name, baseSnapshotId: base.snapshotId });
  // Shape problems (missing table keys, bad units) make the reform unusable; coverage is not
  // required of a reform because a region-level change falls back to the base before its date.
  for (const i of checkRuleSet(reformed)) {
    if (i.code !== 'date_gap' && i.file.startsWith('reform'))
      issues.push({ file: i.file, key: i.path, message: i.message });
  }
  if (issues.length > 0) return reformInvalid(overlay, issues);
  return ok(reformed);
}

function reformInvalid(
  overlay: ParameterOverlay,
  issues: LoadIssue[],
): Refusal<'rules.reform_invalid'> {
  return refuse(
    'rules.reform_invalid',
    `reform ${overlay.name} cannot be applied: ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`,
    { issues },
  );
}
