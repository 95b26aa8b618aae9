import { and, eq } from 'drizzle-orm';
import { type Database, type Executor, withExecutor } from '../../../db/client.ts';
import { intOf, rowsOf, textOf } from '../../../db/rows.ts';
import { approvals, ledgerTransactions, poolingPreventionCapGrants } from '../../../db/schema.ts';
import { provinceOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import { provinceOf } from '../../../kernel/region-codes.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import {
  lookupPoolingParam,
  type PoolingParamSet,
  ratioAt,
} from '../../../rules/fund/pooling/pooling-params.ts';
import {
  checkPreventionCap,
  checkRaisedRatio,
  type PreventionCapOk,
} from '../../../rules/fund/prevention/prevention-cap.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  requestApproval,
} from '../../approvals/approvals.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { postTransaction } from '../ledger/ledger-write.ts';

/**
 * 工伤预防费 spending under its cap (人社部规〔2017〕13号 Art. 5) and the province's approved higher
 * cap (maker-checker). The cap base is `prevention.cap_base`: the paying segment's own previous-year
 * contribution income ("segment", default) or the whole province's ("province").
 */
export const PREVENTION_CAP_RAISE_ACTION = 'fund.prevention_cap_raise';

export type PreventionRefusal =
  | 'fund.prevention_cap_exceeded'
  | 'fund.prevention_ratio_invalid'
  | 'fund.prevention_cap_already_granted'
  | 'fund.prevention_no_cap'
  | ApprovalRefusal
  | LedgerRefusalCode;

/** Queries only: a `Database` or, inside a transaction, its `Executor`. */
type Queryable = Database | Executor;

/**
 * Σ over the segments of the year's movement (by effective date, normal side positive) of the
 * accounts with `chartCode`: the trial balance at year end minus the one at the previous year end,
 * counting posted transactions and posted pending ones.
 */
async function movement(
  db: Queryable,
  segments: (code: string) => boolean,
  chartCode: string,
  year: number,
): Promise<number> {
  // Hand SQL: the same set-based movement aggregate as the trial balance (normal side positive),
  // per segment; rows read with a typed mapper.
  const r = await db.query(
    `SELECT s.code AS segment,
            coalesce(sum(CASE WHEN (p.side = a.normal_side) THEN p.amount ELSE -p.amount END), 0)::int8 AS balance
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE t.effective_date > $1::date AND t.effective_date <= $2::date
        AND (t.kind = 'posted' OR r.action = 'post') AND a.chart_code = $3
      GROUP BY s.code`,
    [`${year - 1}-12-31`, `${year}-12-31`, chartCode],
  );
  return rowsOf(r, (x) => ({ segment: textOf(x, 'segment'), balance: intOf(x, 'balance') }))
    .filter((x) => segments(x.segment))
    .reduce((s, x) => s + x.balance, 0);
}

async function isRecorded(db: Queryable, transactionId: string): Promise<boolean> {
  const rows = await withExecutor(db, (ex) =>
    ex.orm
      .select({ seq: ledgerTransactions.seq })
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, transactionId)),
  );
  return rows.length > 0;
}

/** The cap ratio in force for a province's year: a granted raise, else the parameter. */
export async function capRatioFor(
  db: Queryable,
  params: PoolingParamSet,
  province: string,
  year: number,
  date: IsoDate,
): Promise<{ ratio: string; source: 'parameter' | 'grant' } | undefined> {
  const g = poolingPreventionCapGrants;
  const [grant] = await withExecutor(db, (ex) =>
    ex.orm
      .select({ capRatio: g.capRatio })
      .from(g)
      .where(and(eq(g.province, province), eq(g.year, year))),
  );
  if (grant) return { ratio: grant.capRatio, source: 'grant' };
  const p = lookupPoolingParam(params, province, 'prevention.cap_ratio', date);
  return p ? { ratio: String(p.value), source: 'parameter' } : undefined;
}

