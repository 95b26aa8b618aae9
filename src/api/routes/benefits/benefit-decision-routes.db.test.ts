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
 * The benefit decision end to end on the demo database: 杭州's handler proposes, 杭州's supervisor
 * approves through the approvals route, the handler applies it (the lump sum posted) and records
 * the bank's confirmation; 宁波's handler sees none of it; the decision recomputes from its snapshot.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let caseId = '';
let on = '';

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

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
  const workerId = await insertWorker(h.t.db, '1985-09-09');
  await declareWage(h.t.db, { employerId, workerId, month: '2024-12', wageFen: 800_000 });
  caseId = await insertCase(h.t.db, {
    workerId,
    employerId,
    accidentDate: '2025-01-20',
    outcome: 'recognised',
  });
  await insertAppraisal(h.t.db, { caseId, concludedOn: '2025-05-06', grade: 7 });
});
afterAll(async () => h.close());

describe(`benefit decision routes on ${testBackend}`, () => {
  it('propose → approve → apply → pay, scoped to the city, recomputable', async () => {
    const url = `/api/v1/regions/330100/cases/${caseId}/benefit-decision`;
    const proposed = await post(hz, url, { on });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const { decisionId, approvalId } = proposed.json() as {
      decisionId: string;
      approvalId: string;
    };
    const other = await get(nb, url);
    expect([other.statusCode, problemOf(other).code]).toEqual([404, 'record.not_found']);
    const own = await post(hz, `/api/v1/regions/330100/approvals/${approvalId}/decision`, {
      decision: 'approved',
    });
    expect(own.statusCode).toBe(403);
    const decided = await post(
      hzChecker,
      `/api/v1/regions/330100/approvals/${approvalId}/decision`,
      {
        decision: 'approved',
      },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    const applied = await post(hz, `/api/v1/regions/330100/benefit-decisions/${decisionId}/apply`, {
      on,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const panel = (await get(hz, url)).json() as BenefitPanel;
    expect(panel.current?.status).toBe('approved');
    expect(panel.current?.wageMonths.map((m) => m.source)).toEqual(['declaration']);
    const [payment] = panel.payments;
    expect(payment?.itemCode).toBe('disability_lump_sum');
    const paid = await post(
      hz,
      `/api/v1/regions/330100/benefit-payments/${payment?.id}/confirmation`,
      {
        bankReference: 'BK-ROUTE-1',
        paidOn: on,
      },
    );
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', bankReference: 'BK-ROUTE-1' });
    const again = await get(
      hz,
      `/api/v1/regions/330100/benefit-decisions/${decisionId}/recomputation`,
    );
    expect(again.json()).toMatchObject({ same: true });
  });
});
