import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * Issue 12's acceptance "the ledger after a year of generated payroll": a seeded generator makes
 * 36 workers' monthly entitlements (伤残津贴 of fund and employer, 生活护理费; starting and ending in
 * different months), and twelve months of 杭州's payroll run through the real use cases (computed,
 * approved by a second person, file issued, the bank's return with seeded failures, last month's
 * failures reissued by the next run). The expected figures are computed here from the generated
 * list, never read back from the tables the code wrote: each month's expense by kind, the year's
 * total; what the bank confirmed is summed from the return files the test wrote. Then: Σ paid =
 * the fund's bank account's decrease, 2102 = expense − paid, the trial balance holds and the
 * ledger check finds no difference.
 */
const rules = testRuleBook().benefits;
const YEAR = 2025;
const MONTHS = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
const WORKERS = 36;

type Generated = {
  workerId: string;
  kind: 'disability_allowance' | 'nursing_allowance';
  payer: 'fund' | 'employer';
  amountFen: number;
  startMonth: number;
  endMonth: number | null;
};

/** mulberry32: a small seeded generator, so the year is the same on every run and backend. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const monthStart = (m: number) => `${YEAR}-${String(m).padStart(2, '0')}-01`;
const monthEnd = (m: number) => new Date(Date.UTC(YEAR, m, 0)).toISOString().slice(0, 10); // day 0 of the next month

function generate(random: () => number, workerIds: readonly string[]): Generated[] {
  const out: Generated[] = [];
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  for (const workerId of workerIds) {
    const startMonth = between(1, 10);
    const endMonth = random() < 0.25 ? between(startMonth, 12) : null;
    const payer = random() < 0.1 ? 'employer' : 'fund';
    // 3 000.00 – 9 000.00 元 a month, inside the payroll's expected band (no anomaly to review).
    const amountFen = between(3_000, 9_000) * 100;
    out.push({ workerId, kind: 'disability_allowance', payer, amountFen, startMonth, endMonth });
    if (random() < 0.3)
      out.push({
        workerId,
        kind: 'nursing_allowance',
        payer: 'fund',
        amountFen: between(1_500, 4_000) * 100,
        startMonth: between(startMonth, 11),
        endMonth: null,
      });
  }
  return out;
}

/** The fund's expense of a month by kind, from the generated list (full-month rule, fund only). */
function expectedMonth(list: readonly Generated[], m: number) {
  const sum = { disability_allowance: 0, nursing_allowance: 0 };
  for (const g of list)
    if (g.payer === 'fund' && g.startMonth <= m && (g.endMonth === null || g.endMonth >= m))
      sum[g.kind] += g.amountFen;
  return sum;
}

async function balanceOf(db: Database, account: string): Promise<number> {
  const tb = await trialBalance(db, { segment: '330100', asOf: `${YEAR}-12-31` });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let list: Generated[];
const random = seeded(20_251_231);

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, MONTHS);
  const workerIds: string[] = [];
  for (let i = 0; i < WORKERS; i += 1) {
    const id = await insertWorker(t.db);
    workerIds.push(id);
    await insertCardAccount(t.db, {
      workerId: id,
      validFrom: '2024-01-01',
      accountNumber: `6222021${String(i).padStart(9, '0')}`,
    });
  }
  list = generate(random, workerIds);
  for (const g of list)
    await insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId: g.workerId,
      kind: g.kind,
      amountFen: g.amountFen,
      startsOn: monthStart(g.startMonth),
      endsOn: g.endMonth === null ? null : monthEnd(g.endMonth),
      payer: g.payer,
    });
}, 180_000);
afterAll(async () => t.cleanup());

describe(`a generated year of payroll on ${testBackend}`, () => {
  it('pays each month as the list says; the ledger agrees with the bank returns', async () => {
    const bankBefore = await balanceOf(t.db, '1003');
    let paidFen = 0;
    const expected = { disability_allowance: 0, nursing_allowance: 0 };
    for (const [i, month] of MONTHS.entries()) {
      const e = expectedMonth(list, i + 1);
      expected.disability_allowance += e.disability_allowance;
      expected.nursing_allowance += e.nursing_allowance;
      const failing = list
        .filter((g) => g.kind === 'disability_allowance' && random() < 0.08)
        .map((g) => g.workerId);
      const paid = await payMonth(t.db, f, rules, { month, failing });
      paidFen += paid.paidFen;
      // The approval posted this month's expense: the running totals match the model to the fen.
      expect([await balanceOf(t.db, '5108'), await balanceOf(t.db, '5106')]).toEqual([
        expected.disability_allowance,
        expected.nursing_allowance,
      ]);
    }
    // The generator really made a year worth checking: every month paid, failures happened.
    expect(expected.disability_allowance).toBeGreaterThan(0);
    expect(expected.nursing_allowance).toBeGreaterThan(0);
    const expense = expected.disability_allowance + expected.nursing_allowance;
    expect(paidFen).toBeLessThan(expense);
    expect(bankBefore - (await balanceOf(t.db, '1003'))).toBe(paidFen);
    expect(await balanceOf(t.db, '2102')).toBe(expense - paidFen);
    const tb = await trialBalance(t.db, { segment: '330100', asOf: `${YEAR}-12-31` });
    if (!tb.ok) throw new Error(tb.message);
    expect(tb.value.totals.debitFen).toBe(tb.value.totals.creditFen);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  }, 240_000);
});
