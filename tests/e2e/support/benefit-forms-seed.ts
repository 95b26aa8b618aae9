import { randomBytes } from 'node:crypto';
import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import { proposeResponse } from '../../../src/contract/benefits/benefit-decision-contract.ts';
import type { Database } from '../../../src/db/client.ts';
import {
  insertAppraisal,
  insertCase,
  insertWorker,
} from '../../../src/usecases/benefits/testing.ts';
import type { ApiSession } from './api.ts';

/**
 * The cases of the benefit forms' journeys (benefit-forms.spec.ts), made fresh on each attempt so a
 * retry never meets the first attempt's separation or regrade: each a new worker (born 1980-04-02)
 * of the demo employer in 杭州, injured on 2025-03-10 (recognised), with one wage month entered by
 * the handler, 2025-02 at 6 000.00 yuan. The records the determination and the committee would
 * make are inserted (the benefits' own fixtures); the benefit decisions go through the API as the
 * demo's handler and supervisor do (the path cases.spec.ts drives in the browser).
 */
const HZ = '330100';
const ACCIDENT = '2025-03-10';
/** The initial appraisal's conclusion, and the re-appraisal's. */
const CONCLUDED = '2025-06-20';
const REAPPRAISED = '2025-09-20';
export const WAGE = { month: '2025-02', wageFen: 600_000, evidence: '工资表（单位盖章）' } as const;

export type BenefitFormCases = {
  /** Grade 7, its decision approved and applied. */
  separation: string;
  /** Grade 9, its decision approved and applied, then re-appraised (再次鉴定) at grade 7. */
  regrade: string;
  /** No appraisal, no decision: the handler records the death facts in the browser. */
  death: string;
};

async function newCase(db: Database): Promise<string> {
  const workerId = await insertWorker(db);
  return insertCase(db, {
    workerId,
    employerId: registryExamples.employerId(HZ),
    accidentDate: ACCIDENT,
    outcome: 'recognised',
  });
}

/** The answer's body, or the step's failure with the problem the API answered. */
function bodyOf(step: string, r: { status: number; body: unknown }): unknown {
  if (r.status >= 300) throw new Error(`${step}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The first decision: proposed by the handler, approved by the supervisor, applied. */
async function decide(handler: ApiSession, supervisor: ApiSession, caseId: string) {
  const region = `/api/v1/regions/${HZ}`;
  const proposed = proposeResponse.parse(
    bodyOf(
      'propose',
      await handler.post(`${region}/cases/${caseId}/benefit-decision`, {
        enteredWages: [{ month: WAGE.month, wageFen: WAGE.wageFen }],
        wageEvidence: WAGE.evidence,
        employerArrangedWork: false,
      }),
    ),
  );
  bodyOf(
    'approve',
    await supervisor.post(`${region}/approvals/${proposed.approvalId}/decision`, {
      decision: 'approved',
    }),
  );
  bodyOf(
    'apply',
    await handler.post(`${region}/benefit-decisions/${proposed.decisionId}/apply`, {}),
  );
}

/** The provincial committee's re-appraisal (再次鉴定) of `previousId`, concluded at `grade`. */
async function insertReappraisal(db: Database, caseId: string, previousId: string, grade: number) {
  await db.query(
    `INSERT INTO appraisals (region_code, id, case_id, kind, committee_level, status, applied_on,
       concluded_on, conclusion, disability_grade, previous_appraisal_id, created_by)
     VALUES ($1, $2, $3, 're_appraisal', 'province', 'concluded', $4::date - 30, $4::date, 'graded',
       $5, $6, 'test')`,
    [HZ, `apr_${HZ}_${randomBytes(8).toString('hex')}`, caseId, REAPPRAISED, grade, previousId],
  );
}

export async function seedBenefitFormCases(
  db: Database,
  handler: ApiSession,
  supervisor: ApiSession,
): Promise<BenefitFormCases> {
  const separation = await newCase(db);
  await insertAppraisal(db, { caseId: separation, concludedOn: CONCLUDED, grade: 7 });
  await decide(handler, supervisor, separation);
  const regrade = await newCase(db);
  const initial = await insertAppraisal(db, { caseId: regrade, concludedOn: CONCLUDED, grade: 9 });
  await decide(handler, supervisor, regrade);
  await insertReappraisal(db, regrade, initial, 7);
  return { separation, regrade, death: await newCase(db) };
}

/**
 * The case of the card-account and 第四十二条 journey: a new worker (register name 工伤职工) graded 4
 * on 2025-06-20, the decision applied, so the fund pays him 伤残津贴 75 % × 6 000.00 = 4 500.00 a
 * month from 2025-07 (《工伤保险条例》第三十五条第一款第（二）项 "四级伤残为本人工资的75%"). New on every
 * attempt: a retry never meets the first attempt's account or stop.
 */
export async function seedStopCase(
  db: Database,
  handler: ApiSession,
  supervisor: ApiSession,
): Promise<string> {
  const caseId = await newCase(db);
  await insertAppraisal(db, { caseId, concludedOn: CONCLUDED, grade: 4 });
  await decide(handler, supervisor, caseId);
  return caseId;
}
