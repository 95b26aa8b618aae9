import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { decideRecovery } from './benefit-recovery.ts';
import { overpaymentRecoveryOf } from './benefit-recovery-read.ts';
import { recordDeath } from './death-record.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { issuePaymentFile } from './payroll-file.ts';
import { approveReissue, proposeReissue } from './payroll-reissue-batch.ts';
import { importReissueReturn, issueReissueFile } from './payroll-reissue-batch-bank.ts';
import { importBankReturn } from './payroll-return.ts';
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
 * A line the bank fails after an overpayment counted it (amounts in fen; 杭州, 伤残津贴 from 2025-04,
 * Dr 5108). August and September are paid, except C's September line, failed and then reissued by
 * hand (a batch, paid 2025-10-03). October's run is approved and its file sent; before the bank
 * answers, three deaths are recorded back-dated:
 * - A (180 000) died 2025-08-15: September paid + October sent → overpayment 360 000; a recovery
 *   is refused while October is unanswered; the bank fails October → 180 000 (September only);
 *   the order is then decided for 180 000.
 * - B (99 999) died 2025-09-30: October sent → 99 999; the bank fails it → cancelled, 0.
 * - C (50 000) died 2025-08-31: the batch's September line (paid) + October sent → 100 000 (before
 *   migration 0066 a batch's line was not read: 50 000); the bank pays October → 100 000 stays.
 */
const rules = testRuleBook().benefits;
const OCT = payrollRunId(HZ, '2025-10');
const TODAY = '2025-10-25';

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
const who: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
const octLine: Record<string, string> = {};

async function worker(amountFen: number, n: number): Promise<string> {
  const workerId = await insertWorker(t.db);
  await insertEntitlement(t.db, {
    employerId: f.employer.id,
    workerId,
    kind: 'disability_allowance',
    amountFen,
    startsOn: '2025-04-01',
  });
  await insertCardAccount(t.db, {
    workerId,
    validFrom: '2024-01-01',
    accountNumber: `62220000000900${n}`,
  });
  return workerId;
}

/** C's failed September line reissued by hand, paid by the bank on 2025-10-03. */
async function reissueC(): Promise<void> {
  const sep = payrollRunId(HZ, '2025-09');
  const r = await t.db.query(
    'SELECT id FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND worker_id = $3',
    [HZ, sep, who.c],
  );
  const failed = textOf(r.rows[0] ?? {}, 'id');
  const asked = await proposeReissue(
    t.db,
    f.maker,
    { regionCode: HZ, lineIds: [failed], on: '2025-10-02' },
    { policy: POLICY },
  );
  if (!asked.ok) throw new Error(asked.message);
  const batchId = asked.value.batch.id;
  const applied = await approveReissue(t.db, f.checker, { regionCode: HZ, batchId });
  if (!applied.ok) throw new Error(applied.message);
  const file = await issueReissueFile(t.db, f.maker, { regionCode: HZ, batchId, format: 'csv' });
  if (!file.ok) throw new Error(file.message);
  const line = await t.db.query(
    'SELECT id FROM payroll_lines WHERE region_code = $1 AND batch_id = $2',
    [HZ, batchId],
  );
  const text = `line_id,status,bank_reference,paid_on,reason\n${textOf(line.rows[0] ?? {}, 'id')},paid,BKOVP0000001,2025-10-03,\n`;
  const back = await importReissueReturn(t.db, f.maker, { regionCode: HZ, batchId, text });
  if (!back.ok) throw new Error(back.message);
}

/** October computed, approved and sent; the bank has not answered. */
async function octoberSent(): Promise<void> {
  const started = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month: '2025-10' },
    { policy: POLICY },
  );
  if (!started.ok) throw new Error(started.message);
  const ok = await approvePayrollRun(t.db, f.checker, rules, {
    regionCode: HZ,
    runId: OCT,
    on: '2025-10-18',
  });
  if (!ok.ok) throw new Error(ok.message);
  const file = await issuePaymentFile(t.db, f.maker, { regionCode: HZ, runId: OCT }, () => {});
  if (!file.ok) throw new Error(file.message);
  const lines = await t.db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId: OCT, afterId: '', limit: 100 }),
  );
  for (const l of lines) if (l.reissueOf === null) octLine[l.workerId] = l.id;
}

async function died(workerId: string, diedOn: string): Promise<void> {
  const d = await recordDeath(t.db, f.maker, {
    regionCode: HZ,
    workerId,
    diedOn,
    source: '死亡医学证明（推断）书',
    today: TODAY,
  });
  if (!d.ok) throw new Error(d.message);
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-08', '2025-09', '2025-10']);
  who.a = await worker(180_000, 1);
  who.b = await worker(99_999, 2);
  who.c = await worker(50_000, 3);
  await payMonth(t.db, f, rules, { month: '2025-08' });
  await payMonth(t.db, f, rules, { month: '2025-09', failing: [who.c] });
  await reissueC();
  await octoberSent();
  await died(who.a, '2025-08-15');
  await died(who.b, '2025-09-30');
  await died(who.c, '2025-08-31');
}, 240_000);
afterAll(async () => {
  await t.cleanup();
});

