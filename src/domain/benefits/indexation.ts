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

type TotalsByKey = Map<string, IndexationTotal>;

function addTotals(by: TotalsByKey, lines: readonly IndexationLine[]): void {
  for (const l of lines) {
    const k = `${l.kind}|${l.payer}`;
    const t = by.get(k) ?? { kind: l.kind, payer: l.payer, lines: 0, beforeFen: 0, afterFen: 0 };
    t.lines += 1;
    t.beforeFen += l.beforeFen;
    t.afterFen += l.afterFen;
    by.set(k, t);
  }
}

function totalsOf(by: TotalsByKey): IndexationTotal[] {
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
}

/** The lines' totals by item and payer, in a fixed order (the approval's payload holds them). */
export function indexationTotals(lines: readonly IndexationLine[]): IndexationTotal[] {
  const by: TotalsByKey = new Map();
  addTotals(by, lines);
  return totalsOf(by);
}

/** The year's adjustments by item, checked: what every page of the register is planned under. */
export type IndexationScope = {
  regionCode: string;
  batchId: string;
  byKind: ReadonlyMap<string, KindAdjustment>;
  adjustments: IndexationPlan['adjustments'];
};

/**
 * Refused when no item is adjusted in the year, or when an effective date is not a month's first
 * day: the payroll pays a month whole (payroll.partial_month_rule), so an old and a new amount
 * would both be paid for the month of a mid-month date.
 */
export function indexationScope(input: {
  regionCode: string;
  year: number;
  adjustments: readonly KindAdjustment[];
}): Result<IndexationScope, IndexationRefusalCode> {
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
  return ok({
    regionCode: input.regionCode,
    batchId: indexationBatchId(input.regionCode, input.year),
    byKind: new Map(input.adjustments.map((a) => [a.kind, a])),
    adjustments: input.adjustments.map((a) => ({
      kind: a.kind,
      effectiveOn: a.effectiveOn,
      status: a.status,
      citation: a.citation,
    })),
  });
}

/**
 * The lines of one page of the register (entitlements in id order) and what it skipped. The
 * proposal calls it page after page, so the register is never held whole; `indexationPlan` is the
 * same function over one page that is the whole register.
 */
export function pageLines(
  scope: IndexationScope,
  entitlements: readonly IndexationEntitlement[],
): { lines: IndexationLine[]; skipped: Record<IndexationSkipReason, number> } {
  const lines: IndexationLine[] = [];
  const skipped: Record<IndexationSkipReason, number> = {
    not_adjusted: 0,
    no_key: 0,
    unchanged: 0,
  };
  for (const e of entitlements) {
    const out = lineOf(scope.regionCode, scope.batchId, e, scope.byKind);
    if (out === null) continue;
    if (typeof out === 'string') skipped[out] += 1;
    else lines.push(out);
  }
  lines.sort((a, b) => (a.entitlementId < b.entitlementId ? -1 : 1));
  return { lines, skipped };
}

/** The plan of a city's batch over the whole register at once (the unit tests' view of it). */
export function indexationPlan(input: {
  regionCode: string;
  year: number;
  adjustments: readonly KindAdjustment[];
  entitlements: readonly IndexationEntitlement[];
}): Result<IndexationPlan, IndexationRefusalCode> {
  const scope = indexationScope(input);
  if (!scope.ok) return scope;
  const { lines, skipped } = pageLines(scope.value, input.entitlements);
  return ok({
    lines,
    totals: indexationTotals(lines),
    skipped,
    adjustments: scope.value.adjustments,
  });
}

