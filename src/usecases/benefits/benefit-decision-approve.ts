import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import {
  benefitDecisions,
  benefitEntitlementArrears,
  benefitEntitlements,
} from '../../db/schema.ts';
import { dependantOfItem, storedDeath } from '../../domain/benefits/death-case.ts';
import { arrearsByEntitlement } from '../../domain/benefits/decision-arrears.ts';
import type { AppraisalFacts } from '../../domain/benefits/decision-input.ts';
import { deathLetterText, decisionLetterText } from '../../domain/benefits/decision-letter.ts';
import {
  BENEFIT_DECISION_ACTION,
  type DecisionArrears,
  decisionPayload,
  type EntitlementPlan,
  entitlementsOf,
} from '../../domain/benefits/decision-payload.ts';
import {
  type FundLumpSum,
  fundLumpSums,
  payableTransaction,
  payableTransactionId,
} from '../../domain/benefits/ledger-postings.ts';
import {
  type StoredResult,
  storedResult,
  storedWageMonths,
} from '../../domain/benefits/stored-decision.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { type PeriodicStart, periodicStart } from '../../rules/benefits/periodic-start.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { type ApprovalRefusal, consumeApproval, payloadHash } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { latestConcludedAppraisal, loadBenefitCase } from './benefit-case-facts.ts';
import { type DecisionArrearsCode, decisionArrearsNow } from './benefit-decision-arrears.ts';
import { caseLetterFacts, issueBenefitLetter } from './benefit-letters.ts';
import { issueBenefitPayments } from './benefit-payment-issue.ts';
import { lockCityRuns } from './payroll-store.ts';
import { snapshotRules } from './snapshot-rules.ts';
import { survivorEvidenceRefusal } from './survivor-evidence.ts';

/**
 * Applies an approved benefit decision, atomically: the approval is consumed (same action, exact
 * payload, decided by another person), the decision becomes approved, the fund's lump sums are
 * posted as payable (Dr 51xx / Cr 2102, `benefit-decision:<id>:approved`) with one payment issued
 * each, the periodic items become entitlements, the case's timeline gets `benefit.decision_approved`.
 * A retry of an applied decision answers the same and posts nothing (the ledger id is the key).
 */
export type ApproveRefusalCode =
  | 'benefit.decision_not_found'
  | 'benefit.decision_superseded'
  | 'benefit.appraisal_changed'
  | 'benefit.entitlement_active'
  | 'rules.parameter_missing'
  | 'benefit.snapshot_invalid'
  | 'benefit.survivor_evidence_missing'
  | 'benefit.decision_arrears_changed'
  | DecisionArrearsCode
  | ApprovalRefusal
  | LedgerRefusalCode;

export type ApproveRequest = {
  regionCode: string;
  decisionId: string;
  /** Default: the approval asked for with the proposal. */
  approvalId?: string | undefined;
  /** The day of the decision: the payable's effective date (its ledger period must be open). */
  on: IsoDate;
};

export type Approved = {
  decisionId: string;
  status: 'approved';
  ledgerTransactionId: string | null;
  replayed: boolean;
};

type DecisionRow = {
  regionCode: string;
  id: string;
  caseId: string;
  appraisalId: string | null;
  workerId: string;
  kind: 'disability' | 'death' | 'missing';
  death: unknown;
  status: 'proposed' | 'approved' | 'superseded' | 'replaced';
  approvalId: string;
  snapshotId: string;
  /** The hash of the payload the proposal asked the approval for. */
  payloadSha256: string;
  ledgerTransactionId: string | null;
  wageMonths: unknown;
  calculationResult: unknown;
};

