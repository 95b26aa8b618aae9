import type { Database, Executor } from '../../db/client.ts';
import { boolOf, intOf, oneOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { ownCaseRegion } from '../cases/case-self-appraisals.ts';
import { type BenefitPanelView, benefitPanel } from './benefit-decision-read.ts';
import { type OwnAdjustment, ownAdjustmentsOf } from './indexation-notice.ts';

/**
 * The benefit decision of one of the reader's own cases (portal): the approved decision's items
 * and amounts, the payments and the entitlements. A proposal not yet approved is the fund's work in
 * progress and is not shown; the ledger's transaction ids and the calculator's trace stay with the
 * fund's staff.
 */
export type OwnBenefit = {
  caseId: string;
  decision: {
    approvedOn: string | null;
    baseWageFen: number;
    items: {
      code: string;
      amountFen: number;
      frequency: 'once' | 'monthly';
      payer: 'fund' | 'employer';
      citation: string;
    }[];
    letter: { id: string; documentNumber: string } | null;
  } | null;
  payments: {
    itemCode: string;
    amountFen: number;
    status: 'issued' | 'paid' | 'failed';
    paidOn: string | null;
  }[];
  entitlements: Omit<BenefitPanelView['entitlements'][number], 'id' | 'dependantId'>[];
  monthlyPayments: MonthlyPayment[];
  /** The indexation of the worker's items: before, after, from when, and the notice's number. */
  adjustments: OwnAdjustment[];
};

/** One line of the monthly payroll as its beneficiary sees it (no account number, no ledger id). */
export type MonthlyPayment = {
  month: string;
  kind: string;
  amountFen: number;
  status: 'issued' | 'paid' | 'failed';
  paidOn: string | null;
  failureReason: string | null;
  /** Pays a failed line of an earlier month again. */
  reissue: boolean;
};

const LINE_STATUSES = ['issued', 'paid', 'failed'] as const;

/**
 * Whose payroll lines a reader sees: the worker his own items (no dependant), a survivor those of
 * her dependant rows. A survivor's pension is the dependant's money (migration 0034), so the worker's
 * view of a case never lists it, nor a survivor a co-survivor's.
 */
export type LineBeneficiary = 'worker' | { dependantIds: readonly string[] };

/**
 * The payroll lines of a case's entitlements of one beneficiary, newest month first: only runs the
 * fund approved (a computed run is its work in progress and may still change).
 */
export async function monthlyPaymentsOf(
  ex: Executor,
  input: { regionCode: string; caseId: string; beneficiary: LineBeneficiary },
): Promise<MonthlyPayment[]> {
  const dependantIds = input.beneficiary === 'worker' ? null : [...input.beneficiary.dependantIds];
  const whose =
    dependantIds === null ? 'e.dependant_id IS NULL' : 'e.dependant_id = ANY($3::text[])';
  const r = await ex.query(
    `SELECT m.month, l.kind, l.amount_fen, l.status, l.paid_on::text AS paid_on,
            l.failure_reason, l.reissue_of IS NOT NULL AS reissue
       FROM payroll_lines l
       LEFT JOIN payroll_runs r ON r.region_code = l.region_code AND r.id = l.run_id
       -- A reissue by hand (migration 0059) shows in the month of its batch's day.
       LEFT JOIN payroll_reissue_batches b ON b.region_code = l.region_code AND b.id = l.batch_id
       CROSS JOIN LATERAL (SELECT coalesce(r.month::text, to_char(b.accounts_on, 'YYYY-MM')) AS month) m
       JOIN benefit_entitlements e ON e.region_code = l.region_code AND e.id = l.entitlement_id
       JOIN benefit_decisions d ON d.region_code = e.region_code AND d.id = e.decision_id
      WHERE l.region_code = $1 AND d.case_id = $2 AND ${whose}
        AND (r.status IN ('approved', 'file_issued', 'reconciled')
             OR b.status IN ('applied', 'file_issued', 'reconciled'))
      ORDER BY m.month DESC, l.reissue_of IS NOT NULL, l.kind, l.id`,
    dependantIds === null
      ? [input.regionCode, input.caseId]
      : [input.regionCode, input.caseId, dependantIds],
  );
  return r.rows.map((row) => ({
    month: textOf(row, 'month'),
    kind: textOf(row, 'kind'),
    amountFen: intOf(row, 'amount_fen'),
    status: oneOf(row, 'status', LINE_STATUSES),
    paidOn: textOrNullOf(row, 'paid_on'),
    failureReason: textOrNullOf(row, 'failure_reason'),
    reissue: boolOf(row, 'reissue'),
  }));
}

/** The worker's own payroll lines of a case (his items, not his survivors' pensions). */
export function caseMonthlyPayments(
  ex: Executor,
  input: { regionCode: string; caseId: string },
): Promise<MonthlyPayment[]> {
  return monthlyPaymentsOf(ex, { ...input, beneficiary: 'worker' });
}

/** Null when the case is not the reader's ("not found", as for any other reader's case). */
export async function myBenefitDecision(
  db: Database,
  actor: Actor,
  caseId: string,
): Promise<OwnBenefit | null> {
  const regionCode = await db.withConnection((ex) => ownCaseRegion(ex, actor, caseId));
  if (regionCode === null) return null;
  const panel = await benefitPanel(db, { regionCode, caseId });
  if (!panel.ok) return null;
  const d = panel.value.current;
  if (d === null || d.status !== 'approved')
    return {
      caseId,
      decision: null,
      payments: [],
      entitlements: [],
      monthlyPayments: [],
      adjustments: [],
    };
  return {
    caseId,
    decision: {
      approvedOn: d.approvedOn,
      baseWageFen: d.result.baseWageFen,
      items: d.result.items.map((i) => ({
        code: i.code,
        amountFen: i.amountFen,
        frequency: i.frequency,
        payer: i.payer,
        citation: i.citation,
      })),
      letter: d.letter,
    },
    payments: panel.value.payments.map((p) => ({
      itemCode: p.itemCode,
      amountFen: p.amountFen,
      status: p.status,
      paidOn: p.paidOn,
    })),
    // The worker's own items only: a survivor's pension is the dependant's, shown in her own view
    // (benefit-survivor-self.ts); which dependant it pays is staff data.
    entitlements: panel.value.entitlements
      .filter((e) => e.dependantId === null)
      .map(({ id: _id, dependantId: _dependant, ...e }) => e),
    monthlyPayments: await db.withConnection((ex) =>
      caseMonthlyPayments(ex, { regionCode, caseId }),
    ),
    adjustments: await db.withConnection((ex) =>
      ownAdjustmentsOf(ex, { regionCode, caseId, dependantIds: null }),
    ),
  };
}