/** sha256 of the lines in entitlement order: the payload binds every line without carrying them. */
export function linesDigest(lines: readonly IndexationLine[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(`${canonicalJson(l)}\n`);
  return h.digest('hex');
}

/**
 * `canonicalJson` of a line, written out: the keys in their sorted order, each value a string, a
 * number or null, so one JSON.stringify gives the same bytes without sorting keys 13 times a line
 * (the fold runs over every line at the proposal and again at the apply; indexation.test.ts
 * checks the equality against linesDigest).
 */
function lineJson(l: IndexationLine): string {
  return JSON.stringify({
    afterFen: l.afterFen,
    beforeFen: l.beforeFen,
    citation: l.citation,
    decisionId: l.decisionId,
    dependantId: l.dependantId,
    effectiveOn: l.effectiveOn,
    endsOn: l.endsOn,
    entitlementId: l.entitlementId,
    kind: l.kind,
    newEntitlementId: l.newEntitlementId,
    payer: l.payer,
    ruleKey: l.ruleKey,
    workerId: l.workerId,
  });
}

/**
 * What the proposal read of the register: the number of active indexed entitlements, their sum
 * and a checksum of each one's id, item, amount and dates (sum of the first 60 bits of
 * md5("id|kind|amount|starts|ends"), as a hexadecimal string: in decimal the sum runs to 18–20
 * digits, and an 18-digit one can read as a 公民身份号码 to the responses' ID scan, as it once did). The apply computes the same figures
 * with one SQL aggregate (indexation-store.ts, registerNow): an entitlement added, ended, moved
 * or changed in amount since the proposal no longer fits the approved payload. Not a defence
 * against someone writing the tables by hand (nothing is); a witness of the state the lines came
 * from, order-free so it folds page by page.
 */
export type RegisterWitness = { entitlements: number; amountFen: number; checksum: string };

/** The checksum's text in the payload: hexadecimal (never a run of decimal digits). */
export function checksumText(sum: bigint): string {
  return `md5sum:${sum.toString(16)}`;
}

export function registerTerm(e: {
  id: string;
  kind: string;
  amountFen: Fen;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
}): bigint {
  const text = `${e.id}|${e.kind}|${e.amountFen}|${e.startsOn}|${e.endsOn ?? ''}`;
  return BigInt(`0x${createHash('md5').update(text).digest('hex').slice(0, 15)}`);
}

/**
 * The payload folded page by page: the digest is updated with each page's lines in order, so it
 * equals `linesDigest` of the whole ordered list (indexation.test.ts proves it), and the proposal
 * holds one page at a time, never the register.
 */
export type IndexationFold = {
  hash: ReturnType<typeof createHash>;
  lineCount: number;
  totals: TotalsByKey;
  skipped: Record<IndexationSkipReason, number>;
  entitlements: number;
  amountFen: number;
  checksum: bigint;
};

export function indexationFold(): IndexationFold {
  return {
    hash: createHash('sha256'),
    lineCount: 0,
    totals: new Map(),
    skipped: { not_adjusted: 0, no_key: 0, unchanged: 0 },
    entitlements: 0,
    amountFen: 0,
    checksum: 0n,
  };
}

/** Folds one page: the entitlements read (the register witness) and the lines planned of them. */
export function foldPage(
  fold: IndexationFold,
  entitlements: readonly IndexationEntitlement[],
  page: { lines: readonly IndexationLine[]; skipped: Record<IndexationSkipReason, number> },
): void {
  for (const e of entitlements) {
    fold.entitlements += 1;
    fold.amountFen += e.amountFen;
    fold.checksum += registerTerm(e);
  }
  for (const l of page.lines) fold.hash.update(`${lineJson(l)}\n`);
  fold.lineCount += page.lines.length;
  addTotals(fold.totals, page.lines);
  fold.skipped.not_adjusted += page.skipped.not_adjusted;
  fold.skipped.no_key += page.skipped.no_key;
  fold.skipped.unchanged += page.skipped.unchanged;
}

function witnessOf(fold: IndexationFold): RegisterWitness {
  return {
    entitlements: fold.entitlements,
    amountFen: fold.amountFen,
    checksum: checksumText(fold.checksum),
  };
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
  /** Absent from the payloads of batches proposed before migration 0058. */
  register?: RegisterWitness | undefined;
};

/** What the checker approves: the batch, its rules, every line (by digest), the totals and the
 * register the lines were computed from. Ends the fold (its digest is final). */
export function foldedPayload(
  scope: IndexationScope,
  year: number,
  snapshotId: string,
  fold: IndexationFold,
): IndexationPayload {
  return {
    batchId: scope.batchId,
    regionCode: scope.regionCode,
    year,
    snapshotId,
    lineCount: fold.lineCount,
    linesSha256: fold.hash.digest('hex'),
    totals: totalsOf(fold.totals),
    skipped: fold.skipped,
    adjustments: scope.adjustments,
    register: witnessOf(fold),
  };
}

/** The payload of a whole plan at once (the unit tests' view of it; no register witness). */
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
