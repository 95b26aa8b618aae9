import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { recordDeath } from './death-record.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { runReview } from './payroll-review-read.ts';
import { recomputePayrollRun, startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * A death recorded back-dated two months, by hand (amounts in fen). 杭州 pays W1 伤残津贴 680 000
 * and 生活护理费 270 000 a month from 2025-04, W2 伤残津贴 500 000. The runs of 2025-07, 08 and 09 are
 * paid by the bank; the run of 2025-10 is computed, not yet approved. On 2025-10-05 the handler
 * records W1's death on 2025-07-10 (《工伤保险条例》第三十九条; the month of death is paid whole):
 * - both of W1's entitlements end on 2025-07-31;
 * - overpaid: 伤残津贴 2025-08 + 2025-09 = 1 360 000, 生活护理费 2025-08 + 2025-09 = 540 000, in all
 *   1 900 000, open, no ledger movement;
 * - the computed 2025-10 run's review now flags W1's two lines (payment_after_death), so its
 *   approval, bound to the review without them, is refused;
 * - the 2025-11 run pays W2 only: one line, 500 000.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11'];

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let w1 = '';
let w2 = '';
let disability = '';
let nursing = '';

async function count(db: Database, sql: string): Promise<number> {
  const r = await db.query(sql);
  return intOf(r.rows[0] ?? {}, 'n');
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  w1 = await insertWorker(t.db);
  w2 = await insertWorker(t.db);
  const ent = (workerId: string, kind: string, amountFen: number) =>
    insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind,
      amountFen,
      startsOn: '2025-04-01',
    });
  disability = await ent(w1, 'disability_allowance', 680_000);
  nursing = await ent(w1, 'nursing_allowance', 270_000);
  await ent(w2, 'disability_allowance', 500_000);
  await insertCardAccount(t.db, {
    workerId: w1,
    validFrom: '2024-01-01',
    accountNumber: '6222000000010001',
  });
  await insertCardAccount(t.db, {
    workerId: w2,
    validFrom: '2024-01-01',
    accountNumber: '6222000000020001',
  });
  for (const month of ['2025-07', '2025-08', '2025-09']) await payMonth(t.db, f, rules, { month });
  const october = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month: '2025-10' },
    { policy: POLICY },
  );
  if (!october.ok) throw new Error(october.message);
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

const record = (diedOn: string, workerId = w1) =>
  recordDeath(t.db, f.maker, {
    regionCode: HZ,
    workerId,
    diedOn,
    source: '居民死亡医学证明书 No. 330100-2025-000123',
    today: '2025-10-05',
  });

