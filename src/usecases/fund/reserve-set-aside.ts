import type { Database } from '../../db/client.ts';
import { accountCode, DUE_FROM, DUE_TO, provinceOfSegment } from '../../domain/fund/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger.ts';
import { defaultPoolingParams, type PoolingParamSet } from '../../domain/fund/pooling-params.ts';
import {
  computeReserveSetAside,
  type ReserveSetAside,
  reserveRuleAt,
} from '../../domain/fund/reserve-rule.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { trialBalance } from './ledger-read.ts';
import { postTransactions } from './ledger-write.ts';

/**
 * Posts a city's yearly reserve set-aside under the dated reserve rule of its province (e.g. 河南
 * 7 % = 2 % to the provincial reserve + 5 % kept). Figures from the ledger: the year's collection
 * (4101), the year's fund income (every income account) and the city's rolling reserve (3101) at
 * the end of the previous year. Transactions, ids `reserve:<city>:<year>:city|province`:
 * city Dr 3001 / Cr 3101 (kept); city Dr 3001 / Cr 2151:<province> with province Dr 1151:<city> /
 * Cr 3101 (remitted to the provincial reserve). When the rolling reserve is above the threshold,
 * the reduced ratio needs the province's approval: refused with `fund.reserve_reduction_needs_approval`
 * (recording that approval is not built yet).
 */
export type ReserveRefusal = 'fund.reserve_reduction_needs_approval' | LedgerRefusalCode;

export function reserveTransactions(
  city: string,
  year: number,
  r: ReserveSetAside,
  snapshot: string,
): TransactionRequest[] {
  const province = provinceOfSegment(city);
  const base = {
    effectiveDate: `${year}-12-31`,
    source: { type: 'reserve_set_aside', id: `${city}:${year}` },
    parameterSnapshotId: snapshot,
  };
  const out: TransactionRequest[] = [];
  if (r.cityFen > 0)
    out.push({
      ...base,
      id: `reserve:${city}:${year}:city`,
      memo: `${year} 年度市级储备金提留 ${city}`,
      postings: [
        { segment: city, account: '3001', side: 'debit', amountFen: r.cityFen },
        { segment: city, account: '3101', side: 'credit', amountFen: r.cityFen },
      ],
    });
  if (r.provinceFen > 0)
    out.push({
      ...base,
      id: `reserve:${city}:${year}:province`,
      memo: `${year} 年度储备金上解省级 ${city}`,
      postings: [
        { segment: city, account: '3001', side: 'debit', amountFen: r.provinceFen },
        {
          segment: city,
          account: accountCode(DUE_TO, province),
          side: 'credit',
          amountFen: r.provinceFen,
        },
        {
          segment: province,
          account: accountCode(DUE_FROM, city),
          side: 'debit',
          amountFen: r.provinceFen,
        },
        { segment: province, account: '3101', side: 'credit', amountFen: r.provinceFen },
      ],
    });
  return out;
}

export async function setAsideReserve(
  db: Database,
  actor: Actor,
  input: { city: string; year: number; params?: PoolingParamSet | undefined },
): Promise<Result<ReserveSetAside & { transactionIds: string[] }, ReserveRefusal>> {
  const params = input.params ?? defaultPoolingParams();
  const province = provinceOfSegment(input.city);
  const { rule, used } = reserveRuleAt(params, province, `${input.year}-12-31`);
  const at = async (asOf: string) => {
    const tb = await trialBalance(db, { segment: input.city, asOf });
    if (!tb.ok) throw new Error(tb.message);
    return tb.value.rows;
  };
  const before = await at(`${input.year - 1}-12-31`);
  const after = await at(`${input.year}-12-31`);
  const sum = (rows: typeof after, pick: (r: (typeof after)[number]) => boolean) =>
    rows.filter(pick).reduce((s, r) => s + r.balanceFen, 0);
  const collection =
    sum(after, (r) => r.chartCode === '4101') - sum(before, (r) => r.chartCode === '4101');
  const income = sum(after, (r) => r.type === 'income') - sum(before, (r) => r.type === 'income');
  const reserveBalance = sum(before, (r) => r.chartCode === '3101');
  const r = computeReserveSetAside(rule, {
    collectionFen: collection,
    fundIncomeFen: income,
    reserveBalanceFen: reserveBalance,
  });
  if (r.reduced)
    return refuse(
      'fund.reserve_reduction_needs_approval',
      `the reserve of ${input.city} (${reserveBalance} fen) exceeds ${rule.reductionThreshold} of the year's fund income (${income} fen): the set-aside ratio is reduced only with the province's approval (河南条例 Art. 10)`,
      { reserveBalanceFen: reserveBalance, fundIncomeFen: income, explanation: r.explanation },
    );
  const snapshot = `reserve-params:${used.map((u) => `${u.path}@${u.region}/${u.from}=${u.value}`).join(',')}`;
  const txs = reserveTransactions(input.city, input.year, r, snapshot.slice(0, 200));
  const posted = await postTransactions(db, actor, txs, { auditAction: 'pooling.reserve.post' });
  if (!posted.ok) return posted;
  return ok({ ...r, transactionIds: txs.map((t) => t.id) });
}
