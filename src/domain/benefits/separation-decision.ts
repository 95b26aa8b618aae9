import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type RetirementAge, retirementDateOf } from '../../rules/benefits/near-retirement.ts';
import type { SeparationEnds } from '../../rules/benefits/separation.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { BENEFITS_PAYABLE, type FundLumpSum, fundLumpSums } from './ledger-postings.ts';
import type { DecisionItem } from './stored-decision.ts';

/**
 * The separation decision of a grade 5–10 worker (pure): when the labour relationship ends, the
 * fund pays 一次性工伤医疗补助金 and the employer 一次性伤残就业补助金.
 *
 * 《工伤保险条例》第三十六条第二款: "经工伤职工本人提出，该职工可以与用人单位解除或者终止劳动关系，由工伤保险基金支付一次性工伤医疗补助金，由用人单位支付一次性伤残就业补助金。"
 * 《工伤保险条例》第三十七条第一款第（二）项: "劳动、聘用合同期满终止，或者职工本人提出解除劳动、聘用合同的，由工伤保险基金支付一次性工伤医疗补助金，由用人单位支付一次性伤残就业补助金。"
 * 《工伤保险条例》第三十五条第一款: "职工因工致残被鉴定为一级至四级伤残的，保留劳动关系，退出工作岗位" — no grants.
 */
export const BENEFIT_SEPARATION_ACTION = 'benefits.separation';

/**
 * Why the relationship ended, in the words of the two articles: the worker asked
 * (职工本人提出解除或者终止, both articles) or the labour or engagement contract expired
 * (劳动、聘用合同期满终止, 第三十七条 only: grades 5–6 keep the relationship, 第三十六条第一款第（二）项
 * "保留与用人单位的劳动关系", and end it only "经工伤职工本人提出").
 */
export const SEPARATION_REASONS = ['worker_request', 'contract_expiry'] as const;
export type SeparationReason = (typeof SEPARATION_REASONS)[number];

export const SEPARATION_ITEM_CODES = ['medical_separation_grant', 'employment_separation_grant'];

export type SeparationRefusalCode =
  | 'benefit.separation_grade_keeps_relationship'
  | 'benefit.separation_reason_not_allowed'
  | 'benefit.separation_before_injury'
  | 'benefit.separation_in_future'
  | 'benefit.separation_after_retirement';

export type SeparationFacts = {
  grade: number;
  reason: SeparationReason;
  date: IsoDate;
  injuryDate: IsoDate;
  birthDate: IsoDate;
  retirementAge: RetirementAge;
  /** The legal day of the proposal: a separation is decided once it happened. */
  on: IsoDate;
};

/** Checks the separation may have grants; answers the worker's statutory retirement date. */
export function checkSeparation(
  f: SeparationFacts,
): Result<{ retirementDate: IsoDate }, SeparationRefusalCode> {
  if (f.grade <= 4)
    return refuse(
      'benefit.separation_grade_keeps_relationship',
      `grade ${f.grade}: grades 1–4 keep the labour relationship (《工伤保险条例》第三十五条第一款: "保留劳动关系，退出工作岗位"), so no separation grants are due`,
      { grade: f.grade },
    );
  if (f.grade <= 6 && f.reason !== 'worker_request')
    return refuse(
      'benefit.separation_reason_not_allowed',
      `grade ${f.grade}: the relationship ends only at the worker's request (《工伤保险条例》第三十六条第二款: "经工伤职工本人提出"); record reason worker_request if the worker asked`,
      { grade: f.grade, reason: f.reason },
    );
  if (f.date < f.injuryDate)
    return refuse(
      'benefit.separation_before_injury',
      `the separation date ${f.date} is before the injury on ${f.injuryDate}: check the date`,
      { date: f.date, injuryDate: f.injuryDate },
    );
  if (f.date > f.on)
    return refuse(
      'benefit.separation_in_future',
      `the separation date ${f.date} is after ${f.on}: the grants are decided once the relationship has ended`,
      { date: f.date, on: f.on },
    );
  const retirementDate = retirementDateOf(f.birthDate, f.retirementAge);
  if (retirementDate <= f.date)
    return refuse(
      'benefit.separation_after_retirement',
      `the worker reached the statutory retirement age on ${retirementDate}, not after the separation on ${f.date}: the grants are for a worker below it`,
      { date: f.date, retirementDate },
    );
  return ok({ retirementDate });
}

