import { and, asc, desc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { numberOf, rowsOf, textOf } from '../../db/rows.ts';
import {
  approvals,
  benefitDecisions,
  benefitEntitlements,
  benefitPayments,
} from '../../db/schema.ts';
import { letters } from '../../db/schema-letters.ts';
import { type DecisionDeath, storedDeath } from '../../domain/benefits/death-case.ts';
import {
  type StoredResult,
  storedInput,
  storedResult,
  storedWageMonths,
} from '../../domain/benefits/stored-decision.ts';
import type { WageMonth } from '../../domain/benefits/wage-months.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type CalculationRefusalCode, calculate } from '../../rules/calculator/index.ts';
import { loadBenefitCase } from './benefit-case-facts.ts';
import { snapshotRules } from './snapshot-rules.ts';

/**
 * What the case page's benefit panel shows (reads only): the case's decisions, the current one in
 * full (wage months and their source, items with the calculator's trace, the approval's state,
 * payments with their ledger transactions, entitlements), and the recomputation from the pinned
 * parameter snapshot.
 */
export type DecisionView = {
  id: string;
  status: 'proposed' | 'approved' | 'superseded' | 'replaced';
  kind: 'disability' | 'death' | 'missing';
  /** Null: a death decision resting on no appraisal. */
  appraisalId: string | null;
  death: DecisionDeath | null;
  wageMonths: WageMonth[];
  wageEvidence: string | null;
  result: StoredResult;
  snapshotId: string;
  approval: { id: string; status: string };
  ledgerTransactionId: string | null;
  /** The 工伤保险待遇核定通知书 issued on approval (download it from the letters area). */
  letter: { id: string; documentNumber: string } | null;
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedOn: string | null;
};

export type BenefitPanelView = {
  caseId: string;
  regionCode: string;
  worker: { sex: 'male' | 'female'; birthDate: string };
  accidentDate: string;
  determinationOutcome: string | null;
  current: DecisionView | null;
  history: { id: string; status: string; proposedAt: string }[];
  payments: {
    id: string;
    itemCode: string;
    amountFen: number;
    attempt: number;
    status: 'issued' | 'paid' | 'failed';
    payableTransactionId: string;
    paidTransactionId: string | null;
    reversalTransactionId: string | null;
    bankReference: string | null;
    paidOn: string | null;
    failureReason: string | null;
  }[];
  entitlements: {
    id: string;
    kind: string;
    amountFen: number;
    payer: 'fund' | 'employer';
    startsOn: string;
    endsOn: string | null;
    status: 'active' | 'ended';
    dependantId: string | null;
  }[];
  /**
   * The months the payroll ran before the decision and the decision paid (ADR 0023), per month and
   * kind: the sum of the entitlements' amounts, and the payment that paid them.
   */
  monthsRunBefore: { month: string; kind: string; amountFen: number; paymentId: string }[];
};

async function decisionsOf(ex: Executor, regionCode: string, caseId: string) {
  return ex.orm
    .select({
      id: benefitDecisions.id,
      status: benefitDecisions.status,
      kind: benefitDecisions.kind,
      appraisalId: benefitDecisions.appraisalId,
      death: benefitDecisions.death,
      wageMonths: benefitDecisions.wageMonths,
      wageEvidence: benefitDecisions.wageEvidence,
      calculationResult: benefitDecisions.calculationResult,
      snapshotId: benefitDecisions.snapshotId,
      approvalId: benefitDecisions.approvalId,
      approvalStatus: approvals.status,
      ledgerTransactionId: benefitDecisions.ledgerTransactionId,
      letterId: letters.id,
      letterNumber: letters.documentNumber,
      proposedBy: benefitDecisions.proposedBy,
      proposedAt: benefitDecisions.proposedAt,
      approvedBy: benefitDecisions.approvedBy,
      approvedOn: benefitDecisions.approvedOn,
    })
    .from(benefitDecisions)
    .leftJoin(
      approvals,
      and(
        eq(approvals.regionCode, benefitDecisions.regionCode),
        eq(approvals.id, benefitDecisions.approvalId),
      ),
    )
    .leftJoin(
      letters,
      and(
        eq(letters.regionCode, benefitDecisions.regionCode),
        eq(letters.id, benefitDecisions.letterId),
      ),
    )
    .where(and(eq(benefitDecisions.regionCode, regionCode), eq(benefitDecisions.caseId, caseId)))
    .orderBy(desc(benefitDecisions.proposedAt));
}

type Row = Awaited<ReturnType<typeof decisionsOf>>[number];

function decisionView(row: Row): DecisionView {
  return {
    id: row.id,
    status: row.status,
    kind: row.kind,
    appraisalId: row.appraisalId,
    death: storedDeath(row.death),
    wageMonths: storedWageMonths(row.wageMonths),
    wageEvidence: row.wageEvidence,
    result: storedResult(row.calculationResult),
    snapshotId: row.snapshotId,
    approval: { id: row.approvalId, status: row.approvalStatus ?? 'unknown' },
    ledgerTransactionId: row.ledgerTransactionId,
    letter:
      row.letterId === null || row.letterNumber === null
        ? null
        : { id: row.letterId, documentNumber: row.letterNumber },
    proposedBy: row.proposedBy,
    proposedAt: row.proposedAt.toISOString(),
    approvedBy: row.approvedBy,
    approvedOn: row.approvedOn,
  };
}

async function paymentsOf(ex: Executor, regionCode: string, decisionId: string) {
  const p = benefitPayments;
  return ex.orm
    .select({
      id: p.id,
      itemCode: p.itemCode,
      amountFen: p.amountFen,
      attempt: p.attempt,
      status: p.status,
      payableTransactionId: p.payableTransactionId,
      paidTransactionId: p.paidTransactionId,
      reversalTransactionId: p.reversalTransactionId,
      bankReference: p.bankReference,
      paidOn: p.paidOn,
      failureReason: p.failureReason,
    })
    .from(p)
    .where(and(eq(p.regionCode, regionCode), eq(p.decisionId, decisionId)))
    .orderBy(asc(p.itemCode), asc(p.attempt));
}

async function entitlementsOfDecision(ex: Executor, regionCode: string, decisionId: string) {
  const e = benefitEntitlements;
  return ex.orm
    .select({
      id: e.id,
      kind: e.kind,
      amountFen: e.amountFen,
      payer: e.payer,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
      status: e.status,
      dependantId: e.dependantId,
    })
    .from(e)
    .where(and(eq(e.regionCode, regionCode), eq(e.decisionId, decisionId)))
    .orderBy(asc(e.kind), asc(e.id));
}

async function monthsRunBeforeOf(ex: Executor, regionCode: string, decisionId: string) {
  const r = await ex.query(
    `SELECT a.month::text AS month, e.kind, sum(a.amount_fen)::bigint AS amount_fen, a.payment_id
     FROM benefit_entitlement_arrears a
     JOIN benefit_entitlements e ON e.region_code = a.region_code AND e.id = a.entitlement_id
     WHERE a.region_code = $1 AND e.decision_id = $2
     GROUP BY a.month, e.kind, a.payment_id ORDER BY a.month, e.kind`,
    [regionCode, decisionId],
  );
  return rowsOf(r, (row) => ({
    month: textOf(row, 'month'),
    kind: textOf(row, 'kind'),
    amountFen: numberOf(row, 'amount_fen'),
    paymentId: textOf(row, 'payment_id'),
  }));
}

export async function benefitPanel(
  db: Database,
  input: { regionCode: string; caseId: string },
): Promise<Result<BenefitPanelView, 'benefit.case_not_found'>> {
  return db.withConnection(async (ex) => {
    const c = await loadBenefitCase(ex, input.regionCode, input.caseId, { lock: false });
    if (c === null)
      return refuse(
        'benefit.case_not_found',
        `case ${input.caseId} not found in ${input.regionCode}`,
      );
    const rows = await decisionsOf(ex, input.regionCode, input.caseId);
    const currentRow = rows.find((r) => r.status !== 'superseded') ?? rows[0] ?? null;
    const current = currentRow === null ? null : decisionView(currentRow);
    return ok({
      caseId: c.id,
      regionCode: c.regionCode,
      worker: c.worker,
      accidentDate: c.accidentDate,
      determinationOutcome: c.determinationOutcome,
      current,
      history: rows.map((r) => ({
        id: r.id,
        status: r.status,
        proposedAt: r.proposedAt.toISOString(),
      })),
      payments: current === null ? [] : await paymentsOf(ex, input.regionCode, current.id),
      entitlements:
        current === null ? [] : await entitlementsOfDecision(ex, input.regionCode, current.id),
      monthsRunBefore:
        current === null ? [] : await monthsRunBeforeOf(ex, input.regionCode, current.id),
    });
  });
}

export type Recomputation = {
  decisionId: string;
  snapshotId: string;
  same: boolean;
  stored: { baseWageFen: number; items: { code: string; amountFen: number; payer: string }[] };
  recomputed: { baseWageFen: number; items: { code: string; amountFen: number; payer: string }[] };
};

const brief = (r: {
  baseWageFen: number;
  items: readonly { code: string; amountFen: number; payer: string }[];
}) => ({
  baseWageFen: r.baseWageFen,
  items: r.items.map((i) => ({ code: i.code, amountFen: i.amountFen, payer: i.payer })),
});

/**
 * Recomputes a stored decision from its own input and pinned parameter snapshot (not the live
 * parameters): the same engine must give the same figures, however the YAML changed since.
 */
export async function recomputeBenefitDecision(
  db: Database,
  input: { regionCode: string; decisionId: string },
): Promise<
  Result<
    Recomputation,
    'benefit.decision_not_found' | 'benefit.snapshot_invalid' | CalculationRefusalCode
  >
> {
  const found = await db.withConnection(async (ex) => {
    const [row] = await ex.orm
      .select({
        snapshotId: benefitDecisions.snapshotId,
        input: benefitDecisions.calculationInput,
        result: benefitDecisions.calculationResult,
      })
      .from(benefitDecisions)
      .where(
        and(
          eq(benefitDecisions.regionCode, input.regionCode),
          eq(benefitDecisions.id, input.decisionId),
        ),
      );
    if (!row) return null;
    return { ...row, rules: await snapshotRules(ex, row.snapshotId) };
  });
  if (found === null)
    return refuse('benefit.decision_not_found', `decision ${input.decisionId} not found`);
  const rules = found.rules;
  if (!rules.ok) return rules;
  const again = calculate(storedInput(found.input), rules.value, { withTrace: false });
  if (!again.ok) return again;
  const stored = brief(storedResult(found.result));
  const recomputed = brief(again.value);
  return ok({
    decisionId: input.decisionId,
    snapshotId: found.snapshotId,
    same:
      JSON.stringify(stored) === JSON.stringify(recomputed) &&
      again.value.snapshotId === found.snapshotId,
    stored,
    recomputed,
  });
}
