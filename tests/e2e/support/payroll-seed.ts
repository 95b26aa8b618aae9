import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
} from '../../../src/usecases/benefits/testing.ts';

/**
 * Three fund-paid monthly entitlements in 杭州 (330100), each worker with a card account, for the
 * payroll journey's own server only: the demo seed has none, and a run would change the ledger the
 * other journeys' pages show. 6 800.00 + 2 700.00 + 3 500.00 = 13 000.00 yuan a month.
 */
export const payrollDemo = [
  { kind: 'disability_allowance', amountFen: 680_000, account: '6222000000091001' },
  { kind: 'nursing_allowance', amountFen: 270_000, account: '6222000000091002' },
  { kind: 'disability_allowance', amountFen: 350_000, account: '6222000000091003' },
] as const;

export async function seedPayrollDemo(db: Database): Promise<void> {
  for (const [index, line] of payrollDemo.entries()) {
    const workerId = await insertWorker(db, `197${index}-03-03`);
    await insertEntitlement(db, {
      employerId: registryExamples.employerId('330100'),
      workerId,
      kind: line.kind,
      amountFen: line.amountFen,
      startsOn: '2025-01-01',
    });
    await insertCardAccount(db, { workerId, validFrom: '2024-06-01', accountNumber: line.account });
  }
}
