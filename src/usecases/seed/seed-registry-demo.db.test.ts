import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { systemActor } from '../../identity/actor.ts';
import { testDemoProvince, testRuleBook } from '../../runtime/testing.ts';
import { listRegions } from '../registry/regions.ts';
import { demoCreditCode } from './demo-ids.ts';
import { seedDemo } from './seed-demo.ts';
import { DEMO_SYNTHETIC } from './seed-registry-demo.ts';

const province = testDemoProvince();
const rules = testRuleBook().benefits;
let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province, rules });
});
afterAll(async () => t.cleanup());

async function count(sql: string): Promise<number> {
  return withColumns(await t.db.query(sql), { n: intOf }).rows[0]?.n ?? -1;
}

describe(`demo register from the generator on ${testBackend}`, () => {
  const handMadeEmployers = province.cities.length * 3;

  it('holds the hand-made employers the journeys name, and the generated set beside them', async () => {
    expect(await count('SELECT count(*)::int AS n FROM employers')).toBe(
      handMadeEmployers + DEMO_SYNTHETIC.employers,
    );
    expect(await count('SELECT count(*)::int AS n FROM workers')).toBeGreaterThanOrEqual(
      DEMO_SYNTHETIC.workers,
    );
    const demo = withColumns(
      await t.db.query(`SELECT id, name FROM employers WHERE credit_code = $1`, [
        demoCreditCode('330100', 1),
      ]),
      { id: textOf, name: textOf },
    ).rows[0];
    expect(demo).toEqual({ id: 'emp_330100_0000000000000001', name: '杭州示例机械有限公司(演示)' });
    expect(await count('SELECT count(DISTINCT region_code)::int AS n FROM employers')).toBe(
      province.cities.length,
    );
  });

  it('the home page counts come from the register, generated workers included', async () => {
    const view = await listRegions(t.db, '330000', '2025-12-31');
    const employers = view.cities.reduce((s, c) => s + c.insuredEmployers, 0);
    const workers = view.cities.reduce((s, c) => s + c.insuredWorkers, 0);
    expect(employers).toBe(handMadeEmployers + DEMO_SYNTHETIC.employers);
    expect(workers).toBeGreaterThan(DEMO_SYNTHETIC.workers / 2);
    expect(view.cities.every((c) => c.insuredWorkers > 0)).toBe(true);
  });

  it('a second seed run creates nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM employment_spells');
    const again = await seedDemo(t.db, systemActor('seed'), { seed: 2019164, province, rules });
    expect(again.created).toBe(false);
    expect(await count('SELECT count(*)::int AS n FROM employment_spells')).toBe(before);
  });
});
