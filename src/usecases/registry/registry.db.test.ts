import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';
import { employerPage, findEmployer } from './employer-page.ts';
import {
  changeEmployerStatus,
  changeFloatingGrade,
  type EmployerRegistration,
  registerEmployer,
  searchEmployers,
} from './employers.ts';
import { listRegions } from './regions.ts';
import { endSpell, getWorker, type Hire, hireWorker } from './workers.ts';

const rules = testRuleBook().benefits;
const TODAY = '2026-03-01';

function staff(username: string, scope: string, over: Partial<Actor> = {}): Actor {
  const province = scope.endsWith('0000');
  const role = province ? 'province_fund_manager' : 'city_handler';
  return {
    userId: `usr_${username}`,
    username,
    role,
    scopeKind: province ? 'province' : 'city',
    scopeCode: scope,
    permissions: rolePermissions[role],
    requestId: `req-${username}`,
    ...over,
  };
}
const hz = staff('hz', '330100');
const nb = staff('nb', '330200');
const revealer = { permissions: ['pii:reveal' as const] };

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')`,
  );
  for (const [code, name] of [
    ['330100', '杭州市'],
    ['330200', '宁波市'],
  ])
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', '330000')`,
      [code, name],
    );
});
afterAll(async () => t.cleanup());

function registration(over: Partial<EmployerRegistration> = {}): EmployerRegistration {
  return {
    regionCode: '330100',
    creditCode: demoCreditCode('330100', 11),
    name: '杭州测试机械有限公司',
    address: '杭州市测试路1号',
    industry: { standard: 'GB/T 4754-2017', division: '34' },
    category: 'sme',
    registeredOn: '2024-01-01',
    ...over,
  };
}

async function newEmployer(actor: Actor, over: Partial<EmployerRegistration>) {
  const out = await registerEmployer(t.db, actor, rules, registration(over));
  if (!out.ok) throw new Error(out.message);
  return out.value;
}

function hire(over: Partial<Hire> & Pick<Hire, 'employerId'>): Hire {
  return {
    regionCode: '330100',
    idNumber: demoIdNumber('330102', '1990-05-17', 11),
    name: '王五',
    startDate: '2024-02-01',
    today: TODAY,
    perHourMax: 1000,
    ...over,
  };
}

describe(`employers on ${testBackend}`, () => {
  it('registers with a checked credit code, the risk class read from the rules, one event', async () => {
    const e = await newEmployer(hz, {});
    expect(e).toMatchObject({ regionCode: '330100', status: 'registered', floatingGrade: 'base' });
    // GB/T 4754-2017 division 34 通用设备制造业: class 4 (人社部发〔2015〕71号 table, crosswalked).
    expect(e.riskClass).toBe(4);
    const page = await employerPage(t.db, rules, hz, {
      employer: (await findEmployer(t.db, '330100', e.id))!,
      date: TODAY,
      rosterLimit: 10,
    });
    expect(page.events.map((ev) => ev.kind)).toEqual(['registered']);
  });
});

describe(`employers on ${testBackend}`, () => {
  it('refuses a bad credit code, a taken one (in any city), the province as city, a division without class', async () => {
    const bad = demoCreditCode('330100', 12).slice(0, 17) + '0';
    expect(
      await registerEmployer(t.db, hz, rules, registration({ creditCode: bad })),
    ).toMatchObject({
      code: 'employer.invalid_credit_code',
    });
    const taken = registration({ regionCode: '330200', name: '宁波同码公司' });
    expect(await registerEmployer(t.db, nb, rules, taken)).toMatchObject({
      code: 'employer.credit_code_taken',
    });
    const lower = registration({ creditCode: demoCreditCode('330100', 13).toLowerCase() });
    expect(await registerEmployer(t.db, hz, rules, lower)).toMatchObject({
      ok: true,
      value: { creditCode: demoCreditCode('330100', 13) },
    });
    expect(
      await registerEmployer(
        t.db,
        hz,
        rules,
        registration({ regionCode: '330000', creditCode: demoCreditCode('330100', 14) }),
      ),
    ).toMatchObject({ code: 'employer.not_in_city' });
    // 79 土地管理业 is new in GB/T 4754-2017 and has no class in force (a null in the demo table).
    const land = registration({
      creditCode: demoCreditCode('330100', 15),
      industry: { standard: 'GB/T 4754-2017', division: '79' },
    });
    expect(await registerEmployer(t.db, hz, rules, land)).toMatchObject({
      code: 'contribution.division_unclassified',
    });
  });
});

