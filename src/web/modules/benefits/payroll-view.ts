import type { Permission } from '../../../identity/roles.ts';
import type { SessionUser } from '../../api/types.ts';
import { isMessageKey } from '../../i18n/dictionary.ts';
import type { useI18n } from '../../i18n/i18n.tsx';
import type { PayrollRun } from './payroll-api.ts';

type RunStatus = PayrollRun['status'];

/** The city whose payroll the page shows: a city-scoped user's own (the routes are by city). */
export function payrollCityOf(user: Pick<SessionUser, 'scope'>): string | null {
  return user.scope.kind === 'city' ? user.scope.code : null;
}

export type RunActions = {
  approve: boolean;
  /** Compute a computed, unapproved run again (the recompute route needs fund:write). */
  recompute: boolean;
  /** The payment file, CSV or fixed-width GBK (the file route needs fund:write). */
  download: boolean;
  bankReturn: boolean;
  /** The reconciliation report, xlsx or PDF (fund:read), once the run's payable is posted. */
  report: boolean;
};

/**
 * The buttons a run shows for a user. The server decides (it refuses the maker's approval, a file
 * of an unapproved run); the page only leaves out what cannot apply to the run's status.
 */
export function runActionsFor(status: RunStatus, permissions: readonly Permission[]): RunActions {
  const writes = permissions.includes('fund:write');
  const posted = status === 'approved' || status === 'file_issued' || status === 'reconciled';
  return {
    approve: status === 'computed' && permissions.includes('fund:approve'),
    // A computing run is resumed by the start (the month's run); an approved one is posted: never.
    recompute: status === 'computed' && writes,
    download: writes && posted,
    bankReturn: writes && status === 'file_issued',
    report: posted && permissions.includes('fund:read'),
  };
}

/** Today's month in Beijing (YYYY-MM): the month a handler usually starts. */
export function beijingMonthOf(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now).slice(0, 7);
}

export const statusColors: Readonly<Record<RunStatus, string>> = {
  computing: 'processing',
  computed: 'gold',
  approved: 'blue',
  file_issued: 'purple',
  reconciled: 'green',
};

export type ReturnProblem = { row: number; field: string; message: string };

/**
 * The rows a refused bank return names (`details.problems` of benefit.payroll_return_invalid),
 * read with checks: problem details are untyped JSON.
 */
export function returnProblemsOf(details: Record<string, unknown> | undefined): ReturnProblem[] {
  const problems = details?.['problems'];
  if (!Array.isArray(problems)) return [];
  return problems.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null) return [];
    const o: Record<string, unknown> = { ...p };
    const { row, field, message } = o;
    return typeof row === 'number' && typeof field === 'string' && typeof message === 'string'
      ? [{ row, field, message }]
      : [];
  });
}

/** A payroll item's name in the page's language (its code when the dictionary has none). */
export function payrollKindLabel(t: ReturnType<typeof useI18n>['t'], kind: string): string {
  const key = `payroll.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

/** The longest reason the recompute route takes (contract: recomputeRunBody). */
export const RECOMPUTE_REASON_MAX = 500;

/** The reason to send, trimmed, or null while it is empty (the route refuses a blank reason). */
export function recomputeReasonOf(text: string): string | null {
  const reason = text.trim();
  return reason.length === 0 ? null : reason.slice(0, RECOMPUTE_REASON_MAX);
}

/**
 * An anomaly's kind in the page's language; a code the dictionary does not name yet (a guard added
 * on the server first) is shown as it is rather than hidden.
 */
export function payrollAnomalyLabel(t: ReturnType<typeof useI18n>['t'], code: string): string {
  const key = `payroll.anomaly.kind.${code}`;
  return isMessageKey(key) ? t(key) : code;
}
