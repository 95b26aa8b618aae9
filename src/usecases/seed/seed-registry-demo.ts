import type { Executor } from '../../db/client.ts';
import { employerEvents, employers, employmentSpells, workers } from '../../db/schema.ts';
import { planSyntheticProvince } from '../../domain/registry/synthetic/synthetic-plan.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import { randomInt, seededRandom } from '../../kernel/random.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { DemoProvince } from '../registry/province-definition.ts';
import { loadSyntheticRegister } from '../registry/synthetic-register-load.ts';
import { demoCreditCode, demoIdNumber } from './demo-ids.ts';

const DEMO_EMPLOYERS = [
  { kind: '机械有限公司', division: '34', category: 'sme' },
  { kind: '建设集团有限公司', division: '47', category: 'large' },
  { kind: '软件科技有限公司', division: '65', category: 'sme' },
] as const;

const WORKERS_PER_EMPLOYER = 4;
const REGISTERED_ON = '2023-01-01';

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

type SeedCity = DemoProvince['cities'][number];

async function seedCityEmployers(tx: Executor, c: SeedCity, rand: () => number): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, e] of DEMO_EMPLOYERS.entries()) {
    const id = `emp_${c.code}_${hex16(i + 1)}`;
    const inserted = await tx.orm
      .insert(employers)
      .values({
        regionCode: c.code,
        id,
        creditCode: demoCreditCode(c.code, i + 1),
        name: `${c.name.slice(0, 2)}示例${e.kind}(演示)`,
        address: `${c.name}示例路${randomInt(rand, 1, 300)}号`,
        industryStandard: 'GB/T 4754-2017',
        industryDivision: e.division,
        category: e.category,
        registeredOn: REGISTERED_ON,
        status: 'registered',
        statusFrom: REGISTERED_ON,
        floatingGrade: 'base',
        floatingGradeFrom: REGISTERED_ON,
        createdBy: 'system',
      })
      .onConflictDoNothing()
      .returning({ id: employers.id });
    if (inserted.length === 0) continue;
    ids.push(id);
    await tx.orm.insert(employerEvents).values({
      regionCode: c.code,
      employerId: id,
      seq: 1,
      kind: 'registered',
      effectiveFrom: REGISTERED_ON,
      data: { status: 'registered', floatingGrade: 'base' },
      recordedBy: 'system',
    });
  }
  return ids;
}

async function seedWorker(
  tx: Executor,
  at: { city: SeedCity; employerId: string; serial: number },
  rand: () => number,
): Promise<string> {
  const birth = `${randomInt(rand, 1965, 2003)}-${String(randomInt(rand, 1, 12)).padStart(2, '0')}-${String(randomInt(rand, 1, 28)).padStart(2, '0')}`;
  const idNumber = demoIdNumber(at.city.demoIdPrefix, birth, 500 + at.serial);
  const facts = citizenIdFacts(idNumber);
  const workerId = `wkr_${hex16(Number(at.city.code) * 100 + at.serial)}`;
  const name = `${at.city.name.slice(0, 2)}参保职工${at.serial}`;
  await tx.orm
    .insert(workers)
    .values({ id: workerId, idNumber, name, ...facts, registeredBy: 'system' })
    .onConflictDoNothing();
  await tx.orm
    .insert(employmentSpells)
    .values({
      regionCode: at.city.code,
      id: `spl_${at.city.code}_${hex16(at.serial)}`,
      employerId: at.employerId,
      workerId,
      workerName: name,
      startDate: `2023-${String(randomInt(rand, 1, 12)).padStart(2, '0')}-01`,
      hiredBy: 'system',
    })
    .onConflictDoNothing();
  return workerId;
}

/**
 * The demo register: three hand-made employers per city (the first of 杭州 is the demo employer
 * user's; the browser journeys and tests name them), four workers employed at each, one worker who
 * left 杭州 and now works in 宁波 (one person, two cities); then, given the rules, a generated
 * province of DEMO_SYNTHETIC employers and workers across the demo cities (`tongchou generate`'s
 * generator, the same seed), so the home page counts and the register search have a city's worth
 * of records. Deterministic from the seed; idempotent (a second run inserts nothing).
 */
export async function seedRegistryDemo(
  tx: Executor,
  demo: DemoProvince,
  seed: number,
  rules?: RuleSet,
): Promise<{ employers: number; workers: number }> {
  const rand = seededRandom(seed ^ 0x7e61);
  let employerCount = 0;
  let workerCount = 0;
  const firstWorkerOf = new Map<string, string>();
  for (const c of demo.cities) {
    const ids = await seedCityEmployers(tx, c, rand);
    employerCount += ids.length;
    for (const [e, employerId] of ids.entries())
      for (let w = 1; w <= WORKERS_PER_EMPLOYER; w++) {
        const serial = e * WORKERS_PER_EMPLOYER + w;
        const workerId = await seedWorker(tx, { city: c, employerId, serial }, rand);
        if (serial === 1) firstWorkerOf.set(c.code, workerId);
        workerCount += 1;
      }
  }
  await seedMover(tx, demo, firstWorkerOf);
  if (employerCount === 0 || rules === undefined)
    return { employers: employerCount, workers: workerCount };
  const generated = await seedSyntheticRegister(tx, demo, seed, rules);
  return {
    employers: employerCount + generated.employers,
    workers: workerCount + generated.workers,
  };
}

/** The generated part of the demo register: small enough for a first `npm start` well under 10 s. */
export const DEMO_SYNTHETIC = {
  employers: 200,
  workers: 2000,
  months: 24,
  from: '2024-01',
} as const;

async function seedSyntheticRegister(
  tx: Executor,
  demo: DemoProvince,
  seed: number,
  rules: RuleSet,
): Promise<{ employers: number; workers: number }> {
  const cities = demo.cities.map(({ code, name }) => ({ code, name }));
  const plan = planSyntheticProvince({ ...DEMO_SYNTHETIC, seed, cities }, rules);
  if (!plan.ok) throw new Error(`demo seed: ${plan.message}`);
  return loadSyntheticRegister(tx, plan.value, { by: 'system' });
}

/** 杭州's first worker leaves on 2024-06-30 and starts at 宁波's first employer the next day. */
async function seedMover(
  tx: Executor,
  demo: DemoProvince,
  firstWorkerOf: Map<string, string>,
): Promise<void> {
  const [from, to] = demo.cities;
  const workerId = from ? firstWorkerOf.get(from.code) : undefined;
  if (!from || !to || !workerId) return;
  // Hand SQL: the seed closes its own spell in place (the trigger still checks the dates).
  await tx.query(
    `UPDATE employment_spells SET start_date = '2023-03-01', end_date = '2024-06-30', left_by = 'system'
      WHERE region_code = $1 AND id = $2`,
    [from.code, `spl_${from.code}_${hex16(1)}`],
  );
  await tx.orm
    .insert(employmentSpells)
    .values({
      regionCode: to.code,
      id: `spl_${to.code}_${hex16(1000)}`,
      employerId: `emp_${to.code}_${hex16(1)}`,
      workerId,
      workerName: `${from.name.slice(0, 2)}参保职工1`,
      startDate: '2024-07-01',
      hiredBy: 'system',
    })
    .onConflictDoNothing();
}