describe(`employers on ${testBackend}`, () => {
  it('changes status with dated events; a change before the last is refused; no change is refused', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 21),
      name: '杭州暂停公司',
    });
    const change = { regionCode: '330100', employerId: e.id, reason: '停产' };
    const suspended = await changeEmployerStatus(t.db, hz, rules, {
      ...change,
      status: 'suspended',
      effectiveFrom: '2024-06-01',
    });
    expect(suspended).toMatchObject({
      ok: true,
      value: { status: 'suspended', statusFrom: '2024-06-01' },
    });
    expect(
      await changeEmployerStatus(t.db, hz, rules, {
        ...change,
        status: 'registered',
        effectiveFrom: '2024-05-01',
      }),
    ).toMatchObject({ code: 'employer.event_out_of_order' });
    expect(
      await changeEmployerStatus(t.db, hz, rules, {
        ...change,
        status: 'suspended',
        effectiveFrom: '2024-07-01',
      }),
    ).toMatchObject({ code: 'employer.status_unchanged' });
    // Another city's handler does not find it (the route answers 404 the same way).
    expect(
      await changeEmployerStatus(t.db, nb, rules, {
        ...change,
        regionCode: '330200',
        status: 'registered',
        effectiveFrom: '2024-07-01',
      }),
    ).toMatchObject({ code: 'record.not_found' });
    expect(await findEmployer(t.db, '330200', e.id)).toBeNull();
    expect(await findEmployer(t.db, '330000', e.id)).not.toBeNull();
  });
});

describe(`employers on ${testBackend}`, () => {
  it('keeps the floating-grade history; class 1 floats upward only', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 31),
      name: '杭州浮动公司',
    });
    const grade = { regionCode: '330100', employerId: e.id, reason: '年度评估' };
    expect(
      await t.db.transaction((tx) =>
        changeFloatingGrade(tx, hz, rules, {
          ...grade,
          grade: 'up1',
          effectiveFrom: '2025-01-01',
        }),
      ),
    ).toMatchObject({ ok: true, value: { floatingGrade: 'up1', floatingGradeFrom: '2025-01-01' } });
    expect(
      await t.db.transaction((tx) =>
        changeFloatingGrade(tx, hz, rules, {
          ...grade,
          grade: 'down1',
          effectiveFrom: '2026-01-01',
        }),
      ),
    ).toMatchObject({ ok: true, value: { floatingGrade: 'down1' } });
    const page = await employerPage(t.db, rules, hz, {
      employer: (await findEmployer(t.db, '330100', e.id))!,
      date: TODAY,
      rosterLimit: 10,
    });
    expect(page.events.map((ev) => [ev.kind, ev.effectiveFrom, ev.data['to'] ?? ''])).toEqual([
      ['registered', '2024-01-01', ''],
      ['floating_grade', '2025-01-01', 'up1'],
      ['floating_grade', '2026-01-01', 'down1'],
    ]);
    // 65 软件和信息技术服务业 is class 1.
    const soft = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 32),
      name: '杭州一类公司',
      industry: { standard: 'GB/T 4754-2017', division: '65' },
    });
    expect(soft.riskClass).toBe(1);
    expect(
      await t.db.transaction((tx) =>
        changeFloatingGrade(tx, hz, rules, {
          ...grade,
          employerId: soft.id,
          grade: 'down1',
          effectiveFrom: '2025-01-01',
        }),
      ),
    ).toMatchObject({ code: 'contribution.grade_not_allowed' });
  });
});

