import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { issuePaymentFile } from './payroll-file.ts';
import { payrollRunView } from './payroll-read.ts';
import { importBankReturn } from './payroll-return.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import { insertCardAccount, insertEntitlement, setUpBenefits } from './testing.ts';

/**
 * The monthly payroll of 杭州 for 2025-09, hand-computed to the fen (amounts in fen):
 * - W1, grade 3 with nursing: 伤残津贴 680 000 (本人工资 8 000.00 元 × 85 %, 《工伤保险条例》第三十五条
 *   第一款第（二）项) and 生活护理费 270 000 (an average wage of 9 000.00 元 × 30 %, 第三十四条);
 * - W2: 伤残津贴 ended 2025-07-31 — not paid;
 * - W3: grade 5 伤残津贴 paid by the employer (第三十六条) — recorded, not paid;
 * - W4: 伤残津贴 450 000 ended 2025-09-15 (paid whole: payroll.partial_month_rule = full_month, demo)
 *   and its successor 460 000 from 2025-09-16 — two payable of one kind: an anomaly;
 * - W5: 伤残津贴 30 000 (below the demo band's 50 000) to a card account recorded 2025-09-10 (the
 *   month's own: an anomaly); the bank fails it;
 * - W6: 伤残津贴 600 000 with no card account: failed at computation, not sent;
 * - W7: 伤残津贴 from 2025-10-01 — not yet.
 * Run: 6 lines, 2 490 000 = 5108 2 220 000 + 5106 270 000. File: 5 lines, 1 890 000. Bank: W1 ×2
 * and W4 ×2 paid on 2025-09-20 (1 860 000), W5 failed (30 000). 2102 keeps 630 000 owed.
 */
const rules = testRuleBook().benefits;
const MONTH = '2025-09';
const RUN = payrollRunId(HZ, MONTH);
const PERIODS = ['2025-09', '2025-10'];

type Fixture = Awaited<ReturnType<typeof setUpBenefits>>;

