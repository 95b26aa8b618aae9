import { and, desc, eq, exists, inArray, or, type SQL } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  benefitDecisions,
  benefitEntitlements,
  benefitSeparationCases,
  benefitSeparations,
  cases,
} from '../../db/schema.ts';
import { letters } from '../../db/schema-letters.ts';
import { type FundLumpSum, fundLumpSums } from '../../domain/benefits/ledger-postings.ts';
import {
  BENEFIT_SEPARATION_ACTION,
  type CombinedSeparation,
  type CoveredCase,
  type EntitlementEnd,
  SEPARATION_REASONS,
  type SeparationReason,
  separationDecisionIds,
  separationItems,
  separationPayableTransaction,
  separationPayload,
} from '../../domain/benefits/separation-decision.ts';
import { storedResult } from '../../domain/benefits/stored-decision.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import {
  multipleInjuriesRule,
  type SeparationEnds,
  separationEndsOf,
} from '../../rules/benefits/separation.ts';
import { makeContext } from '../../rules/context.ts';
import { type ApprovalRefusal, consumeApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { loadBenefitCase } from './benefit-case-facts.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { issueSeparationLetter } from './benefit-letters.ts';
import { issueBenefitPayments } from './benefit-payment-issue.ts';
import { coveredEnds } from './benefit-separation.ts';
import { snapshotRules } from './snapshot-rules.ts';

/**
 * Applies an approved separation, atomically: the approval is consumed (same action, exact payload
 * rebuilt from the stored proposal and the entitlements active now, decided by another person), the
 * separation becomes approved, the fund's 一次性工伤医疗补助金 is posted payable (Dr 5109 / Cr 2102,
 * `benefit-separation:<id>:approved`) with one payment issued on the case's decision (confirmed,
 * failed and reissued by the decision's payment routes), the employer's 一次性伤残就业补助金 stays
 * recorded on the separation, the grades 5–6 伤残津贴 ends, and the numbered 核定通知书 is issued
 * (`benefit_separation`, benefit-letters.ts). A retry answers `replayed: true` and posts nothing
 * (the ledger id is the key).
 */
export type SeparationApproveRefusalCode =
  | 'benefit.separation_not_found'
  | 'benefit.separation_superseded'
  | 'benefit.separation_cases_changed'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type SeparationApproveRequest = {
  regionCode: string;
  separationId: string;
  /** Default: the approval asked for with the proposal. */
  approvalId?: string | undefined;
  /** The day of the decision: the payable's effective date (its ledger period must be open). */
  on: IsoDate;
};

export type SeparationApproved = {
  separationId: string;
  status: 'approved';
  ledgerTransactionId: string | null;
  replayed: boolean;
};

export async function separationRow(
  ex: Executor,
  regionCode: string,
  separationId: string,
  lock: boolean,
) {
  const q = ex.orm
    .select()
    .from(benefitSeparations)
    .where(
      and(eq(benefitSeparations.regionCode, regionCode), eq(benefitSeparations.id, separationId)),
    );
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

type SeparationRow = NonNullable<Awaited<ReturnType<typeof separationRow>>>;

function lumpSumsOf(row: SeparationRow): FundLumpSum[] {
  return fundLumpSums(separationItems(storedResult(row.calculationResult).items));
}

function reasonOf(row: SeparationRow): SeparationReason {
  const reason = SEPARATION_REASONS.find((r) => r === row.reason);
  invariant(reason !== undefined, `separation ${row.id} stored an unknown reason`);
  return reason;
}

/** The cases a combined separation covers, by case id; none for a separation of one case. */
export async function coveredCasesOf(
  ex: Executor,
  regionCode: string,
  separationId: string,
): Promise<CoveredCase[]> {
  return ex.orm
    .select({
      caseId: benefitSeparationCases.caseId,
      decisionId: benefitSeparationCases.decisionId,
      grade: benefitSeparationCases.grade,
    })
    .from(benefitSeparationCases)
    .where(
      and(
        eq(benefitSeparationCases.regionCode, regionCode),
        eq(benefitSeparationCases.separationId, separationId),
      ),
    )
    .orderBy(benefitSeparationCases.caseId);
}

/** The grade a combined separation used: its grant decision's (the highest among the cases). */
function combinedOf(
  row: SeparationRow,
  covered: readonly CoveredCase[],
  pinned: Pinned,
): CombinedSeparation | null {
  if (covered.length === 0) return null;
  const used = covered.find((c) => c.decisionId === row.decisionId);
  invariant(
    used !== undefined && pinned.multiple !== null,
    `separation ${row.id}: combined, unpinned`,
  );
  return { grade: used.grade, citation: pinned.multiple.citation, cases: [...covered] };
}

/** The payload as approved: rebuilt from what the proposal stored and what it ends now. */
function payloadOf(
  row: SeparationRow,
  ends: readonly EntitlementEnd[],
  combined: CombinedSeparation | null,
) {
  const reason = reasonOf(row);
  return separationPayload({
    separationId: row.id,
    caseId: row.caseId,
    decisionId: row.decisionId,
    workerId: row.workerId,
    date: row.separationDate,
    reason,
    birthDate: row.birthDate,
    retirementDate: row.retirementDate,
    items: storedResult(row.calculationResult).items,
    entitlementEnds: ends,
    snapshotId: row.snapshotId,
    combined,
  });
}

/**
 * Locks the case, then the other cases it covers by id (the proposal's order, and one lock order
 * with the case use cases), then the proposal.
 */
async function lockProposal(
  tx: Executor,
  request: SeparationApproveRequest & { caseId: string },
): Promise<Result<SeparationRow, SeparationApproveRefusalCode>> {
  await loadBenefitCase(tx, request.regionCode, request.caseId, { lock: true });
  const covered = await coveredCasesOf(tx, request.regionCode, request.separationId);
  for (const c of covered)
    if (c.caseId !== request.caseId)
      await loadBenefitCase(tx, request.regionCode, c.caseId, { lock: true });
  const row = await separationRow(tx, request.regionCode, request.separationId, true);
  if (row === null)
    return refuse('benefit.separation_not_found', `separation ${request.separationId} not found`);
  if (row.status !== 'proposed')
    return refuse('benefit.separation_superseded', `separation ${row.id} is ${row.status}`, {
      status: row.status,
    });
  const changed = await replacedDecisions(tx, row, covered);
  if (changed.length > 0)
    return refuse(
      'benefit.separation_cases_changed',
      `the decision(s) ${changed.join(', ')} the separation rests on are no longer approved (a regrade applied or a decision replaced since the proposal): propose again`,
      { decisionIds: changed },
    );
  return ok(row);
}

/**
 * The decisions the proposal rests on (its own, or every covered case's) that are no longer
 * approved, read under the cases' locks: the grants and the ends would follow a replaced grade.
 */
async function replacedDecisions(
  tx: Executor,
  row: SeparationRow,
  covered: readonly CoveredCase[],
): Promise<string[]> {
  const ids = separationDecisionIds(row.decisionId, covered);
  const approved = await tx.orm
    .select({ id: benefitDecisions.id })
    .from(benefitDecisions)
    .where(
      and(
        eq(benefitDecisions.regionCode, row.regionCode),
        inArray(benefitDecisions.id, ids),
        eq(benefitDecisions.status, 'approved'),
      ),
    );
  return ids.filter((id) => !approved.some((a) => a.id === id));
}

async function endEntitlements(tx: Executor, row: SeparationRow, ends: readonly EntitlementEnd[]) {
  for (const e of ends)
    await tx.orm
      .update(benefitEntitlements)
      .set({ status: 'ended', endsOn: e.endsOn })
      .where(
        and(
          eq(benefitEntitlements.regionCode, row.regionCode),
          eq(benefitEntitlements.id, e.entitlementId),
        ),
      );
}

async function insertPayments(
  tx: Executor,
  actor: Actor,
  row: SeparationRow,
  transactionId: string | null,
) {
  const lumpSums = lumpSumsOf(row);
  if (lumpSums.length === 0) return;
  invariant(transactionId !== null, 'a fund lump sum without its payable transaction');
  await issueBenefitPayments(
    tx,
    actor,
    { regionCode: row.regionCode, decisionId: row.decisionId, payableTransactionId: transactionId },
    lumpSums.map((l) => ({ itemCode: l.code, account: l.account, amountFen: l.amountFen })),
  );
}

type Pinned = {
  ends: SeparationEnds;
  multiple: ReturnType<typeof multipleInjuriesRule>;
};

/**
 * Which periodic items the separation ends and the several-injuries rule (its citation and words),
 * read under the proposal's pinned parameter snapshot, so the approval recomputes what the proposal
 * showed the checker. The proposal read the same parameters under the same snapshot: a failure
 * here is a broken invariant.
 */
async function pinnedRules(tx: Executor, row: SeparationRow): Promise<Pinned> {
  const pinned = await snapshotRules(tx, row.snapshotId);
  invariant(pinned.ok, `separation ${row.id}: its snapshot ${row.snapshotId} does not rebuild`);
  const ends = separationEndsOf(
    makeContext(pinned.value, row.regionCode, {}, false),
    row.separationDate,
  );
  invariant(ends.ok, `separation ${row.id}: ${ends.ok ? '' : ends.message}`);
  return {
    ends: ends.value,
    multiple: multipleInjuriesRule(pinned.value, row.regionCode, row.separationDate),
  };
}

/** The accident days of the covered cases, for the letter that names them. */
async function letterCases(
  tx: Executor,
  regionCode: string,
  covered: readonly CoveredCase[],
): Promise<{ caseId: string; accidentDate: IsoDate; grade: number }[]> {
  const days = await tx.orm
    .select({ id: cases.id, accidentDate: cases.accidentDate })
    .from(cases)
    .where(
      and(
        eq(cases.regionCode, regionCode),
        inArray(
          cases.id,
          covered.map((c) => c.caseId),
        ),
      ),
    );
  return covered.map((c) => {
    const day = days.find((d) => d.id === c.caseId);
    invariant(day !== undefined, `covered case ${c.caseId} not found`);
    return { caseId: c.caseId, accidentDate: day.accidentDate, grade: c.grade };
  });
}

/** The state changes of the approval, inside the ledger write's transaction (its guard). */
async function writeApproval(
  tx: Executor,
  actor: Actor,
  request: SeparationApproveRequest & { caseId: string },
  transactionId: string | null,
): Promise<Refusal<SeparationApproveRefusalCode> | null> {
  const locked = await lockProposal(tx, request);
  if (!locked.ok) return locked;
  const row = locked.value;
  const covered = await coveredCasesOf(tx, row.regionCode, row.id);
  const pinned = await pinnedRules(tx, row);
  const decisionIds = separationDecisionIds(row.decisionId, covered);
  const ends = await coveredEnds(tx, row.regionCode, decisionIds, row.separationDate, pinned.ends);
  const combined = combinedOf(row, covered, pinned);
  const approvalId = request.approvalId ?? row.approvalId;
  const used = await consumeApproval(tx, {
    regionCode: row.regionCode,
    id: approvalId,
    action: BENEFIT_SEPARATION_ACTION,
    payload: payloadOf(row, ends, combined),
  });
  if (!used.ok) return used;
  await tx.orm
    .update(benefitSeparations)
    .set({
      status: 'approved',
      approvedBy: used.value.checkerId,
      approvedOn: request.on,
      ledgerTransactionId: transactionId,
    })
    .where(
      and(eq(benefitSeparations.regionCode, row.regionCode), eq(benefitSeparations.id, row.id)),
    );
  await insertPayments(tx, actor, row, transactionId);
  await endEntitlements(tx, row, ends);
  const letter = await issueSeparationLetter(tx, actor, {
    regionCode: row.regionCode,
    separationId: row.id,
    caseId: row.caseId,
    decisionId: row.decisionId,
    date: row.separationDate,
    reason: reasonOf(row),
    retirementDate: row.retirementDate,
    items: storedResult(row.calculationResult).items,
    ends,
    on: request.on,
    combined:
      combined === null || pinned.multiple === null
        ? undefined
        : {
            cases: await letterCases(tx, row.regionCode, covered),
            citation: pinned.multiple.citation,
            quote: pinned.multiple.quote,
          },
  });
  const data = {
    separationId: row.id,
    letterId: letter.id,
    checker: used.value.checkerId,
    ledgerTransactionId: transactionId,
    endedEntitlements: ends.map((e) => e.entitlementId),
  };
  // Every case the separation covers shows it on its timeline.
  for (const caseId of covered.length === 0 ? [row.caseId] : covered.map((c) => c.caseId))
    await appendCaseEvent(tx, {
      regionCode: row.regionCode,
      caseId,
      kind: 'benefit.separation_approved',
      occurredOn: request.on,
      data: caseId === row.caseId ? data : { ...data, coveredBy: row.caseId },
      recordedBy: actor.userId,
    });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.separation.approve',
      `benefit-separation/${row.regionCode}/${row.id}`,
      {
        approvalId,
        ...data,
      },
    ),
  );
  return null;
}

