import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { signAgreement } from '../settlement/settlement-agreements.ts';
import { importCatalogue } from '../settlement/settlement-catalogue-import.ts';
import { setCodeMap } from '../settlement/settlement-code-maps.ts';
import {
  createInstitution,
  type InstitutionCreation,
} from '../settlement/settlement-institutions.ts';
import { demoCreditCode } from './demo-ids.ts';

/**
 * Demo reference data of direct settlement (issue 13): four institutions in 杭州 (330100) and one
 * in 宁波 (330200), including INST-330100-0001, the institution of the demo.institution user; their
 * agreements; a small catalogue; and code maps. Everything goes through the use cases, and is
 * idempotent: a second run finds each thing present (the same id, an overlapping agreement, the same
 * catalogue bytes, a map from the same day) and changes nothing.
 *
 * DEMO VALUES: the catalogue below is invented for the demo. Its codes start with DEMO-, its names
 * end in (演示), and its price caps and limits are plausible figures, not any province's catalogue.
 */
const INSTITUTIONS: readonly (Omit<InstitutionCreation, 'createdOn'> & { id: string })[] = [
  {
    id: 'INST-330100-0001',
    regionCode: '330100',
    name: '浙江大学医学院附属第一医院(演示)',
    kind: 'hospital',
    level: 'tertiary',
  },
  {
    id: 'INST-330100-0002',
    regionCode: '330100',
    name: '杭州市第一人民医院(演示)',
    kind: 'hospital',
    level: 'tertiary',
  },
  {
    id: 'INST-330100-0003',
    regionCode: '330100',
    name: '浙江省工伤康复中心(演示)',
    kind: 'rehabilitation',
    level: 'none',
  },
  {
    id: 'INST-330100-0004',
    regionCode: '330100',
    name: '杭州康辅假肢矫形器有限公司(演示)',
    kind: 'device',
    level: 'none',
  },
  {
    id: 'INST-330200-0001',
    regionCode: '330200',
    name: '宁波市第二医院(演示)',
    kind: 'hospital',
    level: 'tertiary',
  },
];

const SCOPES = {
  hospital: ['outpatient', 'inpatient'],
  rehabilitation: ['rehabilitation', 'outpatient'],
  device: ['device'],
} as const;

/** DEMO VALUES (see above): code, kind, name, class, unit, cap in 元, quantity limit. */
const CATALOGUE_CSV = `code,kind,name,drug_class,unit,price_cap,quantity_limit,valid_from,valid_to
DEMO-D-001,drug,阿莫西林胶囊 0.25g×24粒(演示),甲,盒,15.00,6,2024-01-01,
DEMO-D-002,drug,头孢呋辛酯片 0.25g×12片(演示),甲,盒,28.50,4,2024-01-01,
DEMO-D-003,drug,布洛芬缓释胶囊 0.3g×20粒(演示),甲,盒,18.00,4,2024-01-01,
DEMO-D-004,drug,氯化钠注射液 0.9% 250ml(演示),甲,瓶,4.50,60,2024-01-01,
DEMO-D-005,drug,注射用头孢曲松钠 1g(演示),乙,支,12.80,30,2024-01-01,
DEMO-D-006,drug,复方骨肽注射液 2ml(演示),乙,支,9.60,20,2024-01-01,
DEMO-D-007,drug,云南白药气雾剂(演示),乙,瓶,45.00,2,2024-01-01,
DEMO-D-008,drug,重组人表皮生长因子外用溶液(演示),乙,支,68.00,3,2024-01-01,
DEMO-F-001,service,普通门诊诊查费(演示),,次,10.00,,2024-01-01,
DEMO-F-002,service,主任医师门诊诊查费(演示),,次,40.00,,2024-01-01,
DEMO-F-003,service,X线摄影（单部位）(演示),,次,65.00,3,2024-01-01,
DEMO-F-004,service,清创缝合术（小）(演示),,次,120.00,2,2024-01-01,
DEMO-F-005,service,三级医院普通病房床位费(演示),,日,60.00,,2024-01-01,
DEMO-F-006,service,骨折切开复位内固定术(演示),,次,2800.00,1,2024-01-01,
DEMO-R-001,rehabilitation,运动疗法(演示),,次,60.00,60,2024-01-01,
DEMO-R-002,rehabilitation,作业疗法(演示),,次,45.00,60,2024-01-01,
DEMO-R-003,rehabilitation,职业康复评定(演示),,次,150.00,4,2024-01-01,
DEMO-A-001,device,小腿假肢（普及型）(演示),,具,12000.00,1,2024-01-01,
DEMO-A-002,device,普通轮椅(演示),,辆,800.00,1,2024-01-01,
DEMO-A-003,device,膝关节矫形器(演示),,具,1500.00,1,2024-01-01,
`;

