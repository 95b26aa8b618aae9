import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { listFailedLines } from './payroll-failed-lines.ts';
import { approveReissue, proposeReissue } from './payroll-reissue-batch.ts';
import {
  importReissueReturn,
  issueReissueFile,
  reissueBatchView,
} from './payroll-reissue-batch-bank.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import { insertCardAccount, insertEntitlement, payMonth, setUpBenefits } from './testing.ts';

/**
 * Reissue by hand, outside a run (amounts in fen). 杭州 pays 伤残津贴 to three workers: W1 300 000,
 * W2 123 456 (1 234.56 元), W3 200 000. Database a: September's payable posts 623 456 to 2102; the
 * bank pays W1 and W3 and fails W2, so 2102 keeps 123 456 and 1003 is down 500 000. W2's line is
 * reissued by hand (batch, approved by the checker), its file issued, the bank confirms it on
 * 2025-09-28: 2102 back to 0, 1003 down 300 000 + 123 456 + 200 000 = 623 456; no expense posted
 * again (5108 stays 623 456). October's run then reissues nothing (3 month lines, 623 456).
 * Database b: September fails W2 and W3 (2102 keeps 323 456); W3 is reissued by hand and the bank
 * fails it again; October's run reissues W2's September line and W3's batch line (2 lines,
 * 323 456), and a reissue by hand of W2's September line is then refused.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-09', '2025-10'];
const SEP = payrollRunId(HZ, '2025-09');
const OCT = payrollRunId(HZ, '2025-10');
const AMOUNTS = [300_000, 123_456, 200_000];

type Fixture = Awaited<ReturnType<typeof setUpBenefits>>;

async function seed(db: Database, tag: string, failing: number[]) {
  const f = await setUpBenefits(db, rules, PERIODS);
  const workers: string[] = [];
  for (const [i, amountFen] of AMOUNTS.entries()) {
    const n = i + 1;
    const wid = `wkr_${tag}${String(n).padStart(15, '0')}`;
    workers.push(wid);
    await db.query(
      `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
       VALUES ($1, $2, $3, 'male', '1980-04-02', 'test')`,
      [wid, demoIdNumber('330102', '1980-04-02', 41 + 2 * n + (tag === 'a' ? 0 : 10)), `职工${n}`],
    );
    await insertEntitlement(db, {
      employerId: f.employer.id,
      workerId: wid,
      entitlementId: `ent_${HZ}_${tag}${String(n).padStart(15, '0')}`,
      kind: 'disability_allowance',
      amountFen,
      startsOn: '2025-04-01',
    });
    await insertCardAccount(db, {
      workerId: wid,
      validFrom: '2024-01-01',
      accountNumber: `62220000000${n}000${tag === 'a' ? 1 : 2}`,
    });
  }
  const before1003 = await balance(db, '1003');
  await payMonth(db, f, rules, { month: '2025-09', failing: failing.map((i) => workers[i] ?? '') });
  return { f, workers, before1003 };
}

async function balance(db: Database, account: string): Promise<number> {
  const tb = await trialBalance(db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

const lines = (db: Database, runId: string) =>
  db.withConnection((ex) => linePage(ex, { regionCode: HZ, runId, afterId: '', limit: 100 }));

async function failedLineOf(db: Database, runId: string, workerId: string): Promise<string> {
  const l = (await lines(db, runId)).find((x) => x.workerId === workerId && x.status === 'failed');
  if (l === undefined) throw new Error(`no failed line of ${workerId}`);
  return l.id;
}

/** Proposed by the maker, approved by the checker, file issued; answers the batch id. */
async function reissueByHand(db: Database, f: Fixture, lineIds: string[], on: string) {
  const p = await proposeReissue(db, f.maker, { regionCode: HZ, lineIds, on }, { policy: POLICY });
  if (!p.ok) throw new Error(p.message);
  const a = await approveReissue(db, f.checker, { regionCode: HZ, batchId: p.value.batch.id });
  if (!a.ok) throw new Error(a.message);
  return p.value.batch.id;
}

async function bankAnswers(db: Database, f: Fixture, batchId: string, answer: string) {
  const v = await reissueBatchView(db, { regionCode: HZ, batchId });
  if (!v.ok) throw new Error(v.message);
  const text = [
    'line_id,status,bank_reference,paid_on,reason',
    ...v.value.lines.map((l) => `${l.id},${answer}`),
    '',
  ].join('\n');
  return importReissueReturn(db, f.maker, { regionCode: HZ, batchId, text });
}

