import { isIsoDate } from '../../../kernel/dates.ts';
import { fenToYuanText, yuanToFen } from '../../format/money.ts';
import type { BenefitChangeKey } from './benefit-change-messages.ts';
import type { ListedSurvivorChange } from './benefits-api.ts';
import type { CorrectionInput, ListedCorrection } from './correction-api.ts';

/**
 * The pure parts of the case page's changes that end with an apply (a survivor's pension change,
 * an entitlement's correction): the state a row shows, from the change's status and its approval's,
 * and whether the handler gets the 执行 button. The server decides every check again on the apply
 * (approved, same plan, same payroll); the page only leaves out what cannot apply.
 */
export type ChangeState =
  | 'pending'
  | 'approved'
  | 'applied'
  | 'superseded'
  | 'rejected'
  | 'expired';

type ApprovalStatus = ListedSurvivorChange['approvalStatus'];

/**
 * What the row says: an applied or superseded change is that, whatever its approval; a proposed
 * one is as far as its approval went (a missing approval reads as pending: the apply will say why).
 */
export function changeState(
  status: 'proposed' | 'applied' | 'superseded' | 'rejected',
  approvalStatus: ApprovalStatus,
): ChangeState {
  if (status !== 'proposed') return status;
  if (approvalStatus === 'approved') return 'approved';
  // Withdrawn when a newer proposal superseded it (migration 0068): the row says so too.
  if (approvalStatus === 'withdrawn') return 'superseded';
  if (approvalStatus === 'rejected' || approvalStatus === 'expired') return approvalStatus;
  return 'pending';
}

/** Only an approved change not yet applied is applied from the page. */
export function mayApply(state: ChangeState): boolean {
  return state === 'approved';
}

export const STATE_COLORS: Record<ChangeState, string> = {
  pending: 'gold',
  approved: 'blue',
  applied: 'green',
  superseded: 'default',
  rejected: 'red',
  expired: 'red',
};

/** The money of a plan: arrears paid on the apply, an overpayment recorded for recovery (fen). */
export type PlanMoney = { arrearsFen: number; overpaymentFen: number };

export function planMoney(plan: {
  arrears: { amountFen: number } | null;
  overpayment: { amountFen: number } | null;
}): PlanMoney {
  return {
    arrearsFen: plan.arrears?.amountFen ?? 0,
    overpaymentFen: plan.overpayment?.amountFen ?? 0,
  };
}

/** The case's survivor changes as rows: state, money, and the dependant's name where known. */
export type SurvivorChangeRow = {
  id: string;
  dependant: string;
  kind: ListedSurvivorChange['kind'];
  eventOn: string;
  state: ChangeState;
  ended: number;
  started: number;
} & PlanMoney;

export function survivorChangeRows(
  changes: readonly ListedSurvivorChange[],
  names: ReadonlyMap<string, string>,
): SurvivorChangeRow[] {
  return changes.map((c) => ({
    id: c.id,
    dependant: names.get(c.dependantId) ?? c.dependantId,
    kind: c.kind,
    eventOn: c.eventOn,
    state: changeState(c.status, c.approvalStatus),
    ended: c.plan.ended.length,
    started: c.plan.started.length,
    ...planMoney(c.plan),
  }));
}

/** The correction form as typed: the amount in 元, dates as YYYY-MM-DD, blank: unchanged. */
export type CorrectionDraft = {
  amountYuan: string;
  startsOn: string;
  endsOn: string;
  reason: string;
  evidence: string;
};

export type CorrectionParse =
  | { ok: true; body: CorrectionInput }
  | { ok: false; errors: BenefitChangeKey[] };

/**
 * The form → the route's body, every problem at once (the server checks again): the amount in 元
 * to integer fen by string arithmetic (yuanToFen), real calendar dates, at least one corrected
 * term, a reason and the evidence.
 */
export function parseCorrectionDraft(draft: CorrectionDraft): CorrectionParse {
  const errors: BenefitChangeKey[] = [];
  const terms: { amountFen?: number; startsOn?: string; endsOn?: string } = {};
  const amount = draft.amountYuan.trim();
  if (amount !== '') {
    const fen = yuanToFen(amount);
    if (fen === null || fen <= 0) errors.push('error.amount');
    else terms.amountFen = fen;
  }
  for (const key of ['startsOn', 'endsOn'] as const) {
    const text = draft[key].trim();
    if (text === '') continue;
    if (isIsoDate(text)) terms[key] = text;
    else errors.push(key === 'startsOn' ? 'error.startsOn' : 'error.endsOn');
  }
  if (amount === '' && draft.startsOn.trim() === '' && draft.endsOn.trim() === '')
    errors.push('error.nothing');
  const reason = draft.reason.trim();
  const evidence = draft.evidence.trim();
  if (reason === '') errors.push('error.reason');
  if (evidence === '') errors.push('error.evidence');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, body: { ...terms, reason, evidence } };
}

/** The entitlements that may be corrected from the page: the active ones (the route refuses others). */
export function correctable(entitlement: { status: 'active' | 'ended' }): boolean {
  return entitlement.status === 'active';
}

/** A correction as a row: the item, the terms before and after, the state and the money. */
export type CorrectionRow = {
  id: string;
  entitlementId: string;
  kind: string;
  before: Terms;
  after: Terms;
  state: ChangeState;
  netFen: number;
  months: ListedCorrection['plan']['months'];
} & PlanMoney;

type Terms = ListedCorrection['plan']['before'];

export function correctionRows(corrections: readonly ListedCorrection[]): CorrectionRow[] {
  return corrections.map((c) => ({
    id: c.id,
    entitlementId: c.entitlementId,
    kind: c.plan.kind,
    before: c.plan.before,
    after: c.plan.after,
    state: changeState(c.status, c.approvalStatus),
    netFen: c.plan.netFen,
    months: c.plan.months,
    ...planMoney(c.plan),
  }));
}

/** Terms in one line: "1,850.00 · 2025-07-01 – 2026-06-30" (open: the caller's word for it). */
export function termsText(terms: Terms, openEnded: string): string {
  return `${fenToYuanText(terms.amountFen)} · ${terms.startsOn} – ${terms.endsOn ?? openEnded}`;
}
