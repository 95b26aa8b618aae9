import type { ListedSurvivorChange } from './benefits-api.ts';

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
