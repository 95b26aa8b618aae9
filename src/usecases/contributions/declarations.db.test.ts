import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import { holdsIdNumber } from '../../identity/masking.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { registerEmployer } from '../registry/employers.ts';
import { hireWorker } from '../registry/workers.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';
import { type DeclarationImportInput, importDeclaration } from './declaration-import.ts';
import {
  getDeclaration,
  getImportReport,
  listDeclarations,
  reportXlsx,
} from './declaration-reads.ts';

const rules = testRuleBook().benefits;
const TODAY = '2026-03-10';

function staff(username: string, scope: string): Actor {
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
  };
}
const hz = staff('hz', '330100');

let t: TestDatabase;
let employerId = '';
const ids = [1, 2, 3, 4].map((n) => demoIdNumber('330102', '1990-05-17', n));
const names = ['王一', '王二', '王三', '王四'];

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
  const e = await registerEmployer(t.db, hz, rules, {
    regionCode: '330100',
    creditCode: demoCreditCode('330100', 21),
    name: '杭州申报测试有限公司',
    address: '杭州市测试路2号',
    industry: { standard: 'GB/T 4754-2017', division: '34' },
    category: 'sme',
    registeredOn: '2025-01-01',
  });
  if (!e.ok) throw new Error(e.message);
  employerId = e.value.id;
  // Workers 1–3 employed from 2025-01; worker 4 left at the end of 2025-06.
  for (let i = 0; i < 4; i++) {
    const h = await hireWorker(t.db, hz, {
      regionCode: '330100',
      employerId,
      idNumber: ids[i]!,
      name: names[i]!,
      startDate: '2025-01-01',
      today: TODAY,
      perHourMax: 1000,
    });
    if (!h.ok) throw new Error(h.message);
  }
  await t.db.query(
    `UPDATE employment_spells SET end_date = '2025-06-30', left_by = 'usr_hz' WHERE worker_id = (SELECT id FROM workers WHERE id_number = $1)`,
    [ids[3]],
  );
});
afterAll(async () => t.cleanup());

const csv = (rows: string[][], header = ['公民身份号码', '姓名', '缴费工资']) =>
  new TextEncoder().encode([header, ...rows].map((r) => r.join(',')).join('\r\n'));

function upload(
  bytes: Uint8Array,
  over: Partial<DeclarationImportInput> = {},
): DeclarationImportInput {
  return {
    regionCode: '330100',
    employerId,
    month: '2025-03',
    fileName: 'march.csv',
    source: { kind: 'bytes', bytes },
    today: TODAY,
    ...over,
  };
}

async function counts() {
  const r = await t.db.query(
    `SELECT (SELECT count(*) FROM declarations)::int AS d, (SELECT count(*) FROM declaration_lines)::int AS l,
            (SELECT count(*) FROM declaration_imports)::int AS i`,
  );
  return withColumns(r, { d: intOf, l: intOf, i: intOf }).rows[0]!;
}

/** The codes of a refusal's first problems, in report order. */
function problemCodes(out: Awaited<ReturnType<typeof importDeclaration>>): string[] {
  if (out.ok) return [];
  const problems = out.details?.['problems'];
  return Array.isArray(problems) ? problems.map((p: { code: string }) => p.code) : [];
}

const good = [
  [ids[0]!, names[0]!, '8500.00'],
  [ids[1]!, names[1]!, '1000'],
  [ids[2]!, names[2]!, '"30,000.50"'],
];

