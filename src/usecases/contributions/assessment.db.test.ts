import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { type AssessmentOutcome, assessCityMonth, previewCityMonth } from './assessment.ts';
import {
  approve,
  changeGrade,
  declare,
  HZ,
  newEmployer,
  POLICY,
  setUpContributions,
} from './testing.ts';

const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
const e: Record<'software' | 'machinery' | 'mining', { id: string }> = {
  software: { id: '' },
  machinery: { id: '' },
  mining: { id: '' },
};

const run = (over: { approvalId?: string; month?: string; actor?: typeof f.maker } = {}) =>
  assessCityMonth(t.db, over.actor ?? f.maker, rules, {
    city: HZ,
    month: over.month ?? '2024-06',
    approvalId: over.approvalId,
    policy: POLICY,
  });

/** Maker runs, checker approves, maker posts. */
async function assessAndPost(month = '2024-06'): Promise<AssessmentOutcome> {
  const asked = await run({ month });
  if (!asked.ok) throw new Error(asked.message);
  if (asked.value.approval === null) return asked.value;
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  const posted = await run({ month, approvalId: asked.value.approval.id });
  if (!posted.ok) throw new Error(posted.message);
  return posted.value;
}

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2024-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function assessments() {
  const r = await t.db.query(
    `SELECT employer_id, version, risk_class, floating_grade, base_rate, multiplier, rate, base_total_fen,
            worker_count, amount_fen, previous_amount_fen, citations
       FROM contribution_assessments WHERE region_code = $1 ORDER BY employer_id, version`,
    [HZ],
  );
  return r.rows;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2024-06', '2024-07']);
  // Class 1 (软件和信息技术服务业 65, 0.2 %) raised to up1 (× 1.2) from 2024-03-01: 0.24 % in June.
  e.software = await newEmployer(t.db, f.system, rules, {
    sequence: 1,
    industry: { standard: 'GB/T 4754-2017', division: '65' },
  });
  await changeGrade(t.db, f.system, rules, {
    employerId: e.software.id,
    grade: 'up1',
    from: '2024-03-01',
  });
  // Class 4 (通用设备制造业 34, 0.9 %) lowered to down1 only from 2024-07-01: June is still base.
  e.machinery = await newEmployer(t.db, f.system, rules, { sequence: 2 });
  await changeGrade(t.db, f.system, rules, {
    employerId: e.machinery.id,
    grade: 'down1',
    from: '2024-07-01',
  });
  // Class 8 (煤炭开采和洗选业 06, 1.9 %) at up2 (× 1.5) from registration: 2.85 %.
  e.mining = await newEmployer(t.db, f.system, rules, {
    sequence: 3,
    industry: { standard: 'GB/T 4754-2011', division: '06' },
  });
  await changeGrade(t.db, f.system, rules, {
    employerId: e.mining.id,
    grade: 'up2',
    from: '2024-01-01',
  });
  await declare(t.db, {
    employerId: e.software.id,
    month: '2024-06',
    basesFen: [850_000, 1_234_567],
  });
  await declare(t.db, {
    employerId: e.machinery.id,
    month: '2024-06',
    basesFen: [600_001, 700_003, 333_333],
  });
  await declare(t.db, { employerId: e.mining.id, month: '2024-06', basesFen: [1_000_050] });
});
afterAll(async () => t.cleanup());

describe(`assessment of a city-month on ${testBackend}`, () => {
  it('asks for an approval first and writes nothing until it is used', async () => {
    const asked = await run();
    if (!asked.ok) throw new Error(asked.message);
    expect(asked.value.status).toBe('approval_requested');
    // 2 084 567 × 0.0024 = 5 002.9608 → 5 003; 1 633 337 × 0.009 = 14 700.033 → 14 700;
    // 1 000 050 × 0.0285 = 28 501.425 → 28 501. Σ = 48 204.
    expect(asked.value.payload).toMatchObject({
      city: HZ,
      month: '2024-06',
      runSeq: 1,
      employerCount: 3,
      amountTotalFen: 48_204,
      differenceFen: 48_204,
    });
    expect(await assessments()).toEqual([]);
    expect(await balance('1131')).toBe(0);
  });

  it('refuses the maker approving their own run, a wrong action, and an unapproved id', async () => {
    const asked = await run();
    if (!asked.ok || asked.value.approval === null) throw new Error('no approval');
    const { decideApproval } = await import('../approvals/approvals.ts');
    const self = await decideApproval(t.db, f.maker, {
      regionCode: HZ,
      id: asked.value.approval.id,
      decision: 'approved',
    });
    expect(self.ok || self.code).toBe('approval.self_approval');
    const sameRole = await decideApproval(t.db, f.maker2, {
      regionCode: HZ,
      id: asked.value.approval.id,
      decision: 'approved',
    });
    expect(sameRole.ok || sameRole.code).toBe('approval.same_role');
    const unapproved = await run({ approvalId: asked.value.approval.id });
    expect(unapproved.ok || unapproved.code).toBe('approval.not_approved');
    expect(await assessments()).toEqual([]);
  });
});

