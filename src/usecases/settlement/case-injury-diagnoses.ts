import type { Database, Executor } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * The injury's diagnoses (ICD-10) recorded on a case by a city handler or a determination officer:
 * a visit's diagnosis must be one of them, or in one's 3-character category, for the fund to pay
 * (adjudication rule diagnosis_unrelated). Recording adds codes; it never removes one (a wrong
 * code is a matter for the determination, not for this list).
 */
export type DiagnosesRefusalCode = 'settlement.case_not_found';

async function caseExists(ex: Executor, regionCode: string, caseId: string): Promise<boolean> {
  const r = await ex.query('SELECT 1 FROM cases WHERE region_code = $1 AND id = $2', [
    regionCode,
    caseId,
  ]);
  return r.rows.length > 0;
}

async function codesOf(ex: Executor, regionCode: string, caseId: string): Promise<string[]> {
  const r = await ex.query(
    'SELECT code FROM case_injury_diagnoses WHERE region_code = $1 AND case_id = $2 ORDER BY code',
    [regionCode, caseId],
  );
  return r.rows.map((x) => textOf(x, 'code'));
}

export async function recordInjuryDiagnoses(
  db: Database,
  actor: Actor,
  input: { regionCode: string; caseId: string; codes: readonly string[] },
): Promise<Result<{ caseId: string; codes: string[] }, DiagnosesRefusalCode>> {
  return db.transaction(async (tx) => {
    if (!(await caseExists(tx, input.regionCode, input.caseId)))
      return refuse('settlement.case_not_found', `case ${input.caseId} not found`, {
        caseId: input.caseId,
      });
    await tx.query(
      `INSERT INTO case_injury_diagnoses (region_code, case_id, code, recorded_by)
       SELECT $1, $2, code, $4 FROM unnest($3::text[]) AS code ON CONFLICT DO NOTHING`,
      [input.regionCode, input.caseId, [...new Set(input.codes)], actor.username],
    );
    const codes = await codesOf(tx, input.regionCode, input.caseId);
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'cases.injury_diagnoses.record',
        `case/${input.regionCode}/${input.caseId}`,
        {
          added: [...new Set(input.codes)],
        },
      ),
    );
    return ok({ caseId: input.caseId, codes });
  });
}

export async function injuryDiagnosesOf(
  db: Database,
  input: { regionCode: string; caseId: string },
): Promise<Result<{ caseId: string; codes: string[] }, DiagnosesRefusalCode>> {
  return db.withConnection(async (ex) => {
    if (!(await caseExists(ex, input.regionCode, input.caseId)))
      return refuse('settlement.case_not_found', `case ${input.caseId} not found`, {
        caseId: input.caseId,
      });
    return ok({ caseId: input.caseId, codes: await codesOf(ex, input.regionCode, input.caseId) });
  });
}