describe(`payroll declarations on ${testBackend}`, () => {
  it('accepts a file: lines with clamped bases, totals, version 1, audited', async () => {
    const out = await importDeclaration(t.db, hz, rules, upload(csv(good)));
    if (!out.ok) throw new Error(JSON.stringify(out));
    expect(out.value.status).toBe('accepted');
    // 2025 average (demo) 7,200 元: floor 4,320 元, ceiling 21,600 元.
    expect(out.value.declaration).toMatchObject({
      version: 1,
      previousId: null,
      workerCount: 3,
      wageTotalFen: 850_000 + 100_000 + 3_000_050,
      baseTotalFen: 850_000 + 432_000 + 2_160_000,
      diff: { added: 3, removed: 0, changed: 0 },
    });
    const shown = await getDeclaration(t.db, hz, {
      regionCode: '330100',
      declarationId: out.value.declaration.id,
      offset: 0,
      limit: 10,
    });
    expect(shown?.lines.map((l) => [l.rowNumber, l.wageFen, l.baseFen])).toEqual([
      [1, 850_000, 850_000],
      [2, 100_000, 432_000],
      [3, 3_000_050, 2_160_000],
    ]);
    expect(holdsIdNumber(JSON.stringify(shown))).toBe(false);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('the same file twice is one declaration: exists, nothing written', async () => {
    const before = await counts();
    const out = await importDeclaration(
      t.db,
      hz,
      rules,
      upload(csv(good), { fileName: 'again.csv' }),
    );
    expect(out.ok && out.value.status).toBe('exists');
    expect(await counts()).toEqual(before);
  });

  it('a changed file is version 2 with the difference kept', async () => {
    const changed = [
      [ids[0]!, names[0]!, '9000'],
      [ids[2]!, names[2]!, '30000.50'],
    ];
    const out = await importDeclaration(t.db, hz, rules, upload(csv(changed)));
    if (!out.ok) throw new Error(JSON.stringify(out));
    const d = out.value.declaration;
    expect(d).toMatchObject({ version: 2, workerCount: 2 });
    expect(d.previousId).not.toBeNull();
    expect(d.diff).toMatchObject({ added: 0, removed: 1, changed: 1, idsTruncated: false });
    const list = await listDeclarations(t.db, { regionCode: '330100', employerId }, 50);
    expect(list.declarations.map((x) => x.version)).toEqual([2, 1]);
  });
});

describe(`payroll declarations refused on ${testBackend}`, () => {
  it('refuses a file with bad rows whole, with the exact report, and imports nothing', async () => {
    const before = await counts();
    const bad = [
      [ids[0]!, names[0]!, '8500'],
      [ids[0]!, names[0]!, '8500'], // duplicate
      [demoIdNumber('330102', '1991-01-01', 9), '陌生人', '5000'], // not registered
      [ids[3]!, names[3]!, '5000'], // left before 2025-07
      [ids[1]!, '张冠李戴', '5000'], // name differs from the roster
    ];
    const out = await importDeclaration(t.db, hz, rules, upload(csv(bad), { month: '2025-07' }));
    expect(out).toMatchObject({ ok: false, code: 'declaration.refused' });
    const importId = out.ok ? '' : String(out.details?.['importId']);
    const report = await getImportReport(t.db, { regionCode: '330100', importId });
    expect(report?.problems.map((p) => `${p.row}:${p.column}:${p.code}`)).toEqual([
      '2:id_number:declaration.id_number_duplicate',
      '3:id_number:declaration.worker_not_registered',
      '4:id_number:declaration.worker_not_employed',
      '5:name:declaration.name_mismatch',
    ]);
    const after = await counts();
    expect(after).toEqual({ ...before, i: before.i + 1 });
    expect(holdsIdNumber(JSON.stringify(report))).toBe(false);
  });

  it('reports every row problem of the file itself in one pass', async () => {
    const bad = [
      ['3.30102E+17', names[0]!, '-5'],
      [ids[1]!, '=cmd|calc', '20000000'],
      ['', '', 'abc'],
    ];
    const out = await importDeclaration(t.db, hz, rules, upload(csv(bad)));
    expect(problemCodes(out)).toEqual([
      'declaration.id_number_numeric',
      'declaration.wage_negative',
      'declaration.formula_refused',
      'declaration.wage_absurd',
      'declaration.id_number_missing',
      'declaration.name_missing',
      'declaration.wage_not_a_number',
    ]);
  });

  it('refuses a numeric ID cell in xlsx and writes a safe xlsx report', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('申报');
    ws.addRow(['公民身份号码', '姓名', '缴费工资']);
    ws.addRow([Number(ids[0]!.slice(0, 17)) * 10, names[0], 8500]);
    ws.addRow([ids[1], '@SUM(A1)', 8500]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const out = await importDeclaration(t.db, hz, rules, upload(bytes, { fileName: '=evil.xlsx' }));
    const importId = out.ok ? '' : String(out.details?.['importId']);
    const report = await getImportReport(t.db, { regionCode: '330100', importId });
    expect(report?.problems.map((p) => `${p.row}:${p.column}:${p.code}`)).toEqual([
      '1:id_number:declaration.id_number_numeric',
      '2:name:declaration.formula_refused',
    ]);
    const back = new ExcelJS.Workbook();
    // exceljs types load() with the pre-Node-20 Buffer; the bytes are the same.
    await back.xlsx.load((await reportXlsx(report!)) as never);
    const cells: ExcelJS.CellValue[] = [];
    back.worksheets[0]!.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).toContain('declaration.id_number_numeric');
    expect(cells.some((c) => typeof c === 'object' && c !== null && 'formula' in c)).toBe(false);
    expect(cells.filter((c) => typeof c === 'string' && /^[=+\-@]/.test(c))).toEqual([]);
  });
});

describe(`payroll declaration files refused on ${testBackend}`, () => {
  it('refuses a future month, a month before registration, junk and an empty file', async () => {
    const codes = async (bytes: Uint8Array, month = '2025-03') => {
      return problemCodes(await importDeclaration(t.db, hz, rules, upload(bytes, { month })));
    };
    expect(await codes(csv(good), '2026-04')).toEqual(['declaration.month_in_future']);
    expect(await codes(csv(good), '2024-12')).toEqual(['declaration.month_before_registration']);
    expect(await codes(new Uint8Array())).toEqual(['declaration.file_empty']);
    expect(await codes(csv([], ['a', 'b', 'c']))).toEqual([
      'declaration.header_missing',
      'declaration.header_missing',
      'declaration.header_missing',
    ]);
    const junk = new Uint8Array(200_000).map((_, i) => (i * 7919 + 13) % 256);
    expect(await codes(junk)).toEqual(['declaration.bad_encoding']);
  });

  it('scopes: another city does not find the employer or its declarations', async () => {
    const nb = staff('nb', '330200');
    expect(
      await importDeclaration(t.db, nb, rules, upload(csv(good), { regionCode: '330200' })),
    ).toMatchObject({
      code: 'record.not_found',
    });
    expect(
      (await listDeclarations(t.db, { regionCode: '330200', employerId }, 10)).declarations,
    ).toEqual([]);
    const province = await listDeclarations(t.db, { regionCode: '330000', employerId }, 10);
    expect(province.declarations.length).toBe(2);
  });
});
