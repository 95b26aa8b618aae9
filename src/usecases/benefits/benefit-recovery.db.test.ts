import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { approve, approvedRound, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { decideRecovery, type RecoveryInput } from './benefit-recovery.ts';
import { overpaymentRecoveryOf, type RecoveryView } from './benefit-recovery-read.ts';
import { recordRepayment } from './benefit-recovery-repay.ts';
import { resumeBenefits } from './benefit-resume.ts';
import { stopBenefits } from './benefit-stop.ts';
import { recordDeath } from './death-record.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * Recovering overpayments (《社会保险经办条例》第四十六条) by hand, amounts in fen. 杭州 pays W1 and W2
 * 伤残津贴 680 000 a month from 2025-04; the runs of 2025-07, 08 and 09 are paid. On 2025-10-05:
 * - W1's death on 2025-07-10 is recorded (no survivors' pensions in the city): 08 + 09 overpaid,
 *   1 360 000. An offset is refused (the worker is dead: nothing of theirs is paid later); an order
 *   recognises Dr 1132 1 360 000 / Cr 5108; W1's estate repays 1 000 000 on 2025-10-20 and 360 000
 *   on 2025-11-05: balance 0, the recovery settled, the overpayment recovered.
 * - W2 refused treatment on 2025-07-10 (第四十二条 (三)): 08 + 09 overpaid, 1 360 000; the stop is
 *   lifted from 2025-11-03, so the allowance runs again from 2025-11, and a 生活护理费 of 270 000
 *   starts then (its entitlement id the lowest of the city, so the payroll reads it first). An
 *   offset of 200 000 a month (Dr 1132 1 360 000 / Cr 5108): each of 2025-11 and 2025-12 takes
 *   200 000 from the first line read — the 生活护理费 pays 70 000, the 伤残津贴 680 000 whole — so the
 *   bank pays W2 750 000 (Dr 5108 680 000, Dr 5106 270 000 / Cr 2102 750 000 / Cr 1132 200 000);
 *   balance 960 000. 2025-12 is computed in chunks of one, killed after the first and resumed in
 *   chunks of 1 000: the same deduction on the same line.
 * 5108 in all: 6 × 680 000 (07–09) − 2 × 1 360 000 (recognised) + 2 × 680 000 (11–12) = 2 720 000;
 * 5106: 2 × 270 000 = 540 000; 1132: 960 000; 2102: 0.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let w1 = '';
let w2 = '';
/** The lowest entitlement id of the city: the payroll reads (and deducts from) its line first. */
const NURSING = 'ent_330100_0000000000000001';

async function count(db: Database, sql: string): Promise<number> {
  const r = await db.query(sql);
  return intOf(r.rows[0] ?? {}, 'n');
}

async function balanceOf(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

async function overpaymentOf(workerId: string): Promise<string> {
  const r = await t.db.query(`SELECT id FROM benefit_overpayments WHERE worker_id = $1`, [
    workerId,
  ]);
  const id = r.rows[0]?.['id'];
  if (typeof id !== 'string') throw new Error(`no overpayment of ${workerId}`);
  return id;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  w1 = await insertWorker(t.db);
  w2 = await insertWorker(t.db);
  for (const [i, workerId] of [w1, w2].entries()) {
    await insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind: 'disability_allowance',
      amountFen: 680_000,
      startsOn: '2025-04-01',
    });
    await insertCardAccount(t.db, {
      workerId,
      validFrom: '2024-01-01',
      accountNumber: `622200000002000${i}`,
    });
  }
  for (const month of ['2025-07', '2025-08', '2025-09']) await payMonth(t.db, f, rules, { month });
  const died = await recordDeath(t.db, f.maker, {
    regionCode: HZ,
    workerId: w1,
    diedOn: '2025-07-10',
    source: '居民死亡医学证明书 No. 330100-2025-000777',
    today: '2025-10-05',
  });
  if (!died.ok) throw new Error(died.message);
  const stop = (approvalId?: string) =>
    stopBenefits(t.db, f.maker, {
      regionCode: HZ,
      workerId: w2,
      ground: 'refused_treatment',
      effectiveOn: '2025-07-10',
      reason: '拒绝治疗',
      approvalId,
      policy: POLICY,
      today: '2025-10-05',
    });
  const stopped = await approvedRound(t.db, f.checker, HZ, stop);
  const stopId = stopped.stop?.id ?? '';
  await approvedRound(t.db, f.checker, HZ, (approvalId) =>
    resumeBenefits(t.db, f.maker, {
      regionCode: HZ,
      stopId,
      resumedOn: '2025-11-03',
      reason: '已接受治疗',
      approvalId,
      policy: POLICY,
    }),
  );
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

