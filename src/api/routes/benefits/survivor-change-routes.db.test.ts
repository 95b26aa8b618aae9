import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { insertSurvivorFamily } from '../../../usecases/benefits/testing.ts';
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
 * Survivors' changes over HTTP on the demo database: a fresh family of 杭州 per attempt whose
 * pensions start in 2030 (after every demo run, so the plan has no month and nothing moves). The
 * supervisor may not propose, 宁波 gets 404, a malformed body 400 naming every field, a remarriage
 * of a child 422; the spouse's remarriage proposed, approved by another person (the maker 403),
 * applied once (the children 180 000 each from 2030-02), read back; the case's list shows it
 * pending, then approved, then applied (the case page's 执行 button follows it).
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;

const post = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'POST', url: u, headers: withSession(s), payload });
const get = (s: Session, u: string) => h.app.inject({ url: u, headers: withSession(s) });

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
});
afterAll(async () => h.close());

describe(`survivor change routes on ${testBackend}`, () => {
  it('refusals, propose, approval by another person, apply once, read', async () => {
    const fam = await insertSurvivorFamily(
      h.t.db,
      h.app.deps.rules.benefits,
      registryExamples.employerId('330100'),
      '2030-01',
      '2015-04-04',
    );
    const url = (region: string, dependant: string) =>
      `/api/v1/regions/${region}/dependants/${dependant}/survivor-changes`;
    const [spouse = '', child = ''] = fam.ids;
    const body = { kind: 'remarried', eventOn: '2025-11-03', reason: '再婚', evidence: '结婚证' };
    expect((await post(hzChecker, url('330100', spouse), body)).statusCode).toBe(403);
    expect((await post(nb, url('330200', spouse), body)).statusCode).toBe(404);
    const bad = problemOf(await post(hz, url('330100', spouse), { kind: 'left', eventOn: 'x' }));
    expect(bad.status).toBe(400);
    expect([...new Set(bad.errors?.map((e) => e.path))].sort()).toEqual([
      'eventOn',
      'evidence',
      'kind',
      'reason',
    ]);
    const child422 = problemOf(await post(hz, url('330100', child), body));
    expect([child422.status, child422.code]).toEqual([422, 'benefit.survivor_event_not_allowed']);

    const proposed = await post(hz, url('330100', spouse), body);
    expect(proposed.statusCode).toBe(200);
    const change = proposed.json();
    expect(change.plan.months).toEqual([]);
    expect(change.plan.started.map((s: { amountFen: number }) => s.amountFen)).toEqual([
      180_000, 180_000,
    ]);
    const one = `/api/v1/regions/330100/survivor-changes/${change.id}`;
    const list = `/api/v1/regions/330100/cases/${fam.caseId}/survivor-changes`;
    const listed = async () => {
      const out = (await get(hz, list)).json().changes;
      return out.map((c: { id: string; status: string; approvalStatus: string }) => [
        c.id,
        c.status,
        c.approvalStatus,
      ]);
    };
    expect(await listed()).toEqual([[change.id, 'proposed', 'pending']]);
    expect((await get(nb, list.replace('330100', '330200'))).json()).toEqual({ changes: [] });
    expect((await post(hz, `${one}/approval`, { decision: 'approved' })).statusCode).toBe(403);
    expect((await post(hzChecker, `${one}/approval`, { decision: 'approved' })).statusCode).toBe(
      200,
    );
    expect(await listed()).toEqual([[change.id, 'proposed', 'approved']]);
    const applied = await post(hz, `${one}/apply`, {});
    expect(applied.statusCode).toBe(200);
    expect(applied.json().replayed).toBe(false);
    expect((await post(hz, `${one}/apply`, {})).json().replayed).toBe(true);
    expect((await get(hz, one)).json().status).toBe('applied');
    expect(await listed()).toEqual([[change.id, 'applied', 'consumed']]);
    expect((await get(nb, one.replace('330100', '330200'))).statusCode).toBe(404);
    expect(
      problemOf(await get(hz, '/api/v1/regions/330100/survivor-changes/bsc_00000000000000000000'))
        .status,
    ).toBe(404);
    const again = problemOf(await post(hz, url('330100', spouse), body));
    expect(again.code).toBe('benefit.dependant_not_found');
  });
});
