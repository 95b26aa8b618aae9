import type { Database, Executor } from '../../db/client.ts';
import { intOf, rowsOf, textOf } from '../../db/rows.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { checkCity } from './excess-movement.ts';

/**
 * A refund file's state from the bank's answers (docs/contributions.md, "The bank's return file"):
 * each refund it carried is paid (a confirmation), failed (a failure, by the return file or by
 * hand) or outstanding (no answer yet). The file is `sent` while no refund is answered,
 * `outstanding` while some are, `confirmed` when every refund was paid and `failed` when every
 * refund is answered and at least one failed.
 */
export type RefundFileStatus = {
  fileId: string;
  day: string;
  issuedAt: string;
  status: 'sent' | 'outstanding' | 'confirmed' | 'failed';
  refundCount: number;
  totalFen: number;
  paidCount: number;
  paidFen: number;
  failedCount: number;
  failedFen: number;
  outstandingCount: number;
  outstandingFen: number;
};

function statusOf(f: Omit<RefundFileStatus, 'status'>): RefundFileStatus['status'] {
  if (f.outstandingCount === f.refundCount) return 'sent';
  if (f.outstandingCount > 0) return 'outstanding';
  return f.failedCount === 0 ? 'confirmed' : 'failed';
}

/** The city's refund files, newest day first (at most 200), or the one file asked for. */
export async function refundFileStatuses(
  ex: Executor,
  city: string,
  fileId?: string,
): Promise<RefundFileStatus[]> {
  const r = await ex.query(
    `SELECT f.id, to_char(f.file_on, 'YYYY-MM-DD') AS day, f.issued_at::text AS issued_at,
            f.refund_count, f.total_fen,
            count(c.refund_id)::int4 AS paid_count, coalesce(sum(r.amount_fen) FILTER (WHERE c.refund_id IS NOT NULL), 0)::int8 AS paid_fen,
            count(x.refund_id)::int4 AS failed_count, coalesce(sum(r.amount_fen) FILTER (WHERE x.refund_id IS NOT NULL), 0)::int8 AS failed_fen
       FROM contribution_refund_files f
       JOIN contribution_refund_file_items i ON i.region_code = f.region_code AND i.file_id = f.id
       JOIN contribution_refunds r ON r.region_code = i.region_code AND r.id = i.refund_id
       LEFT JOIN contribution_refund_confirmations c ON c.region_code = i.region_code AND c.refund_id = i.refund_id
       LEFT JOIN contribution_refund_failures x ON x.region_code = i.region_code AND x.refund_id = i.refund_id
      WHERE f.region_code = $1 AND ($2::text IS NULL OR f.id = $2)
      GROUP BY f.id, f.file_on, f.issued_at, f.refund_count, f.total_fen
      ORDER BY f.file_on DESC, f.id LIMIT 200`,
    [city, fileId ?? null],
  );
  return rowsOf(r, (row) => {
    const refundCount = intOf(row, 'refund_count');
    const totalFen = intOf(row, 'total_fen');
    const paidCount = intOf(row, 'paid_count');
    const paidFen = intOf(row, 'paid_fen');
    const failedCount = intOf(row, 'failed_count');
    const failedFen = intOf(row, 'failed_fen');
    const base = {
      fileId: textOf(row, 'id'),
      day: textOf(row, 'day'),
      issuedAt: textOf(row, 'issued_at'),
      refundCount,
      totalFen,
      paidCount,
      paidFen,
      failedCount,
      failedFen,
      outstandingCount: refundCount - paidCount - failedCount,
      outstandingFen: totalFen - paidFen - failedFen,
    };
    return { ...base, status: statusOf(base) };
  });
}

/** The refund files of a city with their state (the page's refunds card, the CLI). */
export async function listRefundFiles(
  db: Database,
  input: { city: string },
): Promise<Result<{ city: string; files: RefundFileStatus[] }, 'refund.not_in_city'>> {
  const inCity = checkCity(input.city);
  if (!inCity.ok) return inCity;
  const files = await db.withConnection((ex) => refundFileStatuses(ex, input.city));
  return ok({ city: input.city, files });
}
