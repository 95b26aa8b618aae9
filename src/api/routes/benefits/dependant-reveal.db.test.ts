import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { holdsIdNumber } from '../../../identity/masking.ts';
import { insertCase, insertWorker } from '../../../usecases/benefits/testing.ts';
import { demoIdNumber } from '../../../usecases/seed/demo-ids.ts';
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
 * The audited reveal of a dependant's (供养亲属) ID number on the demo database: the death facts
 * show it masked to every reader, the determination officer of 杭州 (pii:reveal) gets the full
 * number with a reason, and each reveal is one pii.reveal audit event without the number; the
 * handler and the supervisor (no pii:reveal) are refused 403 and audited as denied, 宁波's officer
 * gets 404 (out of scope); no log line carries the full number.
 */
let h: TestApp;
let handler: Session;
let supervisor: Session;
let officer: Session;
let nbOfficer: Session;
const logLines: string[] = [];
let caseId = '';
let dependantId = '';
// A fresh number per run: the reveal's audit search below must not find an earlier run's event.
const spouseId = demoIdNumber('330102', '1981-02-03', 100 + Math.floor(Math.random() * 800));

const factsUrl = () => `/api/v1/regions/330100/cases/${caseId}/death-facts`;
const revealUrl = (region: string, dependant: string) =>
  `/api/v1/regions/${region}/cases/${caseId}/dependants/${dependant}/reveal`;
const reveal = (s: Session, url: string, reason = '供养亲属抚恤金核对身份') =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload: { reason } });

async function auditOf(object: string) {
  const r = await h.t.db.query(
    `SELECT actor, action, result, details FROM audit_events WHERE object = $1 ORDER BY seq`,
    [object],
  );
  return r.rows;
}

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  h = await startTestApp({ logStream });
  handler = await loginAs(h.app, 'hz.handler');
  supervisor = await loginAs(h.app, 'hz.supervisor');
  officer = await loginAs(h.app, 'hz.determination');
  nbOfficer = await loginAs(h.app, 'nb.determination');
  const workerId = await insertWorker(h.t.db, '1978-03-03');
  caseId = await insertCase(h.t.db, {
    workerId,
    employerId: registryExamples.employerId('330100'),
    accidentDate: '2025-03-10',
    outcome: 'recognised',
  });
  const recorded = await h.app.inject({
    method: 'PUT',
    url: factsUrl(),
    headers: withSession(handler),
    payload: {
      diedOn: '2025-07-10',
      circumstance: 'injury',
      dependants: [
        { name: '王丽', relation: 'spouse', idNumber: spouseId, birthDate: '1981-02-03' },
      ],
    },
  });
  expect(recorded.statusCode, recorded.body).toBe(200);
  dependantId = (recorded.json() as { dependants: { id: string }[] }).dependants[0]?.id ?? '';
});
afterAll(async () => h.close());

describe(`dependant reveal on ${testBackend}`, () => {
  it('the death facts stay masked for every reader, holders of pii:reveal too', async () => {
    for (const s of [handler, supervisor, officer]) {
      const shown = await h.app.inject({ url: factsUrl(), headers: withSession(s) });
      expect(shown.statusCode).toBe(200);
      expect(holdsIdNumber(shown.body)).toBe(false);
      expect(shown.json()).toMatchObject({
        dependants: [{ id: dependantId, idNumberMasked: `330102********${spouseId.slice(14)}` }],
      });
    }
  });

  it('refuses without pii:reveal (403, audited denied) and another city (404); the number is not answered', async () => {
    for (const s of [handler, supervisor]) {
      const r = await reveal(s, revealUrl('330100', dependantId));
      expect([r.statusCode, problemOf(r).code]).toEqual([403, 'auth.forbidden']);
      expect(holdsIdNumber(r.body)).toBe(false);
    }
    const denied = await h.t.db.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'pii.reveal' AND result = 'denied'
          AND actor IN ('hz.handler', 'hz.supervisor') AND object LIKE $1`,
      [`%${dependantId}%`],
    );
    expect(denied.rows[0]?.['n']).toBeGreaterThanOrEqual(2);
    const outside = await reveal(nbOfficer, revealUrl('330100', dependantId));
    expect(outside.statusCode).toBe(404);
    expect(holdsIdNumber(outside.body)).toBe(false);
  });

  it('answers the full number to the officer, audited with the reason and without the number', async () => {
    const object = `case/330100/${caseId}/dependant/${dependantId}`;
    const before = (await auditOf(object)).length;
    const r = await reveal(officer, revealUrl('330100', dependantId));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ idNumber: spouseId });
    const events = (await auditOf(object)).slice(before);
    expect(events).toEqual([
      {
        actor: 'hz.determination',
        action: 'pii.reveal',
        result: 'ok',
        details: expect.objectContaining({ reason: '供养亲属抚恤金核对身份', field: 'id_number' }),
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(spouseId);
    // A number typed into the reason is masked in the audit trail as well.
    await reveal(officer, revealUrl('330100', dependantId), `核对 ${spouseId}`);
    expect(JSON.stringify(await auditOf(object))).not.toContain(spouseId);
  });

  it('an unknown dependant of the case is 404 and audited as refused', async () => {
    const unknown = 'dep_330100_0000000000000000';
    const r = await reveal(officer, revealUrl('330100', unknown));
    expect([r.statusCode, problemOf(r).code]).toEqual([404, 'record.not_found']);
    const events = await auditOf(`case/330100/${caseId}/dependant/${unknown}`);
    expect(events.map((e) => [e['action'], e['result']])).toEqual([['pii.reveal', 'refused']]);
  });

  it('no log line carries the full number (nor any other)', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.includes(spouseId) || holdsIdNumber(l))).toEqual([]);
  });
});
