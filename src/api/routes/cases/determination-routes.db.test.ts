import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { todayInChina } from '../../../kernel/dates.ts';
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
 * The determination over HTTP on the demo province: the demo employer reports and applies through
 * the portal, 杭州's determination officer finds it on the work list, accepts it and downloads the
 * acceptance letter; 宁波's handler cannot see it (another city: 404), the demo worker (not the
 * injured worker) cannot either; a skipped step is refused with 409.
 */
let h: TestApp;
let employer: Session;
let officer: Session;
let nb: Session;
let worker: Session;
beforeAll(async () => {
  h = await startTestApp();
  employer = await loginAs(h.app, 'demo.employer');
  officer = await loginAs(h.app, 'hz.determination');
  nb = await loginAs(h.app, 'nb.handler');
  worker = await loginAs(h.app, 'demo.worker');
}, 180_000);
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });
const base = '/api/v1/regions/330100/cases';
// The case's dates are China's: between 16:00 and 24:00 UTC the UTC date is the day before.
const today = todayInChina();

describe(`determination routes on ${testBackend}`, () => {
  let caseId = '';

  it('the employer reports and applies for its worker through the portal', async () => {
    const res = await post(employer, '/api/v1/my/cases', {
      workerId: registryExamples.workerId('330100'),
      caseType: 'accident',
      accidentDate: today,
      accidentPlace: '一号车间',
      accidentSummary: '搬运时被货物砸伤左脚',
      apply: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { caseId: string; status: string };
    expect(body.status).toBe('applied');
    caseId = body.caseId;
    const mine = await get(employer, '/api/v1/my/cases');
    expect((mine.json() as { items: { caseId: string }[] }).items.map((i) => i.caseId)).toContain(
      caseId,
    );
  });

  it('the officer finds it due for acceptance, accepts it and downloads the letter', async () => {
    const list = await get(officer, `${base}?status=applied&dueKind=acceptance`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { caseId: string }[] }).items.map((i) => i.caseId)).toContain(
      caseId,
    );
    const skipped = await post(officer, `${base}/${caseId}/actions`, {
      kind: 'serve',
      on: today,
    });
    expect(skipped.statusCode).toBe(409);
    expect(problemOf(skipped).code).toBe('case.transition_not_allowed');
    const bad = await post(officer, `${base}/${caseId}/actions`, { kind: 'decide', on: 'x' });
    expect(bad.statusCode).toBe(400);
    const accepted = await post(officer, `${base}/${caseId}/actions`, {
      kind: 'accept',
      on: today,
      clear: false,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const page = await get(officer, `${base}/${caseId}`);
    expect(page.statusCode, page.body).toBe(200);
    const data = page.json() as { letters: { data: { letterId: string } }[]; allowed: string[] };
    expect(data.allowed).toEqual(['note_investigation', 'suspend', 'decide']);
    const letterId = data.letters[0]?.data.letterId ?? '';
    const pdf = await get(officer, `${base}/${caseId}/letters/${letterId}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const own = await get(employer, `/api/v1/my/cases/${caseId}/letters/${letterId}`);
    expect(own.statusCode).toBe(200);
  }, 60_000);

  it('another city and another person find nothing', async () => {
    const outOfScope = await get(nb, `${base}/${caseId}`);
    expect(outOfScope.statusCode).toBe(404);
    const ownCity = await get(nb, `/api/v1/regions/330200/cases/${caseId}`);
    expect(ownCity.statusCode).toBe(404);
    expect(problemOf(ownCity).code).toBe('case.not_found');
    const act = await post(nb, `/api/v1/regions/330200/cases/${caseId}/actions`, {
      kind: 'decide',
      on: today,
      outcome: 'recognised',
      grounds: ['art14_1'],
    });
    expect(act.statusCode).toBe(404);
    const stranger = await get(worker, `/api/v1/my/cases/${caseId}`);
    expect(stranger.statusCode).toBe(404);
    const dashboard = await get(nb, '/api/v1/regions/330200/cases/dashboard');
    expect(dashboard.statusCode).toBe(200);
  });
});

describe(`the portal's worker on ${testBackend}`, () => {
  it('the demo worker (a person matched to the register by ID number) reports its own case', async () => {
    const res = await post(worker, '/api/v1/my/cases', {
      employerId: registryExamples.employerId('330100'),
      caseType: 'accident',
      accidentDate: today,
      accidentPlace: '仓库',
      accidentSummary: '叉车倒车时被撞',
      apply: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const mine = await get(worker, '/api/v1/my/cases');
    const items = (mine.json() as { items: { caseId: string; workerIdNumber: string }[] }).items;
    expect(items.map((i) => i.caseId)).toEqual([(res.json() as { caseId: string }).caseId]);
  });
});