/**
 * The calculator's input of the separation: the approved decision's input exactly as run, plus the
 * separation (date, the registry's birth date, the statutory retirement age). The public calculator
 * given the same input answers the same grants.
 */
export function separationInputOf(
  approvedInput: Record<string, unknown>,
  f: Pick<SeparationFacts, 'date' | 'birthDate' | 'retirementAge'>,
): Record<string, unknown> {
  return {
    ...approvedInput,
    separation: { date: f.date, birthDate: f.birthDate, retirementAge: f.retirementAge },
  };
}

/** Only the separation items are decided: the approved decision decided the rest of the input. */
export function separationItems<T extends { code: string }>(items: readonly T[]): T[] {
  return items.filter((i) => SEPARATION_ITEM_CODES.includes(i.code));
}

export type EntitlementEnd = { entitlementId: string; kind: string; endsOn: IsoDate | null };

/**
 * The periodic items the separation ends: the grades 5–6 伤残津贴, paid while the relationship is
 * kept — 《工伤保险条例》第三十六条第一款第（二）项: "保留与用人单位的劳动关系，由用人单位安排适当工作。难以安排工作的，由用人单位按月发给伤残津贴" —
 * ends with it. Our reading: it is owed up to and including the separation date (the relationship's
 * last day); one starting after that date ends without an end date (pays nothing). Where the
 * province ends the insurance relationship with the separation (`ends` = all: 河南 第二十七条第二款,
 * 浙江 第二十二条第一款第（二）项), every periodic item of the decision ends the same way.
 */
export const KINDS_ENDED_BY_SEPARATION = ['disability_allowance'];

export function entitlementEnds(
  active: readonly { id: string; kind: string; startsOn: IsoDate }[],
  date: IsoDate,
  ends: SeparationEnds = 'allowance',
): EntitlementEnd[] {
  return active
    .filter((e) => ends === 'all' || KINDS_ENDED_BY_SEPARATION.includes(e.kind))
    .map((e) => ({ entitlementId: e.id, kind: e.kind, endsOn: e.startsOn > date ? null : date }))
    .sort((a, b) => (a.entitlementId < b.entitlementId ? -1 : 1));
}

/**
 * A graded case a combined separation covers: its approved disability decision and that decision's
 * grade (《浙江省工伤保险条例》第二十八条, docs/benefits.md "Several injuries at one employer").
 */
export type CoveredCase = { caseId: string; decisionId: string; grade: number };

/**
 * The decisions a separation ends (their periodic items) and rests on: every covered case's when it
 * is combined (《浙江省工伤保险条例》第二十八条; the covered cases include its own), else its own
 * decision's. The proposal, the apply's check and its ends read the same list.
 */
export function separationDecisionIds(
  ownDecisionId: string,
  covered: readonly { decisionId: string }[],
): string[] {
  return covered.length === 0 ? [ownDecisionId] : covered.map((c) => c.decisionId);
}

/**
 * The case whose grade the combined grants follow: 《浙江省工伤保险条例》第二十八条 "一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发"
 * — the highest grade is the smallest number (一级 is the gravest). Of equal grades the requested
 * case is taken, else the first by id, so the choice does not depend on the order rows were read.
 */
