import type { IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { compare, fromDecimal, fromInt, mul, roundToInteger } from '../../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import {
  accountCode,
  adjustmentSegmentCode,
  DUE_FROM,
  DUE_TO,
  provinceOfSegment,
} from './accounts.ts';
import type { TransactionRequest } from './ledger.ts';

/**
 * Taking over a city's historical fund balance (原基金结余) into the provincial fund (pure).
 * 人社部发〔2017〕60号 / 164号 ask provinces to "稳妥处理各市(地)原基金结余"; the rule is the province's:
 *
 * - `transfer_all`: the whole balance moves to the target (province or adjustment fund) segment;
 * - `transfer_share`: `share` of it (rounded half-up to the fen) moves, the rest stays at the city;
 * - `keep_at_city_use_first`: nothing moves; the balance stays in the city segment and is used first
 *   — in the year-end run formula the opening balance already comes before any claim on the fund.
 *
 * Transactions (ids `opening:<city>:recognise` / `opening:<city>:transfer`, so repeating the
 * take-over records nothing new and a different rule for the same city is an idempotency conflict):
 * 1. recognise: city Dr 1001 财政专户存款 / Cr 3001 基金结余 (the audited balance enters the ledger);
 * 2. transfer (if > 0): city Dr 3001 / Cr 2151:<target>; target Dr 1151:<city> / Cr 3001 — fund
 *    balance moves, the cash follows by bank transfer (settling the due accounts).
 */
export type TakeoverRule = 'transfer_all' | 'transfer_share' | 'keep_at_city_use_first';

export type TakeoverInput = {
  city: string;
  rule: TakeoverRule;
  /** For transfer_share: a decimal string in (0, 1). */
  share?: string | undefined;
  /** 'province' (统收统支, default) or 'adjustment' (调剂金). */
  target?: 'province' | 'adjustment' | undefined;
  /** The audited historical balance (fen, ≥ 0). */
  balanceFen: Fen;
  effectiveDate: IsoDate;
};

export type TakeoverPlan = {
  city: string;
  targetSegment: string;
  transferredFen: Fen;
  keptFen: Fen;
  transactions: TransactionRequest[];
};

export type TakeoverRefusalCode = 'fund.opening_balance_invalid';

export function planOpeningBalanceTakeover(
  input: TakeoverInput,
): Result<TakeoverPlan, TakeoverRefusalCode> {
  if (!Number.isSafeInteger(input.balanceFen) || input.balanceFen < 0)
    return refuse(
      'fund.opening_balance_invalid',
      `the historical balance must be an integer ≥ 0 fen (a deficit take-over is not modelled); got ${input.balanceFen}`,
    );
  let transferred: bigint;
  if (input.rule === 'transfer_all') transferred = BigInt(input.balanceFen);
  else if (input.rule === 'keep_at_city_use_first') transferred = 0n;
  else {
    const s = input.share;
    const valid =
      typeof s === 'string' &&
      /^\d+(\.\d+)?$/.test(s) &&
      compare(fromDecimal(s), fromInt(0)) > 0 &&
      compare(fromDecimal(s), fromInt(1)) < 0;
    if (!valid)
      return refuse(
        'fund.opening_balance_invalid',
        `transfer_share needs share as a decimal string strictly between 0 and 1 (use transfer_all or keep_at_city_use_first for 1 or 0); got ${String(s)}`,
      );
    transferred = roundToInteger(mul(fromDecimal(s), fromInt(input.balanceFen)), 'half_up');
  }
  if (input.rule !== 'transfer_share' && input.share !== undefined)
    return refuse(
      'fund.opening_balance_invalid',
      `share is only for transfer_share, not ${input.rule}`,
    );
  const province = provinceOfSegment(input.city);
  const target = input.target === 'adjustment' ? adjustmentSegmentCode(province) : province;
  const source = { type: 'opening_balance_takeover', id: input.city };
  const transactions: TransactionRequest[] = [];
  if (input.balanceFen > 0)
    transactions.push({
      id: `opening:${input.city}:recognise`,
      effectiveDate: input.effectiveDate,
      source,
      memo: `原基金结余 ${input.city}`,
      postings: [
        { segment: input.city, account: '1001', side: 'debit', amountFen: input.balanceFen },
        { segment: input.city, account: '3001', side: 'credit', amountFen: input.balanceFen },
      ],
    });
  const amount = Number(transferred);
  if (amount > 0)
    transactions.push({
      id: `opening:${input.city}:transfer`,
      effectiveDate: input.effectiveDate,
      source,
      memo: `原基金结余划转 ${input.city} → ${target} (${input.rule}${input.share ? ` ${input.share}` : ''})`,
      postings: [
        { segment: input.city, account: '3001', side: 'debit', amountFen: amount },
        {
          segment: input.city,
          account: accountCode(DUE_TO, target),
          side: 'credit',
          amountFen: amount,
        },
        {
          segment: target,
          account: accountCode(DUE_FROM, input.city),
          side: 'debit',
          amountFen: amount,
        },
        { segment: target, account: '3001', side: 'credit', amountFen: amount },
      ],
    });
  return ok({
    city: input.city,
    targetSegment: target,
    transferredFen: amount,
    keptFen: input.balanceFen - amount,
    transactions,
  });
}
