import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, type RowSpec, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { type Actor, systemActor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { createLocalBlobStore } from '../../runtime/local-blob-store.ts';
import { testDemoProvince, testRuleBook } from '../../runtime/testing.ts';
import { myBenefitDecision } from '../benefits/benefit-self.ts';
import { mySurvivorBenefits } from '../benefits/benefit-survivor-self.ts';
import { syncBundledCalendar } from '../calendar/calendar-import.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { seedBenefitsDemo } from './seed-benefits-demo.ts';
import { seedExperts } from './seed-cases-demo.ts';
import { seedDemo } from './seed-demo.ts';

/**
 * The demo's benefits and payroll year (seed-benefits-demo.ts), checked against figures computed
 * here by hand from the wages the seed enters and the law's percentages, never read back from what
 * the code wrote: 《工伤保险条例》第三十五条第一款第（二）项 (伤残津贴 90 / 85 / 80 / 75 % of 本人工资 for
 * grades 1–4), 第三十四条第二款 (生活护理费 50 / 40 / 30 % of 统筹地区上年度职工月平均工资, 6 900.00 元
 * in force during 2024, 7 200.00 during 2025: src/rules/values/330000/wages.yaml), 第三十九条第一款第（二）项 (供养亲属抚恤金:
 * 配偶 40 %, 其他亲属 30 % of the worker's wage). The database is the base demo and the cases
 * seed's expert pools, then the benefits; the second seed goes through seedDemo itself.
 */
const rules = testRuleBook().benefits;
const province = testDemoProvince();
const CITY = '330100';
const blobDir = mkdtempSync(join(tmpdir(), 'tc-seed-benefits-'));
const blobs = createLocalBlobStore(blobDir);

type Expected = { label: string; kind: string; amountFen: number; fromMonth: number };

/** One row per entitlement: the case (its accident summary's label), kind, amount, first month. */
const EXPECTED: readonly Expected[] = [
  // The demo worker 张三: 7 200.00 × 75 % (grade 4).
  { label: 'benefit_demo_worker', kind: 'disability_allowance', amountFen: 540_000, fromMonth: 1 },
  // 8 600.00 × 90 % (grade 1); nursing full: 6 900.00 × 50 %.
  { label: 'benefit_grade1', kind: 'disability_allowance', amountFen: 774_000, fromMonth: 1 },
  { label: 'benefit_grade1', kind: 'nursing_allowance', amountFen: 345_000, fromMonth: 1 },
  // 6 500.00 × 85 % (grade 2); nursing major: 6 900.00 × 40 %.
  {
    label: 'benefit_grade2_nursing',
    kind: 'disability_allowance',
    amountFen: 552_500,
    fromMonth: 1,
  },
  { label: 'benefit_grade2_nursing', kind: 'nursing_allowance', amountFen: 276_000, fromMonth: 1 },
  // 9 500.00 × 80 % (grade 3): June's line fails at the bank, July reissues it.
  { label: 'benefit_grade3', kind: 'disability_allowance', amountFen: 760_000, fromMonth: 1 },
  // Concluded 2025-03-05, so from April: 7 800.00 × 80 % (grade 3); nursing partial at the
  // average in force on that day, 7 200.00 × 30 %.
  {
    label: 'benefit_grade3_from_april',
    kind: 'disability_allowance',
    amountFen: 624_000,
    fromMonth: 4,
  },
  {
    label: 'benefit_grade3_from_april',
    kind: 'nursing_allowance',
    amountFen: 216_000,
    fromMonth: 4,
  },
  // Died 2025-01-06 on a wage of 7 000.00: spouse 40 %, child 30 %, from February.
  { label: 'benefit_death', kind: 'survivor_pension', amountFen: 280_000, fromMonth: 2 },
  { label: 'benefit_death', kind: 'survivor_pension', amountFen: 210_000, fromMonth: 2 },
];
const FAILED = { month: '2025-06', label: 'benefit_grade3', amountFen: 760_000 };

/** What the fund owes for month m (1–12) of 2025 by the table above, reissues apart. */
function monthDue(m: number): number {
  return EXPECTED.filter((e) => e.fromMonth <= m).reduce((s, e) => s + e.amountFen, 0);
}
const YEAR_DUE = Array.from({ length: 12 }, (_, i) => monthDue(i + 1)).reduce((a, b) => a + b, 0);

let t: TestDatabase;
let seedMs = 0;
beforeAll(async () => {
  t = await openTestDatabase();
  // The runtime syncs the bundled calendar on opening the database (src/runtime/database.ts).
  await syncBundledCalendar(t.db, readBundledCalendar());
  // The base demo with its generated register (the injured are its workers), then, of the cases
  // seed, only the expert pools the appraisals draw from (the cases themselves cost seconds and
  // are seed-cases-demo.db.test.ts's; npm start and `tongchou seed` run both, start.test.ts and
  // cli.db.test.ts among others).
  await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province, rules });
  await seedExperts(t.db);
  const started = performance.now();
  await seedBenefitsDemo(t.db, rules, province);
  seedMs = performance.now() - started;
}, 180_000);
afterAll(async () => {
  await t.cleanup();
  rmSync(blobDir, { recursive: true, force: true });
});

