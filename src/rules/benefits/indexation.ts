import { z } from 'zod';
import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import {
  add,
  fromInt,
  mul,
  type Rational,
  type RoundingRule,
  rational,
} from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { citationText, makeContext, readRounding } from '../context.ts';
import { lookup } from '../parameters/lookup.ts';
import type { ResolvedParameter, RuleSet } from '../parameters/model.ts';

/** The periodic items 《工伤保险条例》第四十条 has adjusted (the calculator's item codes). */
export const INDEXED_KINDS = [
  'disability_allowance',
  'nursing_allowance',
  'survivor_pension',
] as const;
export type IndexedKind = (typeof INDEXED_KINDS)[number];

export function isIndexedKind(kind: string): kind is IndexedKind {
  return (INDEXED_KINDS as readonly string[]).includes(kind);
}

/** One key's terms: new = amount × (1 + rate) + fixedFen, rounded once. */
export type AdjustmentTerms = { rate: Rational; fixedFen: Rational };

/**
 * The adjustment of one item in one year: its effective date (the `from` of the values), the terms
 * by key (grade, nursing level, or 'all'; null: that key is not adjusted, `nullReason` says why),
 * and where it comes from.
 */
export type KindAdjustment = {
  kind: IndexedKind;
  effectiveOn: IsoDate;
  terms: ReadonlyMap<string, AdjustmentTerms | null>;
  nullReason: string | null;
  status: 'legislated' | 'projected' | 'demo';
  citation: string;
  rounding: RoundingRule;
};

/** The key a survivor pension, which has neither grade nor level, is read by. */
export const ALL_KEY = 'all';

function termsOf(
  rate: ResolvedParameter,
  fixed: ResolvedParameter,
): Map<string, AdjustmentTerms | null> {
  const out = new Map<string, AdjustmentTerms | null>();
  const r = rate.value;
  const f = fixed.value;
  if (r.scalar !== undefined && f.scalar !== undefined) {
    out.set(ALL_KEY, { rate: r.scalar, fixedFen: f.scalar });
    return out;
  }
  for (const [key, share] of r.table ?? new Map<string, Rational | null>()) {
    const flat = f.table?.get(key);
    out.set(
      key,
      share === null || flat === null || flat === undefined
        ? null
        : { rate: share, fixedFen: flat },
    );
  }
  return out;
}

/**
 * The adjustments of `year` for `region` (the city; the lookup falls back to its province and
 * 000000): for each item, the `indexation.<kind>.rate` and `.fixed_fen` values in force at the
 * year's end whose `from` lies in the year. An item whose values start in another year (or a
 * declared gap) is not adjusted that year; rate and flat amount must share their date.
 */
export function adjustmentsOfYear(
  rules: RuleSet,
  region: string,
  year: number,
): Result<KindAdjustment[], 'rules.parameter_missing'> {
  const yearEnd: IsoDate = `${year}-12-31`;
  const out: KindAdjustment[] = [];
  for (const kind of INDEXED_KINDS) {
    const rate = lookup(rules, region, `indexation.${kind}.rate`, yearEnd);
    const fixed = lookup(rules, region, `indexation.${kind}.fixed_fen`, yearEnd);
    if (rate === null || !rate.value.from.startsWith(`${year}-`)) continue;
    if (fixed === null || fixed.value.from !== rate.value.from)
      return refuse(
        'rules.parameter_missing',
        `indexation.${kind}.fixed_fen has no value from ${rate.value.from} beside indexation.${kind}.rate for region ${region}`,
        { path: `indexation.${kind}.fixed_fen`, region, date: rate.value.from },
      );
    const rounding = readRounding(makeContext(rules, region, {}, false), rate.value.from);
    if (!rounding.ok) return rounding;
    out.push({
      kind,
      effectiveOn: rate.value.from,
      terms: termsOf(rate, fixed),
      nullReason: rate.value.nullReason ?? fixed.value.nullReason ?? null,
      status: rate.value.status,
      citation: citationText(rate.value),
      rounding: rounding.value,
    });
  }
  return ok(out);
}

/** amount × (1 + rate) + fixed, rounded once by the adjustment's rounding rule. */
export function adjustedAmountFen(amountFen: Fen, terms: AdjustmentTerms, rule: RoundingRule): Fen {
  const exact = add(mul(fromInt(amountFen), add(rational(1n), terms.rate)), terms.fixedFen);
  return roundFen(exact, rule);
}

const kindSchema = z.enum(INDEXED_KINDS);

/**
 * An indexation batch's approved payload read back from its jsonb (the domain builds it:
 * src/domain/benefits/indexation.ts, `indexationPayload`): checked, never cast.
 */
export const indexationPayloadSchema = z.object({
  batchId: z.string(),
  regionCode: z.string(),
  year: z.number().int(),
  snapshotId: z.string(),
  lineCount: z.number().int(),
  linesSha256: z.string(),
  totals: z.array(
    z.object({
      kind: kindSchema,
      payer: z.enum(['fund', 'employer']),
      lines: z.number().int(),
      beforeFen: z.number().int(),
      afterFen: z.number().int(),
    }),
  ),
  skipped: z.object({
    not_adjusted: z.number().int(),
    no_key: z.number().int(),
    unchanged: z.number().int(),
  }),
  adjustments: z.array(
    z.object({
      kind: kindSchema,
      effectiveOn: z.string(),
      status: z.string(),
      citation: z.string(),
    }),
  ),
  // Since migration 0058: what the proposal read of the register (domain RegisterWitness).
  register: z
    .object({
      entitlements: z.number().int(),
      amountFen: z.number().int(),
      checksum: z.string().regex(/^md5sum:[0-9a-f]+$/),
    })
    .optional(),
});
