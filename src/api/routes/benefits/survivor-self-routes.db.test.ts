import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import {
  insertCase,
  insertSurvivorCase,
  insertWorker,
} from '../../../usecases/benefits/testing.ts';
import { demoSurvivorIdNumber } from '../../../usecases/seed/seed-benefits-demo.ts';
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
 * The survivor's routes on both backends, with the demo survivor's log-in (demo.survivor, tied by
 * the ID number of her person row): a death case of 杭州 recording her and a co-survivor, each with
 * a pension on the case's approved decision, and the decision's letter. She reads her pension only
 * and downloads the letter; another case's letter, or hers under another case, is 404; an
 * employer's log-in is refused with its code (422: it holds self:read but is no person), a staff
 * role without self:read is 403.
 */
let h: TestApp;
let survivor: Session;
let employer: Session;
let handler: Session;
const ids = { caseId: '', otherCase: '', letterId: '' };
const HZ = '330100';
const HERS_FEN = 280_000;
const CO_SURVIVOR_FEN = 210_123;

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });

beforeAll(async () => {
  h = await startTestApp();
  survivor = await loginAs(h.app, 'demo.survivor');
  employer = await loginAs(h.app, 'demo.employer');
  handler = await loginAs(h.app, 'hz.handler');
  const employerId = registryExamples.employerId(HZ);
  const mine = await insertSurvivorCase(h.t.db, {
    employerId,
    survivorIdNumber: demoSurvivorIdNumber(),
    survivorFen: HERS_FEN,
    coSurvivorFen: CO_SURVIVOR_FEN,
  });
  ids.caseId = mine.caseId;
  ids.letterId = mine.letterId;
  ids.otherCase = await insertCase(h.t.db, {
    workerId: await insertWorker(h.t.db, '1970-01-01'),
    employerId,
    accidentDate: '2025-01-07',
    outcome: 'recognised',
  });
}, 120_000);
afterAll(() => h.close());

describe(`the survivor's routes on ${testBackend}`, () => {
  it('GET /my/survivor-benefits: her pension on the case, not her co-survivor’s', async () => {
    const res = await get(survivor, '/api/v1/my/survivor-benefits');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const mine = body.cases.find((c: { caseId: string }) => c.caseId === ids.caseId);
    expect(mine.relation).toBe('spouse');
    expect(mine.entitlements.map((e: { amountFen: number }) => e.amountFen)).toEqual([HERS_FEN]);
    expect(mine.letters.map((l: { id: string }) => l.id)).toEqual([ids.letterId]);
    expect(res.body).not.toContain(String(CO_SURVIVOR_FEN));
    expect(res.body).not.toContain(demoSurvivorIdNumber());
  });

  it('serves her letter as issued; 404 for it under another case and for an unknown letter', async () => {
    const ok = await get(
      survivor,
      `/api/v1/my/survivor-benefits/${ids.caseId}/letters/${ids.letterId}`,
    );
    expect([ok.statusCode, ok.headers['content-type']]).toEqual([200, 'application/pdf']);
    const elsewhere = await get(
      survivor,
      `/api/v1/my/survivor-benefits/${ids.otherCase}/letters/${ids.letterId}`,
    );
    const unknown = await get(
      survivor,
      `/api/v1/my/survivor-benefits/${ids.caseId}/letters/ltr_${HZ}_${'0'.repeat(16)}`,
    );
    expect([elsewhere.statusCode, problemOf(elsewhere).code]).toEqual([404, 'case.not_found']);
    expect([unknown.statusCode, problemOf(unknown).code]).toEqual([404, 'case.not_found']);
  });

  it('refuses an employer’s log-in with its code, and a staff role without self:read', async () => {
    const byEmployer = await get(employer, '/api/v1/my/survivor-benefits');
    expect([byEmployer.statusCode, problemOf(byEmployer).code]).toEqual([
      422,
      'benefit.survivor_view_self_only',
    ]);
    const letterByEmployer = await get(
      employer,
      `/api/v1/my/survivor-benefits/${ids.caseId}/letters/${ids.letterId}`,
    );
    expect(letterByEmployer.statusCode).toBe(404);
    const byHandler = await get(handler, '/api/v1/my/survivor-benefits');
    expect([byHandler.statusCode, problemOf(byHandler).code]).toEqual([403, 'auth.forbidden']);
  });

  it('the demo worker, no survivor, sees no case; the deceased’s case is not his either', async () => {
    const worker = await loginAs(h.app, 'demo.worker');
    const res = await get(worker, '/api/v1/my/survivor-benefits');
    expect([res.statusCode, res.json().cases]).toEqual([200, []]);
    const letter = await get(
      worker,
      `/api/v1/my/survivor-benefits/${ids.caseId}/letters/${ids.letterId}`,
    );
    expect(letter.statusCode).toBe(404);
  });
});