async function rows<S extends RowSpec>(sql: string, columns: S) {
  return withColumns(await t.db.query(sql, [CITY]), columns).rows;
}

describe(`demo benefits on ${testBackend}`, () => {
  it('holds the hand-computed entitlements, each decided by the handler and approved by the supervisor', async () => {
    console.info(`[seed timing ${testBackend}] seedBenefitsDemo: ${Math.round(seedMs)} ms`);
    const held = await rows(
      `SELECT substr(c.accident_summary, 6) AS label, e.kind, e.amount_fen::int8 AS amount_fen,
              extract(month FROM e.starts_on)::int AS from_month
         FROM benefit_entitlements e
         JOIN benefit_decisions d ON d.region_code = e.region_code AND d.id = e.decision_id
         JOIN cases c ON c.region_code = d.region_code AND c.id = d.case_id
        WHERE e.region_code = $1 AND e.status = 'active'
          AND c.accident_summary LIKE '演示案件：benefit\\_%'`,
      { label: textOf, kind: textOf, amount_fen: intOf, from_month: intOf },
    );
    const key = (e: Expected) => `${e.label} ${e.kind} ${e.amountFen} from ${e.fromMonth}`;
    expect(
      held
        .map((h) =>
          key({ label: h.label, kind: h.kind, amountFen: h.amount_fen, fromMonth: h.from_month }),
        )
        .sort(),
    ).toEqual(EXPECTED.map(key).sort());
    const approvals = await rows(
      `SELECT a.status, maker.username AS maker, checker.username AS checker
         FROM benefit_decisions d
         JOIN approvals a ON a.region_code = d.region_code AND a.id = d.approval_id
         JOIN users maker ON maker.id = a.maker_id JOIN users checker ON checker.id = a.checker_id
         JOIN cases c ON c.region_code = d.region_code AND c.id = d.case_id
        WHERE d.region_code = $1 AND d.status = 'approved'
          AND c.accident_summary LIKE '演示案件：benefit\\_%'`,
      { status: textOf, maker: textOf, checker: textOf },
    );
    expect(approvals).toHaveLength(6);
    for (const a of approvals)
      expect(a).toEqual({ status: 'consumed', maker: 'hz.handler', checker: 'hz.supervisor' });
  });
});