export async function approveSeparation(
  db: Database,
  actor: Actor,
  request: SeparationApproveRequest,
): Promise<Result<SeparationApproved, SeparationApproveRefusalCode>> {
  const row = await db.withConnection((ex) =>
    separationRow(ex, request.regionCode, request.separationId, false),
  );
  if (row === null)
    return refuse('benefit.separation_not_found', `separation ${request.separationId} not found`);
  if (row.status === 'approved') return ok(approvedOf(row, true));
  const txRequest = separationPayableTransaction({
    separationId: row.id,
    segment: row.regionCode,
    effectiveDate: request.on,
    snapshotId: row.snapshotId,
    lumpSums: lumpSumsOf(row),
  });
  const transactionId = txRequest?.id ?? null;
  const guard = (tx: Executor) =>
    writeApproval(tx, actor, { ...request, caseId: row.caseId }, transactionId);
  const written =
    txRequest === null
      ? await guardOnly(db, guard)
      : await postTransactions<SeparationApproveRefusalCode>(db, actor, [txRequest], {
          auditAction: 'benefits.separation.post',
          guard,
        });
  if (written.ok)
    return ok({
      separationId: row.id,
      status: 'approved',
      ledgerTransactionId: transactionId,
      replayed: false,
    });
  // A concurrent apply that won the race makes this one a replay, not a refusal.
  if (written.code !== 'benefit.separation_superseded') return written;
  const now = await db.withConnection((ex) =>
    separationRow(ex, request.regionCode, request.separationId, false),
  );
  return now?.status === 'approved' ? ok(approvedOf(now, true)) : written;
}

