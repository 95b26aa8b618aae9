import type { Executor } from '../../db/client.ts';
import { intOf, jsonOf, oneOfReader, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { PayrollLineStatus, PayrollRunStatus } from '../../db/schema.ts';
import type { PayrollAnomaly } from '../../domain/benefits/payroll-review.ts';

/**
 * Reads of the payroll's tables shared by its use cases (raw SQL with the rows.ts mappers: the
 * line reads are the run's hot path).
 */
export type PayrollRefusalCode =
  | 'benefit.payroll_invalid_month'
  | 'benefit.payroll_not_city'
  | 'benefit.payroll_parameter_missing'
  | 'benefit.payroll_run_not_found'
  | 'benefit.payroll_not_computed'
  | 'benefit.payroll_not_approved'
  | 'benefit.payroll_file_not_issued'
  | 'benefit.payroll_file_changed'
  | 'benefit.payroll_fixed_file_unfit'
  | 'benefit.payroll_return_invalid'
  | 'benefit.payroll_return_unknown_line'
  | 'benefit.payroll_return_conflict'
  | 'benefit.payroll_run_not_recomputable';

const runStatus = oneOfReader<PayrollRunStatus>([
  'computing',
  'computed',
  'approved',
  'file_issued',
  'reconciled',
]);
/**
 * The states of a run whose payable is posted (approved, or later): its lines are what the month
 * paid. A run computing or computed is a draft.
 */
export const POSTED_RUN_STATUSES: readonly PayrollRunStatus[] = [
  'approved',
  'file_issued',
  'reconciled',
];

const lineStatus = oneOfReader<PayrollLineStatus>(['issued', 'paid', 'failed']);

export type RunRow = {
  regionCode: string;
  id: string;
  month: string;
  status: PayrollRunStatus;
  checkpointEntitlementId: string | null;
  lineCount: number;
  totalFen: number;
  anomalies: PayrollAnomaly[];
  totalsSha256: string | null;
  approvalId: string | null;
  payableTransactionId: string | null;
  fileSha256: string | null;
  approvedBy: string | null;
  approvedOn: string | null;
};

/** Written by payroll-run.ts only; read back checked, not cast. */
function isAnomaly(x: unknown): x is PayrollAnomaly {
  if (typeof x !== 'object' || x === null) return false;
  const o: Record<string, unknown> = { ...x };
  return (
    typeof o['code'] === 'string' &&
    typeof o['workerId'] === 'string' &&
    typeof o['detail'] === 'string' &&
    Array.isArray(o['lineIds'])
  );
}

function runOf(r: Row): RunRow {
  const anomalies = jsonOf(r, 'anomalies');
  return {
    regionCode: textOf(r, 'region_code'),
    id: textOf(r, 'id'),
    month: textOf(r, 'month'),
    status: runStatus(r, 'status'),
    checkpointEntitlementId: textOrNullOf(r, 'checkpoint_entitlement_id'),
    lineCount: intOf(r, 'line_count'),
    totalFen: intOf(r, 'total_fen'),
    anomalies: Array.isArray(anomalies) ? anomalies.filter(isAnomaly) : [],
    totalsSha256: textOrNullOf(r, 'totals_sha256'),
    approvalId: textOrNullOf(r, 'approval_id'),
    payableTransactionId: textOrNullOf(r, 'payable_transaction_id'),
    fileSha256: textOrNullOf(r, 'file_sha256'),
    approvedBy: textOrNullOf(r, 'approved_by'),
    approvedOn: textOrNullOf(r, 'approved_on'),
  };
}

export async function runRow(
  ex: Executor,
  regionCode: string,
  runId: string,
  lock: boolean,
): Promise<RunRow | null> {
  const r = await ex.query(
    `SELECT region_code::text, id, month::text, status, checkpoint_entitlement_id, line_count,
       total_fen, anomalies, totals_sha256, approval_id, payable_transaction_id, file_sha256,
       approved_by, approved_on::text
     FROM payroll_runs WHERE region_code = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [regionCode, runId],
  );
  const row = r.rows[0];
  return row === undefined ? null : runOf(row);
}

export type LineRow = {
  id: string;
  entitlementId: string;
  workerId: string;
  kind: string;
  expenseAccount: string;
  amountFen: number;
  bankName: string | null;
  accountNumber: string | null;
  accountName: string | null;
  accountValidFrom: string | null;
  status: PayrollLineStatus;
  bankReference: string | null;
  paidOn: string | null;
  failureReason: string | null;
  paidTransactionId: string | null;
  /** The failed line this one pays again (null: the month's own line). */
  reissueOf: string | null;
  /** Withheld for a recovery by offset (migration 0045): the month's amount is amountFen + this. */
  offsetFen: number;
  recoveryId: string | null;
};

export function lineOf(r: Row): LineRow {
  return {
    id: textOf(r, 'id'),
    entitlementId: textOf(r, 'entitlement_id'),
    workerId: textOf(r, 'worker_id'),
    kind: textOf(r, 'kind'),
    expenseAccount: textOf(r, 'expense_account'),
    amountFen: intOf(r, 'amount_fen'),
    bankName: textOrNullOf(r, 'bank_name'),
    accountNumber: textOrNullOf(r, 'account_number'),
    accountName: textOrNullOf(r, 'account_name'),
    accountValidFrom: textOrNullOf(r, 'account_valid_from'),
    status: lineStatus(r, 'status'),
    bankReference: textOrNullOf(r, 'bank_reference'),
    paidOn: textOrNullOf(r, 'paid_on'),
    failureReason: textOrNullOf(r, 'failure_reason'),
    paidTransactionId: textOrNullOf(r, 'paid_transaction_id'),
    reissueOf: textOrNullOf(r, 'reissue_of'),
    offsetFen: intOf(r, 'offset_fen'),
    recoveryId: textOrNullOf(r, 'recovery_id'),
  };
}

export const LINE_COLUMNS = `id, entitlement_id, worker_id, kind, expense_account, amount_fen, bank_name,
  account_number, account_name, account_valid_from::text, status, bank_reference, paid_on::text,
  failure_reason, paid_transaction_id, reissue_of, offset_fen, recovery_id`;

/** One page of a run's lines in id order after `afterId` (keyset: memory bounded by `limit`). */
export async function linePage(
  ex: Executor,
  input: {
    regionCode: string;
    runId: string;
    afterId: string;
    limit: number;
    withAccount?: boolean;
  },
): Promise<LineRow[]> {
  const r = await ex.query(
    `SELECT ${LINE_COLUMNS} FROM payroll_lines
     WHERE region_code = $1 AND run_id = $2 AND id > $3
       ${input.withAccount === true ? 'AND account_number IS NOT NULL' : ''}
     ORDER BY id LIMIT $4`,
    [input.regionCode, input.runId, input.afterId, input.limit],
  );
  return r.rows.map(lineOf);
}

/** The named lines of a run (null entries: not a line of this run), locked when asked. */
export async function linesById(
  ex: Executor,
  input: { regionCode: string; runId: string; ids: readonly string[]; lock: boolean },
): Promise<Map<string, LineRow>> {
  const r = await ex.query(
    `SELECT ${LINE_COLUMNS} FROM payroll_lines
     WHERE region_code = $1 AND run_id = $2 AND id = ANY($3::text[])
     ORDER BY id${input.lock ? ' FOR UPDATE' : ''}`,
    [input.regionCode, input.runId, [...input.ids]],
  );
  return new Map(r.rows.map((row) => [textOf(row, 'id'), lineOf(row)]));
}

/**
 * Serialises a run's creation with a change that must know every run of the city (a decision
 * paying the months already run): under this lock a run is either seen by the change (posted or
 * pending) or created after it, when its computation reads the change's entitlements.
 */
export async function lockCityRuns(ex: Executor, regionCode: string): Promise<void> {
  await ex.query("SELECT pg_advisory_xact_lock(hashtext('payroll-runs:' || $1))", [regionCode]);
}