describe(`demo payroll year on ${testBackend}`, () => {
  it('ran twelve months, each approved by the supervisor and reconciled, totals as computed', async () => {
    const runs = await rows(
      `SELECT r.month, r.status, r.total_fen::int8 AS total_fen, r.started_by,
              u.username AS approved_by
         FROM payroll_runs r JOIN users u ON u.id = r.approved_by
        WHERE r.region_code = $1 ORDER BY r.month`,
      { month: textOf, status: textOf, total_fen: intOf, started_by: textOf, approved_by: textOf },
    );
    expect(runs.map((r) => r.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
    );
    // July carries June's failed line again (the reissue).
    expect(runs).toEqual(
      runs.map((r, i) => ({
        month: r.month,
        status: 'reconciled',
        total_fen: monthDue(i + 1) + (r.month === '2025-07' ? FAILED.amountFen : 0),
        started_by: 'hz.handler',
        approved_by: 'hz.supervisor',
      })),
    );
    // 32 475.00 in January, 37 375.00 in February and March, 45 775.00 from April.
    expect([monthDue(1), monthDue(2), monthDue(4)]).toEqual([3_247_500, 3_737_500, 4_577_500]);
  });

  it('paid every line but one, reissued it, and the ledger carries exactly the paid lines', async () => {
    const lines = await rows(
      `SELECT r.month, l.status, l.amount_fen::int8 AS amount_fen,
              coalesce(l.failure_reason, '') AS reason, (l.reissue_of IS NOT NULL)::text AS reissue
         FROM payroll_lines l JOIN payroll_runs r ON r.region_code = l.region_code AND r.id = l.run_id
        WHERE l.region_code = $1 AND (l.status <> 'paid' OR l.reissue_of IS NOT NULL)
        ORDER BY r.month`,
      { month: textOf, status: textOf, amount_fen: intOf, reason: textOf, reissue: textOf },
    );
    expect(lines).toEqual([
      {
        month: FAILED.month,
        status: 'failed',
        amount_fen: FAILED.amountFen,
        reason: '账户状态异常，银行退回（演示）',
        reissue: 'false',
      },
      {
        month: '2025-07',
        status: 'paid',
        amount_fen: FAILED.amountFen,
        reissue: 'true',
        reason: '',
      },
    ]);
    const [paid] = await rows(
      `SELECT coalesce(sum(amount_fen), 0)::int8 AS n FROM payroll_lines
        WHERE region_code = $1 AND status = 'paid'`,
      { n: intOf },
    );
    // Σ due of the year − the failed line + its reissue: 519 200.00 yuan.
    expect(YEAR_DUE).toBe(51_920_000);
    expect(paid?.n).toBe(YEAR_DUE - FAILED.amountFen + FAILED.amountFen);
    const [ledger] = await rows(
      `SELECT
         coalesce(sum(p.amount) FILTER (WHERE t.id LIKE '%:approved' AND p.side = 'C'), 0)::int8 AS payable,
         coalesce(sum(p.amount) FILTER (WHERE t.id LIKE '%:return:%' AND p.side = 'C'), 0)::int8 AS bank
         FROM ledger_transactions t JOIN ledger_postings p ON p.tx_seq = t.seq
        WHERE t.id LIKE 'benefit-payroll:prl_' || $1 || '_%'`,
      { payable: intOf, bank: intOf },
    );
    // The approvals owe the year's lines (Cr 2102); the bank's confirmations pay them (Cr 1003).
    expect(ledger).toEqual({ payable: YEAR_DUE, bank: paid?.n });
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});

describe(`demo benefits on ${testBackend}: the portal and a second seed`, () => {
  it('shows the demo worker his twelve payments of 5 400.00 in the portal', async () => {
    const user = province.demoUsers.find((u) => u.username === 'demo.worker');
    if (!user?.scopeCode) throw new Error('no demo worker in the province file');
    const worker: Actor = {
      userId: 'demo.worker',
      username: 'demo.worker',
      role: 'worker',
      scopeKind: user.scopeKind,
      scopeCode: user.scopeCode,
      permissions: rolePermissions.worker,
      requestId: 'test',
    };
    const [own] = await rows(
      `SELECT id FROM cases WHERE region_code = $1 AND accident_summary = '演示案件：benefit_demo_worker'`,
      { id: textOf },
    );
    const seen = await myBenefitDecision(t.db, worker, own?.id ?? 'none');
    expect(seen?.monthlyPayments.map((p) => [p.month, p.kind, p.amountFen, p.status])).toEqual(
      Array.from({ length: 12 }, (_, i) => [
        `2025-${String(12 - i).padStart(2, '0')}`,
        'disability_allowance',
        540_000,
        'paid',
      ]),
    );
    expect(seen?.entitlements.map((e) => e.amountFen)).toEqual([540_000]);
  });

  it('shows the demo survivor 陈丽华 her eleven pensions of 2 800.00 and the death letter, not her child’s', async () => {
    const user = province.demoUsers.find((u) => u.username === 'demo.survivor');
    if (!user?.scopeCode) throw new Error('no demo survivor in the province file');
    const survivor: Actor = {
      userId: 'demo.survivor',
      username: 'demo.survivor',
      role: 'worker',
      scopeKind: user.scopeKind,
      scopeCode: user.scopeCode,
      permissions: rolePermissions.worker,
      requestId: 'test',
    };
    const seen = await t.db.withConnection((ex) => mySurvivorBenefits(ex, survivor));
    if (!seen.ok) throw new Error(seen.message);
    expect(seen.value.cases).toHaveLength(1);
    const [mine] = seen.value.cases;
    // 7 000.00 × 40 % (配偶), from February (the month after the death of 2025-01-06).
    expect(mine?.relation).toBe('spouse');
    expect(mine?.entitlements.map((e) => [e.kind, e.amountFen, e.startsOn])).toEqual([
      ['survivor_pension', 280_000, '2025-02-01'],
    ]);
    expect(mine?.monthlyPayments.map((p) => [p.month, p.amountFen, p.status])).toEqual(
      Array.from({ length: 11 }, (_, i) => [
        `2025-${String(12 - i).padStart(2, '0')}`,
        280_000,
        'paid',
      ]),
    );
    expect(mine?.letters.map((l) => l.title)).toEqual(['工伤保险待遇核定通知书']);
  });

  it('creates nothing the second time', async () => {
    const count = `SELECT ((SELECT count(*) FROM benefit_decisions) + (SELECT count(*) FROM payroll_runs)
        + (SELECT count(*) FROM payroll_lines) + (SELECT count(*) FROM cases WHERE region_code = $1)
        + (SELECT count(*) FROM ledger_transactions))::int AS n`;
    const [before] = await rows(count, { n: intOf });
    expect(await seedBenefitsDemo(t.db, rules, province)).toEqual({
      decisions: 0,
      entitlements: 0,
      runs: 0,
    });
    await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province, rules, blobs });
    expect(await rows(count, { n: intOf })).toEqual([before]);
  });
});