let a: TestDatabase;
let b: TestDatabase;
let sa: Awaited<ReturnType<typeof seed>>;
let sb: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  a = await openTestDatabase();
  b = await openTestDatabase();
  sa = await seed(a.db, 'a', [1]);
  sb = await seed(b.db, 'b', [1, 2]);
}, 240_000);
afterAll(async () => {
  await a.cleanup();
  await b.cleanup();
});

describe('reissue by hand: propose, approve, file, confirmation', () => {
  it('settles the failed 1 234.56 元 once: 2102 back to 0, 1003 down by the three amounts', async () => {
    const { f, workers } = sa;
    expect(await balance(a.db, '2102')).toBe(123_456);
    const failed = await failedLineOf(a.db, SEP, workers[1] ?? '');
    const batchId = await reissueByHand(a.db, f, [failed], '2025-09-25');
    const again = await approveReissue(a.db, f.checker, { regionCode: HZ, batchId });
    expect(again.ok && again.value.replayed).toBe(true);
    const csv = await issueReissueFile(a.db, f.maker, { regionCode: HZ, batchId, format: 'csv' });
    if (!csv.ok) throw new Error(csv.message);
    expect(csv.value).toMatchObject({ lines: 1, totalFen: 123_456 });
    expect(Buffer.from(csv.value.bytes).toString('utf8')).toContain(
      `,${batchId},2025-09,${workers[1]},disability_allowance,`,
    );
    const gbk = await issueReissueFile(a.db, f.maker, {
      regionCode: HZ,
      batchId,
      format: 'fixed-gbk',
    });
    expect(gbk.ok && gbk.value.lines).toBe(1);
    const back = await bankAnswers(a.db, f, batchId, 'paid,BKHAND0001,2025-09-28,');
    if (!back.ok) throw new Error(back.message);
    expect(back.value).toMatchObject({ confirmed: 1, failed: 0 });
    const replay = await bankAnswers(a.db, f, batchId, 'paid,BKHAND0001,2025-09-28,');
    expect(replay.ok && replay.value).toMatchObject({ confirmed: 0, replayed: 1 });
    expect(await balance(a.db, '2102')).toBe(0);
    expect((await balance(a.db, '1003')) - sa.before1003).toBe(-(300_000 + 123_456 + 200_000));
    expect(await balance(a.db, '5108')).toBe(623_456);
    const v = await reissueBatchView(a.db, { regionCode: HZ, batchId });
    if (!v.ok) throw new Error(v.message);
    expect(v.value.status).toBe('reconciled');
    expect(v.value.reconciliation.total).toMatchObject({
      sent: { lines: 1, amountFen: 123_456 },
      confirmed: { lines: 1, amountFen: 123_456 },
      failed: { lines: 0, amountFen: 0 },
      outstanding: { lines: 0, amountFen: 0 },
    });
    expect(v.value.reconciliation.ledger.differenceFen).toBe(0);
    expect((await checkLedger(a.db)).differences).toEqual([]);
  });

  it('October’s run reissues nothing; a second proposal of the line is refused', async () => {
    const oct = await startPayrollRun(
      a.db,
      sa.f.maker,
      rules,
      { regionCode: HZ, month: '2025-10' },
      { policy: POLICY },
    );
    if (!oct.ok) throw new Error(oct.message);
    expect(oct.value).toMatchObject({ lineCount: 3, totalFen: 623_456 });
    const failed = await failedLineOf(a.db, SEP, sa.workers[1] ?? '');
    const twice = await proposeReissue(
      a.db,
      sa.f.maker,
      { regionCode: HZ, lineIds: [failed], on: '2025-10-02' },
      { policy: POLICY },
    );
    expect(twice.ok ? 'ok' : twice.code).toBe('benefit.reissue_already_reissued');
    const paid = (await lines(a.db, SEP)).find((l) => l.status === 'paid')?.id ?? '';
    const notFailed = await proposeReissue(
      a.db,
      sa.f.maker,
      { regionCode: HZ, lineIds: [paid], on: '2025-10-02' },
      { policy: POLICY },
    );
    expect(notFailed.ok ? 'ok' : notFailed.code).toBe('benefit.reissue_line_not_failed');
  });
});

const failedList = (db: Database, extra: { on: string; include: 'open' | 'all' }) =>
  listFailedLines(db, { regionCode: HZ, after: null, limit: 100, ...extra });

