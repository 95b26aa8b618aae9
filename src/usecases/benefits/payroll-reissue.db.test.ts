import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { recordDeath } from './death-record.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { issuePaymentFile } from './payroll-file.ts';
import { payrollRunView } from './payroll-read.ts';
import { importBankReturn } from './payroll-return.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import { insertCardAccount, insertEntitlement, payMonth, setUpBenefits } from './testing.ts';

/**
 * Reissue of failed lines, by hand (amounts in fen). 杭州 pays 伤残津贴: W1 680 000, W2 500 000,
 * W3 400 000 (no card account in 2025-09), W4 300 000. 2025-09: the payable posts 1 880 000; the
 * bank pays W1 and fails W2 and W4; W3 is not sent. 2102 keeps 1 200 000. W4's death on
 * 2025-08-10 is recorded (back-dated: W4's 2025-09 line is after it and failed, so no
 * overpayment; its liability, owed to no one, is reversed Dr 2102 / Cr 5108 300 000 → 2102
 * 900 000), and W3's card account is recorded from 2025-10-01.
 * 2025-10: month lines W1 680 000 + W2 500 000 + W3 400 000 = 1 580 000 (W4's item ended
 * 2025-08-31), posted Dr 5108 / Cr 2102; reissue lines of W2's and W3's 2025-09 lines,
 * 500 000 + 400 000 = 900 000, posted nothing at approval; W4's failed line is not reissued (the
 * month is after the death). File: 5 lines, 2 480 000. All paid: 2102 = 900 000 + 1 580 000 −
 * 2 480 000 = 0. 2025-11 reissues nothing: each failed line is paid again once and only once.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-09', '2025-10', '2025-11'];
const OCT = payrollRunId(HZ, '2025-10');

type Fixture = Awaited<ReturnType<typeof setUpBenefits>>;
const wid = (n: number) => `wkr_${String(n).padStart(16, '0')}`;
const eid = (n: number) => `ent_${HZ}_${String(n).padStart(16, '0')}`;

async function seed(db: Database): Promise<Fixture> {
  const f = await setUpBenefits(db, rules, PERIODS);
  const amounts = [680_000, 500_000, 400_000, 300_000];
  for (const [i, amountFen] of amounts.entries()) {
    const n = i + 1;
    await db.query(
      `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
       VALUES ($1, $2, $3, 'male', '1980-04-02', 'test')`,
      [wid(n), demoIdNumber('330102', '1980-04-02', 2 * n + 1), `职工${n}`],
    );
    await insertEntitlement(db, {
      employerId: f.employer.id,
      workerId: wid(n),
      entitlementId: eid(n),
      kind: 'disability_allowance',
      amountFen,
      startsOn: '2025-04-01',
    });
    if (n !== 3)
      await insertCardAccount(db, {
        workerId: wid(n),
        validFrom: '2024-01-01',
        accountNumber: `62220000000${n}0001`,
      });
  }
  await payMonth(db, f, rules, { month: '2025-09', failing: [wid(2), wid(4)] });
  const died = await recordDeath(db, f.maker, {
    regionCode: HZ,
    workerId: wid(4),
    diedOn: '2025-08-10',
    source: '居民死亡医学证明书 No. 330100-2025-000456',
    today: '2025-10-01',
  });
  if (!died.ok) throw new Error(died.message);
  expect(died.value.reversal).toMatchObject({
    amountFen: 300_000,
    transactionIds: [`benefit-death:${wid(4)}:${HZ}:reversal`],
  });
  await insertCardAccount(db, {
    workerId: wid(3),
    validFrom: '2025-10-01',
    accountNumber: '6222000000030002',
  });
  return f;
}

async function balance(db: Database, account: string): Promise<number> {
  const tb = await trialBalance(db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

const lines = (db: Database, runId: string) =>
  db.withConnection((ex) => linePage(ex, { regionCode: HZ, runId, afterId: '', limit: 100 }));

let a: TestDatabase;
let b: TestDatabase;
let fa: Fixture;
let fb: Fixture;

beforeAll(async () => {
  a = await openTestDatabase();
  b = await openTestDatabase();
  fa = await seed(a.db);
  fb = await seed(b.db);
}, 240_000);
afterAll(async () => {
  await a.cleanup();
  await b.cleanup();
});

describe('reissue of failed lines in the next run of the city', () => {
  it('September leaves 900 000 owed in 2102 (W4’s failed line reversed) and no overpayment', async () => {
    expect(await balance(a.db, '2102')).toBe(1_200_000 - 300_000);
    expect(await balance(a.db, '5108')).toBe(1_880_000 - 300_000);
    const o = await a.db.query('SELECT count(*)::int AS n FROM benefit_overpayments');
    expect(o.rows).toEqual([{ n: 0 }]);
    const again = await recordDeath(a.db, fa.maker, {
      regionCode: HZ,
      workerId: wid(4),
      diedOn: '2025-07-01',
      source: '重复登记',
      today: '2025-10-01',
    });
    expect(again.ok ? 'ok' : again.code).toBe('benefit.death_already_recorded');
    expect(await balance(a.db, '2102')).toBe(900_000);
  });

  it('October pays the month and reissues W2’s and W3’s failed lines once; the payable excludes them', async () => {
    const started = await startPayrollRun(
      a.db,
      fa.maker,
      rules,
      { regionCode: HZ, month: '2025-10' },
      { policy: POLICY },
    );
    if (!started.ok) throw new Error(started.message);
    const v = await payrollRunView(a.db, { regionCode: HZ, runId: OCT });
    if (!v.ok) throw new Error(v.message);
    expect(v.value).toMatchObject({
      lineCount: 5,
      totalFen: 2_480_000,
      reissued: { lines: 2, amountFen: 900_000 },
    });
    expect(v.value.byKind).toEqual([
      { kind: 'disability_allowance', expenseAccount: '5108', lines: 3, amountFen: 1_580_000 },
    ]);
    expect(v.value.anomalies.map((x) => x.code)).not.toContain('two_payable_of_kind');
    const september = new Map(
      (await lines(a.db, payrollRunId(HZ, '2025-09'))).map((l) => [l.id, l]),
    );
    const reissues = (await lines(a.db, OCT)).filter((l) => l.reissueOf !== null);
    expect(
      reissues
        .map((l) => [l.workerId, l.amountFen, september.get(l.reissueOf ?? '')?.status])
        .sort(),
    ).toEqual([
      [wid(2), 500_000, 'failed'],
      [wid(3), 400_000, 'failed'],
    ]);
    expect(reissues.find((l) => l.workerId === wid(3))?.accountNumber).toBe('6222000000030002');
    const approved = await approvePayrollRun(a.db, fa.checker, rules, {
      regionCode: HZ,
      runId: OCT,
      on: '2025-10-18',
    });
    if (!approved.ok) throw new Error(approved.message);
    expect(await balance(a.db, '2102')).toBe(900_000 + 1_580_000);
  });
});

describe('reissue: rerun, confirmation, exactly once', () => {
  it('a run killed mid-computation reruns to the same lines and the same file bytes', async () => {
    const killed = await startPayrollRun(
      b.db,
      fb.maker,
      rules,
      { regionCode: HZ, month: '2025-10' },
      {
        policy: POLICY,
        chunkSize: 1,
        afterChunk: (k) => {
          if (k === 2) throw new Error('killed');
        },
      },
    ).catch((e: unknown) => e);
    expect(killed).toBeInstanceOf(Error);
    const rerun = await startPayrollRun(
      b.db,
      fb.maker,
      rules,
      { regionCode: HZ, month: '2025-10' },
      { policy: POLICY },
    );
    if (!rerun.ok) throw new Error(rerun.message);
    const core = (ls: Awaited<ReturnType<typeof lines>>) =>
      ls.map((l) => [l.id, l.entitlementId, l.amountFen, l.accountNumber, l.reissueOf]);
    expect(core(await lines(b.db, OCT))).toEqual(core(await lines(a.db, OCT)));
    const again = await approvePayrollRun(b.db, fb.checker, rules, {
      regionCode: HZ,
      runId: OCT,
      on: '2025-10-18',
    });
    expect(again.ok).toBe(true);
    const file = async (db: Database, f: Fixture) => {
      const r = await issuePaymentFile(db, f.maker, { regionCode: HZ, runId: OCT }, () => {});
      if (!r.ok) throw new Error(r.message);
      return r.value;
    };
    const [fileA, fileB] = [await file(a.db, fa), await file(b.db, fb)];
    expect(fileA).toMatchObject({ lines: 5, totalFen: 2_480_000 });
    expect(fileB.sha256).toBe(fileA.sha256);
  });

  it('confirmation settles 2102 back to zero; November reissues nothing; the database refuses a second reissue', async () => {
    await payMonthRest(a.db, fa);
    expect(await balance(a.db, '2102')).toBe(0);
    const nov = await startPayrollRun(
      a.db,
      fa.maker,
      rules,
      { regionCode: HZ, month: '2025-11' },
      { policy: POLICY },
    );
    if (!nov.ok) throw new Error(nov.message);
    expect(nov.value).toMatchObject({ lineCount: 3, totalFen: 1_580_000 });
    const reissue = (await lines(a.db, OCT)).find((l) => l.reissueOf !== null);
    // October's reissue line says the month it was owed for (migration 0066), not its run's.
    const owed = await a.db.query(
      'SELECT reissue_month::text AS m FROM payroll_lines WHERE id = $1',
      [reissue?.id],
    );
    expect(owed.rows).toEqual([{ m: '2025-09' }]);
    const twice = await a.db
      .query(
        `INSERT INTO payroll_lines (region_code, id, run_id, entitlement_id, worker_id, kind,
           expense_account, amount_fen, reissue_of, reissue_month)
         SELECT region_code, 'pln_ffffffffffffffffffff', $2, entitlement_id, worker_id, kind,
           expense_account, amount_fen, reissue_of, reissue_month
         FROM payroll_lines WHERE id = $1`,
        [reissue?.id, payrollRunId(HZ, '2025-11')],
      )
      .then(() => 'inserted')
      .catch((e: unknown) => (e instanceof Error ? e.message : String(e)));
    expect(twice).toMatch(/payroll_lines_reissued_once/);
    expect((await checkLedger(a.db)).differences).toEqual([]);
  });
});

/** October's file is issued above: the bank's return pays every sent line on the 20th. */
async function payMonthRest(db: Database, f: Fixture): Promise<void> {
  const sent = (await lines(db, OCT)).filter((l) => l.accountNumber !== null);
  const text = [
    'line_id,status,bank_reference,paid_on,reason',
    ...sent.map((l) => `${l.id},paid,BK${l.id.slice(4, 16)},2025-10-20,`),
    '',
  ].join('\n');
  const r = await importBankReturn(db, f.maker, { regionCode: HZ, runId: OCT, text });
  if (!r.ok) throw new Error(r.message);
  expect(r.value).toMatchObject({ confirmed: 5, failed: 0 });
}
