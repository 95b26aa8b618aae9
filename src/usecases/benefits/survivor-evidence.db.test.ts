import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { wageWindow } from '../../domain/benefits/wage-months.ts';
import type { Actor } from '../../identity/actor.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import type { BlobStore } from '../cases/blob-store.ts';
import {
  addMaterial,
  findCaseOwnership,
  listMaterials,
  openMaterial,
  withdrawMaterial,
} from '../cases/materials.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { demoIdNumber } from '../seed/demo-ids.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { recordDeathFacts } from './death-facts.ts';
import { survivorEvidenceOf } from './survivor-evidence.ts';
import {
  insertWorker,
  setUpBenefits,
  setUpZhengzhou as setUpZhengzhouFixture,
  ZZ,
} from './testing.ts';

/**
 * Survivors' evidence on both backends: in 河南 (郑州 410100, 《河南省工伤保险条例》第三十四条第二款) a
 * death decision whose spouse has no 户籍 proof on file is refused at the approval, naming her and
 * the paper, and nothing is written; once the paper is uploaded tagged to her, the approval goes
 * through. In 浙江 (杭州) the same decision with no paper at all is approved, as before.
 */
const rules = testRuleBook().benefits;
const ACCIDENT = '2025-03-10';
const PERIODS = ['2025-06', '2025-07', '2025-08'];
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let zz: { maker: Actor; checker: Actor; employerId: string };

/** Blobs in memory: the test needs the materials rows, not a disk. */
function memoryBlobs(): BlobStore {
  const held = new Map<string, Uint8Array>();
  return {
    put: async (bytes) => {
      const key = createHash('sha256').update(bytes).digest('hex');
      const created = !held.has(key);
      held.set(key, bytes);
      return { key, bytes: bytes.length, created };
    },
    get: async (key) => held.get(key) ?? null,
    has: async (key) => held.has(key),
    size: async (key) => held.get(key)?.length ?? null,
  };
}
const blobs = memoryBlobs();
const PDF = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');

function setUpZhengzhou() {
  return setUpZhengzhouFixture(t.db, f.system, rules, PERIODS, 73);
}

