import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { catalogueItemOn } from '../../domain/settlement/settlement-reference.ts';
import {
  catalogueHistory,
  catalogueReportXlsx,
  getCatalogueImport,
  searchCatalogue,
} from './settlement-catalogue.ts';
import { importCatalogue } from './settlement-catalogue-import.ts';
import { insertSettlementRegions, referenceCounts, settlementStaff } from './testing.ts';

const hz = settlementStaff('hz', '330100');
const utf8 = (text: string) => new TextEncoder().encode(text);
const csv = (text: string, fileName = 'catalogue.csv') => ({
  source: { kind: 'bytes' as const, bytes: utf8(text) },
  fileName,
});

const HEADER = 'code,kind,name,drug_class,unit,price_cap,quantity_limit,valid_from,valid_to\n';

/** GBK bytes (as Excel in China saves CSV): the Chinese cells written from their GBK codes. */
const GBK: Record<string, number[]> = {
  阿莫西林胶囊: [0xb0, 0xa2, 0xc4, 0xaa, 0xce, 0xf7, 0xc1, 0xd6, 0xbd, 0xba, 0xc4, 0xd2],
  药品: [0xd2, 0xa9, 0xc6, 0xb7],
  甲: [0xbc, 0xd7],
  盒: [0xba, 0xd0],
};
function gbkCsv(cells: string[][]): Uint8Array {
  const out: number[] = [];
  for (const row of cells) {
    row.forEach((cell, i) => {
      if (i > 0) out.push(0x2c);
      out.push(...(GBK[cell] ?? [...cell].map((c) => c.charCodeAt(0))));
    });
    out.push(0x0d, 0x0a);
  }
  return Uint8Array.from(out);
}

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await insertSettlementRegions(t.db);
});
afterAll(async () => t.cleanup());

describe('catalogue import: formats', () => {
  it('imports a UTF-8 CSV with Chinese headers and values; 甲 → A, 元 → fen', async () => {
    const out = await importCatalogue(
      t.db,
      hz,
      csv(
        '编码,类别,名称,甲乙类,单位,最高限价(元),限量,开始日期,结束日期\n' +
          'X-J01CA04,药品,阿莫西林胶囊,甲,盒,12.50,10,2025-01-01,\n' +
          'F-001,诊疗项目,"门诊诊查费,三级",,次,25,,2025-01-01,\n',
      ),
    );
    expect(out.ok && [out.value.status, out.value.rows, out.value.accepted]).toEqual([
      'imported',
      2,
      2,
    ]);
    const page = await searchCatalogue(t.db, { prefix: 'X-J', date: '2025-06-01', limit: 10 });
    expect(page.items).toEqual([
      {
        code: 'X-J01CA04',
        kind: 'drug',
        name: '阿莫西林胶囊',
        drugClass: 'A',
        unit: '盒',
        priceCapFen: 1250,
        quantityLimit: 10,
        validFrom: '2025-01-01',
        validTo: null,
      },
    ]);
    const byName = await searchCatalogue(t.db, { prefix: '门诊', date: '2025-06-01', limit: 10 });
    expect(byName.items.map((i) => [i.code, i.name, i.priceCapFen])).toEqual([
      ['F-001', '门诊诊查费,三级', 2500],
    ]);
  });

  it('imports a GBK CSV (Excel’s default in China)', async () => {
    const bytes = gbkCsv([
      [
        'code',
        'kind',
        'name',
        'drug_class',
        'unit',
        'price_cap',
        'quantity_limit',
        'valid_from',
        'valid_to',
      ],
      ['G-001', '药品', '阿莫西林胶囊', '甲', '盒', '8.80', '', '2025-01-01', ''],
    ]);
    const out = await importCatalogue(t.db, hz, {
      source: { kind: 'bytes', bytes },
      fileName: 'gbk.csv',
    });
    expect(out.ok && out.value.accepted).toBe(1);
    const [item] = await catalogueHistory(t.db, 'G-001');
    expect([item?.name, item?.unit, item?.drugClass, item?.priceCapFen]).toEqual([
      '阿莫西林胶囊',
      '盒',
      'A',
      880,
    ]);
  });
});

