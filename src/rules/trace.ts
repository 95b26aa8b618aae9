import { z } from 'zod';
import { type Fen, formatYuan } from '../kernel/money.ts';
import { type Rational, rational, toDecimalString } from '../kernel/rational.ts';

/** One parameter read, as the trace shows it: value, date range, status and source. */
export type TraceParameter = {
  path: string;
  key?: string;
  /** The region whose definition supplied the value (after province → national fallback). */
  region: string;
  value: string;
  from: string;
  until?: string;
  status: 'legislated' | 'projected' | 'demo' | 'override';
  citation: string;
  note?: string;
};

/** How the exact amount became fen: a named rule applied once, or the survivor-cap allocation. */
export type TraceRounding = {
  rule: 'half_up' | 'half_even' | 'down' | 'up' | 'largest_remainder';
  exact: string;
  resultFen: Fen;
};

export type TraceItem = {
  code: string;
  dependantIndex?: number;
  citation: string;
  formula: { zh: string; en: string };
  parameters: TraceParameter[];
  rounding: TraceRounding;
  notes: string[];
};

export type Trace = {
  baseWage: Omit<TraceItem, 'code' | 'dependantIndex'>;
  items: TraceItem[];
  /** Demo values used, overrides applied, reform in force: what a reader must know before relying on it. */
  warnings: string[];
  reform?: { name: string; baseSnapshotId: string };
};

const traceParameterSchema = z.object({
  path: z.string(),
  key: z.string().optional(),
  region: z.string(),
  value: z.string(),
  from: z.string(),
  until: z.string().optional(),
  status: z.enum(['legislated', 'projected', 'demo', 'override']),
  citation: z.string(),
  note: z.string().optional(),
});

const traceBodySchema = z.object({
  citation: z.string(),
  formula: z.object({ zh: z.string(), en: z.string() }),
  parameters: z.array(traceParameterSchema),
  rounding: z.object({
    rule: z.enum(['half_up', 'half_even', 'down', 'up', 'largest_remainder']),
    exact: z.string(),
    resultFen: z.number().int(),
  }),
  notes: z.array(z.string()),
});

/** The trace as a zod schema, for the OpenAPI document. */
export const traceSchema = z.object({
  baseWage: traceBodySchema,
  items: z.array(
    traceBodySchema.extend({ code: z.string(), dependantIndex: z.number().int().optional() }),
  ),
  warnings: z.array(z.string()),
  reform: z.object({ name: z.string(), baseSnapshotId: z.string() }).optional(),
});

/** "6,000.00 元" */
export function yuanZh(fen: Fen): string {
  return `${formatYuan(fen)} 元`;
}
export function yuanEn(fen: Fen): string {
  return `${formatYuan(fen)} yuan`;
}
/** Ratios as percentages where exact ("0.85" → "85%"), else the decimal or fraction. */
export function percent(r: Rational): string {
  const hundred = toDecimalString(rational(r.num * 100n, r.den));
  return hundred.includes('/') ? toDecimalString(r) : `${hundred}%`;
}
/** An exact amount of fen shown in yuan, e.g. 12345/2 fen → "61.725". */
export function exactYuan(r: Rational): string {
  return toDecimalString(rational(r.num, r.den * 100n));
}
