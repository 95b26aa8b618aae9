import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../../db/client.ts';
import { ownedJsonOf, type Row, withColumns } from '../../../db/rows.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { defaultReportsDir } from './year-end-adjustment-report.ts';

export type ReportFormat = 'xlsx' | 'pdf';

export const reportContentTypes: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export type ReportDownload = { name: string; format: ReportFormat; data: Buffer };

/**
 * The stored per-city report of a year-end run, read back for download. The file name
 * comes from the run's own record (never from the request), and the bytes must still match the
 * sha256 recorded when the run wrote them: a changed file is refused, not served.
 */
export async function readYearEndReport(
  db: Database,
  input: { province: string; year: number; format: ReportFormat; reportsDir?: string },
): Promise<Result<ReportDownload, 'fund.report_not_found' | 'fund.report_altered'>> {
  const raw = await db.query(
    'SELECT report_files FROM pooling_year_end_runs WHERE province = $1 AND year = $2',
    [input.province, input.year],
  );
  const r = withColumns(raw, {
    report_files: (row: Row, n: string) =>
      ownedJsonOf<{ name: string; sha256: string }[] | null>(row, n),
  });
  const file = r.rows[0]?.report_files?.find((f) => f.name.endsWith(`.${input.format}`));
  if (!file)
    return refuse(
      'fund.report_not_found',
      `no ${input.format} report of the ${input.year} year-end run of ${input.province}; run the year-end run first`,
      { province: input.province, year: input.year },
    );
  const dir = input.reportsDir ?? defaultReportsDir(input.province, input.year);
  let data: Buffer;
  try {
    data = await readFile(join(dir, file.name));
  } catch {
    return refuse(
      'fund.report_not_found',
      `the report file ${file.name} is missing on the server; rerun the year-end run to write it again`,
      { name: file.name },
    );
  }
  if (createHash('sha256').update(data).digest('hex') !== file.sha256)
    return refuse(
      'fund.report_altered',
      `the report file ${file.name} differs from what the run wrote (sha256); it is not served`,
      { name: file.name },
    );
  return ok({ name: file.name, format: input.format, data });
}
