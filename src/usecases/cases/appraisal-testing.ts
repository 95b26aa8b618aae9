import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';
import { addExpert } from './appraisal-experts.ts';

/**
 * Test fixture of the appraisal part: 浙江 with 杭州 and 宁波, an employer and a worker, cases inserted
 * directly with the determination outcome the test needs (the determination flow is another part),
 * the city's and the province's committees, and their expert pools.
 */
export const PROVINCE = '330000';
export const HZ = '330100';
export const NB = '330200';

export function committeeActor(scope: 'city' | 'province', code: string): Actor {
  return {
    userId: `committee-${code}`,
    username: `committee-${code}`,
    role: 'appraisal_committee',
    scopeKind: scope,
    scopeCode: code,
    permissions: rolePermissions.appraisal_committee,
    requestId: `req-committee-${code}`,
  };
}

export async function setUpAppraisalRegions(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ($1, '浙江省', 'Zhejiang', 'province') ON CONFLICT DO NOTHING`,
    [PROVINCE],
  );
  for (const [code, name] of [
    [HZ, '杭州市'],
    [NB, '宁波市'],
  ] as const)
    await db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', $3) ON CONFLICT DO NOTHING`,
      [code, name, PROVINCE],
    );
}

let sequence = 0;

/** A case of `city` with the given determination outcome (null: not decided yet). */
export async function insertCase(
  db: Database,
  city: string,
  outcome: 'recognised' | 'deemed' | 'not_recognised' | null,
  dates: { accidentDate: string; decidedOn: string } = {
    accidentDate: '2025-03-01',
    decidedOn: '2025-04-20',
  },
): Promise<string> {
  sequence += 1;
  const employerId = `emp_${city}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO employers (region_code, id, credit_code, name, address, industry_standard, industry_division,
       category, registered_on, status, status_from, floating_grade, floating_grade_from, created_by)
     VALUES ($1, $2, $3, '测试单位', '测试路1号', 'GB/T 4754-2017', '34', 'sme', '2024-01-01', 'registered',
       '2024-01-01', 'base', '2024-01-01', 'test')`,
    [city, employerId, demoCreditCode(city, randomBytes(3).readUIntBE(0, 3) % 1_000_000)],
  );
  const workerId = `wkr_${randomBytes(8).toString('hex')}`;
  const idNumber = demoIdNumber('330102', '1990-01-01', (sequence * 7 + randomBytes(1)[0]!) % 1000);
  await db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ($1, $2::text, '测试职工', CASE WHEN substr($2::text, 17, 1)::integer % 2 = 1 THEN 'male' ELSE 'female' END,
       '1990-01-01', 'test') ON CONFLICT (id_number) DO NOTHING`,
    [workerId, idNumber],
  );
  const [worker] = (await db.query('SELECT id FROM workers WHERE id_number = $1', [idNumber])).rows;
  const caseId = `cas_${city}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type, accident_date,
       status, determination_outcome, determination_decided_on, created_by)
     VALUES ($1, $2, $3, $1, $4, 'accident', $5, $6, $7, $8, 'test')`,
    [
      city,
      caseId,
      String(worker?.['id']),
      employerId,
      dates.accidentDate,
      outcome ? 'decided' : 'applied',
      outcome,
      outcome ? dates.decidedOn : null,
    ],
  );
  return caseId;
}

/** `count` active experts of one specialty in a committee's pool; their ids. */
export async function addExperts(
  db: Database,
  committeeCode: string,
  specialty: string,
  count: number,
): Promise<string[]> {
  const actor = committeeActor(committeeCode.endsWith('0000') ? 'province' : 'city', committeeCode);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await addExpert(db, actor, { committeeCode, name: `专家${i + 1}`, specialty });
    if (!r.ok) throw new Error('addExpert refused');
    ids.push(r.value.id);
  }
  return ids;
}
