import { randomBytes } from 'node:crypto';
import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import { insertEntitlement, insertWorker } from '../../../src/usecases/benefits/testing.ts';

/**
 * An open overpayment in 杭州 (330100) of 13 600.00 yuan — the two months of a 6 800.00 allowance
 * paid after a stop, as benefit-stop.ts records it — with its own worker and id per attempt, for
 * the recoveries journey (the demo seed has none).
 */
export async function insertOverpayment(db: Database): Promise<string> {
  const workerId = await insertWorker(db, '1976-04-04');
  const entitlementId = await insertEntitlement(db, {
    employerId: registryExamples.employerId('330100'),
    workerId,
    kind: 'disability_allowance',
    amountFen: 680_000,
    startsOn: '2025-01-01',
    endsOn: '2025-07-31',
  });
  const id = `ovp_${randomBytes(10).toString('hex')}`;
  await db.query(
    `INSERT INTO benefit_overpayments (region_code, id, worker_id, entitlement_id, reason, months,
       line_ids, amount_fen, created_by)
     VALUES ('330100', $1, $2, $3, 'suspension', '["2025-08","2025-09"]', '[]', 1360000, 'e2e')`,
    [id, workerId, entitlementId],
  );
  return id;
}
