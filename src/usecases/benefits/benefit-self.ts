import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { ownCaseRegion } from '../cases/case-self-appraisals.ts';
import { type BenefitPanelView, benefitPanel } from './benefit-decision-read.ts';

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
  entitlements: Omit<BenefitPanelView['entitlements'][number], 'id'>[];
};

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
    return { caseId, decision: null, payments: [], entitlements: [] };
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
    entitlements: panel.value.entitlements.map(({ id: _id, ...e }) => e),
  };
}
