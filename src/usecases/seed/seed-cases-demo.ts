import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { employmentSpells, persons, workers } from '../../db/schema.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import type { DemoProvince } from '../registry/province-definition.ts';

/**
 * The demo worker's log-in names a row of `persons` (its scope code, e.g. per_330100_0001), while
 * cases reference the register's `workers`; the portal matches the two by ID number
 * (docs/adr/0012-injury-cases.md). So that the demo worker can report and follow a case, the seed
 * registers that person as a worker on the demo employer's roster (the first employer of its city).
 * Idempotent: a second run adds nothing.
 */
export async function seedDemoWorkerAsWorker(tx: Executor, demo: DemoProvince): Promise<number> {
  let added = 0;
  for (const user of demo.demoUsers) {
    if (user.role !== 'worker' || user.scopeCode === null) continue;
    const [person] = await tx.orm
      .select({ idNumber: persons.idNumber, name: persons.name, regionCode: persons.regionCode })
      .from(persons)
      .where(and(eq(persons.regionCode, user.regionCode), eq(persons.id, user.scopeCode)));
    if (!person) continue;
    const serial = Number(user.scopeCode.slice(-4));
    const workerId = `wkr_${(Number(person.regionCode) * 100 + 90 + serial).toString(16).padStart(16, '0')}`;
    const inserted = await tx.orm
      .insert(workers)
      .values({
        id: workerId,
        idNumber: person.idNumber,
        name: user.displayName.replace(/\(.*\)$/, ''),
        ...citizenIdFacts(person.idNumber),
        registeredBy: 'system',
      })
      .onConflictDoNothing()
      .returning({ id: workers.id });
    if (inserted.length === 0) continue;
    const employerId = `emp_${person.regionCode}_${'1'.padStart(16, '0')}`;
    await tx.orm
      .insert(employmentSpells)
      .values({
        regionCode: person.regionCode,
        id: `spl_${person.regionCode}_${(90 + serial).toString(16).padStart(16, '0')}`,
        employerId,
        workerId,
        workerName: user.displayName.replace(/\(.*\)$/, ''),
        startDate: '2024-01-01',
        hiredBy: 'system',
      })
      .onConflictDoNothing();
    added += 1;
  }
  return added;
}