/** A recognised death case with a spouse and a child recorded, its decision proposed and approved by the checker. */
async function proposedDeathCase(
  region: string,
  who: { maker: Actor; checker: Actor; employerId: string },
) {
  const workerId = await insertWorker(t.db);
  const caseId = `cas_${region}_${randomBytes(8).toString('hex')}`;
  await t.db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, determination_outcome, determination_decided_on, created_by)
     VALUES ($1, $2, $3, $1, $4, 'accident', $5::date, 'decided', 'recognised', $5::date + 40, 'test')`,
    [region, caseId, workerId, who.employerId, ACCIDENT],
  );
  const facts = await recordDeathFacts(t.db, who.maker, {
    regionCode: region,
    caseId,
    diedOn: '2025-07-10',
    circumstance: 'injury',
    preDeathMonthlyWageFen: null,
    dependants: [
      {
        name: '王丽',
        relation: 'spouse',
        idNumber: demoIdNumber('410102', '1982-05-06', 11),
        birthDate: '1982-05-06',
        orphanOrSoleElder: false,
      },
      {
        name: '李明',
        relation: 'child',
        idNumber: demoIdNumber('410102', '2012-09-01', 12),
        birthDate: '2012-09-01',
        orphanOrSoleElder: false,
      },
    ],
    today: '2025-07-15',
  });
  if (!facts.ok) throw new Error(facts.message);
  const p = await proposeBenefitDecision(t.db, who.maker, rules, {
    regionCode: region,
    caseId,
    enteredWages: wageWindow(ACCIDENT).map((month) => ({ month, wageFen: 600_000 })),
    wageEvidence: '工资条 (test)',
    employerArrangedWork: false,
    on: '2025-07-16',
    policy: POLICY,
  });
  if (!p.ok) throw new Error(p.message);
  await approve(t.db, who.checker, region, p.value.approvalId);
  const [spouse, child] = facts.value.dependants;
  if (spouse === undefined || child === undefined) throw new Error('two dependants recorded');
  return { caseId, decisionId: p.value.decisionId, spouse: spouse.id, child: child.id };
}

function upload(
  region: string,
  who: Actor,
  caseId: string,
  itemCode: string,
  dependantId?: string,
) {
  return addMaterial(t.db, blobs, who, {
    regionCode: region,
    caseId,
    itemCode,
    fileName: `${itemCode}.pdf`,
    ...(dependantId === undefined ? {} : { dependantId }),
    bytes: PDF,
    byteCount: PDF.length,
    bytesMax: 1_000_000,
    today: '2025-07-17',
  });
}

async function statusOf(region: string, decisionId: string) {
  const r = await t.db.query(
    'SELECT status FROM benefit_decisions WHERE region_code = $1 AND id = $2',
    [region, decisionId],
  );
  return r.rows[0]?.['status'];
}

/**
 * What the case page reads of the papers: per dependant asked for, on file, missing (the approval's
 * reckoning); the staff's materials list names each paper's dependant by number and relation; the
 * portal's list (the case's own worker or employer) leaves the papers out and refuses their download.
 */
async function expectPapersRead(c: Awaited<ReturnType<typeof proposedDeathCase>>) {
  const read = await t.db.withConnection((ex) =>
    survivorEvidenceOf(ex, rules, { regionCode: ZZ, caseId: c.caseId, diedOn: '2025-07-10' }),
  );
  expect(read?.dependants).toEqual([
    {
      dependantId: c.spouse,
      required: ['household_identity', 'no_income'],
      onFile: ['no_income'],
      missing: ['household_identity'],
    },
    {
      dependantId: c.child,
      required: ['household_identity'],
      onFile: ['household_identity'],
      missing: [],
    },
  ]);
  const kase = await t.db.withConnection((ex) => findCaseOwnership(ex, ZZ, c.caseId));
  if (kase === null) throw new Error('case not found');
  const list = async (reader: 'staff' | 'self') => {
    const page = await listMaterials(t.db, rules, kase, '2025-07-18', reader);
    if (!page.ok) throw new Error(page.message);
    return page.value.materials;
  };
  const staff = await list('staff');
  expect(staff.map((m) => [m.itemCode, m.dependant])).toEqual([
    ['dependant_household_identity', { ordinal: 1, relation: 'child' }],
    ['dependant_no_income', { ordinal: 0, relation: 'spouse' }],
    ['dependant_household_identity', { ordinal: 0, relation: 'spouse' }],
  ]);
  expect(await list('self')).toEqual([]);
  const materialId = staff[0]?.id ?? '';
  const opened = await openMaterial(t.db, blobs, zz.maker, {
    regionCode: ZZ,
    caseId: c.caseId,
    materialId,
    reader: 'self',
  });
  expect(opened.ok || opened.code).toBe('material.not_found');
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  zz = await setUpZhengzhou();
}, 60_000);
afterAll(() => t.cleanup());

describe('survivors’ evidence at the approval of a death decision', () => {
  it('河南: refuses without the spouse’s 户籍 proof, naming her and the paper; approves once it is uploaded', async () => {
    const c = await proposedDeathCase(ZZ, zz);
    // The child's 户籍 proof and the spouse's 无生活来源 proof are in; a withdrawn 户籍 proof of hers does not count.
    for (const [item, dep] of [
      ['dependant_household_identity', c.child],
      ['dependant_no_income', c.spouse],
      ['dependant_household_identity', c.spouse],
    ] as const) {
      const m = await upload(ZZ, zz.maker, c.caseId, item, dep);
      if (!m.ok) throw new Error(m.message);
      if (item === 'dependant_household_identity' && dep === c.spouse)
        await withdrawMaterial(t.db, zz.maker, {
          regionCode: ZZ,
          caseId: c.caseId,
          materialId: m.value.id,
          reason: 'wrong person',
          today: '2025-07-17',
        });
    }
    const apply = () =>
      approveBenefitDecision(t.db, zz.maker, {
        regionCode: ZZ,
        decisionId: c.decisionId,
        on: '2025-07-20',
      });
    const refused = await apply();
    expect(refused.ok || refused.code).toBe('benefit.survivor_evidence_missing');
    expect(!refused.ok && refused.details?.['dependants']).toEqual([
      { dependantId: c.spouse, ordinal: 0, relation: 'spouse', missing: ['household_identity'] },
    ]);
    expect(!refused.ok && refused.message).toContain('供养亲属1（配偶）缺户籍身份证明');
    expect(await statusOf(ZZ, c.decisionId)).toBe('proposed');
    await expectPapersRead(c);
    // A paper must name its dependant, and only a paper may.
    const untagged = await upload(ZZ, zz.maker, c.caseId, 'dependant_household_identity');
    const tagged = await upload(ZZ, zz.maker, c.caseId, 'application_form', c.spouse);
    expect([untagged.ok || untagged.code, tagged.ok || tagged.code]).toEqual([
      'material.dependant_mismatch',
      'material.dependant_mismatch',
    ]);
    const paper = await upload(ZZ, zz.maker, c.caseId, 'dependant_household_identity', c.spouse);
    if (!paper.ok) throw new Error(paper.message);
    expect(paper.value.dependantId).toBe(c.spouse);
    const applied = await apply();
    if (!applied.ok) throw new Error(applied.message);
    expect(await statusOf(ZZ, c.decisionId)).toBe('approved');
  });

  it('浙江: no province text on survivors’ papers, the decision is approved without any', async () => {
    const c = await proposedDeathCase(HZ, { ...f, employerId: f.employer.id });
    const at = { regionCode: HZ, caseId: c.caseId, diedOn: '2025-07-10' };
    expect(await t.db.withConnection((ex) => survivorEvidenceOf(ex, rules, at))).toBeNull();
    const applied = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: c.decisionId,
      on: '2025-07-20',
    });
    if (!applied.ok) throw new Error(applied.message);
    expect(await statusOf(HZ, c.decisionId)).toBe('approved');
  });
});
