import { createHash } from 'node:crypto';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  ALL_KEY,
  adjustedAmountFen,
  type IndexedKind,
  isIndexedKind,
  type KindAdjustment,
} from '../../rules/benefits/indexation.ts';
import { canonicalJson } from '../audit/chain.ts';

/**
 * 待遇调整 (indexation, 《工伤保险条例》第四十条), pure: from a city's active entitlements and the
 * year's adjustments, the before/after line of every entitlement that changes. An entitlement is
 * adjusted when its item is adjusted that year, it started before the effective date (one awarded
 * from that date on was computed on the new figures) and it still runs on that date. Employer-paid
 * ones are adjusted as data like the fund's (the payroll pays only the fund's).
 */
export const INDEXATION_APPROVAL_ACTION = 'benefits.indexation';

export type IndexationEntitlement = {
  id: string;
  workerId: string;
  dependantId: string | null;
  decisionId: string;
  kind: string;
  payer: 'fund' | 'employer';
  amountFen: Fen;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  /** The grade of the appraisal behind the decision (null: none, e.g. a death decision). */
  grade: number | null;
  nursingLevel: 'full' | 'major' | 'partial' | null;
};

export type IndexationLine = {
  entitlementId: string;
  newEntitlementId: string;
  workerId: string;
  dependantId: string | null;
  decisionId: string;
  kind: IndexedKind;
  payer: 'fund' | 'employer';
  ruleKey: string;
  effectiveOn: IsoDate;
  endsOn: IsoDate | null;
  beforeFen: Fen;
  afterFen: Fen;
  citation: string;
};

export type IndexationSkipReason = 'not_adjusted' | 'no_key' | 'unchanged';

export type IndexationTotal = {
  kind: IndexedKind;
  payer: 'fund' | 'employer';
  lines: number;
  beforeFen: Fen;
  afterFen: Fen;
};

export type IndexationPlan = {
  lines: IndexationLine[];
  totals: IndexationTotal[];
  skipped: Record<IndexationSkipReason, number>;
  adjustments: { kind: IndexedKind; effectiveOn: IsoDate; status: string; citation: string }[];
};

export type IndexationRefusalCode =
  | 'benefit.indexation_not_set'
  | 'benefit.indexation_date_invalid';

export function indexationBatchId(regionCode: string, year: number): string {
  return `idx_${regionCode}_${year}`;
}

/** Derived from the batch and the entitlement: a repeated apply names the same successor. */
export function successorId(regionCode: string, batchId: string, entitlementId: string): string {
  const hex = createHash('sha256').update(`${batchId}|${entitlementId}`).digest('hex');
  return `ent_${regionCode}_${hex.slice(0, 16)}`;
}

const NURSING_KEY = { full: 'complete', major: 'mostly', partial: 'partly' } as const;

function ruleKeyOf(e: IndexationEntitlement, kind: IndexedKind): string | null {
  if (kind === 'survivor_pension') return ALL_KEY;
  if (kind === 'nursing_allowance')
    return e.nursingLevel === null ? null : NURSING_KEY[e.nursingLevel];
  return e.grade === null ? null : String(e.grade);
}

type Outcome = IndexationLine | IndexationSkipReason | null;

function lineOf(
  regionCode: string,
  batchId: string,
  e: IndexationEntitlement,
  byKind: ReadonlyMap<string, KindAdjustment>,
): Outcome {
  const adj = isIndexedKind(e.kind) ? byKind.get(e.kind) : undefined;
  if (adj === undefined) return null;
  // Not in scope: awarded on or after the effective date, or ended before it.
  if (e.startsOn >= adj.effectiveOn || (e.endsOn !== null && e.endsOn < adj.effectiveOn))
    return null;
  const key = ruleKeyOf(e, adj.kind);
  if (key === null || !adj.terms.has(key)) return 'no_key';
  const terms = adj.terms.get(key);
  if (terms === null || terms === undefined) return 'not_adjusted';
  const afterFen = adjustedAmountFen(e.amountFen, terms, adj.rounding);
  if (afterFen === e.amountFen) return 'unchanged';
  return {
    entitlementId: e.id,
    newEntitlementId: successorId(regionCode, batchId, e.id),
    workerId: e.workerId,
    dependantId: e.dependantId,
    decisionId: e.decisionId,
    kind: adj.kind,
    payer: e.payer,
    ruleKey: key,
    effectiveOn: adj.effectiveOn,
    endsOn: e.endsOn,
    beforeFen: e.amountFen,
    afterFen,
    citation: adj.citation,
  };
}