const decide = (
  overpaymentId: string,
  method: RecoveryInput['method'],
  monthlyFen: number | null,
  approvalId?: string,
  reason = '本人（遗产）一次性退回',
) =>
  decideRecovery(t.db, f.maker, {
    regionCode: HZ,
    overpaymentId,
    method,
    monthlyFen,
    reason,
    approvalId,
    on: '2025-10-06',
    policy: POLICY,
  });

const repay = (recoveryId: string, amountFen: number, paidOn: string, approvalId?: string) =>
  recordRepayment(t.db, f.maker, {
    regionCode: HZ,
    recoveryId,
    amountFen,
    paidOn,
    reference: `BK-RET-${paidOn}`,
    approvalId,
    today: '2025-11-30',
    policy: POLICY,
  });

/**
 * The order's whole flow, once: every outcome kept, so a retried assertion reads the same run
 * (vitest retries a failed test once; the writes are not repeated).
 */
const orderFlow = (() => {
  let flow: ReturnType<typeof runOrderFlow> | null = null;
  return () => {
    flow ??= runOrderFlow();
    return flow;
  };
})();

async function runOrderFlow() {
  const ovp = await overpaymentOf(w1);
  const offset = codeOf(await decide(ovp, 'offset', 200_000));
  const asked = await decide(ovp, 'order', null);
  if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
  const approvalId = asked.value.approval.id;
  const self = codeOf(
    await decideApproval(t.db, f.maker, { regionCode: HZ, id: approvalId, decision: 'approved' }),
  );
  await approve(t.db, f.checker, HZ, approvalId);
  const txBefore = await count(t.db, 'SELECT count(*)::int AS n FROM ledger_transactions');
  const changed = codeOf(await decide(ovp, 'order', null, approvalId, '分期退回'));
  const afterChanged = {
    recoveries: await count(t.db, 'SELECT count(*)::int AS n FROM benefit_recoveries'),
    transactions:
      (await count(t.db, 'SELECT count(*)::int AS n FROM ledger_transactions')) - txBefore,
  };
  const done = await decide(ovp, 'order', null, approvalId);
  if (!done.ok || done.value.overpayment.recovery === null) throw new Error('not decided');
  const again = await decide(ovp, 'order', null, approvalId);
  const receivableAfterDecision = await balanceOf('1132');
  const recovery = done.value.overpayment.recovery;
  const second = codeOf(await decide(ovp, 'order', null));
  const first = await approvedRound(t.db, f.checker, HZ, (a) =>
    repay(recovery.id, 1_000_000, '2025-10-20', a),
  );
  const tooMuch = codeOf(await repay(recovery.id, 400_000, '2025-11-05'));
  const last = await approvedRound(t.db, f.checker, HZ, (a) =>
    repay(recovery.id, 360_000, '2025-11-05', a),
  );
  const replayLast = await repay(
    recovery.id,
    360_000,
    '2025-11-05',
    last.recovery.repayments[1]?.approvalId,
  );
  const after = await t.db.withConnection((ex) => overpaymentRecoveryOf(ex, HZ, ovp));
  const settledAgain = codeOf(await decide(ovp, 'order', null));
  const repayAgain = codeOf(await repay(recovery.id, 1, '2025-11-06'));
  return {
    offset,
    self,
    changed,
    afterChanged,
    done: done.value,
    again: again.ok ? again.value : null,
    receivableAfterDecision,
    second,
    first,
    tooMuch,
    last,
    replayLast: replayLast.ok ? replayLast.value : null,
    after,
    settledAgain,
    repayAgain,
  };
}

