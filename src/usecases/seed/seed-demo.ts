import type { Database, Executor } from '../../db/client.ts';
import { persons as personsTable, regions, users as usersTable } from '../../db/schema.ts';
import { demoProvince, zhejiangCities } from '../../domain/registry/zhejiang.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import type { Role, ScopeKind } from '../../identity/roles.ts';
import { citizenIdCheckCharacter } from '../../kernel/ids.ts';
import { randomInt, seededRandom } from '../../kernel/random.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { insertUser } from '../identity/users.ts';
import { seedFundDemo } from './seed-fund-demo.ts';

/** The demo password of every demo user; printed at start so a trainer can hand it out. */
export const DEMO_PASSWORD = 'Tongchou-Demo-2026';

export type DemoLogin = { username: string; role: Role; scope: string; displayName: string };

type DemoUser = {
  username: string;
  displayName: string;
  role: Role;
  scopeKind: ScopeKind;
  scopeCode: string | null;
  regionCode: string;
};

export const demoUsers: readonly DemoUser[] = [
  {
    username: 'province.fund',
    displayName: '省基金管理员',
    role: 'province_fund_manager',
    scopeKind: 'province',
    scopeCode: '330000',
    regionCode: '330000',
  },
  {
    username: 'hz.handler',
    displayName: '杭州经办员',
    role: 'city_handler',
    scopeKind: 'city',
    scopeCode: '330100',
    regionCode: '330100',
  },
  {
    username: 'nb.handler',
    displayName: '宁波经办员',
    role: 'city_handler',
    scopeKind: 'city',
    scopeCode: '330200',
    regionCode: '330200',
  },
  {
    username: 'hz.determination',
    displayName: '杭州工伤认定员',
    role: 'determination_officer',
    scopeKind: 'city',
    scopeCode: '330100',
    regionCode: '330100',
  },
  {
    username: 'province.appraisal',
    displayName: '省劳动能力鉴定委员会',
    role: 'appraisal_committee',
    scopeKind: 'province',
    scopeCode: '330000',
    regionCode: '330000',
  },
  {
    username: 'hz.supervisor',
    displayName: '杭州稽核员',
    role: 'supervisor',
    scopeKind: 'city',
    scopeCode: '330100',
    regionCode: '330100',
  },
  {
    username: 'province.supervisor',
    displayName: '省稽核内控员',
    role: 'supervisor',
    scopeKind: 'province',
    scopeCode: '330000',
    regionCode: '330000',
  },
  {
    username: 'demo.institution',
    displayName: '浙江大学医学院附属第一医院(演示)',
    role: 'institution',
    scopeKind: 'institution',
    scopeCode: 'INST-330100-0001',
    regionCode: '330100',
  },
  {
    username: 'demo.employer',
    displayName: '杭州示例机械有限公司(演示)',
    role: 'employer',
    scopeKind: 'employer',
    scopeCode: '91330100MA00000001',
    regionCode: '330100',
  },
  {
    username: 'demo.worker',
    displayName: '张三(演示)',
    role: 'worker',
    scopeKind: 'self',
    scopeCode: 'per_330100_0001',
    regionCode: '330100',
  },
];

/** A valid 18-character ID number for a demo person (check character by GB 11643). */
export function demoIdNumber(districtPrefix: string, birth: string, sequence: number): string {
  const first17 = `${districtPrefix}${birth.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}

export type SeedReport = {
  created: boolean;
  regions: number;
  users: number;
  persons: number;
  logins: DemoLogin[];
};

async function seedRegions(tx: Executor, seed: number): Promise<void> {
  const rand = seededRandom(seed);
  await tx.orm
    .insert(regions)
    .values({
      code: demoProvince.code,
      name: demoProvince.name,
      nameEn: demoProvince.nameEn,
      level: 'province',
      parentCode: null,
    })
    .onConflictDoNothing({ target: regions.code });
  for (const c of zhejiangCities) {
    const employers = randomInt(rand, 20_000, 260_000);
    const workers = employers * randomInt(rand, 8, 16);
    await tx.orm
      .insert(regions)
      .values({
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        level: 'city',
        parentCode: demoProvince.code,
        insuredEmployers: employers,
        insuredWorkers: workers,
      })
      .onConflictDoNothing({ target: regions.code });
  }
}

async function seedPersons(tx: Executor, seed: number): Promise<number> {
  const rand = seededRandom(seed ^ 0x5eed);
  let n = 0;
  for (const c of zhejiangCities) {
    for (let i = 1; i <= 3; i++) {
      const year = randomInt(rand, 1965, 2000);
      const month = String(randomInt(rand, 1, 12)).padStart(2, '0');
      const day = String(randomInt(rand, 1, 28)).padStart(2, '0');
      const id = `per_${c.code}_${String(i).padStart(4, '0')}`;
      const idNumber = demoIdNumber(
        c.districtPrefix,
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
 * Creates the demo province deterministically from a seed number: Zhejiang's 11 cities, one demo
 * user per role (province- and city-scoped), a few insured persons per city. Idempotent: a second
 * run creates nothing and reports the same log-ins.
 */
export async function seedDemo(
  db: Database,
  actor: Actor,
  options: { seed: number },
): Promise<SeedReport> {
  const report = await db.transaction(async (tx) => {
    const usersBefore = await tx.orm.$count(usersTable);
    await seedRegions(tx, options.seed);
    let users = 0;
    for (const u of demoUsers) {
      const out = await insertUser(tx, { ...u, password: DEMO_PASSWORD });
      if (out.ok) users += 1;
      else if (out.code !== 'user.username_taken') throw new Error(`seed: ${out.message}`);
    }
    const persons = await seedPersons(tx, options.seed);
    const created = users > 0 || persons > 0;
    if (created)
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'seed.demo',
        object: `province/${demoProvince.code}`,
        result: 'ok',
        requestId: actor.requestId,
        details: { seed: options.seed, users, persons, usersBefore },
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
  await seedFundDemo(db, actor, { seed: options.seed });
  return report;
}

export async function isEmpty(db: Database): Promise<boolean> {
  const n = await db.withConnection((ex) => ex.orm.$count(usersTable));
  return n === 0;
}
