import type { Database } from '../../../db/client.ts';
import { adjustmentSegmentCode } from '../../../domain/fund/ledger/accounts.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import {
  type AccountBalance,
  accountBalances,
  type JournalEntry,
  type JournalPage,
  listTransactions,
  queryJournalEntries,
  type TrialBalance,
  trialBalance,
} from '../ledger/ledger-read.ts';

/**
 * The ledger explorer behind the fund pages, scoped to one region: which segments a region may
 * read, one transaction with its postings, the periods of a segment, and scoped wrappers of the
 * ledger engineer's reads (journal, trial balance, balances). A region reads its own segment; the
 * province also its adjustment fund and, for the trial balance and balances, 'all' of its segments.
 */
export type ExplorerRefusalCode =
  | 'fund.segment_not_in_region'
  | 'fund.transaction_not_found'
  | 'ledger.unknown_segment'
  | 'ledger.invalid_request';

export function isProvinceCode(regionCode: string): boolean {
  return /^\d{2}0000$/.test(regionCode);
}

/** The segment a region asks for: its own by default; the province may name its adjustment fund or 'all'. */
export function segmentOfRegion(
  regionCode: string,
  requested: string | undefined,
  allowAll: boolean,
): Result<string, ExplorerRefusalCode> {
  if (requested === undefined || requested === regionCode) return ok(regionCode);
  if (isProvinceCode(regionCode)) {
    if (requested === adjustmentSegmentCode(regionCode)) return ok(requested);
    if (allowAll && requested === 'all') return ok('all');
  }
  return refuse(
    'fund.segment_not_in_region',
    `segment ${requested} is not a segment of region ${regionCode}${isProvinceCode(regionCode) ? ` (use ${regionCode}, ${adjustmentSegmentCode(regionCode)}${allowAll ? " or 'all'" : ''})` : ''}`,
    { regionCode, segment: requested },
  );
}

export async function scopedJournal(
  db: Database,
  input: {
    regionCode: string;
    segment?: string | undefined;
    limit: number;
    beforeSeq?: number | undefined;
  },
): Promise<Result<JournalPage & { segment: string }, ExplorerRefusalCode>> {
  const seg = segmentOfRegion(input.regionCode, input.segment, false);
  if (!seg.ok) return seg;
  const page = await listTransactions(db, {
    segment: seg.value,
    limit: input.limit,
    beforeSeq: input.beforeSeq,
  });
  return ok({ segment: seg.value, ...page });
}

function inProvince(segment: string, province: string): boolean {
  return segment.slice(0, 2) === province.slice(0, 2);
}

export async function scopedTrialBalance(
  db: Database,
  input: { regionCode: string; segment?: string | undefined; asOf: IsoDate },
): Promise<Result<TrialBalance, ExplorerRefusalCode>> {
  const seg = segmentOfRegion(input.regionCode, input.segment, true);
  if (!seg.ok) return seg;
  const tb = await trialBalance(db, { segment: seg.value, asOf: input.asOf });
  if (!tb.ok)
    return tb.code === 'ledger.unknown_segment' || tb.code === 'ledger.invalid_request'
      ? refuse(tb.code, tb.message, tb.details)
      : refuse('ledger.invalid_request', tb.message, tb.details);
  if (seg.value !== 'all') return tb;
  // 'all' of the ledger → the province's own segments only.
  const rows = tb.value.rows.filter((r) => inProvince(r.segment, input.regionCode));
  let debitFen = 0;
  let creditFen = 0;
  for (const r of rows) {
    debitFen += r.debitFen;
    creditFen += r.creditFen;
  }
  return ok({
    ...tb.value,
    rows,
    totals: { debitFen, creditFen, balanced: debitFen === creditFen },
  });
}

export async function scopedBalances(
  db: Database,
  input: { regionCode: string; segment?: string | undefined },
): Promise<Result<{ segment: string; balances: AccountBalance[] }, ExplorerRefusalCode>> {
  const seg = segmentOfRegion(input.regionCode, input.segment, true);
  if (!seg.ok) return seg;
  const all = await accountBalances(db, { segment: seg.value });
  const balances =
    seg.value === 'all' ? all.filter((b) => inProvince(b.segment, input.regionCode)) : all;
  if (balances.length === 0)
    return refuse('ledger.unknown_segment', `segment ${seg.value} is not provisioned`, {
      segment: seg.value,
    });
  return ok({ segment: seg.value, balances });
}

/** One transaction with its postings, if it touches a segment of the region (else not found). */
export async function transactionInRegion(
  db: Database,
  input: { regionCode: string; id: string },
): Promise<Result<JournalEntry, ExplorerRefusalCode>> {
  return db.withConnection(async (ex) => {
    const [entry] = await queryJournalEntries(
      ex,
      `WHERE t.id = $1
          AND EXISTS (SELECT 1 FROM ledger_postings p JOIN ledger_segments s ON s.id = p.segment_id
                       WHERE p.tx_seq = t.seq
                         AND (s.code = $2 OR ($2 ~ '^[0-9]{2}0000$' AND s.province = $2)))`,
      [input.id, input.regionCode],
    );
    if (!entry)
      return refuse(
        'fund.transaction_not_found',
        `transaction ${input.id} not found in region ${input.regionCode}`,
        { id: input.id },
      );
    return ok(entry);
  });
}

export type PeriodView = {
  segment: string;
  period: string;
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closedBy: string | null;
  closeApprovalId: string | null;
  closeChecker: string | null;
};

/** The accounting periods of a segment of the region (optionally one year), oldest first. */
export async function listPeriods(
  db: Database,
  input: { regionCode: string; segment?: string | undefined; year?: number | undefined },
): Promise<Result<{ segment: string; periods: PeriodView[] }, ExplorerRefusalCode>> {
  const seg = segmentOfRegion(input.regionCode, input.segment, false);
  if (!seg.ok) return seg;
  const r = await db.query<{
    period: string;
    status: 'open' | 'closed';
    opened_at: Date | string;
    opened_by: string;
    closed_at: Date | string | null;
    closed_by: string | null;
    close_approval_id: string | null;
    close_checker: string | null;
  }>(
    `SELECT to_char(pr.month, 'YYYY-MM') AS period, pr.status, pr.opened_at, pr.opened_by, pr.closed_at,
            pr.closed_by, pr.close_approval_id, pr.close_checker
       FROM ledger_periods pr JOIN ledger_segments s ON s.id = pr.segment_id
      WHERE s.code = $1 AND ($2::int IS NULL OR extract(year FROM pr.month) = $2)
      ORDER BY pr.month`,
    [seg.value, input.year ?? null],
  );
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return ok({
    segment: seg.value,
    periods: r.rows.map((p) => ({
      segment: seg.value,
      period: p.period,
      status: p.status,
      openedAt: iso(p.opened_at)!,
      openedBy: p.opened_by,
      closedAt: iso(p.closed_at),
      closedBy: p.closed_by,
      closeApprovalId: p.close_approval_id,
      closeChecker: p.close_checker,
    })),
  });
}
