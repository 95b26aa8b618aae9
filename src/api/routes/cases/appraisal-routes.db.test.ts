import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { readBundledCalendar } from '../../../runtime/calendar-file.ts';
import { syncBundledCalendar } from '../../../usecases/calendar/calendar-import.ts';
import { addExperts, insertCase } from '../../../usecases/cases/appraisal-testing.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

/**
 * The appraisal over HTTP on the demo province: 杭州's committee (a user added beside the demo's
 * provincial committee) receives a first appraisal, draws a panel and concludes grade 7; the draw
 * replays; 宁波's committee sees none of it; the provincial committee sees it and alone may receive
 * the re-appraisal.
 */
type Appraisal = {
  id: string;
  status: string;
  draw: { drawnIds: string[]; seed: number } | null;
  conclusionLetterId: string | null;
};

let h: TestApp;
let hz: Session;
let nb: Session;
let province: Session;
let caseId: string;
beforeAll(async () => {
  h = await startTestApp();
  // City committees with the demo password (the demo province has only the provincial one).
  for (const [username, city] of [
    ['hz.appraisal', '330100'],
    ['nb.appraisal', '330200'],
  ])
    await h.t.db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       SELECT $1, $1, $1, 'appraisal_committee', 'city', $2::text, $2::text, password_hash
         FROM users WHERE username = 'province.appraisal'`,
      [username, city],
    );
  hz = await loginAs(h.app, 'hz.appraisal');
  nb = await loginAs(h.app, 'nb.appraisal');
  province = await loginAs(h.app, 'province.appraisal');
  await syncBundledCalendar(h.t.db, readBundledCalendar());
  caseId = await insertCase(h.t.db, '330100', 'recognised');
  await addExperts(h.t.db, '330100', 'orthopaedics', 5);
}, 180_000);
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });
const base = '/api/v1/regions/330100';

async function concludedGrade7(): Promise<Appraisal> {
  const bad = await post(hz, `${base}/cases/${caseId}/appraisals`, {
    kind: 'initial',
    appliedOn: '2026-13-01',
  });
  expect([bad.statusCode, problemOf(bad).code]).toEqual([400, 'input.invalid']);
  const received = await post(hz, `${base}/cases/${caseId}/appraisals`, {
    kind: 'initial',
    appliedOn: '2026-03-02',
    applicantKind: 'worker',
    treatmentStabilisedOn: '2026-02-20',
  });
  expect(received.statusCode, received.body).toBe(201);
  const a = received.json() as Appraisal;
  const early = await post(hz, `${base}/appraisals/${a.id}/conclusion`, conclusion);
  expect([early.statusCode, problemOf(early).code]).toEqual([409, 'appraisal.not_drawn']);
  const drawn = await post(hz, `${base}/appraisals/${a.id}/draw`, {
    specialty: 'orthopaedics',
    panelSize: 3,
    recusals: [],
    drawnOn: '2026-03-04',
  });
  expect(drawn.statusCode, drawn.body).toBe(200);
  const concluded = await post(hz, `${base}/appraisals/${a.id}/conclusion`, conclusion);
  expect(concluded.statusCode, concluded.body).toBe(200);
  return concluded.json() as Appraisal;
}

const conclusion = {
  concludedOn: '2026-04-20',
  conclusion: 'graded',
  disabilityGrade: 7,
  nursingLevel: null,
  stopWorkExtensionMonths: null,
  gradingClauses: ['5.7.2(12)'],
};

describe(`appraisal routes on ${testBackend}`, () => {
  it('the city committee receives, draws and concludes grade 7; the draw replays', async () => {
    const a = await concludedGrade7();
    expect([a.status, a.draw?.drawnIds.length, a.conclusionLetterId !== null]).toEqual([
      'concluded',
      3,
      true,
    ]);
    const verify = await get(hz, `${base}/appraisals/${a.id}/draw/verify`);
    expect(verify.json()).toEqual({
      reproduced: true,
      seed: a.draw?.seed,
      drawnIds: a.draw?.drawnIds,
    });
    const panel = await get(hz, `${base}/cases/${caseId}/appraisals`);
    expect((panel.json() as { current: { disabilityGrade: number } }).current.disabilityGrade).toBe(
      7,
    );
  });

  it('another city’s committee cannot see it; the province sees it and alone takes the re-appraisal', async () => {
    const list = await get(province, '/api/v1/regions/330000/appraisals?state=all');
    const all = (list.json() as { appraisals: Appraisal[] }).appraisals;
    expect(all.length).toBeGreaterThan(0);
    const id = all[0]!.id;
    const denied = await get(nb, `${base}/appraisals/${id}`);
    expect([denied.statusCode, problemOf(denied).code]).toEqual([404, 'record.not_found']);
    const nbList = await get(nb, '/api/v1/regions/330200/appraisals?state=all');
    expect((nbList.json() as { appraisals: Appraisal[] }).appraisals).toEqual([]);
    await post(hz, `${base}/appraisals/${id}/service`, { servedOn: '2026-04-22' });
    const re = {
      kind: 're_appraisal',
      appliedOn: '2026-04-30',
      applicantKind: 'employer',
      previousAppraisalId: id,
    };
    const byCity = await post(hz, `${base}/cases/${caseId}/appraisals`, re);
    expect([byCity.statusCode, problemOf(byCity).code]).toEqual([
      422,
      'appraisal.province_committee_only',
    ]);
    const byProvince = await post(province, `${base}/cases/${caseId}/appraisals`, re);
    expect(byProvince.statusCode, byProvince.body).toBe(201);
  });

  it('the pool: a city committee adds and deactivates its own experts, not the province’s', async () => {
    const added = await post(hz, `${base}/appraisal-experts`, {
      name: '李医生',
      specialty: 'neurology',
    });
    expect(added.statusCode, added.body).toBe(201);
    const { id } = added.json() as { id: string };
    const off = await post(hz, `${base}/appraisal-experts/${id}/deactivate`, {});
    expect((off.json() as { active: boolean }).active).toBe(false);
    const provincePool = await post(hz, '/api/v1/regions/330000/appraisal-experts', {
      name: 'x',
      specialty: 'neurology',
    });
    expect(provincePool.statusCode).toBe(404);
  });
});