async function overpaymentOf(workerId: string) {
  const r = await t.db.query(
    `SELECT id FROM benefit_overpayments WHERE region_code = $1 AND worker_id = $2 AND reason = 'death'`,
    [HZ, workerId],
  );
  const id = textOf(r.rows[0] ?? {}, 'id');
  const o = await t.db.withConnection((ex) => overpaymentRecoveryOf(ex, HZ, id));
  if (o === null) throw new Error(`no overpayment of ${workerId}`);
  return o;
}

const order = (overpaymentId: string, approvalId?: string) =>
  decideRecovery(t.db, f.maker, {
    regionCode: HZ,
    overpaymentId,
    method: 'order',
    monthlyFen: null,
    reason: '责令遗产继承人一次性退回',
    approvalId,
    on: '2025-10-26',
    policy: POLICY,
  });

async function octoberReturn(): Promise<void> {
  const row = (w: string, paid: boolean) =>
    paid
      ? `${octLine[w]},paid,BKOVP00000${w.slice(-2)},2025-10-20,`
      : `${octLine[w]},failed,,,账户已冻结`;
  const text = [
    'line_id,status,bank_reference,paid_on,reason',
    row(who.a, false),
    row(who.b, false),
    row(who.c, true),
    '',
  ].join('\n');
  const back = await importBankReturn(t.db, f.maker, { regionCode: HZ, runId: OCT, text });
  if (!back.ok) throw new Error(back.message);
}

const count = async (sql: string, params: unknown[]) =>
  intOf((await t.db.query(sql, params)).rows[0] ?? {}, 'n');

describe('an overpayment and the lines the bank fails after it was found', () => {
  it('counts the sent lines, and a reissue batch’s paid line, when the death is recorded', async () => {
    const [a, b, c] = [
      await overpaymentOf(who.a),
      await overpaymentOf(who.b),
      await overpaymentOf(who.c),
    ];
    expect([a.amountFen, a.months, a.status]).toEqual([360_000, ['2025-09', '2025-10'], 'open']);
    expect([b.amountFen, b.months]).toEqual([99_999, ['2025-10']]);
    expect([c.amountFen, c.months, c.lineIds.length]).toEqual([100_000, ['2025-09', '2025-10'], 2]);
  });

  it('refuses a recovery while a counted line awaits the bank, and writes nothing', async () => {
    const a = await overpaymentOf(who.a);
    const asked = await order(a.overpaymentId);
    expect(asked.ok ? 'ok' : [asked.code, asked.details]).toEqual([
      'benefit.overpayment_awaiting_bank',
      { lineIds: [octLine[who.a]] },
    ]);
    expect(
      await count('SELECT count(*)::int AS n FROM approvals WHERE payload::text LIKE $1', [
        `%${a.overpaymentId}%`,
      ]),
    ).toBe(0);
  });

  it('takes the failed lines out when the bank answers: 180 000 left, B cancelled, C unchanged', async () => {
    await octoberReturn();
    const [a, b, c] = [
      await overpaymentOf(who.a),
      await overpaymentOf(who.b),
      await overpaymentOf(who.c),
    ];
    expect([a.amountFen, a.months, a.lineIds.length, a.status]).toEqual([
      180_000,
      ['2025-09'],
      1,
      'open',
    ]);
    expect([b.amountFen, b.months, b.lineIds, b.status]).toEqual([0, [], [], 'cancelled']);
    expect([c.amountFen, c.status]).toEqual([100_000, 'open']);
    const kept = await t.db.query(
      `SELECT line_id, month, amount_fen::int AS amount FROM benefit_overpayment_failed_lines
       WHERE region_code = $1 ORDER BY amount_fen DESC`,
      [HZ],
    );
    expect(kept.rows).toEqual([
      { line_id: octLine[who.a], month: '2025-10', amount: 180_000 },
      { line_id: octLine[who.b], month: '2025-10', amount: 99_999 },
    ]);
    // Importing the same return again is a replay: nothing is taken out twice.
    await octoberReturn();
    expect((await overpaymentOf(who.a)).amountFen).toBe(180_000);
    expect(await count('SELECT count(*)::int AS n FROM benefit_overpayment_failed_lines', [])).toBe(
      2,
    );
  });

  it('recovers what was paid: an order of 180 000 for A, none for the cancelled B', async () => {
    const a = await overpaymentOf(who.a);
    const asked = await order(a.overpaymentId);
    if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
    await approve(t.db, f.checker, HZ, asked.value.approval.id);
    const done = await order(a.overpaymentId, asked.value.approval.id);
    expect(done.ok && done.value.overpayment.recovery?.amountFen).toBe(180_000);
    const b = await overpaymentOf(who.b);
    const refused = await order(b.overpaymentId);
    expect(refused.ok ? 'ok' : refused.code).toBe('benefit.overpayment_settled');
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});