describe(`assessment posting on ${testBackend}`, () => {
  it('posts exactly the approved amounts, to the fen, with the rate trail', async () => {
    const posted = await assessAndPost();
    expect(posted).toMatchObject({
      status: 'posted',
      transactionId: 'contributions:assessment:330100:2024-06:1',
    });
    const rows = await assessments();
    const by = (id: string) => rows.find((r) => r['employer_id'] === id);
    expect(by(e.software.id)).toMatchObject({
      risk_class: 1,
      floating_grade: 'up1',
      base_rate: '0.002',
      multiplier: '1.2',
      rate: '0.0024',
      base_total_fen: 2_084_567,
      worker_count: 2,
      amount_fen: 5_003,
    });
    expect(by(e.machinery.id)).toMatchObject({
      risk_class: 4,
      floating_grade: 'base',
      rate: '0.009',
      amount_fen: 14_700,
    });
    expect(by(e.mining.id)).toMatchObject({
      risk_class: 8,
      floating_grade: 'up2',
      rate: '0.0285',
      amount_fen: 28_501,
    });
    expect(by(e.mining.id)?.['citations']).toEqual(
      expect.arrayContaining(['《工伤保险条例》第十条第二款']),
    );
    expect(await balance('1131')).toBe(48_204);
    expect(await balance('4101')).toBe(48_204);
  });

  it('a rerun with no new declaration version changes nothing', async () => {
    const again = await run();
    expect(again.ok && again.value.status).toBe('nothing');
    expect((await assessments()).length).toBe(3);
    expect(await balance('1131')).toBe(48_204);
  });
});

describe(`reassessment on ${testBackend}`, () => {
  it('a used approval cannot post again', async () => {
    const r = await t.db.query(
      `SELECT approval_id FROM contribution_assessment_runs WHERE region_code = $1`,
      [HZ],
    );
    await declare(t.db, {
      employerId: e.software.id,
      month: '2024-06',
      basesFen: [850_000, 1_234_567, 500_000],
    });
    const reused = await run({ approvalId: String(r.rows[0]?.['approval_id']) });
    expect(reused.ok || reused.code).toBe('approval.already_used');
  });

  it('a new declaration version is a new assessment version, and only the difference is posted', async () => {
    // 2 584 567 × 0.0024 = 6 202.9608 → 6 203; 6 203 − 5 003 = 1 200.
    const posted = await assessAndPost();
    expect(posted.payload).toMatchObject({
      runSeq: 2,
      employerCount: 1,
      amountTotalFen: 6_203,
      differenceFen: 1_200,
    });
    const rows = (await assessments()).filter((r) => r['employer_id'] === e.software.id);
    expect(rows.map((r) => [r['version'], r['amount_fen'], r['previous_amount_fen']])).toEqual([
      [1, 5_003, 0],
      [2, 6_203, 5_003],
    ]);
    expect(await balance('1131')).toBe(49_404);
  });

  it('refuses a payload changed after approval (approval bound to the exact amounts)', async () => {
    await declare(t.db, { employerId: e.mining.id, month: '2024-06', basesFen: [2_000_000] });
    const asked = await run();
    if (!asked.ok || asked.value.approval === null) throw new Error('no approval');
    await approve(t.db, f.checker, HZ, asked.value.approval.id);
    await declare(t.db, { employerId: e.mining.id, month: '2024-06', basesFen: [2_000_001] });
    const posted = await run({ approvalId: asked.value.approval.id });
    expect(posted.ok || posted.code).toBe('approval.payload_mismatch');
    expect(await balance('1131')).toBe(49_404);
  });
});

describe(`grades and input on ${testBackend}`, () => {
  it('July uses the grade in force on 2024-07-01 (the machinery employer is down1 from then)', async () => {
    await declare(t.db, { employerId: e.machinery.id, month: '2024-07', basesFen: [1_633_337] });
    const asked = await run({ month: '2024-07' });
    // 1 633 337 × 0.009 × 0.8 = 1 633 337 × 0.0072 = 11 760.0264 → 11 760
    expect(asked.ok && asked.value.payload).toMatchObject({
      employerCount: 1,
      amountTotalFen: 11_760,
    });
    // The CLI's preview shows the same payload and asks nothing.
    const preview = await previewCityMonth(t.db, rules, { city: HZ, month: '2024-07' });
    expect(preview.ok && [preview.value.status, preview.value.approval]).toEqual(['preview', null]);
    expect(preview.ok && preview.value.payload).toEqual(asked.ok && asked.value.payload);
  });

  it('refuses bad input with the field named, and leaves the ledger balanced', async () => {
    const city = await assessCityMonth(t.db, f.maker, rules, {
      city: '330000',
      month: '2024-06',
      policy: POLICY,
    });
    expect(city.ok || [city.code, city.details]).toEqual([
      'contributions.invalid_request',
      { field: 'region' },
    ]);
    const month = await assessCityMonth(t.db, f.maker, rules, {
      city: HZ,
      month: '2024-6',
      policy: POLICY,
    });
    expect(month.ok || month.code).toBe('contributions.invalid_request');
    const check = await checkLedger(t.db);
    expect(check.differences).toEqual([]);
  });
});
