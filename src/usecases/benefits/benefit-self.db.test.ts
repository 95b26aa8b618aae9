import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { caseMonthlyPayments } from './benefit-self.ts';
import { startPayrollRun } from './payroll-run.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * The worker's own view of the monthly payroll (the portal's "每月待遇发放"): a worker of 杭州 with
 * 伤残津贴 5 000.00 元 a month; 2025-09 fails at the bank, 2025-10 pays the month and reissues
 * 2025-09; 2025-11 is computed but not approved, so it is not shown.
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
let caseId: string;

beforeAll(async () => {
  t = await openTestDatabase();
  const f = await setUpBenefits(t.db, rules, ['2025-09', '2025-10', '2025-11']);
  const workerId = await insertWorker(t.db);
  const entitlementId = await insertEntitlement(t.db, {
    employerId: f.employer.id,
    workerId,
    kind: 'disability_allowance',
    amountFen: 500_000,
    startsOn: '2025-04-01',
  });
  const e = await t.db.query(
    `SELECT d.case_id FROM benefit_entitlements e
       JOIN benefit_decisions d ON d.region_code = e.region_code AND d.id = e.decision_id
      WHERE e.region_code = $1 AND e.id = $2`,
    [HZ, entitlementId],
  );
  caseId = String(e.rows[0]?.['case_id']);
  await insertCardAccount(t.db, {
    workerId,
    validFrom: '2024-01-01',
    accountNumber: '6222000000990001',
  });
  await payMonth(t.db, f, rules, { month: '2025-09', failing: [workerId] });
  await payMonth(t.db, f, rules, { month: '2025-10' });
  const nov = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month: '2025-11' },
    { policy: POLICY },
  );
  if (!nov.ok) throw new Error(nov.message);
}, 240_000);
afterAll(() => t.cleanup());

describe("a worker's monthly payments (portal)", () => {
  it('lists the approved runs’ lines of the case, newest first: the failure with its reason, the month and its reissue paid', async () => {
    const lines = await t.db.withConnection((ex) =>
      caseMonthlyPayments(ex, { regionCode: HZ, caseId }),
    );
    expect(lines.map((l) => [l.month, l.status, l.reissue, l.amountFen])).toEqual([
      ['2025-10', 'paid', false, 500_000],
      ['2025-10', 'paid', true, 500_000],
      ['2025-09', 'failed', false, 500_000],
    ]);
    expect(lines[2]?.failureReason).toBe('账户已销户');
    expect(lines.every((l) => l.kind === 'disability_allowance')).toBe(true);
  });

  it('shows nothing of another case', async () => {
    const none = await t.db.withConnection((ex) =>
      caseMonthlyPayments(ex, { regionCode: HZ, caseId: `cas_${HZ}_0000000000000000` }),
    );
    expect(none).toEqual([]);
  });
});
