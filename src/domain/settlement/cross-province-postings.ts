import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import {
  accountCode,
  DUE_FROM,
  DUE_TO,
  provinceOfSegment,
  segmentKindOf,
} from '../fund/ledger/accounts.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { CLEARING_EXPENSE_ACCOUNT, type ClearingCategory } from './cross-province-clearing.ts';

/**
 * The ledger transactions of cross-province care (docs/settlement-cross-province.md), pure. Ids
 * come from the business key only, so a repeat submits the same ids and the ledger records nothing.
 *
 * - **advance** (预付金) the province's fund pays to the national clearing system,
 *   `settlement:xp:advance:<province>:<advanceId>`: province Dr 1132 暂付款 / Cr 1003 支出户存款.
 * - **clearing** of one settlement (费用清算), `settlement:xp:clearing:<treating province>:<serial>`:
 *   the expense is the case's city's, the advance the province's, so it crosses segments through
 *   the due accounts and each segment balances: city Dr 51xx / Cr 2151:<province> (due to the
 *   province); province Dr 1151:<city> (due from the city) / Cr 1132 (the advance is used up).
 *   The city settles its due with the province like any other flow between them (pooling).
 */
export const ADVANCE_SOURCE_TYPE = 'settlement_xp_advance';
export const CLEARING_SOURCE_TYPE = 'settlement_xp_clearing';

export function advanceTransactionId(province: string, advanceId: string): string {
  return `settlement:xp:advance:${province}:${advanceId}`;
}

export function clearingTransactionId(treatingProvince: string, serial: string): string {
  return `settlement:xp:clearing:${treatingProvince}:${serial}`;
}

export function advanceTransaction(input: {
  province: string;
  advanceId: string;
  amountFen: Fen;
  paidOn: IsoDate;
}): TransactionRequest {
  invariant(segmentKindOf(input.province) === 'province', `${input.province} is not a province`);
  const { province, amountFen } = input;
  return {
    id: advanceTransactionId(province, input.advanceId),
    effectiveDate: input.paidOn,
    source: { type: ADVANCE_SOURCE_TYPE, id: `${province}:${input.advanceId}` },
    memo: '跨省异地就医预付金 / cross-province care advance',
    postings: [
      { segment: province, account: '1132', side: 'debit', amountFen },
      { segment: province, account: '1003', side: 'credit', amountFen },
    ],
  };
}

export function clearingTransaction(input: {
  city: string;
  treatingProvince: string;
  serial: string;
  category: ClearingCategory;
  amountFen: Fen;
  clearedOn: IsoDate;
}): TransactionRequest {
  invariant(segmentKindOf(input.city) === 'city', `${input.city} is not a city`);
  const { city, amountFen } = input;
  const province = provinceOfSegment(city);
  return {
    id: clearingTransactionId(input.treatingProvince, input.serial),
    effectiveDate: input.clearedOn,
    source: { type: CLEARING_SOURCE_TYPE, id: `${input.treatingProvince}:${input.serial}` },
    memo: `跨省异地就医清算 ${input.treatingProvince} ${input.serial}`,
    postings: [
      {
        segment: city,
        account: CLEARING_EXPENSE_ACCOUNT[input.category],
        side: 'debit',
        amountFen,
      },
      { segment: city, account: accountCode(DUE_TO, province), side: 'credit', amountFen },
      { segment: province, account: accountCode(DUE_FROM, city), side: 'debit', amountFen },
      { segment: province, account: '1132', side: 'credit', amountFen },
    ],
  };
}
