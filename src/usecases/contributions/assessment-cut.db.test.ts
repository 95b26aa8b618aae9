import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { trialBalance } from '../fund/ledger/ledger-read.ts';
import { type AssessmentOutcome, assessCityMonth } from './assessment.ts';
import {
  approve,
  changeGrade,
  declare,
  HZ,
  newEmployer,
  POLICY,
  setUpContributions,
} from './testing.ts';

/**
 * 浙江's demo temporary cut (values/330000/contribution.yaml `contribution.rate_cut_factor`: × 0.8
 * from 2025-07-01 to 2025-12-31) in the set-based assessment: the rate table carries the cut rate
 * and its citation, the SQL multiplies and rounds once. June 2025 is outside the cut, July inside.
 */
const rules = testRuleBook().benefits;
const CUT_CITATION =
  'placeholder (浙江 阶段性降低工伤保险费率 notice not loaded) demo cut of 20 % from 2025-07 to 2025-12';
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
const e = { software: { id: '' }, machinery: { id: '' }, mining: { id: '' } };

async function assessAndPost(month: string): Promise<AssessmentOutcome> {
  const input = { city: HZ, month, policy: POLICY };
  const asked = await assessCityMonth(t.db, f.maker, rules, input);
  if (!asked.ok) throw new Error(asked.message);
  if (asked.value.approval === null) return asked.value;
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  const approvalId = asked.value.approval.id;
  const posted = await assessCityMonth(t.db, f.maker, rules, { ...input, approvalId });
  if (!posted.ok) throw new Error(posted.message);
  return posted.value;
}

async function rowsOf(month: string) {
  const r = await t.db.query(
    `SELECT employer_id, base_rate, multiplier, rate, base_total_fen, amount_fen, citations
       FROM contribution_assessments WHERE region_code = $1 AND month = $2::date ORDER BY employer_id`,
    [HZ, `${month}-01`],
  );
  return (id: string) => r.rows.find((row) => row['employer_id'] === id);
}

async function receivable(): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === '1131')?.balanceFen ?? 0;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2025-06', '2025-07']);
  // Class 1 (65, 0.2 %) at up1 (× 1.2); class 4 (34, 0.9 %) at base; class 8 (06, 1.9 %) at up2 (× 1.5).
  e.software = await newEmployer(t.db, f.system, rules, {
    sequence: 1,
    industry: { standard: 'GB/T 4754-2017', division: '65' },
  });
  await changeGrade(t.db, f.system, rules, {
    employerId: e.software.id,
    grade: 'up1',
    from: '2024-03-01',
  });
  e.machinery = await newEmployer(t.db, f.system, rules, { sequence: 2 });
  e.mining = await newEmployer(t.db, f.system, rules, {
    sequence: 3,
    industry: { standard: 'GB/T 4754-2011', division: '06' },
  });
  await changeGrade(t.db, f.system, rules, {
    employerId: e.mining.id,
    grade: 'up2',
    from: '2024-01-01',
  });
  for (const month of ['2025-06', '2025-07']) {
    await declare(t.db, { employerId: e.software.id, month, basesFen: [850_000, 1_234_567] });
    await declare(t.db, {
      employerId: e.machinery.id,
      month,
      basesFen: [600_001, 700_003, 333_333],
    });
    await declare(t.db, { employerId: e.mining.id, month, basesFen: [1_000_050] });
  }
});
afterAll(async () => t.cleanup());

describe(`assessment with a temporary cut on ${testBackend}`, () => {
  it('outside the cut (2025-06) assesses the class rate of the grade, citing no cut', async () => {
    const posted = await assessAndPost('2025-06');
    expect(posted.status).toBe('posted');
    const by = await rowsOf('2025-06');
    // 2 084 567 × 0.0024 = 5 002.9608 → 5 003; 1 633 337 × 0.009 = 14 700.033 → 14 700;
    // 1 000 050 × 0.0285 = 28 501.425 → 28 501. Σ = 48 204.
    expect(by(e.software.id)).toMatchObject({ rate: '0.0024', amount_fen: 5_003 });
    expect(by(e.machinery.id)).toMatchObject({ rate: '0.009', amount_fen: 14_700 });
    expect(by(e.mining.id)).toMatchObject({ rate: '0.0285', amount_fen: 28_501 });
    expect(by(e.mining.id)?.['citations']).not.toContain(CUT_CITATION);
    expect(await receivable()).toBe(48_204);
  });

  it('inside the cut (2025-07) assesses base × multiplier × 0.8, rounded once, with its citation', async () => {
    const posted = await assessAndPost('2025-07');
    expect(posted.status).toBe('posted');
    const by = await rowsOf('2025-07');
    // 2 084 567 × 0.00192 = 4 002.36864 → 4 002; 1 633 337 × 0.0072 = 11 760.0264 → 11 760;
    // 1 000 050 × 0.0228 = 22 801.14 → 22 801. Σ = 38 563.
    expect(by(e.software.id)).toMatchObject({
      base_rate: '0.002',
      multiplier: '1.2',
      rate: '0.00192',
      base_total_fen: 2_084_567,
      amount_fen: 4_002,
    });
    expect(by(e.machinery.id)).toMatchObject({ rate: '0.0072', amount_fen: 11_760 });
    expect(by(e.mining.id)).toMatchObject({
      multiplier: '1.5',
      rate: '0.0228',
      amount_fen: 22_801,
    });
    expect(by(e.mining.id)?.['citations']).toEqual(
      expect.arrayContaining(['《工伤保险条例》第十条第二款', CUT_CITATION]),
    );
    expect(await receivable()).toBe(48_204 + 38_563);
  });
});
