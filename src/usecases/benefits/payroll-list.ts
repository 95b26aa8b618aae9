import type { Database } from '../../db/client.ts';
import { dateOf, intOf, oneOf, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { PayrollRunStatus } from '../../db/schema.ts';

/**
 * The city's payroll runs as the run list shows them (read-only): newest month first, one year's
 * months when asked. The run view (payroll-read.ts) gives a run's totals and reconciliation.
 */
export type PayrollRunSummary = {
  runId: string;
  month: string;
  status: PayrollRunStatus;
  lineCount: number;
  totalFen: number;
  startedBy: string;
  /** The users' log-in names, for people to read (null: no such user, or not approved). */
  startedByUsername: string | null;
  startedAt: string;
  approvedBy: string | null;
  approvedByUsername: string | null;
  approvedOn: string | null;
  fileSha256: string | null;
};

const statuses: readonly PayrollRunStatus[] = [
  'computing',
  'computed',
  'approved',
  'file_issued',
  'reconciled',
];

function summaryOf(r: Row): PayrollRunSummary {
  return {
    runId: textOf(r, 'id'),
    month: textOf(r, 'month'),
    status: oneOf(r, 'status', statuses),
    lineCount: intOf(r, 'line_count'),
    totalFen: intOf(r, 'total_fen'),
    startedBy: textOf(r, 'started_by'),
    startedByUsername: textOrNullOf(r, 'started_by_username'),
    startedAt: dateOf(r, 'started_at').toISOString(),
    approvedBy: textOrNullOf(r, 'approved_by'),
    approvedByUsername: textOrNullOf(r, 'approved_by_username'),
    approvedOn: textOrNullOf(r, 'approved_on'),
    fileSha256: textOrNullOf(r, 'file_sha256'),
  };
}

export async function listPayrollRuns(
  db: Database,
  input: { regionCode: string; year?: number | undefined },
): Promise<PayrollRunSummary[]> {
  return db.withConnection(async (ex) => {
    // `month` is char(7) 'YYYY-MM': a year's months share the prefix. payroll-run.ts writes the
    // maker's username into started_by, payroll-approve.ts the checker's user id into approved_by.
    const r = await ex.query(
      `SELECT r.id, r.month::text, r.status, r.line_count, r.total_fen, r.started_by,
         s.username AS started_by_username, r.started_at, r.approved_by,
         a.username AS approved_by_username, r.approved_on::text, r.file_sha256
       FROM payroll_runs r
       LEFT JOIN users s ON s.username = r.started_by
       LEFT JOIN users a ON a.id = r.approved_by
       WHERE r.region_code = $1 AND ($2::text IS NULL OR r.month LIKE $2::text || '-%')
       ORDER BY r.month DESC`,
      [input.regionCode, input.year === undefined ? null : String(input.year)],
    );
    return r.rows.map(summaryOf);
  });
}
