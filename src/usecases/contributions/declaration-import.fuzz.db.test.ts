import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { type Actor, systemActor } from '../../identity/actor.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { registerEmployer } from '../registry/employers.ts';
import { hireWorker } from '../registry/workers.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';
import { importDeclaration } from './declaration-import.ts';

/**
 * Import fuzz (issue 10 acceptance): a good file broken in one of many ways, drawn with a fixed
 * seed, is refused with the problem named, and nothing is declared; 50 MB of junk likewise.
 */
const rules = testRuleBook().benefits;
const TODAY = '2026-03-10';
const actor: Actor = systemActor('fuzz');
let t: TestDatabase;
let employerId = '';
const ids = Array.from({ length: 6 }, (_, i) => demoIdNumber('330102', '1985-02-03', i + 1));
const names = ids.map((_, i) => `职工${i + 1}`);

beforeAll(async () => {
  t = await openTestDatabase();
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province'),
       ('330100', '杭州市', 'Hangzhou', 'city')`,
  );
  await t.db.query(`UPDATE regions SET parent_code = '330000' WHERE code = '330100'`);
  const e = await registerEmployer(t.db, actor, rules, {
    regionCode: '330100',
    creditCode: demoCreditCode('330100', 31),
    name: '杭州模糊测试有限公司',
    address: '杭州市模糊路3号',
    industry: { standard: 'GB/T 4754-2017', division: '34' },
    category: 'sme',
    registeredOn: '2025-01-01',
  });
  if (!e.ok) throw new Error(e.message);
  employerId = e.value.id;
  for (const [i, idNumber] of ids.entries()) {
    const h = await hireWorker(t.db, actor, {
      regionCode: '330100',
      employerId,
      idNumber,
      name: names[i]!,
      startDate: '2025-01-01',
      today: TODAY,
      perHourMax: 1000,
    });
    if (!h.ok) throw new Error(h.message);
  }
});
afterAll(async () => t.cleanup());

async function declared(): Promise<number> {
  const r = await t.db.query(
    'SELECT (SELECT count(*) FROM declarations) + (SELECT count(*) FROM declaration_lines) AS n',
  );
  return withColumns(r, { n: intOf }).rows[0]!.n;
}

type Breakage = {
  name: string;
  code: string;
  month?: string;
  bytes: (rows: string[][]) => Uint8Array;
};
const enc = (text: string) => new TextEncoder().encode(text);
const csv = (rows: string[][], header = '公民身份号码,姓名,缴费工资') =>
  enc(`${header}\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
const at = (rows: string[][], i: number, col: number, value: string) =>
  rows.map((r, k) => (k === i % rows.length ? r.map((c, j) => (j === col ? value : c)) : r));

const breakages = (i: number): Breakage[] => [
  {
    name: 'GBK with a stray 0xFF',
    code: 'declaration.bad_encoding',
    bytes: (r) => Uint8Array.from([...csv(r).slice(0, 40), 0xd0, 0xff, 0x0a]),
  },
  {
    name: 'a wrong header',
    code: 'declaration.header_missing',
    bytes: (r) => csv(r, 'id,姓名,工资'),
  },
  {
    name: 'a duplicate row',
    code: 'declaration.id_number_duplicate',
    bytes: (r) => csv([...r, r[i % r.length]!]),
  },
  {
    name: 'a negative wage',
    code: 'declaration.wage_negative',
    bytes: (r) => csv(at(r, i, 2, '-100')),
  },
  {
    name: 'an absurd wage',
    code: 'declaration.wage_absurd',
    bytes: (r) => csv(at(r, i, 2, '99999999')),
  },
  {
    name: 'a formula name',
    code: 'declaration.formula_refused',
    bytes: (r) => csv(at(r, i, 1, '=1+2')),
  },
  {
    name: 'a numeric ID',
    code: 'declaration.id_number_numeric',
    bytes: (r) => csv(at(r, i, 0, '3.30102E+17')),
  },
  {
    name: 'a short ID',
    code: 'declaration.id_number_invalid',
    bytes: (r) => csv(at(r, i, 0, ids[0]!.slice(0, 15))),
  },
  {
    name: 'an unknown worker',
    code: 'declaration.worker_not_registered',
    bytes: (r) => csv(at(r, i, 0, demoIdNumber('330102', '1970-01-01', 99))),
  },
  {
    name: 'another name',
    code: 'declaration.name_mismatch',
    bytes: (r) => csv(at(r, i, 1, '别人')),
  },
  {
    name: 'a future month',
    code: 'declaration.month_in_future',
    month: '2026-05',
    bytes: (r) => csv(r),
  },
  {
    name: 'a month before registration',
    code: 'declaration.month_before_registration',
    month: '2024-11',
    bytes: (r) => csv(r),
  },
  {
    name: 'an unclosed quote',
    code: 'declaration.malformed',
    bytes: (r) => enc(`${new TextDecoder().decode(csv(r))}"${ids[0]}`),
  },
];

describe(`declaration import fuzz on ${testBackend}`, () => {
  it('every broken file is refused with its problem named, and nothing is declared', async () => {
    const good = ids.map((id, i) => [id, names[i]!, String(3000 + i * 1111)]);
    const before = await declared();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.subarray(good, { minLength: 2 }),
        async (kind, i, rows) => {
          const b = breakages(i)[kind]!;
          const out = await importDeclaration(t.db, actor, rules, {
            regionCode: '330100',
            employerId,
            month: b.month ?? '2025-06',
            fileName: 'fuzz.csv',
            source: { kind: 'bytes', bytes: b.bytes(rows) },
            today: TODAY,
          });
          expect(out.ok, b.name).toBe(false);
          const problems = out.ok ? [] : (out.details?.['problems'] ?? []);
          const codes = Array.isArray(problems)
            ? problems.map((p: { code: string }) => p.code)
            : [];
          expect(codes, b.name).toContain(b.code);
        },
      ),
      { seed: 20_261_205, numRuns: 60 },
    );
    expect(await declared()).toBe(before);
  }, 240_000);

  it('50 MB of junk is refused at once, and 70 MB as too large; nothing is declared', async () => {
    const before = await declared();
    const cases: [Uint8Array, string][] = [
      [randomBytes(50 * 1024 * 1024), 'declaration.bad_encoding'],
      [new Uint8Array(50 * 1024 * 1024).fill(0x41), 'declaration.malformed'],
      [new Uint8Array(70 * 1024 * 1024).fill(0x41), 'declaration.file_too_large'],
    ];
    for (const [bytes, code] of cases) {
      const out = await importDeclaration(t.db, actor, rules, {
        regionCode: '330100',
        employerId,
        month: '2025-06',
        fileName: 'junk.bin',
        source: { kind: 'bytes', bytes },
        today: TODAY,
      });
      expect(out).toMatchObject({
        ok: false,
        code: 'declaration.refused',
        details: { problems: [{ code }] },
      });
    }
    expect(await declared()).toBe(before);
  }, 120_000);
});
