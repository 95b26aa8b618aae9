import type { IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { accountCode, DUE_FROM, DUE_TO, provinceOfSegment } from '../ledger/accounts.ts';
import type { PostingRequest, TransactionRequest } from '../ledger/ledger.ts';
import { periodEnd } from '../ledger/periods.ts';

/**
 * The ledger transactions of the unified mode (统收统支), pure. Every flow between a city and the
 * province goes through the due-to / due-from accounts (2151:<segment> / 1151:<segment>); each
 * transaction is balanced per segment. Ids are derived from the business key only, so a repeat
 * submits the same ids with the same requests and the ledger records nothing new.
 *
 * - **sweep** (归集) of a city's contribution income of a month, `unified:sweep:<city>:<YYYY-MM>`
 *   (recognition) and `…:transfer` (the bank transfer), effective the last day of the month:
 *   city Dr 5302 上解上级支出 / Cr 2151:<province>; province Dr 1151:<city> / Cr 4105 下级上解收入;
 *   transfer: city Dr 2151:<province> / Cr 1001; province Dr 1001 / Cr 1151:<city>.
 *   The city's 4101 工伤保险费收入 stays in the city's segment (visible for indicators); the fund
 *   balance moves to the province.
 * - **allocation** (拨付) to a city for its benefit payments, `unified:allocation:<allocationId>` and
 *   `…:transfer`: province Dr 5301 补助下级支出 / Cr 2151:<city>; city Dr 1151:<province> / Cr 4104
 *   上级补助收入; transfer: province Dr 2151:<city> / Cr 1001; city Dr 1001 / Cr 1151:<province>.
 * - **year-end gap sharing**, `pooling:<province>:<year>:<city>:<kind>`, effective 31 Dec, due legs
 *   only (cash follows by bank transfer, as in the adjustment-fund run):
 *   - `city_share` — the city government's share: city Dr 1132 应收款 (receivable from the city
 *     government) / Cr 4102 财政补贴收入;
 *   - `true_up` (年终清算) — closes the city's year at zero, so the province bears exactly its share:
 *     amount > 0 like an allocation (province 5301 / 2151:<city>; city 1151:<province> / 4104),
 *     amount < 0 like a sweep (city 5302 / 2151:<province>; province 1151:<city> / 4105).
 * Zero amounts post nothing.
 */
export const SWEEP_SOURCE_TYPE = 'unified_sweep';
export const ALLOCATION_SOURCE_TYPE = 'unified_allocation';
export const GAP_SHARING_SOURCE_TYPE = 'pooling_year_end';

/** Allocation ids: 1–100 characters of letters, digits and . _ : - */
export const ALLOCATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function sweepTransactionId(city: string, period: string): string {
  return `unified:sweep:${city}:${period}`;
}

export function allocationTransactionId(allocationId: string): string {
  return `unified:allocation:${allocationId}`;
}

export function transferTransactionId(recognitionId: string): string {
  return `${recognitionId}:transfer`;
}

export type GapSharingKind = 'city_share' | 'true_up';

export function gapSharingTransactionId(
  province: string,
  year: number,
  city: string,
  kind: GapSharingKind,
): string {
  return `pooling:${province}:${year}:${city}:${kind}`;
}

function leg(
  segment: string,
  account: string,
  side: 'debit' | 'credit',
  amountFen: Fen,
): PostingRequest {
  return { segment, account, side, amountFen };
}

/** City → province: recognition legs (expense 5302 at the city, income 4105 at the province). */
function upLegs(city: string, amountFen: Fen): PostingRequest[] {
  const province = provinceOfSegment(city);
  return [
    leg(city, '5302', 'debit', amountFen),
    leg(city, accountCode(DUE_TO, province), 'credit', amountFen),
    leg(province, accountCode(DUE_FROM, city), 'debit', amountFen),
    leg(province, '4105', 'credit', amountFen),
  ];
}

/** Province → city: recognition legs (expense 5301 at the province, income 4104 at the city). */
function downLegs(city: string, amountFen: Fen): PostingRequest[] {
  const province = provinceOfSegment(city);
  return [
    leg(province, '5301', 'debit', amountFen),
    leg(province, accountCode(DUE_TO, city), 'credit', amountFen),
    leg(city, accountCode(DUE_FROM, province), 'debit', amountFen),
    leg(city, '4104', 'credit', amountFen),
  ];
}

/** The bank transfer settling the due accounts, money moving from `from` to `to`. */
function transferLegs(from: string, to: string, amountFen: Fen): PostingRequest[] {
  return [
    leg(from, accountCode(DUE_TO, to), 'debit', amountFen),
    leg(from, '1001', 'credit', amountFen),
    leg(to, '1001', 'debit', amountFen),
    leg(to, accountCode(DUE_FROM, from), 'credit', amountFen),
  ];
}

/** The two transactions of a month's sweep (amount > 0). */
export function sweepTransactions(input: {
  city: string;
  period: string;
  amountFen: Fen;
}): TransactionRequest[] {
  const { city, period, amountFen } = input;
  const province = provinceOfSegment(city);
  const id = sweepTransactionId(city, period);
  const base = {
    effectiveDate: periodEnd(period),
    source: { type: SWEEP_SOURCE_TYPE, id: `${city}:${period}` },
  };
  return [
    {
      ...base,
      id,
      memo: `${period} 工伤保险费收入归集 ${city} → ${province}`,
      postings: upLegs(city, amountFen),
    },
    {
      ...base,
      id: transferTransactionId(id),
      memo: `${period} 归集资金划转 ${city} → ${province}`,
      postings: transferLegs(city, province, amountFen),
    },
  ];
}

/** The two transactions of an allocation (amount > 0). */
export function allocationTransactions(input: {
  allocationId: string;
  city: string;
  effectiveDate: IsoDate;
  amountFen: Fen;
  memo?: string | undefined;
}): TransactionRequest[] {
  const { city, amountFen } = input;
  const province = provinceOfSegment(city);
  const id = allocationTransactionId(input.allocationId);
  const base = {
    effectiveDate: input.effectiveDate,
    source: { type: ALLOCATION_SOURCE_TYPE, id: input.allocationId },
  };
  const memo = input.memo ?? `基金拨付 ${province} → ${city}`;
  return [
    { ...base, id, memo, postings: downLegs(city, amountFen) },
    {
      ...base,
      id: transferTransactionId(id),
      memo: `${memo}（资金划转）`,
      postings: transferLegs(province, city, amountFen),
    },
  ];
}

export type GapSharingPosting = {
  code: string;
  cityGovernmentShareFen: Fen;
  /** > 0: the province pays the city; < 0: the city remits to the province. */
  trueUpFen: Fen;
};

/** The year-end transactions of a unified gap sharing, cities in code order. */
export function gapSharingTransactions(input: {
  province: string;
  year: number;
  cities: readonly GapSharingPosting[];
  parameterSnapshotId: string;
}): TransactionRequest[] {
  const { province, year } = input;
  const base = {
    effectiveDate: `${year}-12-31`,
    source: { type: GAP_SHARING_SOURCE_TYPE, id: `${province}:${year}` },
    parameterSnapshotId: input.parameterSnapshotId,
  };
  const out: TransactionRequest[] = [];
  for (const c of [...input.cities].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const id = (kind: GapSharingKind) => gapSharingTransactionId(province, year, c.code, kind);
    if (c.cityGovernmentShareFen > 0)
      out.push({
        ...base,
        id: id('city_share'),
        memo: `${year} 年度统收统支缺口 市级政府分担（应收市级财政）${c.code}`,
        postings: [
          leg(c.code, '1132', 'debit', c.cityGovernmentShareFen),
          leg(c.code, '4102', 'credit', c.cityGovernmentShareFen),
        ],
      });
    if (c.trueUpFen > 0)
      out.push({
        ...base,
        id: id('true_up'),
        memo: `${year} 年度统收统支年终清算 省级补助 ${c.code}`,
        postings: downLegs(c.code, c.trueUpFen),
      });
    else if (c.trueUpFen < 0)
      out.push({
        ...base,
        id: id('true_up'),
        memo: `${year} 年度统收统支年终清算 市级上解 ${c.code}`,
        postings: upLegs(c.code, -c.trueUpFen),
      });
  }
  return out;
}

/**
 * The year-end true-up of a city: what makes the city's year close at zero after the city
 * government's share, so the province bears exactly its share of the gap (and takes a surplus).
 * city year result = ownIncome − ownExpenditure + transfersNet (4104 + 4105 − 5301 − 5302: sweeps
 * and allocations) + cityGovernmentShare + trueUp = 0.
 */
export function unifiedTrueUpFen(input: {
  actualIncomeFen: Fen;
  actualExpenditureFen: Fen;
  transfersNetFen: Fen;
  cityGovernmentShareFen: Fen;
}): Fen {
  return -(
    input.actualIncomeFen -
    input.actualExpenditureFen +
    input.transfersNetFen +
    input.cityGovernmentShareFen
  );
}
