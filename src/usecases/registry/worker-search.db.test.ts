import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { planSyntheticProvince } from '../../domain/registry/synthetic/synthetic-plan.ts';
import {
  syntheticSpells,
  syntheticWorkers,
} from '../../domain/registry/synthetic/synthetic-province.ts';
import { systemActor } from '../../identity/actor.ts';
import { holdsIdNumber } from '../../identity/masking.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { generateSyntheticProvince } from './generate-province.ts';
import { findWorkerByIdNumber } from './workers.ts';

const rules = testRuleBook().benefits;
const config = {
  seed: 3,
  employers: 20,
  workers: 200,
  months: 12,
  from: '2024-01',
  cities: [
    { code: '330100', name: '杭州市' },
    { code: '330200', name: '宁波市' },
  ],
};
const plan = planSyntheticProvince(config, rules);
if (!plan.ok) throw new Error(plan.message);
const workers = [...syntheticWorkers(plan.value)];
const spells = [...syntheticSpells(plan.value)];

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')`,
  );
  for (const c of config.cities)
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', '330000')`,
      [c.code, c.name],
    );
  const out = await generateSyntheticProvince(t.db, systemActor('test'), rules, {
    config,
    intoDb: true,
  });
  if (!out.ok) throw new Error(out.message);
});
afterAll(async () => t.cleanup());

describe(`worker search by ID number on ${testBackend}`, () => {
  const viewer = { permissions: [] };

  it('finds the worker with its spells in the region, number masked; lower-case x accepted', async () => {
    const worker = workers.find((w) => w.idNumber.endsWith('X')) ?? workers[0]!;
    const own = spells.filter((s) => s.workerId === worker.id);
    const found = await findWorkerByIdNumber(t.db, viewer, {
      regionCode: '330000',
      idNumber: worker.idNumber.toLowerCase(),
    });
    expect(found?.id).toBe(worker.id);
    expect(found?.spells.map((s) => s.id).sort()).toEqual(own.map((s) => s.id).sort());
    expect(holdsIdNumber(JSON.stringify(found))).toBe(false);
    expect(found?.birthDate).toBeUndefined();
  });

  it('a city sees only its own spells; a worker without one there is not found', async () => {
    const worker = workers.find((w) =>
      spells.some((s) => s.workerId === w.id && s.regionCode === '330100'),
    )!;
    const other = spells.some((s) => s.workerId === worker.id && s.regionCode === '330200');
    const inHz = await findWorkerByIdNumber(t.db, viewer, {
      regionCode: '330100',
      idNumber: worker.idNumber,
    });
    expect(inHz?.spells.every((s) => s.regionCode === '330100')).toBe(true);
    const inNb = await findWorkerByIdNumber(t.db, viewer, {
      regionCode: '330200',
      idNumber: worker.idNumber,
    });
    expect(inNb === null).toBe(!other);
    const unknown = await findWorkerByIdNumber(t.db, viewer, {
      regionCode: '330000',
      idNumber: '11010519491231002X',
    });
    expect(unknown).toBeNull();
  });
});
