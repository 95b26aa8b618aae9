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
 * The separation end to end on the demo database: 杭州's handler has the grade 7 decision approved,
 * records the worker's separation and proposes the grants, 杭州's supervisor approves through the
 * approvals route, the handler applies it (the fund's grant posted, its payment issued on the
 * decision) and a retry posts nothing; 宁波's handler and a malformed body change nothing.
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
const decide = (approvalId: string) =>
  post(hzChecker, `/api/v1/regions/330100/approvals/${approvalId}/decision`, {
    decision: 'approved',
  });
const separation = { date: '2025-06-30', reason: 'contract_expiry', retirementAge: { years: 60 } };

/** The case's benefit decision proposed, approved by the supervisor and applied (once: a retry finds it). */
async function approvedDecision(): Promise<void> {
  const panel = await get(hz, `/api/v1/regions/330100/cases/${caseId}/benefit-decision`);
  if ((panel.json() as BenefitPanel).current?.status === 'approved') return;
  const proposed = await post(hz, `/api/v1/regions/330100/cases/${caseId}/benefit-decision`, {
    on,
  });
  expect(proposed.statusCode, proposed.body).toBe(200);
  const { decisionId, approvalId } = proposed.json() as { decisionId: string; approvalId: string };
  expect((await decide(approvalId)).statusCode).toBe(200);
  const applied = await post(hz, `/api/v1/regions/330100/benefit-decisions/${decisionId}/apply`, {
    on,
  });
  expect(applied.statusCode, applied.body).toBe(200);
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

describe(`separation routes on ${testBackend}`, () => {
  it('refuses before the decision is approved, a malformed body and another city', async () => {
    const url = `/api/v1/regions/330100/cases/${caseId}/separation`;
    const early = await post(hz, url, { ...separation, on });
    expect([early.statusCode, problemOf(early).code]).toEqual([
      409,
      'benefit.separation_no_decision',
    ]);
    const bad = await post(hz, url, { date: '2025-02-30', reason: 'fired', retirementAge: {} });
    expect([bad.statusCode, problemOf(bad).code]).toEqual([400, 'input.invalid']);
    expect(problemOf(bad).errors).toHaveLength(3);
    const foreign = await post(nb, url, { ...separation, on });
    expect(foreign.statusCode).toBe(404);
  });

  it('propose → approve → apply, once; the fund’s grant is a payment of the decision', async () => {
    await approvedDecision();
    const proposed = await post(hz, `/api/v1/regions/330100/cases/${caseId}/separation`, {
      ...separation,
      on,
    });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const { separationId, approvalId, payload } = proposed.json() as {
      separationId: string;
      approvalId: string;
      payload: { items: { code: string; payer: string }[] };
    };
    expect(payload.items.map((i) => [i.code, i.payer])).toEqual([
      ['medical_separation_grant', 'fund'],
      ['employment_separation_grant', 'employer'],
    ]);
    expect((await decide(approvalId)).statusCode).toBe(200);
    const applyUrl = `/api/v1/regions/330100/separations/${separationId}/apply`;
    const applied = await post(hz, applyUrl, { on });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ status: 'approved', replayed: false });
    const retry = await post(hz, applyUrl, { on });
    expect(retry.json()).toMatchObject({ replayed: true });
    const panel = (
      await get(hz, `/api/v1/regions/330100/cases/${caseId}/benefit-decision`)
    ).json() as BenefitPanel;
    expect(panel.payments.map((p) => p.itemCode).sort()).toEqual([
      'disability_lump_sum',
      'medical_separation_grant',
    ]);
    const shown = await get(hz, `/api/v1/regions/330100/cases/${caseId}/separation`);
    expect(shown.json()).toMatchObject([
      { separationId, status: 'approved', items: [{ payer: 'fund' }, { payer: 'employer' }] },
    ]);
    expect((await get(nb, `/api/v1/regions/330100/cases/${caseId}/separation`)).statusCode).toBe(
      404,
    );
    const second = await post(hz, `/api/v1/regions/330100/cases/${caseId}/separation`, {
      ...separation,
      on,
    });
    expect([second.statusCode, problemOf(second).code]).toEqual([
      409,
      'benefit.separation_already_decided',
    ]);
  });

  it('the applied separation’s letter is on its read and downloads through the letters route, not from another city', async () => {
    const shown = (await get(hz, `/api/v1/regions/330100/cases/${caseId}/separation`)).json() as {
      status: string;
      letter: { id: string; documentNumber: string } | null;
    }[];
    const letter = shown.find((s) => s.status === 'approved')?.letter;
    expect(letter?.documentNumber).toMatch(/^杭人社工补〔\d{4}〕\d+号$/);
    const pdf = await get(hz, `/api/v1/regions/330100/letters/${letter?.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const elsewhere = await get(nb, `/api/v1/regions/330100/letters/${letter?.id}/pdf`);
    expect(elsewhere.statusCode).toBe(404);
  });
});