describe('refusals change nothing', () => {
  it('a death after today, before birth, or of a worker the city does not know is refused', async () => {
    const audit = await count(t.db, 'SELECT count(*)::int AS n FROM audit_events');
    expect(((r) => (r.ok ? 'ok' : r.code))(await record('2025-10-06'))).toBe(
      'benefit.death_in_future',
    );
    expect(((r) => (r.ok ? 'ok' : r.code))(await record('1970-01-01'))).toBe(
      'benefit.death_before_birth',
    );
    const stranger = await insertWorker(t.db);
    expect(((r) => (r.ok ? 'ok' : r.code))(await record('2025-07-10', stranger))).toBe(
      'benefit.worker_not_found',
    );
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM worker_deaths')).toBe(0);
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM benefit_entitlements WHERE status = 'ended'`,
      ),
    ).toBe(0);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM audit_events')).toBe(audit);
  });
});

describe('《工伤保险条例》第三十九条: a death recorded back-dated two months', () => {
  it('ends the worker’s own items with the month of death and computes the overpayment exactly', async () => {
    const r = await record('2025-07-10');
    if (!r.ok) throw new Error(r.message);
    expect(r.value.endedEntitlements.map((e) => [e.id, e.endsOnBefore, e.endsOn]).sort()).toEqual(
      [
        [disability, null, '2025-07-31'],
        [nursing, null, '2025-07-31'],
      ].sort(),
    );
    const byEntitlement = new Map(r.value.overpayments.map((o) => [o.entitlementId, o]));
    expect(byEntitlement.get(disability)).toMatchObject({
      months: ['2025-08', '2025-09'],
      amountFen: 1_360_000,
      status: 'open',
    });
    expect(byEntitlement.get(nursing)).toMatchObject({
      months: ['2025-08', '2025-09'],
      amountFen: 540_000,
    });
    expect(byEntitlement.get(disability)?.lineIds).toHaveLength(2);
    expect(r.value.overpaidFen).toBe(1_900_000);
    const rows = await t.db.query(
      `SELECT count(*)::int AS n FROM benefit_entitlements WHERE worker_id = $1 AND status = 'ended' AND ends_on = '2025-07-31'`,
      [w1],
    );
    expect(intOf(rows.rows[0] ?? {}, 'n')).toBe(2);
  });

  it('recording again is refused and changes nothing', async () => {
    const again = await record('2025-06-01');
    expect(again.ok ? 'ok' : [again.code, again.details?.['diedOn']]).toEqual([
      'benefit.death_already_recorded',
      '2025-07-10',
    ]);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM benefit_overpayments')).toBe(2);
    const d = await t.db.query('SELECT died_on::text AS d FROM worker_deaths');
    expect(d.rows).toEqual([{ d: '2025-07-10' }]);
  });

  it('the guard of a run computed before the death reads the real date; its approval is refused', async () => {
    const run = { regionCode: HZ, id: payrollRunId(HZ, '2025-10'), month: '2025-10' };
    const review = await t.db.withConnection((ex) =>
      runReview(ex, run, { minFen: 50_000, maxFen: 2_000_000 }),
    );
    // One finding per line and cause: the items the death ended are not named again as
    // entitlement_not_in_force (payroll-review-read.ts).
    expect(review.anomalies.map((a) => a.code)).toEqual([
      'payment_after_death',
      'payment_after_death',
    ]);
    const after = review.anomalies.filter((a) => a.code === 'payment_after_death');
    expect(after.map((a) => [a.workerId, a.detail]).sort()).toEqual(
      [
        [w1, 'disability_allowance for 2025-10 after the death on 2025-07-10'],
        [w1, 'nursing_allowance for 2025-10 after the death on 2025-07-10'],
      ].sort(),
    );
    const approved = await approvePayrollRun(t.db, f.checker, rules, {
      regionCode: HZ,
      runId: run.id,
      on: '2025-10-18',
    });
    expect(approved.ok ? 'ok' : approved.code).toBe('approval.payload_mismatch');
  });

  it('the next run pays the ended entitlements not at all', async () => {
    const r = await startPayrollRun(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, month: '2025-11' },
      { policy: POLICY },
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ lineCount: 1, totalFen: 500_000, anomalies: [] });
    const lines = await t.db.withConnection((ex) =>
      linePage(ex, { regionCode: HZ, runId: r.value.id, afterId: '', limit: 10 }),
    );
    expect(lines.map((l) => [l.workerId, l.amountFen])).toEqual([[w2, 500_000]]);
  });
});

describe('the run computed before the death, computed again (重新计算)', () => {
  const oct = payrollRunId(HZ, '2025-10');
  const recompute = (who = f.maker) =>
    recomputePayrollRun(
      t.db,
      who,
      rules,
      { regionCode: HZ, runId: oct, reason: 'W1 死亡已登记（2025-07-10）' },
      { policy: POLICY },
    );

  it('discards W1’s two lines, asks a new approval for W2’s 500 000 alone, which is approved', async () => {
    const before = await t.db.query(
      'SELECT approval_id FROM payroll_runs WHERE region_code = $1 AND id = $2',
      [HZ, oct],
    );
    const r = await recompute();
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ status: 'computed', lineCount: 1, totalFen: 500_000 });
    expect(r.value.anomalies).toEqual([]);
    expect(r.value.approvalId).not.toBe(before.rows[0]?.['approval_id']);
    const lines = await t.db.withConnection((ex) =>
      linePage(ex, { regionCode: HZ, runId: oct, afterId: '', limit: 10 }),
    );
    expect(lines.map((l) => [l.workerId, l.amountFen])).toEqual([[w2, 500_000]]);
    const audit = await t.db.query(
      `SELECT details FROM audit_events WHERE action = 'benefits.payroll.recompute'`,
    );
    expect(audit.rows.map((row) => row['details'])).toMatchObject([
      { discarded: { lineCount: 3, totalFen: 1_450_000 } },
    ]);
    const approved = await approvePayrollRun(t.db, f.checker, rules, {
      regionCode: HZ,
      runId: oct,
      on: '2025-10-18',
    });
    expect(approved.ok && approved.value.run.status).toBe('approved');
  });

  it('refuses an approved run, and changes nothing', async () => {
    const again = await recompute();
    expect(again.ok ? 'ok' : [again.code, again.details]).toEqual([
      'benefit.payroll_run_not_recomputable',
      { status: 'approved' },
    ]);
    expect(
      await count(t.db, `SELECT count(*)::int AS n FROM payroll_lines WHERE run_id = '${oct}'`),
    ).toBe(1);
  });
});