export async function decisionRow(
  ex: Executor,
  regionCode: string,
  decisionId: string,
  lock: boolean,
): Promise<DecisionRow | null> {
  const q = ex.orm
    .select({
      regionCode: benefitDecisions.regionCode,
      id: benefitDecisions.id,
      caseId: benefitDecisions.caseId,
      appraisalId: benefitDecisions.appraisalId,
      workerId: benefitDecisions.workerId,
      kind: benefitDecisions.kind,
      death: benefitDecisions.death,
      status: benefitDecisions.status,
      approvalId: benefitDecisions.approvalId,
      snapshotId: benefitDecisions.snapshotId,
      payloadSha256: benefitDecisions.payloadSha256,
      ledgerTransactionId: benefitDecisions.ledgerTransactionId,
      wageMonths: benefitDecisions.wageMonths,
      calculationResult: benefitDecisions.calculationResult,
    })
    .from(benefitDecisions)
    .where(and(eq(benefitDecisions.regionCode, regionCode), eq(benefitDecisions.id, decisionId)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/**
 * The payload as approved: rebuilt from what the decision stored, never from the request, with
 * the months already run counted now (the proposal counted them the same way).
 */
function payloadOf(
  row: DecisionRow,
  result: StoredResult,
  lumpSums: readonly FundLumpSum[],
  arrears: DecisionArrears | null,
) {
  return decisionPayload({
    decisionId: row.id,
    caseId: row.caseId,
    workerId: row.workerId,
    appraisalId: row.appraisalId,
    wageMonths: storedWageMonths(row.wageMonths),
    baseWageFen: result.baseWageFen,
    items: result.items,
    fundLumpSumTotalFen: lumpSums.reduce((s, l) => s + l.amountFen, 0),
    snapshotId: row.snapshotId,
    death: storedDeath(row.death),
    arrears,
  });
}

async function refuseActiveEntitlement(
  tx: Executor,
  row: DecisionRow,
  kinds: readonly string[],
): Promise<Refusal<'benefit.entitlement_active'> | null> {
  if (kinds.length === 0) return null;
  const [active] = await tx.orm
    .select({ id: benefitEntitlements.id, kind: benefitEntitlements.kind })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.workerId, row.workerId),
        inArray(benefitEntitlements.kind, [...kinds]),
        eq(benefitEntitlements.status, 'active'),
      ),
    );
  if (active === undefined) return null;
  return refuse(
    'benefit.entitlement_active',
    `the worker already has an active ${active.kind} entitlement (${active.id}): end it first`,
    { entitlementId: active.id, kind: active.kind },
  );
}

/** Locks the case (one lock order with the case use cases and issueLetter), then the proposal. */
async function lockProposal(
  tx: Executor,
  request: ApproveRequest & { caseId: string },
): Promise<Result<{ row: DecisionRow; latest: AppraisalFacts | null }, ApproveRefusalCode>> {
  await loadBenefitCase(tx, request.regionCode, request.caseId, { lock: true });
  const row = await decisionRow(tx, request.regionCode, request.decisionId, true);
  if (row === null)
    return refuse('benefit.decision_not_found', `decision ${request.decisionId} not found`);
  if (row.status !== 'proposed')
    return refuse('benefit.decision_superseded', `decision ${row.id} is ${row.status}`, {
      status: row.status,
    });
  const latest = await latestConcludedAppraisal(tx, row.regionCode, row.caseId);
  // A death decision resting on no appraisal does not change with one (《工伤保险条例》第三十九条第一款、第二款
  // name no grade); one resting on a grade (第三款) does, like a disability decision.
  if (row.appraisalId === null) return ok({ row, latest: null });
  if (latest === null || latest.id !== row.appraisalId)
    return refuse(
      'benefit.appraisal_changed',
      'a later appraisal concluded since the proposal: propose again',
      { appraisalId: latest?.id ?? null },
    );
  return ok({ row, latest });
}

type ApprovalPlan = {
  result: StoredResult;
  lumpSums: FundLumpSum[];
  entitlements: (EntitlementPlan & { dependantId: string | null })[];
  start: PeriodicStart;
  arrears: DecisionArrears | null;
  checkerId: string;
};

/** What the approval plans from, with the pinned rule set it was read under. */
type Basis = Omit<ApprovalPlan, 'checkerId' | 'arrears'> & { rules: RuleSet };

/**
 * What the decision's items become, from the pinned rule set: the start month, the lump sums, the
 * entitlements (a survivor's pension per dependant). Read by the approval under its locks and, for
 * the ledger request, before them.
 */
async function basisOf(
  ex: Executor,
  row: DecisionRow,
  latest: AppraisalFacts | null,
  on: IsoDate,
): Promise<Result<Basis, ApproveRefusalCode>> {
  const death = storedDeath(row.death);
  // The event the monthly items start from: the death (《河南省工伤保险条例》第三十条第一款
  // "供养亲属抚恤金自职工死亡的次月起支付。") or the appraisal conclusion ("伤残津贴、生活护理费等长期待遇自
  // 劳动能力鉴定结论作出的次月起支付。"); a demo convention elsewhere. Read from the rule set the decision
  // was proposed with, not today's.
  const event = death?.diedOn ?? latest?.concludedOn ?? on;
  const pinned = await snapshotRules(ex, row.snapshotId);
  if (!pinned.ok) return pinned;
  const start = periodicStart(pinned.value, row.regionCode, event);
  if (!start.ok) return start;
  const result = storedResult(row.calculationResult);
  const monthly = result.items.filter((i) => i.frequency === 'monthly');
  const entitlements = entitlementsOf(monthly, start.value.startsOn).map((e, n) => ({
    ...e,
    dependantId: dependantOfItem(death, monthly[n] ?? { code: e.kind }),
  }));
  return ok({
    result,
    lumpSums: fundLumpSums(result.items),
    entitlements,
    start: start.value,
    rules: pinned.value,
  });
}