function approvedOf(row: SeparationRow, replayed: boolean): SeparationApproved {
  return {
    separationId: row.id,
    status: 'approved',
    ledgerTransactionId: row.ledgerTransactionId,
    replayed,
  };
}

export type SeparationView = {
  separationId: string;
  caseId: string;
  decisionId: string;
  status: 'proposed' | 'approved' | 'superseded';
  date: IsoDate;
  reason: string;
  retirementDate: IsoDate;
  items: { code: string; amountFen: number; payer: string; citation: string }[];
  approvalId: string;
  ledgerTransactionId: string | null;
  proposedBy: string;
  approvedBy: string | null;
  approvedOn: IsoDate | null;
  /** The 核定通知书 issued on approval (download it through the letters routes). */
  letter: { id: string; documentNumber: string } | null;
  /**
   * A combined separation (《浙江省工伤保险条例》第二十八条): every case it covers with its decision and
   * grade, the grants at the highest; empty for a separation of one case.
   */
  coveredCases: CoveredCase[];
};

/**
 * The case's separations, newest first: the current one (proposed or approved) and any superseded,
 * each with both grants — the employer's 一次性伤残就业补助金 shown here, never paid by the fund.
 */
export async function caseSeparations(
  db: Database,
  input: { regionCode: string; caseId: string },
): Promise<Result<SeparationView[], 'benefit.case_not_found'>> {
  const found = await db.withConnection((ex) =>
    loadBenefitCase(ex, input.regionCode, input.caseId, { lock: false }),
  );
  if (found === null)
    return refuse(
      'benefit.case_not_found',
      `case ${input.caseId} not found in ${input.regionCode}`,
    );
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({ row: benefitSeparations, letterNumber: letters.documentNumber })
      .from(benefitSeparations)
      .leftJoin(
        letters,
        and(
          eq(letters.regionCode, benefitSeparations.regionCode),
          eq(letters.id, benefitSeparations.letterId),
        ),
      )
      .where(
        and(
          eq(benefitSeparations.regionCode, input.regionCode),
          or(eq(benefitSeparations.caseId, input.caseId), coversCase(ex, input.caseId)),
        ),
      )
      .orderBy(desc(benefitSeparations.proposedAt), desc(benefitSeparations.id)),
  );
  const views: SeparationView[] = [];
  for (const { row, letterNumber } of rows) {
    const covered = await db.withConnection((ex) => coveredCasesOf(ex, row.regionCode, row.id));
    views.push(viewOf(row, letterNumber, covered));
  }
  return ok(views);
}

