import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { isPeriod } from '../../domain/fund/ledger/periods.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { cityRequest } from './collections.ts';

/**
 * Reconciliation of a city-month (对账): assessed (latest versions), collected (applied by posted
 * collections, and offsets of 2103 against the month: migration 0046), outstanding, overpaid, and the unmatched queue of the month; checked against the
 * ledger: the month's assessment transactions moved 1131 (and 4101) by exactly the assessed total,
 * and the city's 1131 balance equals its book outstanding over all months, its collection
 * postings' 2103 the book overpayments.
 */
export type Reconciliation = {
  city: string;
  month: string;
  employerCount: number;
  assessedFen: number;
  collectedFen: number;
  outstandingFen: number;
  overpaidFen: number;
  unmatchedCount: number;
  unmatchedFen: number;
  ledger: {
    /** Net 1131 debit of the month's assessment transactions. */
    assessedFen: number;
    /** Net 4101 credit of the same transactions. */
    incomeFen: number;
    /** The city segment's 1131 balance (all months). */
    receivableFen: number;
    /**
     * Σ over all the city's months of assessed − collected (book), plus the city's project
     * receivables (按项目参保, posted at registration) less what records paid on them.
     */
    bookReceivableFen: number;
    /** 2103 credited by the city's collection postings, and the book's overpayments. */
    suspenseFen: number;
    bookSuspenseFen: number;
  };
  /** Every ledger figure equals its book figure. */
  balanced: boolean;
};

const BOOK = `
WITH latest AS (
  SELECT DISTINCT ON (employer_id, month) employer_id, month, amount_fen
    FROM contribution_assessments WHERE region_code = $1 ORDER BY employer_id, month, version DESC
), applied AS (
  SELECT employer_id, match_month AS month, sum(applied_fen) AS applied, sum(overpaid_fen) AS overpaid
    FROM collection_records WHERE region_code = $1 AND posting_id IS NOT NULL GROUP BY employer_id, match_month
), offsets AS (
  SELECT month, sum(amount_fen) AS offset_fen FROM contribution_offsets WHERE region_code = $1 GROUP BY month
)
SELECT
  (SELECT count(*) FROM latest WHERE month = $2::date)::int4 AS employer_count,
  (SELECT coalesce(sum(amount_fen), 0) FROM latest WHERE month = $2::date)::int8 AS assessed,
  ((SELECT coalesce(sum(applied), 0) FROM applied WHERE month = $2::date)
   + (SELECT coalesce(sum(offset_fen), 0) FROM offsets WHERE month = $2::date))::int8 AS collected,
  (SELECT coalesce(sum(overpaid), 0) FROM applied WHERE month = $2::date)::int8 AS overpaid,
  (SELECT count(*) FROM collection_records WHERE region_code = $1 AND month = $2::date AND status = 'unmatched')::int4
    AS unmatched_count,
  (SELECT coalesce(sum(amount_fen), 0) FROM collection_records
    WHERE region_code = $1 AND month = $2::date AND status = 'unmatched')::int8 AS unmatched,
  ((SELECT coalesce(sum(amount_fen), 0) FROM latest)
   + (SELECT coalesce(sum(amount_fen), 0) FROM project_receivables WHERE region_code = $1)
   - (SELECT coalesce(sum(applied), 0) FROM applied)
   - (SELECT coalesce(sum(offset_fen), 0) FROM offsets))::int8
    AS book_receivable,
  (SELECT coalesce(sum(overpaid), 0) FROM applied)::int8 AS book_suspense`;

/** Net debit of `chart` in the city segment, over the given transactions (null = all). */
const LEDGER = `
SELECT coalesce(sum(CASE WHEN p.side = 'D' THEN p.amount ELSE -p.amount END), 0)::int8 AS net
  FROM ledger_postings p
  JOIN ledger_transactions t ON t.seq = p.tx_seq
  JOIN ledger_accounts a ON a.id = p.account_id
  JOIN ledger_segments s ON s.id = p.segment_id
 WHERE s.code = $1 AND a.chart_code = $2 AND ($3::text[] IS NULL OR t.id = ANY($3::text[]))`;

export async function reconcile(
  db: Database,
  input: { city: string; month: string },
): Promise<Result<Reconciliation, 'contributions.invalid_request'>> {
  const valid = cityRequest(input.city);
  if (!valid.ok) return valid;
  if (!isPeriod(input.month))
    return refuse('contributions.invalid_request', `month ${input.month} is not YYYY-MM`, {
      field: 'month',
    });
  return db.withConnection(async (ex) => {
    const monthStart = `${input.month}-01`;
    const b = (await ex.query(BOOK, [input.city, monthStart])).rows[0];
    if (b === undefined) throw new Error('the reconciliation query returned no row');
    const runs = await ex.query(
      `SELECT transaction_id FROM contribution_assessment_runs
        WHERE region_code = $1 AND month = $2::date AND transaction_id IS NOT NULL`,
      [input.city, monthStart],
    );
    const runTx = runs.rows.map((r) => String(r['transaction_id']));
    const postings = await ex.query(
      'SELECT transaction_id FROM collection_postings WHERE region_code = $1',
      [input.city],
    );
    const postingTx = postings.rows.map((r) => String(r['transaction_id']));
    const net = async (chart: string, ids: string[] | null) => {
      const row = (await ex.query(LEDGER, [input.city, chart, ids])).rows[0];
      return row === undefined ? 0 : intOf(row, 'net');
    };
    const ledger = {
      assessedFen: await net('1131', runTx),
      incomeFen: -(await net('4101', runTx)),
      receivableFen: await net('1131', null),
      bookReceivableFen: intOf(b, 'book_receivable'),
      suspenseFen: -(await net('2103', postingTx)),
      bookSuspenseFen: intOf(b, 'book_suspense'),
    };
    const assessedFen = intOf(b, 'assessed');
    const collectedFen = intOf(b, 'collected');
    return ok({
      city: input.city,
      month: input.month,
      employerCount: intOf(b, 'employer_count'),
      assessedFen,
      collectedFen,
      outstandingFen: assessedFen - collectedFen,
      overpaidFen: intOf(b, 'overpaid'),
      unmatchedCount: intOf(b, 'unmatched_count'),
      unmatchedFen: intOf(b, 'unmatched'),
      ledger,
      balanced:
        ledger.assessedFen === assessedFen &&
        ledger.incomeFen === assessedFen &&
        ledger.receivableFen === ledger.bookReceivableFen &&
        ledger.suspenseFen === ledger.bookSuspenseFen,
    });
  });
}