async function worker(db: Database, n: number): Promise<string> {
  const id = `wkr_${String(n).padStart(16, '0')}`;
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2, $3, 'male', '1980-04-02', 'test')`,
    [id, demoIdNumber('330102', '1980-04-02', 2 * n + 1), `职工${n}`],
  );
  return id;
}

/** The scenario above, with fixed worker and entitlement ids (two databases hold the same). */
async function seedScenario(db: Database): Promise<Fixture> {
  const f = await setUpBenefits(db, rules, PERIODS);
  const w: string[] = [];
  for (let n = 1; n <= 7; n += 1) w.push(await worker(db, n));
  const ent = (
    n: number,
    workerNo: number,
    e: { kind?: string; amountFen: number; from: string; until?: string; payer?: 'employer' },
  ) =>
    insertEntitlement(db, {
      employerId: f.employer.id,
      workerId: w[workerNo - 1] ?? '',
      entitlementId: `ent_${HZ}_${String(n).padStart(16, '0')}`,
      kind: e.kind ?? 'disability_allowance',
      amountFen: e.amountFen,
      startsOn: e.from,
      endsOn: e.until ?? null,
      ...(e.payer === undefined ? {} : { payer: e.payer }),
    });
  await ent(1, 1, { amountFen: 680_000, from: '2025-04-01' });
  await ent(2, 1, { kind: 'nursing_allowance', amountFen: 270_000, from: '2025-04-01' });
  await ent(3, 2, { amountFen: 500_000, from: '2025-04-01', until: '2025-07-31' });
  await ent(4, 3, { amountFen: 420_000, from: '2025-04-01', payer: 'employer' });
  await ent(5, 4, { amountFen: 450_000, from: '2025-04-01', until: '2025-09-15' });
  await ent(6, 4, { amountFen: 460_000, from: '2025-09-16' });
  await ent(7, 5, { amountFen: 30_000, from: '2025-04-01' });
  await ent(8, 6, { amountFen: 600_000, from: '2025-04-01' });
  await ent(9, 7, { amountFen: 700_000, from: '2025-10-01' });
  for (const n of [1, 2, 3, 4, 7])
    await insertCardAccount(db, {
      workerId: w[n - 1] ?? '',
      validFrom: '2024-01-01',
      accountNumber: `62220000000${n}0001`,
    });
  await insertCardAccount(db, {
    workerId: w[4] ?? '',
    validFrom: '2024-01-01',
    accountNumber: '6222000000050001',
  });
  await insertCardAccount(db, {
    workerId: w[4] ?? '',
    validFrom: '2025-09-10',
    accountNumber: '6222000000050002',
  });
  return f;
}

async function allLines(db: Database) {
  return db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId: RUN, afterId: '', limit: 1000 }),
  );
}

async function fileOf(db: Database, f: Fixture) {
  const chunks: string[] = [];
  const r = await issuePaymentFile(db, f.maker, { regionCode: HZ, runId: RUN }, (c) => {
    chunks.push(c);
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.value, text: chunks.join('') };
}

async function balance(db: Database, account: string): Promise<number> {
  const tb = await trialBalance(db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

let a: TestDatabase;
let b: TestDatabase;
let c: TestDatabase;
let fa: Fixture;
let fb: Fixture;
let fc: Fixture;

beforeAll(async () => {
  a = await openTestDatabase();
  b = await openTestDatabase();
  fa = await seedScenario(a.db);
  fb = await seedScenario(b.db);
  c = await openTestDatabase();
  fc = await seedScenario(c.db);
}, 180_000);
afterAll(async () => {
  await a.cleanup();
  await b.cleanup();
  await c.cleanup();
});

class Killed extends Error {}

describe('payroll run: computation', () => {
  it('a run killed after chunk 2 resumes from its checkpoint', async () => {
    const killed = await startPayrollRun(
      a.db,
      fa.maker,
      rules,
      { regionCode: HZ, month: MONTH },
      {
        policy: POLICY,
        chunkSize: 2,
        afterChunk: (k) => {
          if (k === 2) throw new Killed(`killed after chunk ${k}`);
        },
      },
    ).catch((e: unknown) => e);
    expect(killed).toBeInstanceOf(Killed);
    const mid = await payrollRunView(a.db, { regionCode: HZ, runId: RUN });
    if (!mid.ok) throw new Error(mid.message);
    expect(mid.value.status).toBe('computing');
    expect(mid.value.checkpointEntitlementId).toBe(`ent_${HZ}_${'6'.padStart(16, '0')}`);
    // The query narrows out 3 (ended before the month) and 4 (the employer's): chunk 1 read 1–2,
    // chunk 2 read 5–6, and their lines are written with the checkpoint.
    const written = (await allLines(a.db)).map((l) => Number(l.entitlementId.slice(-4)));
    expect(written.sort((x, y) => x - y)).toEqual([1, 2, 5, 6]);
    const resumed = await startPayrollRun(
      a.db,
      fa.maker,
      rules,
      { regionCode: HZ, month: MONTH },
      {
        policy: POLICY,
        chunkSize: 2,
      },
    );
    if (!resumed.ok) throw new Error(resumed.message);
    expect(resumed.value.status).toBe('computed');
  });

  it('pays the month exactly: lines, totals by kind, accounts, to the fen', async () => {
    const v = await payrollRunView(a.db, { regionCode: HZ, runId: RUN });
    if (!v.ok) throw new Error(v.message);
    expect(v.value.lineCount).toBe(6);
    expect(v.value.totalFen).toBe(2_490_000);
    expect(v.value.byKind).toEqual([
      { kind: 'disability_allowance', expenseAccount: '5108', lines: 5, amountFen: 2_220_000 },
      { kind: 'nursing_allowance', expenseAccount: '5106', lines: 1, amountFen: 270_000 },
    ]);
    const lines = await allLines(a.db);
    const byEnt = new Map(lines.map((l) => [Number(l.entitlementId.slice(-4)), l]));
    expect([...byEnt.keys()].sort((x, y) => x - y)).toEqual([1, 2, 5, 6, 7, 8]);
    expect(byEnt.get(5)?.amountFen).toBe(450_000);
    expect(byEnt.get(7)?.accountNumber).toBe('6222000000050002');
    expect(byEnt.get(8)).toMatchObject({ status: 'failed', accountNumber: null });
    expect(v.value.reconciliation.notSent).toEqual({ lines: 1, amountFen: 600_000 });
  });
});

describe('payroll run: review and concurrency', () => {
  it('lists the anomalies the approval shows', async () => {
    const v = await payrollRunView(a.db, { regionCode: HZ, runId: RUN });
    if (!v.ok) throw new Error(v.message);
    const found = v.value.anomalies.map((x) => [x.code, Number(x.workerId.slice(-4))]);
    expect(found.sort()).toEqual(
      [
        ['account_changed_this_month', 5],
        ['account_missing', 6],
        ['amount_out_of_band', 5],
        ['two_payable_of_kind', 4],
      ].sort(),
    );
    const approval = await a.db.query(
      `SELECT payload FROM approvals WHERE region_code = $1 AND action = 'benefits.payroll'`,
      [HZ],
    );
    expect(approval.rows).toHaveLength(1);
    expect(approval.rows[0]?.['payload']).toMatchObject({
      runId: RUN,
      totalFen: 2_490_000,
      lineCount: 6,
    });
  });

  it('50 concurrent starts make one run, one approval, the same lines as the resumed run', async () => {
    const starts = await Promise.all(
      Array.from({ length: 50 }, () =>
        startPayrollRun(
          b.db,
          fb.maker,
          rules,
          { regionCode: HZ, month: MONTH },
          { policy: POLICY },
        ),
      ),
    );
    expect(starts.every((s) => s.ok && s.value.id === RUN && s.value.status === 'computed')).toBe(
      true,
    );
    const runs = await b.db.query('SELECT count(*)::int AS n FROM payroll_runs');
    expect(intOf(runs.rows[0] ?? {}, 'n')).toBe(1);
    const approvals = await b.db.query(
      `SELECT count(*)::int AS n FROM approvals WHERE action = 'benefits.payroll'`,
    );
    expect(intOf(approvals.rows[0] ?? {}, 'n')).toBe(1);
    expect(await allLines(b.db)).toEqual(await allLines(a.db));
  }, 120_000);
});

describe('payroll run: approval and file', () => {
  it('the maker, and the maker’s role, cannot approve; nothing is posted', async () => {
    const before = await transactionCount(a.db);
    const self = await approvePayrollRun(a.db, fa.maker, rules, {
      regionCode: HZ,
      runId: RUN,
      on: '2025-09-18',
    });
    expect(self.ok ? 'ok' : self.code).toBe('approval.self_approval');
    const sameRole = await approvePayrollRun(a.db, fa.maker2, rules, {
      regionCode: HZ,
      runId: RUN,
      on: '2025-09-18',
    });
    expect(sameRole.ok ? 'ok' : sameRole.code).toBe('approval.same_role');
    expect(await transactionCount(a.db)).toBe(before);
    const file = await issuePaymentFile(a.db, fa.maker, { regionCode: HZ, runId: RUN }, () => {});
    expect(file.ok ? 'ok' : file.code).toBe('benefit.payroll_not_approved');
  });

  it('a checker approves: Dr 5108 / 5106, Cr 2102 for the total, once', async () => {
    const before = await transactionCount(a.db);
    const r = await approvePayrollRun(a.db, fa.checker, rules, {
      regionCode: HZ,
      runId: RUN,
      on: '2025-09-18',
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({
      replayed: false,
      run: { status: 'approved', payableTransactionId: `benefit-payroll:${RUN}:approved` },
    });
    const again = await approvePayrollRun(a.db, fa.checker, rules, {
      regionCode: HZ,
      runId: RUN,
      on: '2025-09-18',
    });
    expect(again.ok && again.value.replayed).toBe(true);
    expect(await transactionCount(a.db)).toBe(before + 1);
    expect(await balance(a.db, '5108')).toBe(2_220_000);
    expect(await balance(a.db, '5106')).toBe(270_000);
    expect(await balance(a.db, '2102')).toBe(2_490_000);
  });

  it('the payment file: layout, order, sha256 stored, the same bytes on a reissue and after a resumed run', async () => {
    const first = await fileOf(a.db, fa);
    const rows = first.text.split('\n');
    expect(rows[0]).toBe(
      'line_id,run_id,month,worker_id,kind,account_name,bank_name,account_number,amount_fen,amount_yuan',
    );
    expect(rows.slice(1, -1)).toHaveLength(5);
    expect(rows.at(-1)).toBe('');
    const ids = rows.slice(1, -1).map((r) => r.split(',')[0] ?? '');
    expect(ids).toEqual([...ids].sort());
    const w1 = rows.find((r) => r.includes('wkr_0000000000000001,disability_allowance'));
    expect(w1?.endsWith(',680000,6800.00')).toBe(true);
    expect(first).toMatchObject({ lines: 5, totalFen: 1_890_000 });
    const again = await fileOf(a.db, fa);
    expect(again.text).toBe(first.text);
    const stored = await payrollRunView(a.db, { regionCode: HZ, runId: RUN });
    expect(stored.ok && stored.value).toMatchObject({
      status: 'file_issued',
      fileSha256: first.sha256,
    });
    // The uninterrupted run of the same entitlements (database b) gives the same file byte for byte.
    const ok = await approvePayrollRun(b.db, fb.checker, rules, {
      regionCode: HZ,
      runId: RUN,
      on: '2025-09-18',
    });
    expect(ok.ok).toBe(true);
    const other = await fileOf(b.db, fb);
    expect(other.text).toBe(first.text);
    expect(other.sha256).toBe(first.sha256);
  });
});

describe('payroll run: bank return', () => {
  it('the bank return with one failure: confirmations post Dr 2102 / Cr 1003 once, the failure stays owed', async () => {
    const lines = await allLines(a.db);
    const sent = lines.filter((l) => l.accountNumber !== null);
    const text = [
      'line_id,status,bank_reference,paid_on,reason',
      ...sent.map((l) =>
        l.workerId.endsWith('5')
          ? `${l.id},failed,,,账户已销户`
          : `${l.id},paid,BK${l.id.slice(4, 12)},2025-09-20,`,
      ),
      '',
    ].join('\n');
    const before = await transactionCount(a.db);
    const r = await importBankReturn(a.db, fa.maker, { regionCode: HZ, runId: RUN, text });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ confirmed: 4, failed: 1, replayed: 0 });
    expect(r.value.reconciliation).toEqual({
      sent: { lines: 5, amountFen: 1_890_000 },
      confirmed: { lines: 4, amountFen: 1_860_000 },
      failed: { lines: 1, amountFen: 30_000 },
      outstanding: { lines: 0, amountFen: 0 },
      notSent: { lines: 1, amountFen: 600_000 },
      released: { lines: 0, amountFen: 0 },
    });
    expect(await transactionCount(a.db)).toBe(before + 1);
    expect(await balance(a.db, '2102')).toBe(630_000);
    expect(await balance(a.db, '1003')).toBe(-1_860_000);
    const replay = await importBankReturn(a.db, fa.maker, { regionCode: HZ, runId: RUN, text });
    expect(replay.ok && replay.value).toMatchObject({ confirmed: 0, failed: 0, replayed: 5 });
    expect(await transactionCount(a.db)).toBe(before + 1);
    const v = await payrollRunView(a.db, { regionCode: HZ, runId: RUN });
    expect(v.ok && v.value.status).toBe('reconciled');
  });

  it('refuses a contradicting or malformed return, all problems at once', async () => {
    const lines = await allLines(a.db);
    const paid = lines.find((l) => l.status === 'paid');
    const contra = await importBankReturn(a.db, fa.maker, {
      regionCode: HZ,
      runId: RUN,
      text: `line_id,status,bank_reference,paid_on,reason\n${paid?.id},failed,,,退回\n`,
    });
    expect(contra.ok ? 'ok' : contra.code).toBe('benefit.payroll_return_conflict');
    const bad = await importBankReturn(a.db, fa.maker, {
      regionCode: HZ,
      runId: RUN,
      text: 'line_id,status,bank_reference,paid_on,reason\nxx,paid,,2025-13-01,\npln_00000000000000000000,lost,,,\n',
    });
    expect(bad.ok ? [] : bad.details?.['problems']).toEqual([
      { row: 2, field: 'line_id', message: 'not a payroll line id (pln_…)' },
      {
        row: 2,
        field: 'bank_reference',
        message: 'a paid line needs the bank reference (1–64 characters)',
      },
      { row: 2, field: 'paid_on', message: 'a paid line needs paid_on as YYYY-MM-DD' },
      { row: 3, field: 'status', message: 'paid or failed' },
    ]);
  });

  it('the trial balance holds and the ledger check passes', async () => {
    const tb = await trialBalance(a.db, { segment: 'all', asOf: '2025-12-31' });
    if (!tb.ok) throw new Error(tb.message);
    expect(tb.value.totals.debitFen).toBe(tb.value.totals.creditFen);
    expect((await checkLedger(a.db)).differences).toEqual([]);
  });
});

const core = (lines: Awaited<ReturnType<typeof allLines>>) =>
  lines.map((l) => [l.id, l.entitlementId, l.amountFen, l.accountNumber, l.status]);

describe('payroll run: killed after every chunk, then tampered', () => {
  it('a run killed after each of its chunks writes the same lines as an uninterrupted one', async () => {
    let kills = 0;
    for (;;) {
      const r = await startPayrollRun(
        c.db,
        fc.maker,
        rules,
        { regionCode: HZ, month: MONTH },
        {
          policy: POLICY,
          chunkSize: 1,
          afterChunk: (k) => {
            kills += 1;
            throw new Killed(`killed after chunk ${k}`);
          },
        },
      ).catch((e: unknown) => e);
      if (!(r instanceof Killed)) break;
    }
    // Six entitlements pass the query's narrowing (1, 2, 5, 6, 7, 8): six chunks of one, each
    // killed after its commit; the seventh start reads an empty chunk and finishes the run.
    expect(kills).toBe(6);
    expect(core(await allLines(c.db))).toEqual(core(await allLines(b.db)));
  });

  it('a line changed after the computation no longer fits the approval: nothing is posted', async () => {
    const before = await transactionCount(c.db);
    await c.db.query(
      `UPDATE payroll_lines SET amount_fen = amount_fen + 1
       WHERE id = (SELECT min(id) FROM payroll_lines WHERE run_id = $1)`,
      [RUN],
    );
    const r = await approvePayrollRun(c.db, fc.checker, rules, {
      regionCode: HZ,
      runId: RUN,
      on: '2025-09-18',
    });
    expect(r.ok ? 'ok' : r.code).toBe('approval.payload_mismatch');
    expect(await transactionCount(c.db)).toBe(before);
    const v = await payrollRunView(c.db, { regionCode: HZ, runId: RUN });
    expect(v.ok && v.value.status).toBe('computed');
  });
});
