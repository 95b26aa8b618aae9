import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { approvals, ledgerTransactions } from '../../../db/schema.ts';
import {
  accountCode,
  DUE_FROM,
  DUE_TO,
  provinceOfSegment,
} from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import type { PoolingParamSet } from '../../../rules/fund/pooling/pooling-params.ts';
import {
  computeReserveSetAside,
  type ReserveSetAside,
  reserveRuleAt,
} from '../../../rules/fund/reserve/reserve-rule.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../../approvals/approval-policy.ts';
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
  input: {
    city: string;
    year: number;
    params: PoolingParamSet;
    policy?: ApprovalPolicy | undefined;
  },
): Promise<{ id: string; payloadHash: string }> {
  const params = input.params;
  const province = provinceOfSegment(input.city);
  const { rule } = reserveRuleAt(params, province, `${input.year}-12-31`);
  return db.transaction((tx) =>
    requestApproval(tx, maker, {
      regionCode: province,
      action: RESERVE_REDUCTION_ACTION,
      payload: reductionPayload(input.city, input.year, rule.reducedTotalRatio),
      policy: input.policy ?? DEFAULT_APPROVAL_POLICY,
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
  const figures = await yearFigures(db, input.city, input.year);
  const r = computeReserveSetAside(rule, figures);
  if (r.reduced && input.approvalId === undefined)
    return refuse(
      'fund.reserve_reduction_needs_approval',
      `the reserve of ${input.city} (${figures.reserveBalanceFen} fen) exceeds ${rule.reductionThreshold} of the year's fund income (${figures.fundIncomeFen} fen): the set-aside ratio is reduced only with the province's approval (河南条例 Art. 10)`,
      {
        reserveBalanceFen: figures.reserveBalanceFen,
        fundIncomeFen: figures.fundIncomeFen,
        explanation: r.explanation,
      },
    );
  const snapshot = `reserve-params:${used.map((u) => `${u.path}@${u.region}/${u.from}=${u.value}`).join(',')}`;
  const txs = reserveTransactions(input.city, input.year, r, snapshot.slice(0, 200));
  const reduction =
    r.reduced && input.approvalId !== undefined
      ? {
          province,
          city: input.city,
          year: input.year,
          approvalId: input.approvalId,
          reducedTotalRatio: rule.reducedTotalRatio,
        }
      : undefined;
  if (reduction && txs.length === 0) {
    // A reduced ratio of zero stops the set-aside: nothing to post, but the approval is still
    // consumed (once; a rerun finds it consumed for this very payload) and the decision audited.
    const refusal = await consumeZeroReduction(db, actor, reduction);
    if (refusal) return refusal;
    return ok({ ...r, transactionIds: [] });
  }
  const posted = await postTransactions(db, actor, txs, {
    auditAction: 'pooling.reserve.post',
    ...(reduction ? { guard: reductionGuard(reduction, txs[0]!.id) } : {}),
  });
  if (!posted.ok) return posted;
  return ok({ ...r, transactionIds: txs.map((t) => t.id) });
}

/**
 * The year's collection (4101) and fund income (every income account), and the rolling reserve
 * (3101) at the end of the previous year, from the city's trial balances.
 */
async function yearFigures(
  db: Database,
  city: string,
  year: number,
): Promise<{ collectionFen: number; fundIncomeFen: number; reserveBalanceFen: number }> {
  const at = async (asOf: string) => {
    const tb = await trialBalance(db, { segment: city, asOf });
    if (!tb.ok) throw new Error(tb.message);
    return tb.value.rows;
  };
  const before = await at(`${year - 1}-12-31`);
  const after = await at(`${year}-12-31`);
  const sum = (rows: typeof after, pick: (r: (typeof after)[number]) => boolean) =>
    rows.filter(pick).reduce((s, r) => s + r.balanceFen, 0);
  return {
    collectionFen:
      sum(after, (r) => r.chartCode === '4101') - sum(before, (r) => r.chartCode === '4101'),
    fundIncomeFen: sum(after, (r) => r.type === 'income') - sum(before, (r) => r.type === 'income'),
    reserveBalanceFen: sum(before, (r) => r.chartCode === '3101'),
  };
}

type Reduction = {
  province: string;
  city: string;
  year: number;
  approvalId: string;
  reducedTotalRatio: string;
};

/** The posting guard of a reduced set-aside: consumes the approval in the write transaction. */
function reductionGuard(reduction: Reduction, firstTransactionId: string) {
  return async (tx: Executor) => {
    // A rerun finds its transactions recorded: the approval was consumed by the first run.
    const done = await tx.orm
      .select({ seq: ledgerTransactions.seq })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, firstTransactionId));
    if (done.length > 0) return null;
    const used = await consumeApproval(tx, {
      regionCode: reduction.province,
      id: reduction.approvalId,
      action: RESERVE_REDUCTION_ACTION,
      payload: reductionPayload(reduction.city, reduction.year, reduction.reducedTotalRatio),
    });
    return used.ok ? null : used;
  };
}

/** Consumes the approval of a reduction to zero (nothing to post) and audits the decision, once. */
async function consumeZeroReduction(
  db: Database,
  actor: Actor,
  reduction: Reduction,
): Promise<Refusal<ApprovalRefusal> | null> {
  const { province, city, year, approvalId } = reduction;
  const payload = reductionPayload(city, year, reduction.reducedTotalRatio);
  return db.transaction(async (tx) => {
    const [row] = await tx.orm
      .select({
        status: approvals.status,
        action: approvals.action,
        payloadHash: approvals.payloadHash,
      })
      .from(approvals)
      .where(and(eq(approvals.regionCode, province), eq(approvals.id, approvalId)))
      .for('update');
    if (
      row?.status === 'consumed' &&
      row.action === RESERVE_REDUCTION_ACTION &&
      row.payloadHash === payloadHash(payload)
    )
      return null;
    const used = await consumeApproval(tx, {
      regionCode: province,
      id: approvalId,
      action: RESERVE_REDUCTION_ACTION,
      payload,
    });
    if (!used.ok) return used;
    await appendAudit(tx, {
      actor: actor.username,
      role: actor.role,
      scope: scopeLabel(actor),
      action: 'pooling.reserve.reduced',
      object: `reserve/${city}/${year}`,
      result: 'ok',
      requestId: actor.requestId,
      details: { approvalId, reducedTotalRatio: reduction.reducedTotalRatio, totalFen: 0 },
    });
    return null;
  });
}
