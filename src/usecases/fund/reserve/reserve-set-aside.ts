import type { Database, Executor } from '../../../db/client.ts';
import { accountCode, DUE_FROM, DUE_TO, provinceOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import type { PoolingParamSet } from '../../../rules/fund/pooling/pooling-params.ts';
import {
  computeReserveSetAside,
  type ReserveSetAside,
  reserveRuleAt,
} from '../../../rules/fund/reserve/reserve-rule.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../../approvals/approvals.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { trialBalance } from '../ledger/ledger-read.ts';
import { postTransactions } from '../ledger/ledger-write.ts';

/**
 * Posts a city's yearly reserve set-aside under the dated reserve rule of its province (e.g. 河南
 * 7 % = 2 % to the provincial reserve + 5 % kept). Figures from the ledger: the year's collection
 * (4101), the year's fund income (every income account) and the city's rolling reserve (3101) at
 * the end of the previous year. Transactions, ids `reserve:<city>:<year>:city|province`:
 * city Dr 3001 / Cr 3101 (kept); city Dr 3001 / Cr 2151:<province> with province Dr 1151:<city> /
 * Cr 3101 (remitted to the provincial reserve). When the rolling reserve is above the threshold,
 * the reduced ratio needs the province's approval (河南条例 Art. 10): without an approval id it is
 * refused with `fund.reserve_reduction_needs_approval`; the maker asks with
 * `requestReserveReduction`, another user approves, and the set-aside consumes that approval in the
 * same transaction as its postings (bound to city, year and the reduced ratio).
 */
export type ReserveRefusal =
  | 'fund.reserve_reduction_needs_approval'
  | ApprovalRefusal
  | LedgerRefusalCode;

export const RESERVE_REDUCTION_ACTION = 'pooling.reserve_reduction';

function reductionPayload(city: string, year: number, reducedTotalRatio: string) {
  return { city, year, reducedTotalRatio };
}

/** Maker: asks the province to approve the reduced set-aside ratio of a city's year. */
export async function requestReserveReduction(
  db: Database,
  maker: Actor,
  input: { city: string; year: number; params: PoolingParamSet },
): Promise<{ id: string; payloadHash: string }> {
  const params = input.params;
  const province = provinceOfSegment(input.city);
  const { rule } = reserveRuleAt(params, province, `${input.year}-12-31`);
  return db.transaction((tx) =>
    requestApproval(tx, maker, {
      regionCode: province,
      action: RESERVE_REDUCTION_ACTION,
      payload: reductionPayload(input.city, input.year, rule.reducedTotalRatio),
    }),
  );
}

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
  input: {
    city: string;
    year: number;
    params: PoolingParamSet;
    /** The province's approval of the reduced ratio, needed when the reserve is above the threshold. */
    approvalId?: string | undefined;
  },
): Promise<Result<ReserveSetAside & { transactionIds: string[] }, ReserveRefusal>> {
  const params = input.params;
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
  if (r.reduced && input.approvalId === undefined)
    return refuse(
      'fund.reserve_reduction_needs_approval',
      `the reserve of ${input.city} (${reserveBalance} fen) exceeds ${rule.reductionThreshold} of the year's fund income (${income} fen): the set-aside ratio is reduced only with the province's approval (河南条例 Art. 10)`,
      { reserveBalanceFen: reserveBalance, fundIncomeFen: income, explanation: r.explanation },
    );
  const snapshot = `reserve-params:${used.map((u) => `${u.path}@${u.region}/${u.from}=${u.value}`).join(',')}`;
  const txs = reserveTransactions(input.city, input.year, r, snapshot.slice(0, 200));
  const approvalId = input.approvalId;
  const guard =
    r.reduced && approvalId !== undefined
      ? async (tx: Executor) => {
          // A rerun finds its transactions recorded: the approval was consumed by the first run.
          const done = await tx.query('SELECT 1 FROM ledger_transactions WHERE id = $1', [
            txs[0]!.id,
          ]);
          if (done.rows.length > 0) return null;
          const used = await consumeApproval(tx, {
            regionCode: province,
            id: approvalId,
            action: RESERVE_REDUCTION_ACTION,
            payload: reductionPayload(input.city, input.year, rule.reducedTotalRatio),
          });
          return used.ok ? null : used;
        }
      : undefined;
  if (guard && txs.length === 0) {
    // A reduced ratio of zero stops the set-aside: nothing to post, but the approval is still
    // consumed (once; a rerun finds it consumed for this very payload) and the decision audited.
    const payload = reductionPayload(input.city, input.year, rule.reducedTotalRatio);
    const refusal = await db.transaction(async (tx) => {
      const st = await tx.query<{ status: string; action: string; payload_hash: string }>(
        'SELECT status, action, payload_hash FROM approvals WHERE region_code = $1 AND id = $2 FOR UPDATE',
        [province, approvalId],
      );
      const row = st.rows[0];
      if (
        row?.status === 'consumed' &&
        row.action === RESERVE_REDUCTION_ACTION &&
        row.payload_hash === payloadHash(payload)
      )
        return null;
      const used = await consumeApproval(tx, {
        regionCode: province,
        id: approvalId!,
        action: RESERVE_REDUCTION_ACTION,
        payload,
      });
      if (!used.ok) return used;
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'pooling.reserve.reduced',
        object: `reserve/${input.city}/${input.year}`,
        result: 'ok',
        requestId: actor.requestId,
        details: { approvalId, reducedTotalRatio: rule.reducedTotalRatio, totalFen: 0 },
      });
      return null;
    });
    if (refusal) return refusal;
    return ok({ ...r, transactionIds: [] });
  }
  const posted = await postTransactions(db, actor, txs, {
    auditAction: 'pooling.reserve.post',
    ...(guard ? { guard } : {}),
  });
  if (!posted.ok) return posted;
  return ok({ ...r, transactionIds: txs.map((t) => t.id) });
}