/** The months already run that the ledger request was built from, and those counted under the locks. */
function arrearsChanged(
  row: DecisionRow,
  now: DecisionArrears | null,
  expected: DecisionArrears | null,
  basis: Pick<Basis, 'result' | 'lumpSums'>,
): Refusal<'benefit.decision_arrears_changed'> | null {
  const proposed = payloadHash(payloadOf(row, basis.result, basis.lumpSums, now));
  const same = JSON.stringify(now) === JSON.stringify(expected);
  if (same && proposed === row.payloadSha256) return null;
  return refuse(
    'benefit.decision_arrears_changed',
    same
      ? `the payroll ran months since the proposal (now owed: ${(now?.months ?? []).map((m) => m.month).join(', ') || 'none'}): propose the decision again, so the checker approves what it pays`
      : 'a payroll run was approved while the decision was being applied: apply it again',
    { arrears: now },
  );
}

/**
 * The approval's plan under the locks: the items' basis, the months already run (a run not yet
 * approved refuses), the approval consumed against the payload rebuilt from the stored decision,
 * none of the worker's own kinds active already.
 */
async function planApproval(
  tx: Executor,
  request: ApproveRequest & { expectedArrears: DecisionArrears | null },
  row: DecisionRow,
  latest: AppraisalFacts | null,
): Promise<Result<ApprovalPlan, ApproveRefusalCode>> {
  const basis = await basisOf(tx, row, latest, request.on);
  if (!basis.ok) return basis;
  const { result, lumpSums, entitlements, rules } = basis.value;
  const papers = await survivorEvidenceRefusal(tx, rules, {
    ...row,
    death: storedDeath(row.death),
  });
  if (papers !== null) return papers;
  await lockCityRuns(tx, row.regionCode);
  const arrears = await decisionArrearsNow(tx, {
    regionCode: row.regionCode,
    entitlements,
  });
  if (!arrears.ok) return arrears;
  const changed = arrearsChanged(row, arrears.value, request.expectedArrears, basis.value);
  if (changed !== null) return changed;
  const used = await consumeApproval(tx, {
    regionCode: row.regionCode,
    id: request.approvalId ?? row.approvalId,
    action: BENEFIT_DECISION_ACTION,
    payload: payloadOf(row, result, lumpSums, arrears.value),
  });
  if (!used.ok) return used;
  const own = entitlements.filter((e) => e.dependantId === null).map((e) => e.kind);
  const blocked = await refuseActiveEntitlement(tx, row, own);
  if (blocked !== null) return blocked;
  return ok({ ...basis.value, arrears: arrears.value, checkerId: used.value.checkerId });
}

/** The state changes of the approval, inside the ledger write's transaction (its guard). */
async function writeApproval(
  tx: Executor,
  actor: Actor,
  request: ApproveRequest & { caseId: string; expectedArrears: DecisionArrears | null },
  transactionId: string | null,
): Promise<Refusal<ApproveRefusalCode> | null> {
  const locked = await lockProposal(tx, request);
  if (!locked.ok) return locked;
  const { row, latest } = locked.value;
  const planned = await planApproval(tx, request, row, latest);
  if (!planned.ok) return planned;
  const { result, lumpSums, entitlements, start, arrears, checkerId } = planned.value;
  await tx.orm
    .update(benefitDecisions)
    .set({
      status: 'approved',
      approvedBy: checkerId,
      approvedOn: request.on,
      ledgerTransactionId: transactionId,
    })
    .where(and(eq(benefitDecisions.regionCode, row.regionCode), eq(benefitDecisions.id, row.id)));
  const paymentIds = await insertPayments(tx, actor, row, lumpSums, arrears);
  const inserted = await insertEntitlements(tx, actor, row, entitlements);
  if (arrears !== null)
    await recordArrearsMonths(tx, row.regionCode, arrears, inserted, (kind) => {
      const n = arrears.byKind.findIndex((k) => k.kind === kind);
      return paymentIds[lumpSums.length + n] ?? '';
    });
  const letterId = await issueDecisionLetter(tx, actor, {
    row,
    result,
    grade: latest?.disabilityGrade ?? 0,
    concludedOn: latest?.concludedOn ?? request.on,
    periodicStartsOn: entitlements[0]?.startsOn ?? start.startsOn,
    arrears,
    on: request.on,
  });
  await appendCaseEvent(tx, {
    regionCode: row.regionCode,
    caseId: row.caseId,
    kind: 'benefit.decision_approved',
    occurredOn: request.on,
    data: {
      decisionId: row.id,
      letterId,
      checker: checkerId,
      ledgerTransactionId: transactionId,
      entitlements: entitlements.length,
      // Which rule set the start month: 河南's article, or the demo convention's placeholder.
      periodicStartBasis: start.citation,
      ...(arrears === null ? {} : { arrears }),
    },
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.decision.approve', `benefit-decision/${row.regionCode}/${row.id}`, {
      approvalId: request.approvalId ?? row.approvalId,
      ledgerTransactionId: transactionId,
      lumpSums: lumpSums.length,
      entitlements: entitlements.length,
      arrearsFen: arrears?.totalFen ?? 0,
    }),
  );
  return null;
}

