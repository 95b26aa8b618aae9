import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitPanel } from '../../../contract/benefits/benefit-decision-contract.ts';
import { textOf, withColumns } from '../../../db/rows.ts';
import { testBackend } from '../../../db/testing.ts';
import { citizenIdFacts } from '../../../kernel/ids.ts';
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
 * The portal's reads of a case's outcome on both backends: the demo worker sees the appraisal
 * conclusion of its own case (grade 7, the day concluded) and, once approved, the benefit decision's
 * items and amounts and the payment; a proposal not yet approved shows no decision; another
 * worker's case answers 404 on both routes, exactly like a missing one.
 */
let h: TestApp;
let worker: Session;
let employer: Session;
let handler: Session;
let checker: Session;
const ids = { mine: '', other: '' };
let on = '';

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

async function one(sql: string, params: unknown[] = []): Promise<string> {
  const v = withColumns(await h.t.db.query(sql, params), { v: textOf }).rows[0]?.v;
  if (v === undefined) throw new Error(`no row: ${sql}`);
  return v;
}

/** The demo worker's workers row (the register matches the demo person by ID number). */
async function demoWorkerId(): Promise<string> {
  const idNumber = await one(`SELECT id_number AS v FROM persons WHERE id = 'per_330100_0001'`);
  const facts = citizenIdFacts(idNumber);
  await h.t.db.query(
    `INSERT INTO workers (id, id_number, name, sex, birth_date, registered_by)
     VALUES ('wkr_00000000000c0de1', $1, '张三', $2, $3, 'test') ON CONFLICT (id_number) DO NOTHING`,
    [idNumber, facts.sex, facts.birthDate],
  );
  return one('SELECT id AS v FROM workers WHERE id_number = $1', [idNumber]);
}

beforeAll(async () => {
  h = await startTestApp();
  worker = await loginAs(h.app, 'demo.worker');
  employer = await loginAs(h.app, 'demo.employer');
  handler = await loginAs(h.app, 'hz.handler');
  checker = await loginAs(h.app, 'hz.supervisor');
  on = `${await one(
    `SELECT to_char(p.month, 'YYYY-MM') AS v FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = '330100' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
  )}-15`;
  const employerId = registryExamples.employerId('330100');
  const mine = await demoWorkerId();
  const other = await insertWorker(h.t.db, '1979-03-03');
  await declareWage(h.t.db, { employerId, workerId: mine, month: '2024-12', wageFen: 800_000 });
  const recognised = { employerId, accidentDate: '2025-01-20', outcome: 'recognised' as const };
  ids.mine = await insertCase(h.t.db, { ...recognised, workerId: mine });
  ids.other = await insertCase(h.t.db, { ...recognised, workerId: other });
  await insertAppraisal(h.t.db, { caseId: ids.mine, concludedOn: '2025-05-06', grade: 7 });
  await insertAppraisal(h.t.db, { caseId: ids.other, concludedOn: '2025-05-07', grade: 9 });
  // The fixture's appraisals carry no due day; one received on the day counts 60 days from it.
  await h.t.db.query(
    `UPDATE appraisals SET due_on = applied_on + 60 WHERE case_id = ANY($1::text[])`,
    [[ids.mine, ids.other]],
  );
}, 180_000);
afterAll(async () => h.close());

type OwnAppraisals = {
  appraisals: { disabilityGrade: number | null; concludedOn: string | null; draw?: unknown }[];
  current: { disabilityGrade: number | null; concludedOn: string; nursingLevel: string | null };
};
type OwnBenefit = {
  decision: { items: { code: string; amountFen: number }[] } | null;
  payments: { itemCode: string; amountFen: number; status: string; paidOn: string | null }[];
};

/** 杭州's handler proposes the decision of the worker's case; the supervisor approves; applied. */
async function decideAndPay(caseId: string): Promise<BenefitPanel> {
  const url = `/api/v1/regions/330100/cases/${caseId}/benefit-decision`;
  const proposed = await post(handler, url, { on });
  expect(proposed.statusCode, proposed.body).toBe(200);
  const { decisionId, approvalId } = proposed.json() as { decisionId: string; approvalId: string };
  const hidden = (await get(worker, `/api/v1/my/cases/${caseId}/benefit-decision`)).json();
  expect(hidden).toMatchObject({ decision: null, payments: [] });
  const approval = `/api/v1/regions/330100/approvals/${approvalId}/decision`;
  expect((await post(checker, approval, { decision: 'approved' })).statusCode).toBe(200);
  const applied = await post(
    handler,
    `/api/v1/regions/330100/benefit-decisions/${decisionId}/apply`,
    { on },
  );
  expect(applied.statusCode, applied.body).toBe(200);
  const panel = (await get(handler, url)).json() as BenefitPanel;
  const paid = await post(
    handler,
    `/api/v1/regions/330100/benefit-payments/${panel.payments[0]?.id}/confirmation`,
    { bankReference: 'BK-SELF-1', paidOn: on },
  );
  expect(paid.statusCode, paid.body).toBe(200);
  return panel;
}

describe(`the portal's appraisal and benefit reads on ${testBackend}`, () => {
  it('the worker sees the conclusion of its own case, without the committee’s draw', async () => {
    const res = await get(worker, `/api/v1/my/cases/${ids.mine}/appraisals`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as OwnAppraisals;
    expect(body.appraisals.map((a) => [a.disabilityGrade, a.concludedOn])).toEqual([
      [7, '2025-05-06'],
    ]);
    expect(body.appraisals[0]?.draw).toBeUndefined();
    expect(body.current).toMatchObject({
      disabilityGrade: 7,
      concludedOn: '2025-05-06',
      nursingLevel: null,
    });
    // The employer, the other party of the case, reads it too.
    expect((await get(employer, `/api/v1/my/cases/${ids.mine}/appraisals`)).statusCode).toBe(200);
  });

  it('the approved decision: its items and amounts, and the payment once the bank confirms', async () => {
    const panel = await decideAndPay(ids.mine);
    const res = await get(worker, `/api/v1/my/cases/${ids.mine}/benefit-decision`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as OwnBenefit;
    const items = panel.current?.result.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(body.decision?.items.map((i) => [i.code, i.amountFen])).toEqual(
      items.map((i) => [i.code, i.amountFen]),
    );
    const lump = items.find((i) => i.code === 'disability_lump_sum');
    // 《工伤保险条例》第三十七条第一款第（一）项: 七级伤残为13个月的本人工资 — 8 000 yuan × 13.
    expect(lump?.amountFen).toBe(800_000 * 13);
    expect(body.payments).toEqual([
      { itemCode: 'disability_lump_sum', amountFen: 800_000 * 13, status: 'paid', paidOn: on },
    ]);
  }, 120_000);

  it('another worker’s case answers 404 on both routes, as a missing one does', async () => {
    for (const path of ['appraisals', 'benefit-decision']) {
      const other = await get(worker, `/api/v1/my/cases/${ids.other}/${path}`);
      expect([other.statusCode, problemOf(other).code]).toEqual([404, 'case.not_found']);
      const missing = await get(worker, `/api/v1/my/cases/cas_330100_${'0'.repeat(16)}/${path}`);
      expect([missing.statusCode, problemOf(missing).code]).toEqual([404, 'case.not_found']);
    }
  });
});
