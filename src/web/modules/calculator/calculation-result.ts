import type { z } from 'zod';
import type {
  calculationItemResponse,
  calculationResponse,
} from '../../../contract/calculator/calculator-contract.ts';
import type { Language } from '../../i18n/dictionary.ts';

type ServerItem = z.infer<typeof calculationItemResponse>;
type ServerCalculation = z.infer<typeof calculationResponse>;

/**
 * One result item of POST /api/v1/calculations (issue 3, item 6): the server's fields, with its
 * code lists read as text, since the page reads the answer defensively (a newer server may add a
 * code or a payer the page shows as it comes).
 */
export type CalculationItem = {
  [K in keyof ServerItem]: ServerItem[K] extends string ? string : ServerItem[K];
};

export type Calculation = {
  baseWageFen: ServerCalculation['baseWageFen'];
  items: CalculationItem[];
  snapshotId: ServerCalculation['snapshotId'];
  /** The rules engine's explanation; its shape belongs to the engine and is searched, not typed. */
  trace: unknown;
};

type UnknownRecord = Record<string, unknown>;

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function citationText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const parts = ['instrument', 'title', 'article', 'paragraph', 'item']
      .map((key) => value[key])
      .filter((part): part is string => typeof part === 'string');
    if (parts.length > 0) return parts.join(' ');
  }
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** Who pays and for which months, when the server says (uninsured employer, late application). */
function liabilityFieldsOf(raw: UnknownRecord): Partial<CalculationItem> {
  const out: Partial<CalculationItem> = {};
  if (typeof raw['payerBasis'] === 'string') out.payerBasis = raw['payerBasis'];
  if (raw['fundMayAdvance'] === true) out.fundMayAdvance = true;
  if (typeof raw['fromMonth'] === 'string') out.fromMonth = raw['fromMonth'];
  if (typeof raw['untilMonth'] === 'string') out.untilMonth = raw['untilMonth'];
  return out;
}

/** Reads the answer defensively: unknown extra fields are ignored, a malformed item is dropped. */
export function parseCalculation(body: unknown): Calculation | null {
  if (!isRecord(body) || !Array.isArray(body['items'])) return null;
  const items: CalculationItem[] = [];
  for (const raw of body['items']) {
    if (!isRecord(raw)) continue;
    const { code, amountFen, frequency, payer, dependantIndex } = raw;
    if (typeof code !== 'string' || typeof amountFen !== 'number') continue;
    if (!Number.isSafeInteger(amountFen)) continue;
    const item: CalculationItem = {
      code,
      amountFen,
      frequency: typeof frequency === 'string' ? frequency : '',
      payer: typeof payer === 'string' ? payer : '',
      citation: citationText(raw['citation']),
    };
    if (typeof dependantIndex === 'number') item.dependantIndex = dependantIndex;
    items.push({ ...item, ...liabilityFieldsOf(raw) });
  }
  const baseWageFen = body['baseWageFen'];
  return {
    baseWageFen:
      typeof baseWageFen === 'number' && Number.isSafeInteger(baseWageFen) ? baseWageFen : 0,
    items,
    snapshotId: typeof body['snapshotId'] === 'string' ? body['snapshotId'] : '',
    trace: body['trace'] ?? null,
  };
}

/**
 * The sum of the items paid once, or of the monthly amounts owed from now on: a monthly item split
 * by a late application counts once, by its open-ended part (the part with `untilMonth` is months
 * already past, owed by the employer).
 */
export function totalFen(calculation: Calculation, frequency: string): number {
  return calculation.items
    .filter((item) => item.frequency === frequency)
    .filter((item) => frequency !== 'monthly' || item.untilMonth === undefined)
    .reduce((sum, item) => sum + item.amountFen, 0);
}

/** A text in one language from a string or a {zh, en} pair. */
function localized(value: unknown, language: Language): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (isRecord(value)) {
    const own = value[language];
    const other = value[language === 'zh' ? 'en' : 'zh'];
    if (typeof own === 'string' && own.trim() !== '') return own;
    if (typeof other === 'string' && other.trim() !== '') return other;
  }
  return null;
}

const explanationKeys = [
  'formula',
  'explanation',
  'rendering',
  'text',
  'description',
  'summary',
] as const;

