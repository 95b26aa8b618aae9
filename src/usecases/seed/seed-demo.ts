import type { Database, Executor } from '../../db/client.ts';
import { persons as personsTable, regions, users as usersTable } from '../../db/schema.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import type { Role, ScopeKind } from '../../identity/roles.ts';
import { randomInt, seededRandom } from '../../kernel/random.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { BlobStore } from '../cases/blob-store.ts';
import { insertUser } from '../identity/users.ts';
import { insertProvinceRows } from '../registry/init-province.ts';
import type { DemoProvince } from '../registry/province-definition.ts';
import { demoIdNumber } from './demo-ids.ts';
import { DEMO_PASSWORD } from './demo-password.ts';
import { seedBenefitsDemo, seedDemoSurvivorPerson } from './seed-benefits-demo.ts';
import { seedCasesDemo, seedDemoWorkerAsWorker } from './seed-cases-demo.ts';
import { seedFundDemo } from './seed-fund-demo.ts';
import { seedRegistryDemo } from './seed-registry-demo.ts';
import { seedSettlementDemo } from './seed-settlement-demo.ts';

export { DEMO_PASSWORD, demoIdNumber };

export type DemoLogin = { username: string; role: Role; scope: string; displayName: string };

export type DemoUser = {
  username: string;
  displayName: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeCode: string | null;
  regionCode: string;
};

/** Every user of the demo province, in creation order: its administrator, then the demo users. */
export function demoUsersOf(demo: DemoProvince): DemoUser[] {
  const admin: DemoUser = {
    ...demo.administrator,
    scopeKind: 'province',
    scopeCode: demo.code,
    regionCode: demo.code,
  };
  return [admin, ...demo.demoUsers];
}

const noFigures = { insuredEmployers: 0, insuredWorkers: 0 };

export type SeedReport = {
  created: boolean;
  regions: number;
  users: number;
  persons: number;
  logins: DemoLogin[];
};

/** Each city's insured employers and workers, drawn in city order from the seed. */
function demoCityFigures(
  demo: DemoProvince,
  seed: number,
): Map<string, { insuredEmployers: number; insuredWorkers: number }> {
  const rand = seededRandom(seed);
  const figures = new Map<string, { insuredEmployers: number; insuredWorkers: number }>();
  for (const c of demo.cities) {
    const employers = randomInt(rand, 20_000, 260_000);
    const workers = employers * randomInt(rand, 8, 16);
    figures.set(c.code, { insuredEmployers: employers, insuredWorkers: workers });
  }
  return figures;
}

async function seedPersons(tx: Executor, demo: DemoProvince, seed: number): Promise<number> {
  const rand = seededRandom(seed ^ 0x5eed);
  let n = 0;
  for (const c of demo.cities) {
    for (let i = 1; i <= 3; i++) {
      const year = randomInt(rand, 1965, 2000);
      const month = String(randomInt(rand, 1, 12)).padStart(2, '0');
      const day = String(randomInt(rand, 1, 28)).padStart(2, '0');
      const id = `per_${c.code}_${String(i).padStart(4, '0')}`;
      const idNumber = demoIdNumber(
        c.demoIdPrefix,
        `${year}-${month}-${day}`,
        randomInt(rand, 1, 999),
      );
      const r = await tx.orm
        .insert(personsTable)
        .values({ regionCode: c.code, id, idNumber, name: `${c.name.slice(0, 2)}职工${i}` })
        .onConflictDoNothing()
        .returning({ id: personsTable.id });
      n += r.length;
    }
  }
  return n;
}

/**
 * Creates the demo province deterministically from a seed number and the demo province file
 * (provinces/zhejiang-demo.yaml, read by the runtime): its cities with seeded insured counts, its
 * administrator and one demo user per role (all with the demo password), a few insured persons per
 * city, a small register (employers and their workers, seed-registry-demo.ts; with the rules, a
 * generated province of a few hundred employers added), then the fund's demo ledger and budgets,
 * then (given the rules and a blob store) the demo cases (seed-cases-demo.ts) and, in 杭州, the
 * demo's benefit decisions and a year of payroll (seed-benefits-demo.ts). Idempotent: a second run creates nothing and
 * reports the same log-ins. Production mode never calls it.
 */
export async function seedDemo(
  db: Database,
  actor: Actor,
  options: {
    seed: number;
    province: DemoProvince;
    rules?: RuleSet | undefined;
    /** Where the demo cases' materials go; without it (or the rules) no cases are seeded. */
    blobs?: BlobStore | undefined;
  },
): Promise<SeedReport> {
  const demo = options.province;
  const demoUsers = demoUsersOf(demo);
  const report = await db.transaction(async (tx) => {
    const usersBefore = await tx.orm.$count(usersTable);
    const figures = demoCityFigures(demo, options.seed);
    await insertProvinceRows(tx, demo, (code) => figures.get(code) ?? noFigures);
    let users = 0;
    for (const u of demoUsers) {
      const out = await insertUser(tx, { ...u, password: DEMO_PASSWORD });
      if (out.ok) users += 1;
      else if (out.code !== 'user.username_taken') throw new Error(`seed: ${out.message}`);
    }
    const persons =
      (await seedPersons(tx, demo, options.seed)) + (await seedDemoSurvivorPerson(tx, demo));
    const register = await seedRegistryDemo(tx, demo, options.seed, options.rules);
    // The demo worker's person is also a registered worker, so the portal finds its cases.
    await seedDemoWorkerAsWorker(tx, demo);
    const created = users > 0 || persons > 0 || register.employers > 0;
    if (created)
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'seed.demo',
        object: `province/${demo.code}`,
        result: 'ok',
        requestId: actor.requestId,
        details: { seed: options.seed, users, persons, ...register, usersBefore },
      });
    return {
      created,
      regions: await tx.orm.$count(regions),
      users,
      persons,
      logins: demoUsers.map((u) => ({
        username: u.username,
        role: u.role,
        scope: u.scopeCode ?? u.scopeKind,
        displayName: u.displayName,
      })),
    };
  });
  await seedFundDemo(db, actor, { seed: options.seed, province: demo.code });
  // Direct settlement's demo institutions sit in 杭州 and 宁波 (the demo.institution user's scope).
  if (demo.code === '330000') await seedSettlementDemo(db, actor);
  // Cases go through the use cases (each its own transaction, letters rendered): after the rest.
  if (options.rules && options.blobs) {
    await seedCasesDemo(db, options.rules, options.blobs, demo);
    // The benefit cases draw their panels from the cases seed's expert pools: after it.
    if (demo.code === '330000') await seedBenefitsDemo(db, options.rules, demo);
  }
  return report;
}

export async function isEmpty(db: Database): Promise<boolean> {
  const n = await db.withConnection((ex) => ex.orm.$count(usersTable));
  return n === 0;
}