describe(`employers on ${testBackend}`, () => {
  it('searches by name prefix and exact credit code, in a city or the province', async () => {
    await newEmployer(nb, {
      regionCode: '330200',
      creditCode: demoCreditCode('330200', 41),
      name: '宁波搜索公司',
    });
    const byPrefix = await searchEmployers(
      t.db,
      rules,
      { regionCode: '330100', namePrefix: '杭州浮', limit: 10 },
      TODAY,
    );
    expect(byPrefix.map((e) => e.name)).toEqual(['杭州浮动公司']);
    const code = demoCreditCode('330200', 41);
    expect(
      await searchEmployers(
        t.db,
        rules,
        { regionCode: '330100', creditCode: code, limit: 10 },
        TODAY,
      ),
    ).toEqual([]);
    const province = await searchEmployers(
      t.db,
      rules,
      { regionCode: '330000', creditCode: code, limit: 10 },
      TODAY,
    );
    expect(province.map((e) => e.name)).toEqual(['宁波搜索公司']);
    // A LIKE wildcard in the prefix is a literal character.
    expect(
      await searchEmployers(
        t.db,
        rules,
        { regionCode: '330000', namePrefix: '%', limit: 10 },
        TODAY,
      ),
    ).toEqual([]);
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('checks the number, and sex and birth date given with it', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 51),
      name: '杭州核对公司',
    });
    const id = demoIdNumber('330102', '1990-05-17', 11); // sequence 011: odd, male
    const wrongCheck = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
    expect(
      await hireWorker(t.db, hz, hire({ employerId: e.id, idNumber: wrongCheck })),
    ).toMatchObject({
      code: 'worker.invalid_id_number',
      details: { reason: 'check_character' },
    });
    expect(await hireWorker(t.db, hz, hire({ employerId: e.id, sex: 'female' }))).toMatchObject({
      code: 'worker.sex_mismatch',
    });
    expect(
      await hireWorker(t.db, hz, hire({ employerId: e.id, birthDate: '1990-05-18' })),
    ).toMatchObject({
      code: 'worker.birth_date_mismatch',
    });
    const agreed = await hireWorker(
      t.db,
      hz,
      hire({ employerId: e.id, sex: 'male', birthDate: '1990-05-17' }),
    );
    expect(agreed).toMatchObject({
      ok: true,
      value: { sex: 'male', idNumberMasked: `${id.slice(0, 6)}********${id.slice(14)}` },
    });
    expect(agreed.ok && 'birthDate' in agreed.value).toBe(false);
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('a lower-case x is accepted and stored upper-case; the answer never says whether the number was known', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 52),
      name: '杭州回答公司',
    });
    const withX = (() => {
      for (let s = 1; s < 999; s++) {
        const n = demoIdNumber('330102', '1985-01-02', s);
        if (n.endsWith('X')) return n;
      }
      throw new Error('no X number');
    })();
    const first = await hireWorker(
      t.db,
      hz,
      hire({ employerId: e.id, idNumber: withX.toLowerCase(), name: '甲' }),
    );
    expect(first.ok).toBe(true);
    const stored = await t.db.query('SELECT count(*)::int AS n FROM workers WHERE id_number = $1', [
      withX,
    ]);
    expect(intOf(stored.rows[0] ?? {}, 'n')).toBe(1);
    const other = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 53),
      name: '杭州回答二公司',
    });
    const known = await hireWorker(
      t.db,
      hz,
      hire({ employerId: other.id, idNumber: withX, name: '乙' }),
    );
    const fresh = await hireWorker(
      t.db,
      hz,
      hire({ employerId: other.id, idNumber: demoIdNumber('330102', '1985-01-02', 2), name: '乙' }),
    );
    if (!known.ok || !fresh.ok) throw new Error('hire refused');
    // Same keys, the name as given (not the 甲 stored first).
    expect(Object.keys(known.value).sort()).toEqual(Object.keys(fresh.value).sort());
    expect(known.value.workerName).toBe('乙');
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('one person across two cities: the same worker record, each city sees its own spells, the province all', async () => {
    const hzEmployer = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 61),
      name: '杭州迁出公司',
    });
    const nbEmployer = await newEmployer(nb, {
      regionCode: '330200',
      creditCode: demoCreditCode('330200', 61),
      name: '宁波迁入公司',
    });
    const idNumber = demoIdNumber('330102', '1979-09-09', 21);
    const a = await hireWorker(
      t.db,
      hz,
      hire({ employerId: hzEmployer.id, idNumber, startDate: '2020-01-01' }),
    );
    if (!a.ok) throw new Error(a.message);
    expect(
      await endSpell(t.db, hz, {
        regionCode: '330100',
        spellId: a.value.id,
        endDate: '2023-12-31',
      }),
    ).toMatchObject({
      ok: true,
      value: { endDate: '2023-12-31' },
    });
    const b = await hireWorker(
      t.db,
      nb,
      hire({ regionCode: '330200', employerId: nbEmployer.id, idNumber, startDate: '2024-01-01' }),
    );
    if (!b.ok) throw new Error(b.message);
    expect(b.value.workerId).toBe(a.value.workerId);
    const rows = await t.db.query('SELECT count(*)::int AS n FROM workers WHERE id_number = $1', [
      idNumber,
    ]);
    expect(intOf(rows.rows[0] ?? {}, 'n')).toBe(1);
    const byProvince = await getWorker(t.db, staff('p', '330000'), {
      regionCode: '330000',
      workerId: a.value.workerId,
    });
    expect(
      byProvince?.spells.map((s) => [s.regionCode, s.employerName, s.startDate, s.endDate]),
    ).toEqual([
      ['330100', '杭州迁出公司', '2020-01-01', '2023-12-31'],
      ['330200', '宁波迁入公司', '2024-01-01', null],
    ]);
    expect(byProvince?.birthDate).toBeUndefined();
    const byNingbo = await getWorker(t.db, nb, {
      regionCode: '330200',
      workerId: a.value.workerId,
    });
    expect(byNingbo?.spells.map((s) => s.regionCode)).toEqual(['330200']);
    expect(
      (await getWorker(t.db, revealer, { regionCode: '330200', workerId: a.value.workerId }))
        ?.birthDate,
    ).toBe('1979-09-09');
    // A city where the worker never worked does not find the worker.
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ('330300', '温州市', 'Wenzhou', 'city', '330000') ON CONFLICT DO NOTHING`,
    );
    expect(
      await getWorker(t.db, staff('wz', '330300'), {
        regionCode: '330300',
        workerId: a.value.workerId,
      }),
    ).toBeNull();
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('refuses an overlapping spell at the same employer, allows a new one after 减员, and ends a spell once', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 71),
      name: '杭州重叠公司',
    });
    const idNumber = demoIdNumber('330102', '1995-12-01', 31);
    const first = await hireWorker(
      t.db,
      hz,
      hire({ employerId: e.id, idNumber, startDate: '2024-01-01' }),
    );
    if (!first.ok) throw new Error(first.message);
    expect(
      await hireWorker(t.db, hz, hire({ employerId: e.id, idNumber, startDate: '2025-01-01' })),
    ).toMatchObject({
      code: 'spell.overlaps',
    });
    const leave = { regionCode: '330100', spellId: first.value.id };
    expect(await endSpell(t.db, hz, { ...leave, endDate: '2023-12-31' })).toMatchObject({
      code: 'spell.end_before_start',
    });
    expect(
      await endSpell(t.db, nb, { ...leave, regionCode: '330200', endDate: '2024-06-30' }),
    ).toMatchObject({
      code: 'record.not_found',
    });
    expect((await endSpell(t.db, hz, { ...leave, endDate: '2024-06-30' })).ok).toBe(true);
    expect(await endSpell(t.db, hz, { ...leave, endDate: '2024-07-30' })).toMatchObject({
      code: 'spell.already_ended',
    });
    expect(
      await hireWorker(t.db, hz, hire({ employerId: e.id, idNumber, startDate: '2024-06-30' })),
    ).toMatchObject({
      code: 'spell.overlaps',
    });
    expect(
      (await hireWorker(t.db, hz, hire({ employerId: e.id, idNumber, startDate: '2024-07-01' })))
        .ok,
    ).toBe(true);
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('the database itself refuses an overlapping spell inserted by hand, and a worker whose sex or birth date contradicts the number', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 81),
      name: '杭州直插公司',
    });
    const idNumber = demoIdNumber('330102', '1988-03-03', 41);
    const h = await hireWorker(
      t.db,
      hz,
      hire({ employerId: e.id, idNumber, startDate: '2024-01-01' }),
    );
    if (!h.ok) throw new Error(h.message);
    const insert = (id: string, start: string, end: string | null) =>
      t.db.query(
        `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date, end_date, hired_by, left_by)
         VALUES ('330100', $1, $2, $3, '直插', $4, $5, 'sql', $6)`,
        [id, e.id, h.value.workerId, start, end, end === null ? null : 'sql'],
      );
    await expect(insert('spl_330100_00000000000000a1', '2023-01-01', '2024-01-01')).rejects.toThrow(
      /overlaps/,
    );
    await expect(insert('spl_330100_00000000000000a2', '2030-01-01', null)).rejects.toThrow(
      /overlaps/,
    );
    await insert('spl_330100_00000000000000a3', '2022-01-01', '2023-12-31');
    // Moving a closed spell onto the open one is refused too (the trigger runs on UPDATE).
    await expect(
      t.db.query(
        `UPDATE employment_spells SET end_date = '2024-02-01' WHERE id = 'spl_330100_00000000000000a3'`,
      ),
    ).rejects.toThrow(/overlaps/);
    const female = demoIdNumber('330102', '1988-03-03', 42);
    await expect(
      t.db.query(
        `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by) VALUES ('wkr_00000000000000b1', $1, '错', 'male', '1988-03-03', 'sql')`,
        [female],
      ),
    ).rejects.toThrow(/workers_sex_of_number/);
    await expect(
      t.db.query(
        `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by) VALUES ('wkr_00000000000000b2', $1, '错', 'female', '1988-03-04', 'sql')`,
        [female],
      ),
    ).rejects.toThrow(/workers_birth_date_of_number/);
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('a cancelled employer gets no new spells; cancelling needs every worker to have left', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 91),
      name: '杭州注销公司',
    });
    const h = await hireWorker(
      t.db,
      hz,
      hire({ employerId: e.id, idNumber: demoIdNumber('330102', '1970-07-07', 51) }),
    );
    if (!h.ok) throw new Error(h.message);
    const cancel = {
      regionCode: '330100',
      employerId: e.id,
      status: 'cancelled' as const,
      reason: '注销',
    };
    expect(
      await changeEmployerStatus(t.db, hz, rules, { ...cancel, effectiveFrom: '2025-01-01' }),
    ).toMatchObject({
      code: 'employer.has_open_spells',
      details: { openSpells: 1 },
    });
    await endSpell(t.db, hz, { regionCode: '330100', spellId: h.value.id, endDate: '2024-12-31' });
    expect(
      await changeEmployerStatus(t.db, hz, rules, { ...cancel, effectiveFrom: '2025-01-01' }),
    ).toMatchObject({
      ok: true,
      value: { status: 'cancelled' },
    });
    expect(
      await hireWorker(
        t.db,
        hz,
        hire({ employerId: e.id, idNumber: demoIdNumber('330102', '1970-07-07', 53) }),
      ),
    ).toMatchObject({ code: 'employer.cancelled' });
    expect(
      await changeEmployerStatus(t.db, hz, rules, {
        ...cancel,
        status: 'registered',
        effectiveFrom: '2025-02-01',
      }),
    ).toMatchObject({ code: 'employer.cancelled' });
    await expect(
      t.db.query(`DELETE FROM employer_events WHERE employer_id = $1`, [e.id]),
    ).rejects.toThrow(/append-only/);
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('limits the 增员 of staff without pii:reveal per hour, known and new numbers alike', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 95),
      name: '杭州限速公司',
    });
    const limited = staff('hz.limited', '330100');
    for (let i = 1; i <= 2; i++)
      expect(
        (
          await hireWorker(
            t.db,
            limited,
            hire({
              employerId: e.id,
              perHourMax: 2,
              idNumber: demoIdNumber('330102', '1999-09-09', i),
            }),
          )
        ).ok,
      ).toBe(true);
    expect(
      await hireWorker(
        t.db,
        limited,
        hire({
          employerId: e.id,
          perHourMax: 2,
          idNumber: demoIdNumber('330102', '1990-05-17', 11),
        }),
      ),
    ).toMatchObject({ code: 'worker.hire_rate_limited' });
  });
});

describe(`workers and spells on ${testBackend}`, () => {
  it('counts the home page figures from the register, and every write left an intact audit chain', async () => {
    const view = await listRegions(t.db, '330000', TODAY);
    const count = (code: string) => view.cities.find((c) => c.code === code);
    const employers = withColumns(
      await t.db.query(
        `SELECT region_code, count(*)::int AS n FROM employers WHERE status <> 'cancelled' GROUP BY region_code`,
      ),
      { region_code: textOf, n: intOf },
    ).rows;
    for (const r of employers) expect(count(r.region_code)?.insuredEmployers).toBe(r.n);
    expect(count('330100')?.insuredEmployers).toBeGreaterThan(5);
    // 宁波: the worker who moved there (open spell); 杭州: those without 减员 before today.
    expect(count('330200')?.insuredWorkers).toBe(1);
    expect(count('330100')?.insuredWorkers).toBeGreaterThan(3);
    expect((await listRegions(t.db, '330200', TODAY)).cities.map((c) => c.code)).toEqual([
      '330200',
    ]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

// Ten 增员 of one number at one employer at once, each in its own transaction on its own
// connection: the (employer, worker) lock lets exactly one through, the others see its spell.
describe.runIf(testBackend === 'pg')('concurrent 增员 of one worker on pg', () => {
  it('one spell is created, every other answer is spell.overlaps', async () => {
    const e = await newEmployer(hz, {
      creditCode: demoCreditCode('330100', 99),
      name: '杭州并发公司',
    });
    const idNumber = demoIdNumber('330102', '1981-08-08', 61);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        hireWorker(
          t.db,
          hz,
          hire({ employerId: e.id, idNumber, startDate: `2024-0${1 + (i % 9)}-01` }),
        ),
      ),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.code))).toEqual(
      Array.from({ length: 9 }, () => 'spell.overlaps'),
    );
    const spells = await t.db.query(
      `SELECT count(*)::int AS n FROM employment_spells s JOIN workers w ON w.id = s.worker_id WHERE w.id_number = $1`,
      [idNumber],
    );
    expect(intOf(spells.rows[0] ?? {}, 'n')).toBe(1);
  });
});
