import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import { systemActor } from '../../../src/identity/actor.ts';
import { testRuleBook } from '../../../src/runtime/testing.ts';
import { insertSurvivorCase, payMonth } from '../../../src/usecases/benefits/testing.ts';
import { openPeriod } from '../../../src/usecases/fund/ledger/periods.ts';
import { demoSurvivorIdNumber } from '../../../src/usecases/seed/seed-benefits-demo.ts';
import { asUser, demoActor } from '../../../src/usecases/seed/seed-cases-demo.ts';

/**
 * The demo survivor's data for the survivor journey's own server (the test demo has no benefits):
 * a death case of 杭州 recording 陈丽华 (demo.survivor, by her person's ID number) with a pension
 * of 2 800.00 and her child with 2 100.00, the decision's letter, and one month of 杭州's payroll
 * run, approved and paid through the use cases (testing.ts payMonth: hz.handler computes,
 * hz.supervisor approves). Its own server: a run posts to the ledger other journeys show.
 */
export const survivorDemo = { hersFen: 280_000, childFen: 210_000 } as const;

export async function seedSurvivorDemo(db: Database, month: string): Promise<void> {
  await insertSurvivorCase(db, {
    employerId: registryExamples.employerId('330100'),
    survivorIdNumber: demoSurvivorIdNumber(),
    survivorFen: survivorDemo.hersFen,
    coSurvivorFen: survivorDemo.childFen,
  });
  const opened = await openPeriod(db, systemActor('e2e-survivor'), {
    segment: 'all',
    period: month,
  });
  if (!opened.ok) throw new Error(`e2e: open ${month}: ${opened.message}`);
  const team = {
    maker: await asUser(db, demoActor('hz.handler', 'city_handler', 'city', '330100')),
    checker: await asUser(db, demoActor('hz.supervisor', 'supervisor', 'city', '330100')),
  };
  await payMonth(db, team, testRuleBook().benefits, { month });
}
