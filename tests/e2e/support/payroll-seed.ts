import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import { textOf, withColumns } from '../../../src/db/rows.ts';
import { calculateFromUnknown } from '../../../src/rules/calculator/index.ts';
import { testRuleBook } from '../../../src/runtime/testing.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
} from '../../../src/usecases/benefits/testing.ts';

/**
 * Three fund-paid monthly entitlements in 杭州 (330100), each worker with a card account, for the
 * payroll journey's own server only: the demo seed has none, and a run would change the ledger the
 * other journeys' pages show. 6 800.00 + 2 700.00 + 3 500.00 = 13 000.00 yuan a month.
 *
 * The first is the demo worker's (demo.worker follows it in the portal): its decision is a real
 * calculation, grade 3 on a wage of 8 500.00 yuan, so the portal's decision panel shows what the
 * calculator gives — 伤残津贴 8 500.00 × 80 % = 6 800.00 (《工伤保险条例》第三十五条第一款第（二）项
 * "三级伤残为本人工资的80%").
 */
export const payrollDemo = [
  { kind: 'disability_allowance', amountFen: 680_000, account: '6222000000091001' },
  { kind: 'nursing_allowance', amountFen: 270_000, account: '6222000000091002' },
  { kind: 'disability_allowance', amountFen: 350_000, account: '6222000000091003' },
] as const;

/** The demo worker's card account: the line the journey's bank return fails. */
export const demoWorkerAccount = payrollDemo[0].account;

/** The demo worker's row in the register (seedDemoWorkerAsWorker matches it by ID number). */
async function demoWorkerId(db: Database): Promise<string> {
  const r = withColumns(
    await db.query(
      `SELECT w.id FROM users u
         JOIN persons p ON p.region_code = u.region_code AND p.id = u.scope_code
         JOIN workers w ON w.id_number = p.id_number
        WHERE u.username = 'demo.worker'`,
    ),
    { id: textOf },
  );
  const id = r.rows[0]?.id;
  if (id === undefined) throw new Error('payroll seed: the demo worker is not a registered worker');
  return id;
}

/** Grade 3 from 2025-03-20, 8 500.00 yuan a month for the twelve months before the injury. */
function demoWorkerCalculation(): { input: unknown; result: unknown } {
  const input = {
    region: '330100',
    kind: 'disability',
    injuryDate: '2024-11-05',
    decisionDate: '2025-03-20',
    monthlyWagesFen: Array.from({ length: 12 }, () => 850_000),
    disabilityGrade: 3,
    nursingLevel: null,
    employerArrangedWork: false,
    occupationalDisease: false,
  };
  const calculated = calculateFromUnknown(input, testRuleBook().benefits);
  if (!calculated.ok) throw new Error(`payroll seed: ${JSON.stringify(calculated.body)}`);
  return { input, result: calculated.body };
}

export async function seedPayrollDemo(db: Database): Promise<void> {
  for (const [index, line] of payrollDemo.entries()) {
    const demo = index === 0;
    const workerId = demo ? await demoWorkerId(db) : await insertWorker(db, `197${index}-03-03`);
    await insertEntitlement(db, {
      employerId: registryExamples.employerId('330100'),
      workerId,
      kind: line.kind,
      amountFen: line.amountFen,
      startsOn: '2025-01-01',
      ...(demo ? { calculation: demoWorkerCalculation() } : {}),
    });
    await insertCardAccount(db, { workerId, validFrom: '2024-06-01', accountNumber: line.account });
  }
}
