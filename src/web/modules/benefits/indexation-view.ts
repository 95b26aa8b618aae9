import type { Permission } from '../../../identity/roles.ts';
import type { IndexationBatch, IndexationItem } from './indexation-api.ts';

type BatchStatus = IndexationBatch['status'];
export type ApprovalState = NonNullable<IndexationItem['approvalStatus']>;

export type BatchActions = {
  /** The checker's decision: a pending approval and fund:approve (the server refuses the maker). */
  approve: boolean;
  /** Once approved and not yet applied, for fund:write. */
  apply: boolean;
  /**
   * Its approval rejected or run out, not yet applied, for fund:write: the proposal again, which
   * asks a new approval of the same payload (or computes the lines again if the register changed).
   */
  askAgain: boolean;
  /** The before/after report (.xlsx), for every reader. */
  report: boolean;
};

/**
 * The buttons a batch shows for a user. The batch stays `proposed` until the apply, so the
 * approval's state (from the list) tells what may come next; the server decides in the end (the
 * maker's approval and an unapproved apply are refused there, with their text shown).
 */
export function batchActionsFor(
  status: BatchStatus,
  approval: ApprovalState | null,
  permissions: readonly Permission[],
): BatchActions {
  const open = status === 'proposed';
  return {
    approve: open && approval === 'pending' && permissions.includes('fund:approve'),
    apply: open && approval === 'approved' && permissions.includes('fund:write'),
    askAgain:
      open &&
      (approval === 'rejected' || approval === 'expired') &&
      permissions.includes('fund:write'),
    report: permissions.includes('fund:read'),
  };
}

export type PayloadTotals = {
  lines: number;
  beforeFen: number;
  afterFen: number;
  /** What the batch adds to a month of the register: after − before. */
  increaseFen: number;
};

/** The batch's monthly totals over every item and payer (the approved payload's rows summed). */
export function payloadTotalsOf(totals: IndexationBatch['payload']['totals']): PayloadTotals {
  const lines = totals.reduce((n, t) => n + t.lines, 0);
  const beforeFen = totals.reduce((n, t) => n + t.beforeFen, 0);
  const afterFen = totals.reduce((n, t) => n + t.afterFen, 0);
  return { lines, beforeFen, afterFen, increaseFen: afterFen - beforeFen };
}

/**
 * The lines are paged by a cursor (the last entitlement id of the page before; '' the first
 * page). The page keeps the cursors it came through, so "previous" needs no backward query.
 */
export function nextCursors(cursors: readonly string[], nextAfter: string | null): string[] {
  return nextAfter === null ? [...cursors] : [...cursors, nextAfter];
}

export function previousCursors(cursors: readonly string[]): string[] {
  return cursors.length <= 1 ? [''] : cursors.slice(0, -1);
}

/** The cursor the shown page was read after ('' for the first). */
export function currentCursor(cursors: readonly string[]): string {
  return cursors.at(-1) ?? '';
}

/** The year a handler usually proposes: this year in Beijing (the province adjusts mid-year). */
export function beijingYearOf(now: Date): number {
  return Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now),
  );
}

export const batchStatusColors: Readonly<Record<BatchStatus, string>> = {
  proposed: 'gold',
  applied: 'green',
};

export const approvalColors: Readonly<Record<ApprovalState, string>> = {
  pending: 'gold',
  approved: 'blue',
  rejected: 'red',
  consumed: 'green',
  expired: 'default',
  withdrawn: 'default',
};
