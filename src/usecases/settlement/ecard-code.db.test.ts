import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ } from '../contributions/testing.ts';
import { ecardKey, issueEcardCode } from './ecard-code.ts';
import type { MessageAnswer } from './his-messages.ts';
import { identifyPatient, signIn } from './his-session.ts';
import { openVisit } from './his-visits.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertInstitution,
  setUpSettlement,
  type TestInstitution,
} from './testing.ts';

const RULES = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpSettlement>>;
let hospital: TestInstitution;
let signInId: string;
let serialSeq = 0;
let personSeq = 0;

const env = () => {
  serialSeq += 1;
  return { version: 1 as const, serial: `EC${serialSeq}`, signInId };
};

function answer(r: { ok: boolean; value?: MessageAnswer; code?: string }): MessageAnswer {
  if (!r.ok || r.value === undefined) throw new Error(`refused: ${r.code}`);
  return r.value;
}

function workerActor(personId: string): Actor {
  return {
    userId: `usr_${personId}`,
    username: `worker-${personId}`,
    role: 'worker',
    scopeKind: 'self',
    scopeCode: personId,
    permissions: rolePermissions.worker,
    requestId: `req-${personId}`,
  };
}

/** A worker with an accepted case, and the log-in of its person (matched by ID number). */
async function insuredWorker() {
  const c = await insertAcceptedCase(t.db, {
    employerId: f.employer.id,
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
  personSeq += 1;
  const personId = `per_${HZ}_${String(8000 + personSeq)}`;
  await t.db.query(
    `INSERT INTO persons (region_code, id, id_number, name) VALUES ($1, $2, $3, '测试职工')`,
    [HZ, personId, c.idNumber],
  );
  return { ...c, actor: workerActor(personId) };
}

async function issued(actor: Actor, nowMs?: number) {
  const out = await issueEcardCode(t.db, RULES, actor, nowMs === undefined ? {} : { nowMs });
  if (!out.ok) throw new Error(`refused: ${out.code}`);
  return out.value;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpSettlement(t.db, RULES);
  hospital = await insertInstitution(t.db);
  await insertAgreement(t.db, { institutionId: hospital.id, scopes: ['outpatient', 'inpatient'] });
  const s = answer(
    await signIn(t.db, hospital.actor, { version: 1, serial: 'EC-SIGN' }, { operator: '收费员01' }),
  );
  signInId = String(s.body['signInId']);
}, 120_000);
afterAll(() => t.cleanup());

describe(`1101 by the electronic card code on ${testBackend}`, () => {
  it('a worker’s code identifies the worker at 1101 exactly as the ID number does; 2201 then opens', async () => {
    const w = await insuredWorker();
    const code = await issued(w.actor);
    expect(code.workerId).toBe(w.workerId);
    expect(code.validityMinutes).toBe(5);
    expect(Date.parse(code.expiresAt) - Date.parse(code.issuedAt)).toBe(5 * 60_000);
    const byCode = answer(
      await identifyPatient(t.db, hospital.actor, env(), { ecardCode: code.code }),
    );
    const byId = answer(
      await identifyPatient(t.db, hospital.actor, env(), { idNumber: w.idNumber }),
    );
    expect(byCode.body).toEqual(byId.body);
    expect(byCode.body['workerId']).toBe(w.workerId);
    expect(String(byCode.body['idNumber'])).not.toBe(w.idNumber);
    // 2201 asks for a done 1101 whose answer names the worker: the code's answer does.
    const opened = await openVisit(t.db, hospital.actor, env(), {
      caseId: w.caseId,
      hisVisitNo: `ZY-EC-${serialSeq}`,
      kind: 'outpatient',
      openedOn: '2026-01-06',
      diagnosisCode: 'S82.2',
    });
    expect(opened.ok).toBe(true);
  });

  it('audits the issue and the read without the code itself', async () => {
    const w = await insuredWorker();
    const code = await issued(w.actor);
    answer(await identifyPatient(t.db, hospital.actor, env(), { ecardCode: code.code }));
    const ev = await t.db.query(
      `SELECT action, details::text AS details FROM audit_events WHERE object = $1 ORDER BY seq`,
      [`worker/${w.workerId}`],
    );
    expect(ev.rows.map((r) => r['action'])).toEqual([
      'settlement.ecard.issue',
      'settlement.his.identify',
    ]);
    const signature = code.code.split('.')[1] ?? '';
    for (const r of ev.rows) expect(String(r['details'])).not.toContain(signature);
    expect(String(ev.rows[1]?.['details'])).toContain('ecard_code');
  });

  it('refuses a tampered code as settlement.ecard_invalid, writing nothing', async () => {
    const [a, b] = [await insuredWorker(), await insuredWorker()];
    const code = (await issued(a.actor)).code;
    const [payload = '', signature = ''] = code.split('.');
    // b's worker id in a's payload, a's signature kept: the forgery the signature is there for.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, workerId: b.workerId })).toString(
      'base64url',
    );
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    for (const bad of [
      `${forged}.${signature}`,
      `${payload}.${flipped}`,
      'not-a-code',
      `${code}.x`,
    ]) {
      const out = await identifyPatient(t.db, hospital.actor, env(), { ecardCode: bad });
      expect(out.ok ? 'answered' : out.code, bad).toBe('settlement.ecard_invalid');
    }
    const stored = await t.db.query(
      `SELECT count(*)::int AS n FROM settlement_messages WHERE response ->> 'workerId' = $1`,
      [b.workerId],
    );
    expect(stored.rows[0]?.['n']).toBe(0);
  });
});

describe(`the electronic card code's validity and issue on ${testBackend}`, () => {
  it('refuses a code past its validity as settlement.ecard_expired (issued six minutes ago)', async () => {
    const w = await insuredWorker();
    const old = await issued(w.actor, Date.now() - 6 * 60_000);
    const out = await identifyPatient(t.db, hospital.actor, env(), { ecardCode: old.code });
    expect(out.ok ? 'answered' : out.code).toBe('settlement.ecard_expired');
    const fresh = await issued(w.actor, Date.now() - 4 * 60_000);
    expect((await identifyPatient(t.db, hospital.actor, env(), { ecardCode: fresh.code })).ok).toBe(
      true,
    );
  });

  it('issues only for the log-in’s own worker: another worker gets its own, an employer none', async () => {
    const [a, b] = [await insuredWorker(), await insuredWorker()];
    const ofB = await issued(b.actor);
    expect(ofB.workerId).toBe(b.workerId);
    const who = answer(await identifyPatient(t.db, hospital.actor, env(), { ecardCode: ofB.code }));
    expect(who.body['workerId']).not.toBe(a.workerId);
    const employer: Actor = {
      ...workerActor('x'),
      role: 'employer',
      scopeKind: 'employer',
      scopeCode: f.employer.creditCode,
    };
    const refused = await issueEcardCode(t.db, RULES, employer);
    expect(refused.ok ? 'issued' : refused.code).toBe('settlement.ecard_not_worker');
    const stranger = await issueEcardCode(t.db, RULES, workerActor(`per_${HZ}_7999`));
    expect(stranger.ok ? 'issued' : stranger.code).toBe('settlement.person_not_found');
  });

  it('creates the signing key once, however many first uses race', async () => {
    const keys = await Promise.all([1, 2, 3].map(() => t.db.transaction((tx) => ecardKey(tx))));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
    expect(keys[0]?.length).toBe(32);
    const rows = await t.db.query('SELECT count(*)::int AS n FROM settlement_ecard_keys');
    expect(rows.rows[0]?.['n']).toBe(1);
  });
});