describe('catalogue import: xlsx', () => {
  it('imports an xlsx workbook (number cells read as their text)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('目录');
    ws.addRow([
      'code',
      'kind',
      'name',
      'drug_class',
      'unit',
      'price_cap',
      'quantity_limit',
      'valid_from',
      'valid_to',
    ]);
    ws.addRow(['R-001', '康复项目', '运动疗法', '', '次', 60, 30, '2025-01-01', '']);
    ws.addRow([
      'D-001',
      'device',
      '假肢（小腿）',
      '',
      '具',
      '12000.00',
      1,
      '2025-01-01',
      '2029-12-31',
    ]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const out = await importCatalogue(t.db, hz, {
      source: { kind: 'bytes', bytes },
      fileName: 'cat.xlsx',
    });
    expect(out.ok && out.value.accepted).toBe(2);
    const rehab = await searchCatalogue(t.db, {
      kind: 'rehabilitation',
      date: '2025-06-01',
      limit: 10,
    });
    expect(rehab.items.map((i) => [i.code, i.priceCapFen, i.quantityLimit])).toEqual([
      ['R-001', 6000, 30],
    ]);
    expect((await catalogueHistory(t.db, 'D-001'))[0]?.validTo).toBe('2029-12-31');
  });
});

describe('catalogue import: a bad file', () => {
  it('refuses a whole file with any bad row, with a row report (also as xlsx); nothing written', async () => {
    const before = await referenceCounts(t.db);
    const out = await importCatalogue(
      t.db,
      hz,
      csv(
        HEADER +
          'B-001,service,好的行,,次,10.00,,2025-01-01,\n' +
          'B-002,drug,缺甲乙类,,盒,1.234,0,2025-13-01,\n' +
          'B-001,service,重复,,次,10.00,,2025-01-01,\n' +
          '=cmd,service,公式,,次,1,,2025-01-01,\n',
        'bad.csv',
      ),
    );
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.code).toBe('settlement.catalogue_file_refused');
    const importId = String(out.details?.['importId']);
    const report = await getCatalogueImport(t.db, importId);
    expect(report?.status).toBe('refused');
    expect(report?.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'drug_class', 'drug_class_invalid'],
      [3, 'price_cap', 'price_cap_invalid'],
      [3, 'quantity_limit', 'quantity_limit_invalid'],
      [3, 'valid_from', 'date_invalid'],
      [5, 'code', 'code_invalid'],
      [4, 'code', 'duplicate_row'],
    ]);
    const after = await referenceCounts(t.db);
    expect(after['settlement_catalogue_items']).toBe(before['settlement_catalogue_items']);
    expect(after['settlement_catalogue_imports']).toBe(
      (before['settlement_catalogue_imports'] ?? 0) + 1,
    );
    if (!report) throw new Error('the refused import has no report');
    const wb = new ExcelJS.Workbook();
    // exceljs's load() types predate Node's generic Buffer.
    await wb.xlsx.load((await catalogueReportXlsx(report)) as never);
    const sheet = wb.worksheets[0];
    expect(sheet?.getRow(2).getCell(3).text).toBe('drug_class_invalid');
    expect(sheet?.getRow(2).getCell(4).text).toBe('药品须注明甲类或乙类');
  });
});

describe('catalogue import: idempotence and dated changes', () => {
  it('the same bytes again answer the first import and change nothing', async () => {
    const text = HEADER + 'I-001,service,幂等,,次,5,,2025-01-01,\n';
    const first = await importCatalogue(t.db, hz, csv(text));
    const before = await referenceCounts(t.db);
    const again = await importCatalogue(t.db, hz, csv(text, 'renamed.csv'));
    expect(
      first.ok && again.ok && [again.value.id === first.value.id, again.value.repeated],
    ).toEqual([true, true]);
    expect(await referenceCounts(t.db)).toEqual(before);
  });

  it('a dated change of cap is a new row; the row before is closed the day before', async () => {
    const out = await importCatalogue(
      t.db,
      hz,
      csv(HEADER + 'X-J01CA04,drug,阿莫西林胶囊,甲,盒,11.00,10,2026-01-01,\n'),
    );
    expect(out.ok).toBe(true);
    const history = await catalogueHistory(t.db, 'X-J01CA04');
    expect(history.map((h) => [h.validFrom, h.validTo, h.priceCapFen])).toEqual([
      ['2025-01-01', '2025-12-31', 1250],
      ['2026-01-01', null, 1100],
    ]);
    expect(catalogueItemOn(history, 'X-J01CA04', '2025-12-31')?.priceCapFen).toBe(1250);
    expect(catalogueItemOn(history, 'X-J01CA04', '2026-01-01')?.priceCapFen).toBe(1100);
    const backdated = await importCatalogue(
      t.db,
      hz,
      csv(HEADER + 'X-J01CA04,drug,阿莫西林胶囊,甲,盒,9.00,10,2025-06-01,\n'),
    );
    expect(!backdated.ok && backdated.code).toBe('settlement.catalogue_file_refused');
    expect(await catalogueHistory(t.db, 'X-J01CA04')).toEqual(history);
  });
});
