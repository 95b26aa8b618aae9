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
  startedAt: string;
  approvedBy: string | null;
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
    startedAt: dateOf(r, 'started_at').toISOString(),
    approvedBy: textOrNullOf(r, 'approved_by'),
    approvedOn: textOrNullOf(r, 'approved_on'),
    fileSha256: textOrNullOf(r, 'file_sha256'),
  };
}

export async function listPayrollRuns(
  db: Database,
  input: { regionCode: string; year?: number | undefined },
): Promise<PayrollRunSummary[]> {
  return db.withConnection(async (ex) => {
    // `month` is char(7) 'YYYY-MM': a year's months share the prefix.
    const r = await ex.query(
      `SELECT id, month::text, status, line_count, total_fen, started_by, started_at,
         approved_by, approved_on::text, file_sha256
       FROM payroll_runs
       WHERE region_code = $1 AND ($2::text IS NULL OR month LIKE $2::text || '-%')
       ORDER BY month DESC`,
      [input.regionCode, input.year === undefined ? null : String(input.year)],
    );
    return r.rows.map(summaryOf);
  });
}