describe('the failed lines to reissue by hand (the payroll page’s list)', () => {
  it('lists September’s two failed lines, 123 456 + 200 000 fen, masked, a page at a time', async () => {
    const { workers } = sb;
    const page = await failedList(b.db, { on: '2025-09-25', include: 'open' });
    const ours = page.items.filter((l) => workers.includes(l.workerId));
    expect(ours.map((l) => l.amountFen).sort()).toEqual([123_456, 200_000]);
    expect(ours.reduce((s, l) => s + l.amountFen, 0)).toBe(323_456);
    const w2 = ours.find((l) => l.workerId === workers[1]);
    expect(w2).toMatchObject({
      runId: SEP,
      batchId: null,
      month: '2025-09',
      kind: 'disability_allowance',
      failureReason: '账户已销户',
      account: { accountNumberMasked: '************0002', validFrom: '2024-01-01' },
      blocks: [],
      reissuable: true,
    });
    expect(JSON.stringify(page)).not.toContain('6222000000020002');
    const first = await listFailedLines(b.db, {
      regionCode: HZ,
      on: '2025-09-25',
      after: null,
      limit: 1,
      include: 'open',
    });
    expect(first.items).toHaveLength(1);
    const rest = await listFailedLines(b.db, {
      regionCode: HZ,
      on: '2025-09-25',
      after: first.nextAfter,
      limit: 100,
      include: 'open',
    });
    expect([...first.items, ...rest.items].map((l) => l.id)).toEqual(page.items.map((l) => l.id));
    expect(rest.nextAfter).toBeNull();
  });
});

describe('reissue by hand that fails again', () => {
  it('the next run pays it again; a line the run reissued is refused by hand', async () => {
    const { f, workers } = sb;
    expect(await balance(b.db, '2102')).toBe(323_456);
    const w3 = await failedLineOf(b.db, SEP, workers[2] ?? '');
    const batchId = await reissueByHand(b.db, f, [w3], '2025-09-25');
    const file = await issueReissueFile(b.db, f.maker, { regionCode: HZ, batchId, format: 'csv' });
    expect(file.ok).toBe(true);
    const back = await bankAnswers(b.db, f, batchId, 'failed,,,账户冻结');
    expect(back.ok && back.value).toMatchObject({ confirmed: 0, failed: 1 });
    expect(await balance(b.db, '2102')).toBe(323_456);
    const oct = await startPayrollRun(
      b.db,
      f.maker,
      rules,
      { regionCode: HZ, month: '2025-10' },
      { policy: POLICY },
    );
    if (!oct.ok) throw new Error(oct.message);
    // 3 month lines 623 456 + W2's September line 123 456 + W3's batch line 200 000.
    expect(oct.value).toMatchObject({ lineCount: 5, totalFen: 623_456 + 323_456 });
    const v = await reissueBatchView(b.db, { regionCode: HZ, batchId });
    const batchLine = v.ok ? v.value.lines[0]?.id : undefined;
    const reissues = (await lines(b.db, OCT)).filter((l) => l.reissueOf !== null);
    expect(reissues.map((l) => l.reissueOf).sort()).toEqual(
      [batchLine, await failedLineOf(b.db, SEP, workers[1] ?? '')].sort(),
    );
    const w2 = await failedLineOf(b.db, SEP, workers[1] ?? '');
    const byHand = await proposeReissue(
      b.db,
      f.maker,
      { regionCode: HZ, lineIds: [w2], on: '2025-10-05' },
      { policy: POLICY },
    );
    expect(byHand.ok ? 'ok' : byHand.code).toBe('benefit.reissue_already_reissued');
    expect((await checkLedger(b.db)).differences).toEqual([]);
  });
});

describe('the failed lines once paid again', () => {
  it('leaves the reissued lines out of the open list and blocks them in the whole list', async () => {
    const { workers } = sb;
    const open = await failedList(b.db, { on: '2025-10-05', include: 'open' });
    expect(open.items.filter((l) => workers.includes(l.workerId))).toEqual([]);
    const all = await failedList(b.db, { on: '2025-10-05', include: 'all' });
    const ours = all.items.filter((l) => workers.includes(l.workerId));
    // W2's and W3's September lines and W3's failed batch line, all paid again by October's run.
    expect(ours.map((l) => l.amountFen).sort()).toEqual([123_456, 200_000, 200_000]);
    const batchLine = ours.find((l) => l.batchId !== null);
    expect(batchLine).toMatchObject({ runId: null, month: '2025-09', failureReason: '账户冻结' });
    for (const l of ours)
      expect([l.reissuable, l.blocks]).toEqual([
        false,
        [
          {
            block: 'reissued',
            code: 'benefit.reissue_already_reissued',
            zh: '已补发（由月度发放或手工补发），不再补发',
            en: 'already paid again (by a run or by hand)',
          },
        ],
      ]);
  });
});