function explanationOf(node: UnknownRecord, language: Language): string | null {
  for (const key of explanationKeys) {
    const text = localized(node[key], language);
    if (text !== null) return text;
  }
  const direct = localized({ zh: node['zh'], en: node['en'] }, language);
  return direct;
}

function matchesItem(node: UnknownRecord, item: CalculationItem): boolean {
  if (node['code'] !== item.code && node['item'] !== item.code && node['itemCode'] !== item.code)
    return false;
  if (item.dependantIndex === undefined) return true;
  return node['dependantIndex'] === undefined || node['dependantIndex'] === item.dependantIndex;
}

/**
 * The people-readable explanation of one item, wherever the trace keeps it: on a trace entry
 * with the item's code (and dependant index), or in `trace.items[index]`. The trace shape belongs
 * to the rules engine; this search tolerates its changes and returns null rather than guessing.
 */
export function explanationFor(
  trace: unknown,
  item: CalculationItem,
  index: number,
  language: Language,
): string | null {
  const seen = new Set<unknown>();
  const stack: unknown[] = [trace];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) stack.push(node[i]);
      continue;
    }
    const record = node as UnknownRecord;
    if (matchesItem(record, item)) {
      const text = explanationOf(record, language);
      if (text !== null) return text;
    }
    for (const value of Object.values(record)) stack.push(value);
  }
  if (isRecord(trace) && Array.isArray(trace['items'])) {
    const entry: unknown = trace['items'][index];
    if (isRecord(entry) && entry['code'] === undefined) return explanationOf(entry, language);
  }
  return null;
}

/** A parameter the rules engine read, as the trace reports it (src/rules/trace.ts). */
export type TraceParameterView = {
  path: string;
  value: string;
  from: string;
  until: string | null;
  status: string;
  citation: string;
};

export type TraceDetails = {
  parameters: TraceParameterView[];
  rounding: { rule: string; exact: string } | null;
  notes: string[];
};

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value);
}

function detailsOf(node: UnknownRecord): TraceDetails {
  const parameters = Array.isArray(node['parameters'])
    ? node['parameters'].filter(isRecord).map((p) => ({
        path: text(p['key'] === undefined ? p['path'] : `${text(p['path'])}.${text(p['key'])}`),
        value: text(p['value']),
        from: text(p['from']),
        until: p['until'] === undefined || p['until'] === null ? null : text(p['until']),
        status: text(p['status']),
        citation: text(p['citation']),
      }))
    : [];
  const rounding = isRecord(node['rounding'])
    ? { rule: text(node['rounding']['rule']), exact: text(node['rounding']['exact']) }
    : null;
  const notes = Array.isArray(node['notes'])
    ? node['notes'].filter((n): n is string => typeof n === 'string')
    : [];
  return { parameters, rounding, notes };
}

/**
 * Parameters, rounding and notes of one item, when the trace has an entry for it: the entry at the
 * item's own index when it matches (the parts of a split item share code and dependant), else the
 * first entry with its code and dependant.
 */
export function traceDetailsFor(
  trace: unknown,
  item: CalculationItem,
  index?: number,
): TraceDetails | null {
  if (!isRecord(trace) || !Array.isArray(trace['items'])) return null;
  const own: unknown = index === undefined ? undefined : trace['items'][index];
  if (
    isRecord(own) &&
    own['code'] === item.code &&
    (item.dependantIndex === undefined || own['dependantIndex'] === item.dependantIndex)
  )
    return detailsOf(own);
  const entry = trace['items'].find(
    (candidate): candidate is UnknownRecord =>
      isRecord(candidate) &&
      candidate['code'] === item.code &&
      (item.dependantIndex === undefined || candidate['dependantIndex'] === item.dependantIndex),
  );
  return entry === undefined ? null : detailsOf(entry);
}

/** How the base wage (本人工资) was found, in one language, and its details. */
export function baseWageTrace(
  trace: unknown,
  language: Language,
): { explanation: string | null; details: TraceDetails } | null {
  if (!isRecord(trace) || !isRecord(trace['baseWage'])) return null;
  return {
    explanation: explanationOf(trace['baseWage'], language),
    details: detailsOf(trace['baseWage']),
  };
}

/** What a reader must know before relying on the figures (demo values, overrides, reforms). */
export function traceWarnings(trace: unknown): string[] {
  if (!isRecord(trace) || !Array.isArray(trace['warnings'])) return [];
  return trace['warnings'].filter((w): w is string => typeof w === 'string' && w !== '');
}
