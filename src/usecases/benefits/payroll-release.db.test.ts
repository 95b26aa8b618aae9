import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { stopBenefits } from './benefit-stop.ts';
import { recordDeath } from './death-record.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { listReissueBatches, listReleases } from './payroll-by-hand-lists.ts';
import { issuePaymentFile } from './payroll-file.ts';
import { payrollRunView } from './payroll-read.ts';
import { runReconciliation } from './payroll-reconciliation-read.ts';
import { payrollReconciliationReport } from './payroll-reconciliation-report.ts';
import { reissueTotal } from './payroll-reissue.ts';
import { approveReissue, proposeReissue } from './payroll-reissue-batch.ts';
import {
  importReissueReturn,
  issueReissueFile,
  reissueBatchView,
} from './payroll-reissue-batch-bank.ts';
import { approveRelease, proposeRelease } from './payroll-release.ts';
import { importBankReturn } from './payroll-return.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage, runRow } from './payroll-store.ts';
import { insertCardAccount, insertEntitlement, insertWorker, setUpBenefits } from './testing.ts';

/**
 * The release of failed lines owed to no one (amounts in fen). 杭州 pays 伤残津贴 (Dr 5108) from
 * 2025-04 to W1 123 456, W2 200 000, W3 300 000, W4 150 000, W5 250 000, W6 111 111. September's
 * run is approved (2102 +1 134 567) and its file issued; then W1's death is recorded back-dated to
 * 2025-08-20 (the September line is still issued: nothing to reverse); the bank pays W4 only and
 * fails the other five, so 2102 keeps 984 567. W2, W5 and W6 are stopped (第四十二条) from
 * 2025-08-10. Then:
 * - W1's line (after_death) is released: Dr 2102 123 456 / Cr 5108 123 456 → 2102 861 111;
 * - W2's line (after_stop) is named by two releases applied at once: one posts 200 000, the other
 *   is refused → 2102 661 111;
 * - W5's line is proposed, then W5's death (2025-08-05) reverses it (250 000) → the release is
 *   refused as changed → 2102 411 111;
 * - W6's line: an account corrected after the proposal → the approval's payload no longer fits;
 * - W3's line is still owed (nothing blocks it): refused; W4's paid line is not a failed line.
 *   Its reissue by hand is rejected, proposed again (a new batch) and applied; the bank fails the
 *   batch's line, then W3's death (2025-08-25) reverses nothing (a batch's line is not the death's
 *   to reverse): its release posts Dr 2102 / Cr 5108 300 000 → 2102 111 111 (W6's, still owed).
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-08', '2025-09', '2025-10'];
const SEP = payrollRunId(HZ, '2025-09');
const TODAY = '2025-10-05';
const AMOUNTS = [123_456, 200_000, 300_000, 150_000, 250_000, 111_111];

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
const w: string[] = [];
/** Each worker's September line, by index. */
const line: string[] = [];
/** W3's reissue batch (proposed again after a rejection, applied). */
let w3Batch = '';

const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

async function balance(db: Database, account: string): Promise<number> {
  const tb = await trialBalance(db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function count(sql: string, params: unknown[]): Promise<number> {
  return intOf((await t.db.query(sql, params)).rows[0] ?? {}, 'n');
}

async function stop(workerId: string): Promise<void> {
  const input = {
    regionCode: HZ,
    workerId,
    ground: 'refused_treatment' as const,
    effectiveOn: '2025-08-10',
    reason: '拒绝治疗：经两次书面通知未到指定医疗机构就诊',
    policy: POLICY,
    today: TODAY,
  };
  const asked = await stopBenefits(t.db, f.maker, input);
  if (!asked.ok || asked.value.approval === null) throw new Error('no stop approval asked');
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  const done = await stopBenefits(t.db, f.maker, { ...input, approvalId: asked.value.approval.id });
  if (!done.ok) throw new Error(done.message);
}

async function september(): Promise<void> {
  const started = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month: '2025-09' },
    { policy: POLICY },
  );
  if (!started.ok) throw new Error(started.message);
  const ok = await approvePayrollRun(t.db, f.checker, rules, {
    regionCode: HZ,
    runId: SEP,
    on: '2025-09-18',
  });
  if (!ok.ok) throw new Error(ok.message);
  const file = await issuePaymentFile(t.db, f.maker, { regionCode: HZ, runId: SEP }, () => {});
  if (!file.ok) throw new Error(file.message);
}

