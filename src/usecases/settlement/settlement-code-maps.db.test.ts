import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { mappedCode } from '../../domain/settlement/settlement-reference.ts';
import { importCatalogue } from './settlement-catalogue-import.ts';
import { importCodeMaps, listCodeMaps, setCodeMap } from './settlement-code-maps.ts';
import { createInstitution } from './settlement-institutions.ts';
import { insertSettlementRegions, referenceCounts, settlementStaff } from './testing.ts';

const hz = settlementStaff('hz', '330100');
const nb = settlementStaff('nb', '330200');
const INST = 'INST-330100-0001';
const bytes = (text: string) => ({ kind: 'bytes' as const, bytes: new TextEncoder().encode(text) });

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
  await insertSettlementRegions(t.db);
  await createInstitution(t.db, hz, {
    regionCode: '330100',
    name: '杭州示例医院',
    kind: 'hospital',
    level: 'tertiary',
    createdOn: '2025-01-01',
  });
  const cat = await importCatalogue(t.db, hz, {
    fileName: 'c.csv',
    source: bytes(
      'code,kind,name,drug_class,unit,price_cap,quantity_limit,valid_from,valid_to\nC1,service,诊查费,,次,25,,2025-01-01,\nC2,service,新诊查费,,次,30,,2025-01-01,\n',
    ),
  });
  if (!cat.ok) throw new Error(cat.message);
});
afterAll(async () => t.cleanup());

describe('code maps', () => {
  it('sets a map; a later one closes it the day before; mappedCode reads them by date', async () => {
    const a = await setCodeMap(t.db, hz, {
      regionCode: '330100',
      institutionId: INST,
      ownCode: 'HIS-9',
      catalogueCode: 'C1',
      validFrom: '2025-01-01',
    });
    expect(a.ok).toBe(true);
    const b = await setCodeMap(t.db, hz, {
      regionCode: '330100',
      institutionId: INST,
      ownCode: 'HIS-9',
      catalogueCode: 'C2',
      validFrom: '2025-07-01',
    });
    expect(b.ok).toBe(true);
    const listed = await listCodeMaps(t.db, '330000', INST);
    const maps = listed.ok ? listed.value : [];
    expect(maps.map((m) => [m.catalogueCode, m.validFrom, m.validTo])).toEqual([
      ['C1', '2025-01-01', '2025-06-30'],
      ['C2', '2025-07-01', null],
    ]);
    expect(mappedCode(maps, 'HIS-9', '2025-06-30')).toBe('C1');
    expect(mappedCode(maps, 'HIS-9', '2025-07-01')).toBe('C2');
  });

  it('refuses an unknown catalogue code, a back-dated map and another city; nothing changed', async () => {
    const before = await referenceCounts(t.db);
    const unknown = await setCodeMap(t.db, hz, {
      regionCode: '330100',
      institutionId: INST,
      ownCode: 'HIS-1',
      catalogueCode: 'NOPE',
      validFrom: '2025-01-01',
    });
    expect(!unknown.ok && unknown.code).toBe('settlement.code_map_catalogue_unknown');
    const back = await setCodeMap(t.db, hz, {
      regionCode: '330100',
      institutionId: INST,
      ownCode: 'HIS-9',
      catalogueCode: 'C1',
      validFrom: '2025-03-01',
    });
    expect(!back.ok && back.code).toBe('settlement.code_map_not_after_current');
    const other = await setCodeMap(t.db, nb, {
      regionCode: '330200',
      institutionId: INST,
      ownCode: 'HIS-1',
      catalogueCode: 'C1',
      validFrom: '2025-01-01',
    });
    expect(!other.ok && other.code).toBe('settlement.institution_not_found');
    expect((await listCodeMaps(t.db, '330200', INST)).ok).toBe(false);
    expect(await referenceCounts(t.db)).toEqual(before);
  });

  it('imports a CSV of maps whole, or refuses it whole with the problems', async () => {
    const before = await referenceCounts(t.db);
    const bad = await importCodeMaps(t.db, hz, {
      regionCode: '330100',
      institutionId: INST,
      source: bytes(
        '机构编码,目录编码,开始日期\nA1,C1,2025-01-01\nA2,NOPE,2025-01-01\nA3,C1,2025-02-30\n',
      ),
    });
    expect(!bad.ok && bad.code).toBe('settlement.code_map_file_refused');
    expect(!bad.ok && bad.details?.['problemCount']).toBe(2);
    expect(await referenceCounts(t.db)).toEqual(before);
    const good = await importCodeMaps(t.db, hz, {
      regionCode: '330100',
      institutionId: INST,
      source: bytes('own_code,catalogue_code,valid_from\nA1,C1,2025-01-01\nA2,C2,2025-01-01\n'),
    });
    expect(good.ok && good.value.written).toBe(2);
  });
});