async function insertPayments(
  tx: Executor,
  actor: Actor,
  row: DecisionRow,
  lumpSums: readonly FundLumpSum[],
  arrears: DecisionArrears | null,
) {
  // The months already run are paid as one payment per kind, under the item of that kind.
  const owed = (arrears?.byKind ?? []).map((k) => ({
    itemCode: k.kind,
    account: k.account,
    amountFen: k.amountFen,
  }));
  return issueBenefitPayments(
    tx,
    actor,
    {
      regionCode: row.regionCode,
      decisionId: row.id,
      payableTransactionId: payableTransactionId(row.id),
    },
    [
      ...lumpSums.map((l) => ({ itemCode: l.code, account: l.account, amountFen: l.amountFen })),
      ...owed,
    ],
  );
}

async function insertEntitlements(
  tx: Executor,
  actor: Actor,
  row: DecisionRow,
  entitlements: readonly (EntitlementPlan & { dependantId: string | null })[],
): Promise<(EntitlementPlan & { id: string })[]> {
  const out: (EntitlementPlan & { id: string })[] = [];
  for (const e of entitlements) {
    const id = `ent_${row.regionCode}_${randomBytes(8).toString('hex')}`;
    out.push({ ...e, id });
    await tx.orm.insert(benefitEntitlements).values({
      regionCode: row.regionCode,
      id,
      workerId: row.workerId,
      kind: e.kind,
      frequency: 'monthly',
      amountFen: e.amountFen,
      payer: e.payer,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
      status: 'active',
      decisionId: row.id,
      snapshotId: row.snapshotId,
      citation: e.citation,
      dependantId: e.dependantId,
      createdBy: actor.username,
    });
  }
  return out;
}

/**
 * Each month the decision paid with its arrears, per entitlement (benefit_entitlement_arrears):
 * what a later correction or regrade reads as paid besides the payroll's lines.
 */
async function recordArrearsMonths(
  tx: Executor,
  regionCode: string,
  arrears: DecisionArrears,
  entitlements: readonly (EntitlementPlan & { id: string })[],
  paymentOf: (kind: string) => string,
) {
  const rows = arrearsByEntitlement(arrears, entitlements).map((a) => ({
    regionCode,
    entitlementId: a.entitlementId,
    month: a.month,
    amountFen: a.amountFen,
    paymentId: paymentOf(a.kind),
  }));
  if (rows.length > 0) await tx.orm.insert(benefitEntitlementArrears).values(rows);
}