async function bankReturn(): Promise<void> {
  const lines = await t.db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId: SEP, afterId: '', limit: 100 }),
  );
  for (const l of lines) line[w.indexOf(l.workerId)] = l.id;
  const text = [
    'line_id,status,bank_reference,paid_on,reason',
    ...lines.map((l) =>
      l.workerId === w[3] ? `${l.id},paid,BKREL0000001,2025-09-20,` : `${l.id},failed,,,账户已销户`,
    ),
    '',
  ].join('\n');
  const back = await importBankReturn(t.db, f.maker, { regionCode: HZ, runId: SEP, text });
  if (!back.ok) throw new Error(back.message);
}

const death = (workerId: string, diedOn: string) =>
  recordDeath(t.db, f.maker, {
    regionCode: HZ,
    workerId,
    diedOn,
    source: '死亡医学证明（推断）书',
    today: TODAY,
  });

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  for (const [i, amountFen] of AMOUNTS.entries()) {
    const workerId = await insertWorker(t.db);
    w.push(workerId);
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
      accountNumber: `62220000000700${i}`,
    });
  }
  await september();
  const died = await death(w[0] ?? '', '2025-08-20');
  if (!died.ok) throw new Error(died.message);
  expect(died.value.reversal.lineIds).toEqual([]);
  await bankReturn();
  for (const i of [1, 4, 5]) await stop(w[i] ?? '');
}, 240_000);
afterAll(async () => {
  await t.cleanup();
});

const propose = (lineIds: string[], on = TODAY) =>
  proposeRelease(t.db, f.maker, { regionCode: HZ, lineIds, on }, { policy: POLICY });

async function proposed(lineIds: string[], on = TODAY): Promise<string> {
  const p = await propose(lineIds, on);
  if (!p.ok) throw new Error(p.message);
  return p.value.release.id;
}

const approveAs = (releaseId: string, who = f.checker) =>
  approveRelease(t.db, who, { regionCode: HZ, releaseId, on: '2025-10-06' });

describe('release of failed lines owed to no one', () => {
  it('releases a line the bank failed after the death: Dr 2102 / Cr 5108 123 456, once', async () => {
    expect(await balance(t.db, '2102')).toBe(984_567);
    const w1 = line[0] ?? '';
    const p = await propose([w1]);
    if (!p.ok) throw new Error(p.message);
    expect(p.value.release.payload.lines).toEqual([
      {
        lineId: w1,
        month: '2025-09',
        entitlementId: expect.any(String),
        workerId: w[0],
        kind: 'disability_allowance',
        expenseAccount: '5108',
        amountFen: 123_456,
        reasons: ['after_death'],
      },
    ]);
    const releaseId = p.value.release.id;
    expect(codeOf(await approveAs(releaseId, f.maker))).toBe('approval.self_approval');
    const before5108 = await balance(t.db, '5108');
    const applied = await approveAs(releaseId);
    expect(applied.ok && applied.value).toMatchObject({
      replayed: false,
      release: { status: 'applied', transactionId: `benefit-payroll-release:${releaseId}` },
    });
    expect(await balance(t.db, '2102')).toBe(861_111);
    expect(before5108 - (await balance(t.db, '5108'))).toBe(123_456);
    const again = await approveAs(releaseId);
    expect(again.ok && again.value.replayed).toBe(true);
    expect((await propose([w1])).ok).toBe(true); // the same selection the same day: the release
    expect(codeOf(await propose([w1], '2025-10-07'))).toBe('benefit.release_already_released');
    expect(await balance(t.db, '2102')).toBe(861_111);
    const byHand = await proposeReissue(
      t.db,
      f.maker,
      { regionCode: HZ, lineIds: [w1], on: TODAY },
      { policy: POLICY },
    );
    expect(codeOf(byHand)).toBe('benefit.reissue_after_death');
    expect(byHand.ok ? [] : byHand.details?.['lines']).toEqual([
      { lineId: w1, reasons: ['after_death', 'released'] },
    ]);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});

describe('release of failed lines: concurrent applies and a change meanwhile', () => {
  it('two releases of one stopped line applied at once: one posts 200 000, the other is refused', async () => {
    const w2 = line[1] ?? '';
    const first = await proposed([w2], '2025-10-05');
    const second = await proposed([w2], '2025-10-06');
    expect(first).not.toBe(second);
    const outcomes = await Promise.all([approveAs(first), approveAs(second)]);
    expect(outcomes.map(codeOf).sort()).toEqual(['benefit.release_changed', 'ok']);
    expect(await balance(t.db, '2102')).toBe(661_111);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM payroll_released_lines
         WHERE region_code = $1 AND line_id = $2 AND reason = 'after_stop'`,
        [HZ, w2],
      ),
    ).toBe(1);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });

  it('a line a death reversed after the proposal: refused as changed, nothing written', async () => {
    const w5 = line[4] ?? '';
    const releaseId = await proposed([w5]);
    const died = await death(w[4] ?? '', '2025-08-05');
    if (!died.ok) throw new Error(died.message);
    expect(died.value.reversal).toMatchObject({ lineIds: [w5], amountFen: 250_000 });
    expect(await balance(t.db, '2102')).toBe(411_111);
    // Migration 0064's backfill reads the same from the death's audit event as the death wrote.
    const backfill = await t.db.query(
      `SELECT l.id AS line_id, l.amount_fen::int AS amount_fen,
         'benefit-death:' || l.worker_id || ':' || l.region_code || ':reversal' AS transaction_id
       FROM audit_events a
       CROSS JOIN LATERAL jsonb_array_elements_text(a.details->'reversedLineIds') x(line_id)
       JOIN payroll_lines l ON l.id = x.line_id
       WHERE a.action = 'benefits.death.record' AND a.result = 'ok' AND l.id = $1`,
      [w5],
    );
    const written = await t.db.query(
      `SELECT line_id, amount_fen::int AS amount_fen, transaction_id FROM payroll_released_lines
       WHERE source = 'death' AND line_id = $1`,
      [w5],
    );
    expect(backfill.rows).toEqual(written.rows);
    expect(written.rows).toEqual([
      {
        line_id: w5,
        amount_fen: 250_000,
        transaction_id: `benefit-death:${w[4]}:${HZ}:reversal`,
      },
    ]);
    const refused = await approveAs(releaseId);
    expect(codeOf(refused)).toBe('benefit.release_changed');
    expect(refused.ok ? null : refused.details?.['cause']).toBe('benefit.release_already_released');
    expect(await balance(t.db, '2102')).toBe(411_111);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM payroll_releases WHERE region_code = $1 AND id = $2
           AND status = 'proposed'`,
        [HZ, releaseId],
      ),
    ).toBe(1);
  });
});