describe('recovering a dead worker’s overpayment by order (第四十六条 责令退回)', () => {
  it('refuses an offset: nothing of the dead worker is paid later (a survivor is another person)', async () => {
    expect((await orderFlow()).offset).toBe('benefit.recovery_no_later_payment');
  });

  it('binds the order to a second person’s approval of the exact payload', async () => {
    const o = await orderFlow();
    expect(o.self).toBe('approval.self_approval');
    expect(o.changed).toBe('approval.payload_mismatch');
    expect(o.afterChanged).toEqual({ recoveries: 0, transactions: 0 });
    expect(o.done.status).toBe('decided');
    expect(o.again?.replayed).toBe(true);
    expect(o.again?.overpayment.recovery?.id).toBe(o.done.overpayment.recovery?.id);
    expect(o.second).toBe('benefit.recovery_active');
  });

  it('recognises 1 360 000 in 1132 and is repaid to zero in two instalments, once each', async () => {
    const o = await orderFlow();
    const decided = o.done.overpayment.recovery as RecoveryView;
    expect([decided.method, decided.amountFen, decided.balanceFen]).toEqual([
      'order',
      1_360_000,
      1_360_000,
    ]);
    expect(o.receivableAfterDecision).toBe(1_360_000);
    expect(o.first.recovery.balanceFen).toBe(360_000);
    expect(o.tooMuch).toBe('benefit.recovery_amount_exceeds_balance');
    expect(o.last.recovery.balanceFen).toBe(0);
    expect(o.last.recovery.repayments.map((p) => [p.amountFen, p.paidOn])).toEqual([
      [1_000_000, '2025-10-20'],
      [360_000, '2025-11-05'],
    ]);
    expect(o.replayLast?.replayed).toBe(true);
    expect(o.after?.status).toBe('recovered');
    expect(o.after?.recovery?.status).toBe('settled');
    expect(o.after?.recovery?.settledOn).toBe('2025-11-05');
    expect(o.settledAgain).toBe('benefit.overpayment_settled');
    expect(o.repayAgain).toBe('benefit.overpayment_settled');
  });
});

/** The offset's flow, once (after the order's, so the ledger figures below are of both). */
const offsetFlow = (() => {
  let flow: ReturnType<typeof runOffsetFlow> | null = null;
  return () => {
    flow ??= orderFlow().then(runOffsetFlow);
    return flow;
  };
})();