export async function approveBenefitDecision(
  db: Database,
  actor: Actor,
  request: ApproveRequest,
): Promise<Result<Approved, ApproveRefusalCode>> {
  const row = await db.withConnection((ex) =>
    decisionRow(ex, request.regionCode, request.decisionId, false),
  );
  if (row === null)
    return refuse('benefit.decision_not_found', `decision ${request.decisionId} not found`);
  if (row.status === 'approved')
    return ok({
      decisionId: row.id,
      status: 'approved',
      ledgerTransactionId: row.ledgerTransactionId,
      replayed: true,
    });
  const expectedArrears = await db.withConnection((ex) => arrearsBeforeLocks(ex, row, request.on));
  if (!expectedArrears.ok) return expectedArrears;
  const lumpSums = fundLumpSums(storedResult(row.calculationResult).items);
  const txRequest = payableTransaction({
    decisionId: row.id,
    segment: row.regionCode,
    effectiveDate: request.on,
    snapshotId: row.snapshotId,
    lumpSums: [...lumpSums, ...(expectedArrears.value?.byKind ?? [])],
  });
  const transactionId = txRequest?.id ?? null;
  const guard = (tx: Executor) =>
    writeApproval(
      tx,
      actor,
      { ...request, caseId: row.caseId, expectedArrears: expectedArrears.value },
      transactionId,
    );
  const written =
    txRequest === null
      ? await guardOnly(db, guard)
      : await postTransactions<ApproveRefusalCode>(db, actor, [txRequest], {
          auditAction: 'benefits.decision.post',
          guard,
        });
  if (!written.ok) return afterRefusal(db, request, written);
  return ok({
    decisionId: row.id,
    status: 'approved',
    ledgerTransactionId: transactionId,
    replayed: false,
  });
}

/**
 * The months already run, read before the ledger write for its request (the approval counts them
 * again under its locks and refuses if they moved meanwhile).
 */
async function arrearsBeforeLocks(
  ex: Executor,
  row: DecisionRow,
  on: IsoDate,
): Promise<Result<DecisionArrears | null, ApproveRefusalCode>> {
  const latest =
    row.appraisalId === null
      ? null
      : await latestConcludedAppraisal(ex, row.regionCode, row.caseId);
  const basis = await basisOf(ex, row, latest, on);
  if (!basis.ok) return basis;
  return decisionArrearsNow(ex, {
    regionCode: row.regionCode,
    entitlements: basis.value.entitlements,
  });
}

/** A concurrent apply that won the race makes this one a replay, not a refusal. */
async function afterRefusal(
  db: Database,
  request: ApproveRequest,
  refusal: Refusal<ApproveRefusalCode>,
): Promise<Result<Approved, ApproveRefusalCode>> {
  if (refusal.code !== 'benefit.decision_superseded') return refusal;
  const now = await db.withConnection((ex) =>
    decisionRow(ex, request.regionCode, request.decisionId, false),
  );
  if (now?.status !== 'approved') return refusal;
  return ok({
    decisionId: now.id,
    status: 'approved',
    ledgerTransactionId: now.ledgerTransactionId,
    replayed: true,
  });
}

/** A decision with no lump sum the fund pays moves no money: its state changes without a ledger write. */
export async function guardOnly<C extends string>(
  db: Database,
  guard: (tx: Executor) => Promise<Refusal<C> | null>,
): Promise<Result<true, C>> {
  // The refusal leaves the transaction through this variable; the throw only rolls it back.
  let refused: Refusal<C> | null = null;
  try {
    await db.transaction(async (tx) => {
      refused = await guard(tx);
      if (refused !== null) throw new RollBack();
    });
  } catch (err) {
    if (!(err instanceof RollBack)) throw err;
  }
  return refused ?? ok(true);
}

class RollBack extends Error {}

/** The 工伤保险待遇核定通知书, numbered in the city's series, in the approving transaction. */
async function issueDecisionLetter(
  tx: Executor,
  actor: Actor,
  input: {
    row: DecisionRow;
    result: StoredResult;
    grade: number;
    concludedOn: IsoDate;
    periodicStartsOn: IsoDate;
    arrears: DecisionArrears | null;
    on: IsoDate;
  },
): Promise<string> {
  const { row } = input;
  const facts = await caseLetterFacts(tx, row.regionCode, row.caseId);
  const common = {
    workerName: facts.workerName,
    accidentDate: facts.accidentDate,
    baseWageFen: input.result.baseWageFen,
    wageMonths: storedWageMonths(row.wageMonths),
    items: input.result.items,
    periodicStartsOn: input.periodicStartsOn,
    arrears: input.arrears,
  };
  const death = storedDeath(row.death);
  const text =
    death === null
      ? decisionLetterText({ ...common, concludedOn: input.concludedOn, grade: input.grade })
      : deathLetterText({ ...common, death });
  const letter = await issueBenefitLetter(tx, actor, {
    regionCode: row.regionCode,
    caseId: row.caseId,
    letterType: 'benefit_decision',
    on: input.on,
    facts,
    ...(death === null ? {} : { recipient: `${facts.workerName}的近亲属` }),
    text,
  });
  await tx.orm
    .update(benefitDecisions)
    .set({ letterId: letter.id })
    .where(and(eq(benefitDecisions.regionCode, row.regionCode), eq(benefitDecisions.id, row.id)));
  return letter.id;
}