describe('release of failed lines: refusals', () => {
  it('an approval bound to another payload, a line still owed, a line not failed: refused', async () => {
    const w6 = line[5] ?? '';
    const releaseId = await proposed([w6]);
    const account = (a: string) =>
      t.db.query(
        `UPDATE payroll_lines SET expense_account = $3 WHERE region_code = $1 AND id = $2`,
        [HZ, w6, a],
      );
    await account('5106');
    expect(codeOf(await approveAs(releaseId))).toBe('approval.payload_mismatch');
    await account('5108');
    expect(await balance(t.db, '2102')).toBe(411_111);
    const owed = await propose([line[2] ?? '', w6]);
    expect(codeOf(owed)).toBe('benefit.release_line_owed');
    expect(owed.ok ? [] : owed.details?.['lines']).toEqual([
      { lineId: line[2], code: 'benefit.release_line_owed' },
    ]);
    expect(codeOf(await propose([line[3] ?? '']))).toBe('benefit.release_line_not_failed');
  });
});

describe('reissue batch id after a rejected approval (the same selection, the same day)', () => {
  it('a new proposal after the rejection is a new batch; a live one is answered again', async () => {
    const w3 = line[2] ?? '';
    const ask = () =>
      proposeReissue(
        t.db,
        f.maker,
        { regionCode: HZ, lineIds: [w3], on: TODAY },
        { policy: POLICY },
      );
    const dead = await ask();
    if (!dead.ok) throw new Error(dead.message);
    const rejected = await decideApproval(t.db, f.checker, {
      regionCode: HZ,
      id: dead.value.batch.approvalId,
      decision: 'rejected',
    });
    expect(rejected.ok).toBe(true);
    const fresh = await ask();
    if (!fresh.ok) throw new Error(fresh.message);
    expect(fresh.value.replayed).toBe(false);
    expect(fresh.value.batch.id).not.toBe(dead.value.batch.id);
    const replay = await ask();
    expect(replay.ok && replay.value).toMatchObject({
      replayed: true,
      batch: { id: fresh.value.batch.id },
    });
    const applied = await approveReissue(t.db, f.checker, {
      regionCode: HZ,
      batchId: fresh.value.batch.id,
    });
    expect(applied.ok && applied.value.batch.status).toBe('applied');
    w3Batch = fresh.value.batch.id;
  });

  it('October’s run reissues none of the released or blocked lines', async () => {
    const oct = await startPayrollRun(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, month: '2025-10' },
      { policy: POLICY },
    );
    if (!oct.ok) throw new Error(oct.message);
    // W3 300 000 and W4 150 000: the dead and the stopped are not paid, W3's failed line went by hand.
    expect(oct.value).toMatchObject({ lineCount: 2, totalFen: 450_000 });
    const reissued = await t.db.withConnection((ex) =>
      reissueTotal(ex, { regionCode: HZ, id: payrollRunId(HZ, '2025-10') }),
    );
    expect(reissued).toEqual({ lines: 0, amountFen: 0 });
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});

describe('release of a reissue batch’s line the bank failed, then a death', () => {
  it('the death reverses nothing of a batch; the release posts Dr 2102 / Cr 5108 300 000', async () => {
    const file = await issueReissueFile(t.db, f.maker, {
      regionCode: HZ,
      batchId: w3Batch,
      format: 'csv',
    });
    expect(file.ok).toBe(true);
    const view = await reissueBatchView(t.db, { regionCode: HZ, batchId: w3Batch });
    const batchLine = view.ok ? (view.value.lines[0]?.id ?? '') : '';
    const text = `line_id,status,bank_reference,paid_on,reason\n${batchLine},failed,,,账户冻结\n`;
    const back = await importReissueReturn(t.db, f.maker, {
      regionCode: HZ,
      batchId: w3Batch,
      text,
    });
    expect(back.ok && back.value.failed).toBe(1);
    const died = await death(w[2] ?? '', '2025-08-25');
    expect(died.ok && died.value.reversal.lineIds).toEqual([]);
    expect(await balance(t.db, '2102')).toBe(411_111);
    const p = await propose([batchLine], '2025-10-07');
    if (!p.ok) throw new Error(p.message);
    expect(p.value.release.payload.lines).toMatchObject([
      { lineId: batchLine, month: '2025-09', amountFen: 300_000, reasons: ['after_death'] },
    ]);
    const applied = await approveAs(p.value.release.id);
    expect(applied.ok && applied.value.release.status).toBe('applied');
    // W6's 111 111 is all 2102 still holds (its release was refused above).
    expect(await balance(t.db, '2102')).toBe(111_111);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});

/**
 * September's run at the end (docs/benefits.md, "Reconciliation report"), by hand: six lines sent,
 * 1 134 567; W4 confirmed 150 000; released W1 123 456 and W2 200 000 (releases) and W5 250 000
 * (the death's reversal) = 3 lines 573 456; failed and still owed W3 300 000 (reissued later by
 * hand) and W6 111 111 = 2 lines 411 111; 150 000 + 411 111 + 573 456 = 1 134 567 sent. The run's
 * own 2102: Cr 1 134 567, Dr 150 000, balance 984 567 = month lines − confirmed: difference 0.
 * The ledger's 2102 (111 111) is that balance less the releases and the reversal of the run's lines
 * (573 456 → 411 111) less the release of W3's batch line (300 000).
 */
describe('the reconciliation counts released lines apart from failed ones', () => {
  it('the run: figures, the ledger beside them, the JSON view and the xlsx', async () => {
    const run = await t.db.withConnection((ex) => runRow(ex, HZ, SEP, false));
    if (run === null) throw new Error('no September run');
    const r = await t.db.withConnection((ex) => runReconciliation(ex, run));
    expect(r.total).toMatchObject({
      monthLines: { lines: 6, amountFen: 1_134_567 },
      sent: { lines: 6, amountFen: 1_134_567 },
      confirmed: { lines: 1, amountFen: 150_000 },
      failed: { lines: 2, amountFen: 411_111 },
      released: { lines: 3, amountFen: 573_456 },
      outstanding: { lines: 0, amountFen: 0 },
      held: { lines: 0, amountFen: 0 },
      reissuedLater: { lines: 1, amountFen: 300_000 },
    });
    expect(r.ledger).toEqual({
      creditFen: 1_134_567,
      debitFen: 150_000,
      balanceFen: 984_567,
      expectedFen: 984_567,
      differenceFen: 0,
    });
    expect(r.ledger.balanceFen - r.total.released.amountFen - 300_000).toBe(
      await balance(t.db, '2102'),
    );
    const view = await payrollRunView(t.db, { regionCode: HZ, runId: SEP });
    expect(view.ok && view.value.reconciliation).toEqual({
      sent: { lines: 6, amountFen: 1_134_567 },
      confirmed: { lines: 1, amountFen: 150_000 },
      failed: { lines: 2, amountFen: 411_111 },
      outstanding: { lines: 0, amountFen: 0 },
      notSent: { lines: 0, amountFen: 0 },
      released: { lines: 3, amountFen: 573_456 },
    });
    const xlsx = await payrollReconciliationReport(t.db, f.maker, {
      regionCode: HZ,
      runId: SEP,
      format: 'xlsx',
    });
    if (!xlsx.ok) throw new Error(xlsx.message);
    const rows = await summaryRows(xlsx.value.bytes);
    // [伤残津贴 lines, fen, total lines, fen]
    expect(rows.get('银行失败')).toEqual([2, 411_111, 2, 411_111]);
    expect(rows.get('已冲回（无人应得，冲销 2102）')).toEqual([3, 573_456, 3, 573_456]);
    expect(rows.get('差额（账 − 明细）')).toEqual([0]);
    expect(rows.get('已冲回明细（2102 借方记于冲回凭证，不在上列）')).toEqual([573_456]);
  });

  it('the reissue batch: its line the bank failed, then released, is released, not failed', async () => {
    const view = await reissueBatchView(t.db, { regionCode: HZ, batchId: w3Batch });
    if (!view.ok) throw new Error(view.message);
    expect(view.value.reconciliation.total).toMatchObject({
      reissueLines: { lines: 1, amountFen: 300_000 },
      sent: { lines: 1, amountFen: 300_000 },
      failed: { lines: 0, amountFen: 0 },
      released: { lines: 1, amountFen: 300_000 },
    });
    expect(view.value.reconciliation.ledger.differenceFen).toBe(0);
  });
});

async function summaryRows(bytes: Buffer): Promise<Map<string, unknown[]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const rows = new Map<string, unknown[]>();
  wb.getWorksheet('对账汇总')?.eachRow((row) => {
    const [label, ...rest] = Array.isArray(row.values) ? row.values.slice(1) : [];
    if (typeof label === 'string') rows.set(label, rest);
  });
  return rows;
}

describe('the lists of reissue batches and releases (newest first, keyset-paged)', () => {
  it('lists the city’s releases by day, then by when written; pages; filters; not another city’s', async () => {
    const all = await listReleases(t.db, { regionCode: HZ, status: null, after: null, limit: 50 });
    expect(all.nextAfter).toBeNull();
    expect(all.items.map((x) => [x.proposedOn, x.totalFen, x.lineCount])).toEqual([
      ['2025-10-07', 300_000, 1], // W3's batch line
      ['2025-10-06', 200_000, 1], // W2's second
      ['2025-10-05', 111_111, 1], // W6's
      ['2025-10-05', 250_000, 1], // W5's
      ['2025-10-05', 200_000, 1], // W2's first
      ['2025-10-05', 123_456, 1], // W1's
    ]);
    const applied = all.items.filter((x) => x.status === 'applied');
    expect(applied.map((x) => x.totalFen).sort()).toEqual([123_456, 200_000, 300_000]);
    for (const x of applied) {
      expect(x).toMatchObject({ approvalStatus: 'consumed', proposedBy: f.maker.username });
      expect(x.transactionId).toBe(`benefit-payroll-release:${x.id}`);
    }
    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page = await listReleases(t.db, { regionCode: HZ, status: null, after, limit: 4 });
      pages.push(...page.items.map((x) => x.id));
      after = page.nextAfter;
    } while (after !== null);
    expect(pages).toEqual(all.items.map((x) => x.id));
    const filtered = await listReleases(t.db, {
      regionCode: HZ,
      status: 'applied',
      after: null,
      limit: 50,
    });
    expect(filtered.items.map((x) => x.id)).toEqual(applied.map((x) => x.id));
    const other = await listReleases(t.db, {
      regionCode: '330200',
      status: null,
      after: null,
      limit: 50,
    });
    expect(other.items).toEqual([]);
  });

  it('lists W3’s two batches: the applied one its line failed, the rejected one', async () => {
    const page = await listReissueBatches(t.db, {
      regionCode: HZ,
      status: null,
      after: null,
      limit: 50,
    });
    expect(page.items).toMatchObject([
      {
        id: w3Batch,
        status: 'reconciled',
        proposedOn: TODAY,
        lineCount: 1,
        totalFen: 300_000,
        approvalStatus: 'consumed',
        fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        confirmedLines: 0,
        failedLines: 1,
        outstandingLines: 0,
      },
      { status: 'proposed', approvalStatus: 'rejected', fileSha256: null, failedLines: 0 },
    ]);
  });
});
