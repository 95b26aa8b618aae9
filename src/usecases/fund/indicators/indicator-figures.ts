import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { intOf, oneOf, rowsOf, textOf, textOrNullOf } from '../../../db/rows.ts';
import { ledgerSegments } from '../../../db/schema.ts';
import {
  countsInDenominator,
  type Denominator,
  TRANSFER_EXPENSE_CODES,
  TRANSFER_INCOME_CODES,
  windowStart,
} from '../../../domain/fund/indicators/indicator.ts';
import type { SegmentKind } from '../../../domain/fund/ledger/accounts.ts';
import { daysInMonth, type IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { provinceOf } from '../../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';

/**
 * Fund figures read from the ledger for the overview, the indicators and budget execution: posted
 * transactions (and pending ones resolved as posted) by effective date, aggregated per segment,
 * chart code and month in one query. Fund balance = 3001 基金结余 + Σ income − Σ expense (the
 * 储备金 3101 is shown apart), the same definition the year-end run uses.
 */
export type FundScope = {
  regionCode: string;
  kind: 'city' | 'province';
  province: string;
  /** Segments whose figures are read: the city's own, or every segment of the province. */
  segments: { code: string; kind: SegmentKind; name: string; nameEn: string }[];
};

export type FundRefusalCode = 'fund.segment_not_found' | 'fund.province_only';

/** Resolves a region code to its ledger segment(s); refuses a region whose ledger is not provisioned. */
export async function fundScope(
  db: Database,
  regionCode: string,
): Promise<Result<FundScope, FundRefusalCode>> {
  const province = provinceOf(regionCode);
  const s = ledgerSegments;
  const segments = await db.withConnection((ex) =>
    ex.orm
      .select({ code: s.code, kind: s.kind, name: s.name, nameEn: s.nameEn })
      .from(s)
      .where(
        and(eq(s.province, province), regionCode === province ? undefined : eq(s.code, regionCode)),
      )
      .orderBy(s.code),
  );
  const own = segments.find((s) => s.code === regionCode);
  if (!own)
    return refuse(
      'fund.segment_not_found',
      `the fund ledger of region ${regionCode} is not provisioned`,
      { regionCode },
    );
  return ok({
    regionCode,
    kind: own.kind === 'province' ? 'province' : 'city',
    province,
    segments,
  });
}

export type FlowRow = {
  segment: string;
  chartCode: string;
  type: 'income' | 'expense' | 'reserve';
  period: string;
  /** Σ debits − Σ credits in the month. */
  netDebitFen: Fen;
  /** The same, only for effective dates inside the 12-month window. */
  windowNetDebitFen: Fen;
};

const FLOW_TYPES = ['income', 'expense', 'reserve'] as const;

export async function readFlows(
  db: Database,
  input: { province: string; segments: readonly string[]; asOf: IsoDate },
): Promise<FlowRow[]> {
  // Hand SQL: one set-based aggregate (per segment, chart code and month, with a FILTERed window
  // sum) feeds the overview, the indicators and budget execution; rows go through a typed mapper.
  const r = await db.query(
    `SELECT s.code AS segment, a.chart_code, a.type,
            to_char(date_trunc('month', t.effective_date), 'YYYY-MM') AS period,
            sum(CASE WHEN p.side = 'D' THEN p.amount ELSE -p.amount END)::int8 AS net,
            coalesce(sum(CASE WHEN p.side = 'D' THEN p.amount ELSE -p.amount END)
                     FILTER (WHERE t.effective_date >= $4::date), 0)::int8 AS win
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.province = $1 AND s.code = ANY($2::text[]) AND t.effective_date <= $3::date
        AND (t.kind = 'posted' OR r.action = 'post')
        AND a.type IN ('income', 'expense', 'reserve')
      GROUP BY 1, 2, 3, 4`,
    [input.province, [...input.segments], input.asOf, windowStart(input.asOf)],
  );
  return rowsOf(r, (x) => ({
    segment: textOf(x, 'segment'),
    chartCode: textOf(x, 'chart_code').trim(),
    type: oneOf(x, 'type', FLOW_TYPES),
    period: textOf(x, 'period'),
    netDebitFen: intOf(x, 'net'),
    windowNetDebitFen: intOf(x, 'win'),
  }));
}

export type MonthFlow = { period: string; incomeFen: Fen; expenditureFen: Fen };

export type SegmentFigures = {
  /** 3001 + Σ income − Σ expense at asOf. */
  balanceFen: Fen;
  /** 3101 储备金 at asOf. */
  reserveFen: Fen;
  incomeYtdFen: Fen;
  expenditureYtdFen: Fen;
  /** Denominator spending inside the 12-month window. */
  expenditure12Fen: Fen;
  /** January … the month of asOf. */
  months: MonthFlow[];
};

/**
 * Figures of a set of flow rows (one segment, or several summed). With `eliminateTransfers`,
 * income and expenditure leave out the flows between fund segments (4104/4105, 5301/5302), so a
 * province total counts each yuan once; the balance needs no elimination (transfers net to zero).
 */
export function figuresOf(
  rows: readonly FlowRow[],
  input: { asOf: IsoDate; denominator: Denominator; eliminateTransfers: boolean },
): SegmentFigures {
  const year = input.asOf.slice(0, 4);
  const lastMonth = Number(input.asOf.slice(5, 7));
  const months: MonthFlow[] = Array.from({ length: lastMonth }, (_, i) => ({
    period: `${year}-${String(i + 1).padStart(2, '0')}`,
    incomeFen: 0,
    expenditureFen: 0,
  }));
  let balanceFen = 0;
  let reserveFen = 0;
  let incomeYtdFen = 0;
  let expenditureYtdFen = 0;
  let expenditure12Fen = 0;
  for (const r of rows) {
    const inYear = r.period.slice(0, 4) === year;
    const month = inYear ? months[Number(r.period.slice(5, 7)) - 1] : undefined;
    if (r.type === 'reserve') {
      if (r.chartCode === '3001') balanceFen -= r.netDebitFen;
      else reserveFen -= r.netDebitFen;
      continue;
    }
    if (r.type === 'income') {
      balanceFen -= r.netDebitFen;
      if (input.eliminateTransfers && TRANSFER_INCOME_CODES.has(r.chartCode)) continue;
      if (inYear) incomeYtdFen -= r.netDebitFen;
      if (month) month.incomeFen -= r.netDebitFen;
      continue;
    }
    balanceFen -= r.netDebitFen;
    if (countsInDenominator(r.chartCode, input.denominator))
      expenditure12Fen += r.windowNetDebitFen;
    if (input.eliminateTransfers && TRANSFER_EXPENSE_CODES.has(r.chartCode)) continue;
    if (inYear) expenditureYtdFen += r.netDebitFen;
    if (month) month.expenditureFen += r.netDebitFen;
  }
  return { balanceFen, reserveFen, incomeYtdFen, expenditureYtdFen, expenditure12Fen, months };
}

function monthEnd(date: IsoDate): IsoDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return `${date.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/**
 * Default "as of" date of the fund pages: the end of the latest month with a posted transaction in
 * the province, but not after `today`; `today` when nothing is posted yet.
 */
export async function defaultAsOf(
  db: Database,
  province: string,
  today: IsoDate,
): Promise<IsoDate> {
  // Hand SQL: max() over an EXISTS on postings by province, one row, read with a mapper.
  const r = await db.query(
    `SELECT max(t.effective_date)::text AS d
       FROM ledger_transactions t
      WHERE t.effective_date <= $2::date
        AND EXISTS (SELECT 1 FROM ledger_postings p JOIN ledger_segments s ON s.id = p.segment_id
                     WHERE p.tx_seq = t.seq AND s.province = $1)`,
    [province, today],
  );
  const row = r.rows[0];
  const latest = row ? textOrNullOf(row, 'd') : null;
  if (latest === null) return today;
  const end = monthEnd(latest);
  return end <= today ? end : today;
}