/**
 * The cap check alone (no posting): what a budget screen shows. Runs on a `Database` or on a
 * transaction's `Executor` (the re-check under the segment's lock in `spendPreventionFee`).
 */
export async function preventionCapStatus(
  db: Queryable,
  input: {
    segment: string;
    date: IsoDate;
    requestedFen: number;
    params: PoolingParamSet;
  },
): Promise<
  Result<
    PreventionCapOk & { capRatio: string; capSource: 'parameter' | 'grant' },
    PreventionRefusal
  >
> {
  const params = input.params;
  const province = provinceOfSegment(input.segment);
  const year = Number(input.date.slice(0, 4));
  const cap = await capRatioFor(db, params, province, year, input.date);
  if (!cap)
    return refuse(
      'fund.prevention_no_cap',
      `no prevention cap is in force for ${province} on ${input.date}`,
    );
  const base =
    lookupPoolingParam(params, province, 'prevention.cap_base', input.date)?.value ?? 'segment';
  const inBase = (s: string) =>
    base === 'province' ? provinceOf(s) === province : s === input.segment;
  const prevIncome = await movement(db, inBase, '4101', year - 1);
  const spent = await movement(db, inBase, '5202', year);
  const r = checkPreventionCap({
    prevYearContributionIncomeFen: prevIncome,
    spentFen: spent,
    requestedFen: input.requestedFen,
    capRatio: cap.ratio,
  });
  if (!r.ok) return refuse(r.code, r.message, { ...r.details, capSource: cap.source });
  return ok({ ...r.value, capRatio: cap.ratio, capSource: cap.source });
}

/**
 * Records a prevention-fee payment (Dr 5202 工伤预防费用支出 / Cr 1003 支出户存款) unless it would take
 * the year's spending above the cap; refuses with `fund.prevention_cap_exceeded` giving the cap,
 * spent and requested amounts. The cap is checked first (a quick refusal) and then again inside the
 * write transaction, as its guard, under a transaction-scoped advisory lock on the paying segment:
 * concurrent payments of one segment check and write one after the other, so together they never
 * pass the cap. (With a province-wide cap base, payments of different segments of the province
 * still take different locks.)
 */
export async function spendPreventionFee(
  db: Database,
  actor: Actor,
  input: {
    transactionId: string;
    segment: string;
    date: IsoDate;
    amountFen: number;
    sourceId: string;
    params: PoolingParamSet;
  },
): Promise<
  Result<PreventionCapOk & { capRatio: string; transactionId: string }, PreventionRefusal>
> {
  const existing = await isRecorded(db, input.transactionId);
  // A retry of a recorded payment must not be re-checked against a cap that now includes itself.
  const status = await preventionCapStatus(db, {
    segment: input.segment,
    date: input.date,
    requestedFen: existing ? 0 : input.amountFen,
    params: input.params,
  });
  if (!status.ok) return status;
  let checked = status.value;
  // The lock covers what the cap is computed over: the paying segment, or the whole province when
  // the cap base is the province (payments of different segments then share one cap).
  const params = input.params;
  const province = provinceOfSegment(input.segment);
  const base =
    lookupPoolingParam(params, province, 'prevention.cap_base', input.date)?.value ?? 'segment';
  const lockScope = base === 'province' ? province : input.segment;
  const guard = async (tx: Executor): Promise<Refusal<PreventionRefusal> | null> => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('prevention:' || $1))", [lockScope]);
    const recorded = await isRecorded(tx, input.transactionId);
    const again = await preventionCapStatus(tx, {
      segment: input.segment,
      date: input.date,
      requestedFen: recorded ? 0 : input.amountFen,
      params: input.params,
    });
    if (!again.ok) return again;
    checked = again.value;
    return null;
  };
  const posted = await postTransaction(
    db,
    actor,
    {
      id: input.transactionId,
      effectiveDate: input.date,
      source: { type: 'prevention_fee', id: input.sourceId },
      memo: `工伤预防费 ${input.segment}`,
      postings: [
        { segment: input.segment, account: '5202', side: 'debit', amountFen: input.amountFen },
        { segment: input.segment, account: '1003', side: 'credit', amountFen: input.amountFen },
      ],
    },
    { auditAction: 'pooling.prevention_fee.post', guard },
  );
  if (!posted.ok) return posted;
  return ok({
    ...checked,
    capRatio: checked.capRatio,
    transactionId: input.transactionId,
  });
}