/** The lines' totals by item and payer, in a fixed order (the approval's payload holds them). */
export function indexationTotals(lines: readonly IndexationLine[]): IndexationTotal[] {
  const by = new Map<string, IndexationTotal>();
  for (const l of lines) {
    const k = `${l.kind}|${l.payer}`;
    const t = by.get(k) ?? { kind: l.kind, payer: l.payer, lines: 0, beforeFen: 0, afterFen: 0 };
    t.lines += 1;
    t.beforeFen += l.beforeFen;
    t.afterFen += l.afterFen;
    by.set(k, t);
  }
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
}

/**
 * The plan of a city's batch. Refused when no item is adjusted in the year, or when an effective
 * date is not a month's first day: the payroll pays a month whole (payroll.partial_month_rule), so
 * an old and a new amount would both be paid for the month of a mid-month date.
 */
export function indexationPlan(input: {
  regionCode: string;
  year: number;
  adjustments: readonly KindAdjustment[];
  entitlements: readonly IndexationEntitlement[];
}): Result<IndexationPlan, IndexationRefusalCode> {
  if (input.adjustments.length === 0)
    return refuse(
      'benefit.indexation_not_set',
      `no adjustment of ${input.year} is in the parameters for ${input.regionCode} (indexation.*.rate with a value from that year)`,
      { year: input.year },
    );
  const odd = input.adjustments.find((a) => !a.effectiveOn.endsWith('-01'));
  if (odd !== undefined)
    return refuse(
      'benefit.indexation_date_invalid',
      `the ${odd.kind} adjustment takes effect on ${odd.effectiveOn}, not a month's first day`,
      { kind: odd.kind, effectiveOn: odd.effectiveOn },
    );
  const batchId = indexationBatchId(input.regionCode, input.year);
  const byKind = new Map(input.adjustments.map((a) => [a.kind, a]));
  const lines: IndexationLine[] = [];
  const skipped: Record<IndexationSkipReason, number> = {
    not_adjusted: 0,
    no_key: 0,
    unchanged: 0,
  };
  for (const e of input.entitlements) {
    const out = lineOf(input.regionCode, batchId, e, byKind);
    if (out === null) continue;
    if (typeof out === 'string') skipped[out] += 1;
    else lines.push(out);
  }
  lines.sort((a, b) => (a.entitlementId < b.entitlementId ? -1 : 1));
  return ok({
    lines,
    totals: indexationTotals(lines),
    skipped,
    adjustments: input.adjustments.map((a) => ({
      kind: a.kind,
      effectiveOn: a.effectiveOn,
      status: a.status,
      citation: a.citation,
    })),
  });
}

/** sha256 of the lines in entitlement order: the payload binds every line without carrying them. */
export function linesDigest(lines: readonly IndexationLine[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(`${canonicalJson(l)}\n`);
  return h.digest('hex');
}

export type IndexationPayload = {
  batchId: string;
  regionCode: string;
  year: number;
  snapshotId: string;
  lineCount: number;
  linesSha256: string;
  totals: IndexationTotal[];
  skipped: Record<IndexationSkipReason, number>;
  adjustments: IndexationPlan['adjustments'];
};

/** What the checker approves: the batch, its rules, every line (by digest) and the totals. */
export function indexationPayload(
  regionCode: string,
  year: number,
  snapshotId: string,
  plan: IndexationPlan,
): IndexationPayload {
  return {
    batchId: indexationBatchId(regionCode, year),
    regionCode,
    year,
    snapshotId,
    lineCount: plan.lines.length,
    linesSha256: linesDigest(plan.lines),
    totals: plan.totals,
    skipped: plan.skipped,
    adjustments: plan.adjustments,
  };
}

/** The day an old entitlement ends: the day before its successor starts. */
export function endOfOld(effectiveOn: IsoDate): IsoDate {
  return addDays(effectiveOn, -1);
}