async function runOffsetFlow() {
  const ovp = await overpaymentOf(w2);
  const tooLarge = codeOf(await decide(ovp, 'offset', 700_000));
  const overBalance = codeOf(await decide(ovp, 'offset', 2_000_000));
  const noMonthly = codeOf(await decide(ovp, 'offset', null));
  const decided = await approvedRound(t.db, f.checker, HZ, (a) =>
    decide(ovp, 'offset', 200_000, a, '生活困难，按月抵扣'),
  );
  const recoveryId = decided.overpayment.recovery?.id ?? '';
  await insertEntitlement(t.db, {
    employerId: f.employer.id,
    workerId: w2,
    entitlementId: NURSING,
    kind: 'nursing_allowance',
    amountFen: 270_000,
    startsOn: '2025-11-01',
  });
  const nov = await payMonth(t.db, f, rules, { month: '2025-11' });
  // Killed after its first chunk (the 生活护理费 line and its deduction committed), then resumed.
  let killed = false;
  const interrupted = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month: '2025-12' },
    {
      policy: POLICY,
      chunkSize: 1,
      afterChunk: () => {
        if (killed) return;
        killed = true;
        throw new Error('killed after chunk 1');
      },
    },
  ).catch((e: unknown) => (e instanceof Error ? e.message : 'killed'));
  const dec = await payMonth(t.db, f, rules, { month: '2025-12' });
  const novLines = await t.db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId: nov.runId, afterId: '', limit: 100 }),
  );
  const after = await t.db.withConnection((ex) => overpaymentRecoveryOf(ex, HZ, ovp));
  const payable = await t.db.query(
    `SELECT a.code AS account, p.side, p.amount FROM ledger_postings p
       JOIN ledger_transactions x ON x.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE x.id = $1 ORDER BY a.code, p.side`,
    [`benefit-payroll:${nov.runId}:approved`],
  );
  const decLines = await t.db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId: dec.runId, afterId: '', limit: 100 }),
  );
  return {
    ...{ tooLarge, overBalance, noMonthly, recoveryId, nov, dec, novLines, decLines },
    ...{ interrupted, after, payable },
  };
}

describe('recovering a living worker’s overpayment by offset (第四十六条 抵扣)', () => {
  it('refuses a month that would take a whole payment, more than owed, or no month at all', async () => {
    const o = await offsetFlow();
    expect(o.tooLarge).toBe('benefit.recovery_offset_too_large');
    expect(o.overBalance).toBe('benefit.recovery_amount_exceeds_balance');
    expect(o.noMonthly).toBe('benefit.recovery_monthly_of_offset');
  });

  it('withholds 200 000 from each of two later months: the bank pays 750 000, the balance falls to 960 000', async () => {
    const o = await offsetFlow();
    expect(o.interrupted).toBe('killed after chunk 1');
    expect(o.nov.paidFen).toBe(750_000);
    expect(o.dec.paidFen).toBe(750_000);
    const byKind = (lines: typeof o.novLines) =>
      lines
        .map((l) => [l.workerId, l.kind, l.amountFen, l.offsetFen, l.recoveryId])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    const expected = [
      [w2, 'disability_allowance', 680_000, 0, null],
      [w2, 'nursing_allowance', 70_000, 200_000, o.recoveryId],
    ];
    expect(byKind(o.novLines)).toEqual(expected);
    expect(byKind(o.decLines)).toEqual(expected);
    const r = o.after?.recovery;
    expect(r?.deductions.map((d) => [d.month, d.paidFen, d.offsetFen, d.posted])).toEqual([
      ['2025-11', 70_000, 200_000, true],
      ['2025-12', 70_000, 200_000, true],
    ]);
    expect([r?.offsetPostedFen, r?.balanceFen, r?.status]).toEqual([400_000, 960_000, 'active']);
    // The month's expense stays whole: Dr 5108 680 000, Dr 5106 270 000 / Cr 2102 750 000 /
    // Cr 1132 200 000.
    expect(
      o.payable.rows.map((row) => [row['account'], row['side'], Number(row['amount'])]),
    ).toEqual([
      ['1132', 'C', 200_000],
      ['2102', 'C', 750_000],
      ['5106', 'D', 270_000],
      ['5108', 'D', 680_000],
    ]);
  });

  it('leaves 5108 at 2 720 000, 5106 at 540 000, 1132 at 960 000, 2102 at 0, the ledger whole', async () => {
    await offsetFlow();
    expect(await balanceOf('5108')).toBe(2_720_000);
    expect(await balanceOf('5106')).toBe(540_000);
    expect(await balanceOf('1132')).toBe(960_000);
    expect(await balanceOf('2102')).toBe(0);
    const tb = await trialBalance(t.db, { segment: 'all', asOf: '2025-12-31' });
    if (!tb.ok) throw new Error(tb.message);
    expect(tb.value.totals.debitFen).toBe(tb.value.totals.creditFen);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});
