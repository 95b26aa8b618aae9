import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import { declareWage, insertCase, insertWorker } from '../../../src/usecases/benefits/testing.ts';

/**
 * The case of the missing-worker journey (missing-worker.spec.ts), fresh on every attempt so a
 * retry never meets the first attempt's event: a new worker of the demo employer in 杭州, missing
 * after an accident on a business trip on 2025-03-10 (recognised, ground 第十四条第（五）项), his
 * wages declared at 6 000.00 yuan for each of the 12 months before (本人工资 6 000.00), as
 * src/usecases/benefits/benefit-missing.db.test.ts seeds its case with the benefits' fixtures.
 */
const HZ = '330100';
export const MISSING_ACCIDENT = '2025-03-10';
const WAGE_FEN = 600_000;

export async function seedMissingCase(db: Database): Promise<string> {
  const employerId = registryExamples.employerId(HZ);
  const workerId = await insertWorker(db);
  for (let m = 3; m <= 14; m += 1) {
    const year = m <= 12 ? 2024 : 2025;
    const month = `${year}-${String(m <= 12 ? m : m - 12).padStart(2, '0')}`;
    await declareWage(db, { employerId, workerId, month, wageFen: WAGE_FEN });
  }
  const caseId = await insertCase(db, {
    workerId,
    employerId,
    accidentDate: MISSING_ACCIDENT,
    outcome: 'recognised',
  });
  await db.query(
    `UPDATE cases SET determination_grounds = '{art14_5}'::text[] WHERE region_code = $1 AND id = $2`,
    [HZ, caseId],
  );
  return caseId;
}
