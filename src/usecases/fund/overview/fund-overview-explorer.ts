import { and, between, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { ledgerPeriods, ledgerSegments } from '../../../db/schema.ts';
import { adjustmentSegmentCode } from '../../../domain/fund/ledger/accounts.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import { isProvinceCode, provinceOf } from '../../../kernel/region-codes.ts';
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
  return provinceOf(segment) === provinceOf(province);
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
  // A province reads every segment of its own; a city only its segment.
  const segmentMatch = isProvinceCode(input.regionCode)
    ? '(s.code = $2 OR s.province = $2)'
    : 's.code = $2';
  return db.withConnection(async (ex) => {
    const [entry] = await queryJournalEntries(
      ex,
      `WHERE t.id = $1
          AND EXISTS (SELECT 1 FROM ledger_postings p JOIN ledger_segments s ON s.id = p.segment_id
                       WHERE p.tx_seq = t.seq AND ${segmentMatch})`,
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
  const pr = ledgerPeriods;
  const rows = await db.withConnection((ex) =>
    ex.orm
      .select({
        month: pr.month,
        status: pr.status,
        openedAt: pr.openedAt,
        openedBy: pr.openedBy,
        closedAt: pr.closedAt,
        closedBy: pr.closedBy,
        closeApprovalId: pr.closeApprovalId,
        closeChecker: pr.closeChecker,
      })
      .from(pr)
      .innerJoin(ledgerSegments, eq(ledgerSegments.id, pr.segmentId))
      .where(
        and(
          eq(ledgerSegments.code, seg.value),
          input.year === undefined
            ? undefined
            : between(pr.month, `${input.year}-01-01`, `${input.year}-12-31`),
        ),
      )
      .orderBy(pr.month),
  );
  return ok({
    segment: seg.value,
    periods: rows.map(({ month, ...p }) => ({
      segment: seg.value,
      period: month.slice(0, 7),
      status: p.status,
      openedAt: p.openedAt.toISOString(),
      openedBy: p.openedBy,
      closedAt: p.closedAt ? p.closedAt.toISOString() : null,
      closedBy: p.closedBy,
      closeApprovalId: p.closeApprovalId,
      closeChecker: p.closeChecker,
    })),
  });
}
