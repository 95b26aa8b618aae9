import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { testDemoProvince, testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { verifyPassword } from '../identity/passwords.ts';
import { insertUser } from '../identity/users.ts';
import { DEMO_PASSWORD } from '../seed/demo-password.ts';
import { demoUsersOf, seedDemo } from '../seed/seed-demo.ts';
import { productionDatabaseProblems } from '../system/production-readiness.ts';
import { initProvince } from './init-province.ts';
import type { ProvinceDefinition } from './province-definition.ts';

/** 河南 pools by adjustment fund (the national default; it has no pooling.mode of its own). */
const henan: ProvinceDefinition = {
  code: '410000',
  name: '河南省',
  nameEn: 'Henan',
  poolingMode: 'adjustment_fund',
  cities: [
    { code: '410100', name: '郑州市', nameEn: 'Zhengzhou' },
    { code: '410300', name: '洛阳市', nameEn: 'Luoyang' },
  ],
  administrator: { username: 'ha.admin', displayName: '河南省系统管理员', role: 'supervisor' },
};
const password = 'a long pass phrase for henan';
const date = '2026-03-01';
const actor = systemActor('test-init', henan.code);
const demoUsernames = demoUsersOf(testDemoProvince()).map((u) => u.username);

function init(t: TestDatabase, definition: ProvinceDefinition, pass = password) {
  return initProvince(t.db, actor, {
    definition,
    password: pass,
    pooling: testRuleBook().pooling,
    date,
  });
}

async function counts(t: TestDatabase): Promise<string> {
  const r = await t.db.query(
    `SELECT (SELECT count(*) FROM regions) || '/' || (SELECT count(*) FROM users) || '/' ||
            (SELECT count(*) FROM ledger_segments) || '/' || (SELECT count(*) FROM ledger_accounts) || '/' ||
            (SELECT count(*) FROM audit_events) AS s`,
  );
  return withColumns(r, { s: textOf }).rows[0]?.s ?? '';
}

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => t.cleanup());

describe(`init --province on ${testBackend}`, () => {
  it('refuses before writing: a pooling mode the rule files contradict, the demo password', async () => {
    const unified = await init(t, { ...henan, poolingMode: 'unified' });
    expect(unified.ok ? null : unified.code).toBe('province.pooling_mode_mismatch');
    expect(unified.ok ? '' : unified.message).toMatch(
      /pooling\.mode is adjustment_fund for 410000 on 2026-03-01 \(src\/rules\/values\/pooling\/000000\.yaml\)/,
    );
    const published = await init(t, henan, DEMO_PASSWORD);
    expect(published.ok ? null : published.code).toBe('province.password_published');
    expect(await counts(t)).toBe('0/0/0/0/0');
  });

  it('creates the province, its cities, its administrator and its ledger, audited', async () => {
    const out = await init(t, henan);
    if (!out.ok) throw new Error(out.message);
    expect(out.value).toMatchObject({
      created: true,
      cities: 2,
      administrator: 'ha.admin',
      poolingMode: 'adjustment_fund',
      poolingModeSource: { region: '000000' },
      // The province, its adjustment fund and both cities.
      ledgerSegmentsCreated: 4,
    });
    const admin = withColumns(
      await t.db.query(
        `SELECT role, scope_kind, scope_code, password_hash FROM users WHERE username = 'ha.admin'`,
      ),
      { role: textOf, scope_kind: textOf, scope_code: textOf, password_hash: textOf },
    ).rows[0];
    expect(admin).toMatchObject({
      role: 'supervisor',
      scope_kind: 'province',
      scope_code: '410000',
    });
    expect(await verifyPassword(admin?.password_hash ?? '', password)).toBe(true);
    const events = withColumns(await t.db.query(`SELECT action FROM audit_events ORDER BY seq`), {
      action: textOf,
    }).rows.map((r) => r.action);
    expect(events[0]).toBe('province.init');
    expect(events.filter((a) => a === 'ledger.provision_accounts')).toHaveLength(3);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    // No demo user, no demo seed: production may serve this database.
    expect(await productionDatabaseProblems(t.db, demoUsernames)).toEqual([]);
  });

  it('is idempotent: the same definition again creates nothing', async () => {
    const before = await counts(t);
    const again = await init(t, henan, 'another password entirely');
    expect(again.ok && again.value.created).toBe(false);
    expect(again.ok && again.value.ledgerSegmentsCreated).toBe(0);
    expect(await counts(t)).toBe(before);
  });

  it('refuses another definition of the province, and a second province', async () => {
    const before = await counts(t);
    const renamed = await init(t, {
      ...henan,
      cities: [...henan.cities, { code: '410200', name: '开封市', nameEn: 'Kaifeng' }],
      administrator: { ...henan.administrator, role: 'province_fund_manager' },
    });
    expect(renamed.ok ? null : renamed.code).toBe('province.definition_conflict');
    expect(renamed.ok ? '' : renamed.message).toMatch(
      /410200 is not in the database; ha\.admin is supervisor of 410000/,
    );
    const hubei = await init(t, {
      ...henan,
      code: '420000',
      cities: [{ code: '420100', name: '武汉市', nameEn: 'Wuhan' }],
    });
    expect(hubei.ok ? null : hubei.code).toBe('province.another_province');
    expect(await counts(t)).toBe(before);
  });

  it('production passes a real user who shares a demo user name: the password decides', async () => {
    const out = await t.db.transaction((tx) =>
      insertUser(tx, {
        username: 'province.supervisor',
        displayName: '省稽核',
        role: 'supervisor',
        scopeKind: 'province',
        scopeCode: '410000',
        regionCode: '410000',
        password: 'its own long password',
      }),
    );
    expect(out.ok).toBe(true);
    expect(await productionDatabaseProblems(t.db, demoUsernames)).toEqual([]);
  });
});

describe(`production readiness of a database on ${testBackend}`, () => {
  it('refuses an empty database: nobody could log in', async () => {
    const empty = await openTestDatabase();
    try {
      const problems = await productionDatabaseProblems(empty.db, demoUsernames);
      expect(problems.map((p) => p.problem)).toEqual(['holds no province: nobody could log in']);
      expect(problems[0]?.fix).toMatch(/tongchou init --province FILE/);
    } finally {
      await empty.cleanup();
    }
  });

  it('refuses the demo: seeded, and its users log in with the published password', async () => {
    const demo = await openTestDatabase();
    try {
      await seedDemo(demo.db, systemActor('seed'), { seed: 7, province: testDemoProvince() });
      const problems = await productionDatabaseProblems(demo.db, demoUsernames);
      expect(problems.map((p) => p.problem.split(':')[0])).toEqual([
        'was seeded with the demo province (`seed.demo` in the audit log)',
        'holds demo users who log in with the published demo password',
      ]);
      expect(problems[1]?.problem).toMatch(
        /hz\.handler, hz\.supervisor, nb\.determination, nb\.handler, province\.appraisal, province\.auditor, province\.fund/,
      );
      const n = withColumns(await demo.db.query('SELECT count(*)::int AS n FROM users'), {
        n: intOf,
      }).rows[0]?.n;
      expect(problems[1]?.problem.split(', ')).toHaveLength(n ?? 0);
    } finally {
      await demo.cleanup();
    }
  }, 120_000);
});
