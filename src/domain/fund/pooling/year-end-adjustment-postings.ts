import type { IsoDate } from '../../../kernel/dates.ts';
import type { AdjustmentFundYearEnd } from '../../../rules/fund/pooling/pooling-settle.ts';
import { accountCode, adjustmentSegmentCode, DUE_FROM, DUE_TO } from '../ledger/accounts.ts';
import type { TransactionRequest } from '../ledger/ledger.ts';

/**
 * The ledger transactions of an adjustment-fund year-end run (pure). One transaction per city and
 * kind, each balanced per segment, cross-segment legs through due-to / due-from:
 *
 * - remittance (上解): city Dr 5302 上解上级支出 / Cr 2151:<ADJ>; adjustment fund Dr 1151:<city> /
 *   Cr 4105 下级上解收入.
 * - reserve (储备金): city Dr 3001 基金结余 / Cr 3101 储备金 (an appropriation kept at the city).
 * - coverage (调剂): adjustment fund Dr 5301 补助下级支出 / Cr 2151:<city>; city Dr 1151:<ADJ> /
 *   Cr 4104 上级补助收入.
 *
 * Ids are derived from (province, year, city, kind) only — `pooling:330000:2023:330100:remittance`
 * — so a rerun submits the same ids with the same requests and the ledger records nothing new.
 * Zero amounts produce no transaction (a posting must be > 0).
 */
export type YearEndKind = 'remittance' | 'reserve' | 'coverage';

export const YEAR_END_SOURCE_TYPE = 'pooling_year_end';

export function yearEndTransactionId(
  province: string,
  year: number,
  city: string,
  kind: YearEndKind,
): string {
  return `pooling:${province}:${year}:${city}:${kind}`;
}

export function yearEndTransactions(input: {
  province: string;
  yearEnd: AdjustmentFundYearEnd;
  effectiveDate: IsoDate;
  parameterSnapshotId: string;
}): TransactionRequest[] {
  const { province, yearEnd } = input;
  const adj = adjustmentSegmentCode(province);
  const base = {
    effectiveDate: input.effectiveDate,
    source: { type: YEAR_END_SOURCE_TYPE, id: `${province}:${yearEnd.year}` },
    parameterSnapshotId: input.parameterSnapshotId,
  };
  const out: TransactionRequest[] = [];
  const cities = [...yearEnd.cities].sort((a, b) => (a.code < b.code ? -1 : 1));
  for (const c of cities) {
    const id = (kind: YearEndKind) => yearEndTransactionId(province, yearEnd.year, c.code, kind);
    if (c.remittanceFen > 0)
      out.push({
        ...base,
        id: id('remittance'),
        memo: `${yearEnd.year} 年度调剂金上解 ${c.code}`,
        postings: [
          { segment: c.code, account: '5302', side: 'debit', amountFen: c.remittanceFen },
          {
            segment: c.code,
            account: accountCode(DUE_TO, adj),
            side: 'credit',
            amountFen: c.remittanceFen,
          },
          {
            segment: adj,
            account: accountCode(DUE_FROM, c.code),
            side: 'debit',
            amountFen: c.remittanceFen,
          },
          { segment: adj, account: '4105', side: 'credit', amountFen: c.remittanceFen },
        ],
      });
    if (c.reserveFen > 0)
      out.push({
        ...base,
        id: id('reserve'),
        memo: `${yearEnd.year} 年度储备金提留 ${c.code}`,
        postings: [
          { segment: c.code, account: '3001', side: 'debit', amountFen: c.reserveFen },
          { segment: c.code, account: '3101', side: 'credit', amountFen: c.reserveFen },
        ],
      });
    if (c.coverageFen > 0)
      out.push({
        ...base,
        id: id('coverage'),
        memo: `${yearEnd.year} 年度调剂金弥补缺口 ${c.code}`,
        postings: [
          { segment: adj, account: '5301', side: 'debit', amountFen: c.coverageFen },
          {
            segment: adj,
            account: accountCode(DUE_TO, c.code),
            side: 'credit',
            amountFen: c.coverageFen,
          },
          {
            segment: c.code,
            account: accountCode(DUE_FROM, adj),
            side: 'debit',
            amountFen: c.coverageFen,
          },
          { segment: c.code, account: '4104', side: 'credit', amountFen: c.coverageFen },
        ],
      });
  }
  return out;
}