/** The first hospital's own HIS codes mapped to the demo catalogue (DEMO VALUES). */
const CODE_MAPS: readonly { institutionId: string; ownCode: string; catalogueCode: string }[] = [
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-YP-0101', catalogueCode: 'DEMO-D-001' },
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-YP-0205', catalogueCode: 'DEMO-D-005' },
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-YP-0304', catalogueCode: 'DEMO-D-004' },
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-ZL-1001', catalogueCode: 'DEMO-F-001' },
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-ZL-1003', catalogueCode: 'DEMO-F-003' },
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-ZL-1004', catalogueCode: 'DEMO-F-004' },
  { institutionId: 'INST-330100-0001', ownCode: 'ZY-CW-2001', catalogueCode: 'DEMO-F-005' },
  { institutionId: 'INST-330100-0003', ownCode: 'KF-001', catalogueCode: 'DEMO-R-001' },
  { institutionId: 'INST-330100-0003', ownCode: 'KF-002', catalogueCode: 'DEMO-R-002' },
  { institutionId: 'INST-330100-0004', ownCode: 'FJ-XT-01', catalogueCode: 'DEMO-A-001' },
];

const FROM = '2024-01-01';
const TO = '2027-12-31';

export type SettlementSeedReport = { institutions: number; agreements: number; codeMaps: number };

/** Idempotent: refusals meaning "already there" are skipped; anything else stops the seed. */
export async function seedSettlementDemo(
  db: Database,
  actor: Actor,
): Promise<SettlementSeedReport> {
  const out: SettlementSeedReport = { institutions: 0, agreements: 0, codeMaps: 0 };
  for (const [i, inst] of INSTITUTIONS.entries()) {
    const made = await createInstitution(db, actor, {
      ...inst,
      creditCode: demoCreditCode(inst.regionCode, 900 + i),
      createdOn: FROM,
    });
    if (made.ok) out.institutions += 1;
    else if (made.code !== 'settlement.institution_exists')
      throw new Error(`seed: ${made.message}`);
    const signed = await signAgreement(db, actor, {
      regionCode: inst.regionCode,
      institutionId: inst.id,
      scopes: [...SCOPES[inst.kind]],
      validFrom: FROM,
      validTo: TO,
      // The first hospital joined the national system for cross-province settlement.
      crossProvince: inst.id === 'INST-330100-0001',
    });
    if (signed.ok) out.agreements += 1;
    else if (signed.code !== 'settlement.agreement_overlaps')
      throw new Error(`seed: ${signed.message}`);
  }
  const catalogue = await importCatalogue(db, actor, {
    fileName: 'demo-catalogue.csv',
    source: { kind: 'bytes', bytes: new TextEncoder().encode(CATALOGUE_CSV) },
  });
  if (!catalogue.ok) throw new Error(`seed: ${catalogue.message}`);
  for (const m of CODE_MAPS) {
    const set = await setCodeMap(db, actor, {
      ...m,
      regionCode: m.institutionId.slice(5, 11),
      validFrom: FROM,
    });
    if (set.ok) out.codeMaps += 1;
    else if (set.code !== 'settlement.code_map_not_after_current')
      throw new Error(`seed: ${set.message}`);
  }
  return out;
}