/** Maker: asks for a higher prevention cap for a province and year. */
export async function requestPreventionCapRaise(
  db: Database,
  maker: Actor,
  input: { province: string; year: number; ratio: string; policy?: ApprovalPolicy | undefined },
): Promise<{ id: string; payloadHash: string }> {
  const payload = { province: input.province, year: input.year, ratio: input.ratio };
  return db.transaction((tx) =>
    requestApproval(tx, maker, {
      regionCode: input.province,
      action: PREVENTION_CAP_RAISE_ACTION,
      payload,
      policy: input.policy ?? DEFAULT_APPROVAL_POLICY,
    }),
  );
}

/** Consumes the checker's approval and records the higher cap (above 3 %, within the ceiling). */
export async function grantPreventionCap(
  db: Database,
  actor: Actor,
  input: {
    province: string;
    year: number;
    ratio: string;
    approvalId: string;
    params: PoolingParamSet;
  },
): Promise<Result<{ province: string; year: number; ratio: string }, PreventionRefusal>> {
  const params = input.params;
  const date = `${input.year}-01-01`;
  const national = ratioAt(params, input.province, 'prevention.cap_ratio', date).value;
  const ceiling = ratioAt(params, input.province, 'prevention.raised_ratio_max', date).value;
  const valid = checkRaisedRatio(input.ratio, national, ceiling);
  if (!valid.ok) return valid;
  return db
    .transaction(async (tx) => {
      const payload = { province: input.province, year: input.year, ratio: input.ratio };
      const approval = await consumeApproval(tx, {
        regionCode: input.province,
        id: input.approvalId,
        action: PREVENTION_CAP_RAISE_ACTION,
        payload,
      });
      if (!approval.ok) return approval;
      const [maker] = await tx.orm
        .select({ makerId: approvals.makerId })
        .from(approvals)
        .where(and(eq(approvals.regionCode, input.province), eq(approvals.id, input.approvalId)));
      const ins = await tx.orm
        .insert(poolingPreventionCapGrants)
        .values({
          province: input.province,
          year: input.year,
          capRatio: input.ratio,
          approvalId: input.approvalId,
          maker: maker!.makerId,
          checker: approval.value.checkerId,
        })
        .onConflictDoNothing({
          target: [poolingPreventionCapGrants.province, poolingPreventionCapGrants.year],
        })
        .returning({ year: poolingPreventionCapGrants.year });
      if (ins.length === 0) throw new GrantExists(input.province, input.year);
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'pooling.prevention_cap.grant',
        object: `prevention-cap/${input.province}/${input.year}`,
        result: 'ok',
        requestId: actor.requestId,
        details: {
          ratio: input.ratio,
          approvalId: input.approvalId,
          checker: approval.value.checkerId,
        },
      });
      return ok(payload);
    })
    .catch((err: unknown) => {
      if (err instanceof GrantExists)
        return refuse(
          'fund.prevention_cap_already_granted',
          `a higher prevention cap for ${input.province} ${input.year} is already recorded; grants are never changed`,
        );
      throw err;
    });
}

/** Rolls the grant's transaction back (the approval stays unconsumed) when a grant already exists. */
class GrantExists extends Error {
  constructor(province: string, year: number) {
    super(`prevention cap grant ${province}/${year} exists`);
  }
}