/** The separation covers the case (0048): a combined separation proposed on another of its cases. */
export function coversCase(ex: Executor, caseId: string): SQL {
  return exists(
    ex.orm
      .select({ caseId: benefitSeparationCases.caseId })
      .from(benefitSeparationCases)
      .where(
        and(
          eq(benefitSeparationCases.regionCode, benefitSeparations.regionCode),
          eq(benefitSeparationCases.separationId, benefitSeparations.id),
          eq(benefitSeparationCases.caseId, caseId),
        ),
      ),
  );
}

function viewOf(
  row: SeparationRow,
  letterNumber: string | null,
  covered: readonly CoveredCase[],
): SeparationView {
  return {
    separationId: row.id,
    caseId: row.caseId,
    decisionId: row.decisionId,
    status: row.status,
    date: row.separationDate,
    reason: row.reason,
    retirementDate: row.retirementDate,
    items: separationItems(storedResult(row.calculationResult).items).map((i) => ({
      code: i.code,
      amountFen: i.amountFen,
      payer: i.payer,
      citation: i.citation,
    })),
    approvalId: row.approvalId,
    ledgerTransactionId: row.ledgerTransactionId,
    proposedBy: row.proposedBy,
    approvedBy: row.approvedBy,
    approvedOn: row.approvedOn,
    letter:
      row.letterId === null || letterNumber === null
        ? null
        : { id: row.letterId, documentNumber: letterNumber },
    coveredCases: covered.map((c) => ({ ...c })),
  };
}