export function highestGradeCase(
  requestedCaseId: string,
  covered: readonly CoveredCase[],
): CoveredCase {
  const rank = (c: CoveredCase) => (c.caseId === requestedCaseId ? 0 : 1);
  const [best] = [...covered].sort(
    (a, b) => a.grade - b.grade || rank(a) - rank(b) || (a.caseId < b.caseId ? -1 : 1),
  );
  invariant(best !== undefined, 'a combined separation covers at least one case');
  return best;
}

/** What a combined separation adds to its payload: the grade used, why, and every case it covers. */
export type CombinedSeparation = {
  grade: number;
  citation: string;
  cases: CoveredCase[];
};

/**
 * What the checker approves: the separation, its case, decision and worker, the facts behind the
 * grants, every grant with its payer, the entitlements ended and the parameter snapshot; for a
 * combined separation also the cases it covers and the grade used (absent otherwise, so a
 * single-case payload is what it always was).
 */
export type SeparationPayload = {
  separationId: string;
  caseId: string;
  decisionId: string;
  workerId: string;
  date: IsoDate;
  reason: SeparationReason;
  birthDate: IsoDate;
  retirementDate: IsoDate;
  items: { code: string; amountFen: number; payer: string }[];
  fundLumpSumTotalFen: number;
  entitlementEnds: EntitlementEnd[];
  snapshotId: string;
  combined?: CombinedSeparation;
};

export function separationPayload(input: {
  separationId: string;
  caseId: string;
  decisionId: string;
  workerId: string;
  date: IsoDate;
  reason: SeparationReason;
  birthDate: IsoDate;
  retirementDate: IsoDate;
  items: readonly DecisionItem[];
  entitlementEnds: readonly EntitlementEnd[];
  snapshotId: string;
  combined?: CombinedSeparation | null | undefined;
}): SeparationPayload {
  const items = separationItems(input.items);
  const payload: SeparationPayload = {
    separationId: input.separationId,
    caseId: input.caseId,
    decisionId: input.decisionId,
    workerId: input.workerId,
    date: input.date,
    reason: input.reason,
    birthDate: input.birthDate,
    retirementDate: input.retirementDate,
    items: items.map((i) => ({ code: i.code, amountFen: i.amountFen, payer: i.payer })),
    fundLumpSumTotalFen: fundLumpSums(items).reduce((s, l) => s + l.amountFen, 0),
    entitlementEnds: input.entitlementEnds.map((e) => ({ ...e })),
    snapshotId: input.snapshotId,
  };
  if (input.combined === null || input.combined === undefined) return payload;
  const { grade, citation, cases } = input.combined;
  const sorted = [...cases].sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
  return { ...payload, combined: { grade, citation, cases: sorted.map((c) => ({ ...c })) } };
}

export function separationPayableTransactionId(separationId: string): string {
  return `benefit-separation:${separationId}:approved`;
}

/**
 * Approved: Dr 5109 一次性工伤医疗补助金 / Cr 2102 应付待遇款 in the case's city segment, the first
 * phase of the same two-phase payment as the decision's lump sums (ledger-postings.ts); the
 * employer's grant never reaches the fund's ledger. Null: nothing the fund pays.
 */
export function separationPayableTransaction(input: {
  separationId: string;
  segment: string;
  effectiveDate: IsoDate;
  snapshotId: string;
  lumpSums: readonly FundLumpSum[];
}): TransactionRequest | null {
  if (input.lumpSums.length === 0) return null;
  return {
    id: separationPayableTransactionId(input.separationId),
    effectiveDate: input.effectiveDate,
    source: { type: 'benefit.separation', id: input.separationId },
    parameterSnapshotId: input.snapshotId,
    memo: '一次性工伤医疗补助金核定 separation grant approved',
    postings: input.lumpSums.flatMap((l) => [
      {
        segment: input.segment,
        account: l.account,
        side: 'debit' as const,
        amountFen: l.amountFen,
      },
      {
        segment: input.segment,
        account: BENEFITS_PAYABLE,
        side: 'credit' as const,
        amountFen: l.amountFen,
      },
    ]),
  };
}
