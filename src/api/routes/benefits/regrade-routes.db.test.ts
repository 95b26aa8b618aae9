import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitPanel } from '../../../contract/benefits/benefit-decision-contract.ts';
import { testBackend } from '../../../db/testing.ts';
import {
  declareWage,
  insertAppraisal,
  insertCase,
  insertWorker,
} from '../../../usecases/benefits/testing.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';
import { registryExamples } from '../registry/registry-route-kit.ts';

/**
 * The regrade routes end to end on the demo database: 杭州's handler has a grade 7 decision
 * applied, the provincial committee's re-appraisal concludes grade 5, the handler proposes the
 * regrade, the supervisor approves, the handler applies it twice (posted once); 宁波's handler
 * sees none of it; bad input and a regrade with nothing changed are refused.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let caseId = '';
let initialId = '';
let on = '';

const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

async function approveAndApply(approvalId: string, url: string) {
  const decided = await post(hzChecker, `/api/v1/regions/330100/approvals/${approvalId}/decision`, {
    decision: 'approved',
  });
  expect(decided.statusCode, decided.body).toBe(200);
  return [await post(hz, url, { on }), await post(hz, url, { on })];
}

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  const open = await h.t.db.query(
    `SELECT to_char(p.month, 'YYYY-MM') AS m FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = '330100' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
  );
  on = `${String(open.rows[0]?.['m'])}-15`;
  const employerId = registryExamples.employerId('330100');
  const workerId = await insertWorker(h.t.db, '1986-03-03');
  await declareWage(h.t.db, { employerId, workerId, month: '2024-12', wageFen: 800_000 });
  caseId = await insertCase(h.t.db, {
    workerId,
    employerId,
    accidentDate: '2025-01-20',
    outcome: 'recognised',
  });
  initialId = await insertAppraisal(h.t.db, { caseId, concludedOn: '2025-05-06', grade: 7 });
  const proposed = await post(hz, `/api/v1/regions/330100/cases/${caseId}/benefit-decision`, {
    on,
  });
  const { decisionId, approvalId } = proposed.json() as { decisionId: string; approvalId: string };
  await approveAndApply(approvalId, `/api/v1/regions/330100/benefit-decisions/${decisionId}/apply`);
});
afterAll(async () => h.close());

describe(`regrade routes on ${testBackend}`, () => {
  it('refuses bad input and a regrade with no changed conclusion, changing nothing', async () => {
    const bad = await post(hz, '/api/v1/regions/330100/cases/cas_nope/benefit-regrade', {
      on: '2025-02-30',
    });
    expect([bad.statusCode, problemOf(bad).code]).toEqual([400, 'input.invalid']);
    const url = `/api/v1/regions/330100/cases/${caseId}/benefit-regrade`;
    const none = await post(hz, url, { on });
    expect([none.statusCode, problemOf(none).code]).toEqual([409, 'benefit.regrade_not_revisited']);
  });

  it('propose → approve → apply (posted once), scoped to the city', async () => {
    await h.t.db.query(
      // Once per database: a retried test finds the re-appraisal of its first attempt.
      `INSERT INTO appraisals (region_code, id, case_id, kind, committee_level, status, applied_on,
         concluded_on, conclusion, disability_grade, previous_appraisal_id, created_by)
       SELECT '330100', $1, $2, 're_appraisal', 'province', 'concluded', '2025-05-15', '2025-06-20',
         'graded', 5, $3, 'test'
        WHERE NOT EXISTS (SELECT 1 FROM appraisals WHERE case_id = $2 AND kind = 're_appraisal')`,
      [`apr_330100_${randomBytes(8).toString('hex')}`, caseId, initialId],
    );
    const url = `/api/v1/regions/330100/cases/${caseId}/benefit-regrade`;
    const other = await post(nb, url, { on });
    expect([other.statusCode, problemOf(other).code]).toEqual([404, 'record.not_found']);
    const proposed = await post(hz, url, { on });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const body = proposed.json() as {
      decisionId: string;
      approvalId: string;
      payload: { plan: { startsOn: string; postings: { code: string; amountFen: number }[] } };
    };
    // 浙江: the demo convention, from the month after the re-appraisal; 18 − 13 months' lump sum.
    expect(body.payload.plan.startsOn).toBe('2025-07-01');
    expect(body.payload.plan.postings).toEqual([
      expect.objectContaining({ code: 'disability_lump_sum', amountFen: 5 * 800_000 }),
    ]);
    const [first, retry] = await approveAndApply(
      body.approvalId,
      `/api/v1/regions/330100/benefit-regrades/${body.decisionId}/apply`,
    );
    expect(first?.statusCode, first?.body).toBe(200);
    expect(first?.json()).toMatchObject({ replayed: false });
    expect(retry?.json()).toMatchObject({ replayed: true });
    const posted = await h.t.db.query(
      'SELECT count(*)::int AS n FROM ledger_transactions WHERE id = $1',
      [`benefit-decision:${body.decisionId}:approved`],
    );
    expect(posted.rows[0]?.['n']).toBe(1);
  });

  it('the applied regrade is the panel’s current decision with its own letter, downloadable in the city only', async () => {
    const panel = await h.app.inject({
      url: `/api/v1/regions/330100/cases/${caseId}/benefit-decision`,
      headers: withSession(hz),
    });
    const letter = (panel.json() as BenefitPanel).current?.letter;
    expect(letter?.documentNumber).toMatch(/^杭人社工待重〔\d{4}〕\d+号$/);
    const url = `/api/v1/regions/330100/letters/${letter?.id}/pdf`;
    const pdf = await h.app.inject({ url, headers: withSession(hz) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await h.app.inject({ url, headers: withSession(nb) })).statusCode).toBe(404);
  });
});
