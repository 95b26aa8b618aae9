import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../identity/actor.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
  institutionToken,
} from '../../../usecases/settlement/testing.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

let h: TestApp;
let token: string;
let otherToken: string;
let caseId: string;
let idNumber: string;

async function post(code: string, payload: Record<string, unknown>, bearer = token) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/settlement/his/${code}`,
    headers: { authorization: `Bearer ${bearer}` },
    payload,
  });
}

async function signIn(bearer: string, serial: string): Promise<string> {
  const res = await post('9001', { version: 1, serial, body: { operator: '收费员01' } }, bearer);
  expect(res.statusCode).toBe(200);
  return String(res.json().body.signInId);
}

beforeAll(async () => {
  h = await startTestApp();
  const db = h.t.db;
  const hospital = await insertInstitution(db);
  const other = await insertInstitution(db);
  for (const inst of [hospital, other]) {
    await insertAgreement(db, { institutionId: inst.id, scopes: ['inpatient'] });
    await insertCodeMaps(db, inst.id, [{ ownCode: 'H-DRUG', catalogueCode: 'RT-D001' }]);
  }
  await insertCatalogueRows(db, [{ code: 'RT-D001', kind: 'drug', priceCapFen: 1000 }]);
  const employer = await db.query(
    "SELECT id FROM employers WHERE region_code = '330100' ORDER BY id LIMIT 1",
  );
  const c = await insertAcceptedCase(db, {
    employerId: String(employer.rows[0]?.['id']),
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
  caseId = c.caseId;
  idNumber = c.idNumber;
  token = await institutionToken(db, systemActor('test'), hospital.username);
  otherToken = await institutionToken(db, systemActor('test'), other.username);
}, 120_000);
afterAll(() => h.close());

describe('the transaction set over HTTP', () => {
  it('identifies with a masked answer, opens, uploads and pre-settles; replays and conflicts by serial', async () => {
    const signInId = await signIn(token, 'R-9001-1');
    const who = await post('1101', {
      version: 1,
      serial: 'R-1101-1',
      signInId,
      body: { idNumber },
    });
    expect(who.statusCode).toBe(200);
    expect(who.body).not.toContain(idNumber);
    const openBody = {
      caseId,
      hisVisitNo: 'ZY-R1',
      kind: 'inpatient',
      openedOn: '2026-01-06',
      diagnosisCode: 'S82.2',
    };
    const opened = await post('2201', { version: 1, serial: 'R-2201-1', signInId, body: openBody });
    expect(opened.statusCode).toBe(200);
    const visitId = String(opened.json().body.visitId);
    const line = {
      lineNo: 1,
      ownCode: 'H-DRUG',
      name: '药',
      servedOn: '2026-01-07',
      quantityMilli: 2000,
      unitPriceFen: 800,
      amountFen: 1600,
    };
    const up = await post('2204', {
      version: 1,
      serial: 'R-2204-1',
      signInId,
      body: { visitId, lines: [line] },
    });
    expect(up.statusCode).toBe(200);
    const trial = {
      version: 1,
      serial: 'R-2206-1',
      signInId,
      body: { visitId, lineCount: 1, claimedFen: 1600 },
    };
    const first = await post('2206', trial);
    expect(first.json()).toMatchObject({ replayed: false, body: { totals: { fundFen: 1600 } } });
    const again = await post('2206', trial);
    expect(again.json()).toMatchObject({ replayed: true, body: first.json().body });
    const conflict = await post('2206', { ...trial, body: { ...trial.body, claimedFen: 1 } });
    expect(conflict.statusCode).toBe(409);
    expect(problemOf(conflict).code).toBe('settlement.serial_conflict');
    const status = await h.app.inject({
      method: 'GET',
      url: '/api/v1/settlement/his/messages/2206/R-2206-1',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.json()).toMatchObject({ status: 'done', answer: first.json().body });

    const otherSignIn = await signIn(otherToken, 'O-9001-1');
    const peek = await h.app.inject({
      method: 'GET',
      url: `/api/v1/settlement/his/visits/${visitId}`,
      headers: { authorization: `Bearer ${otherToken}` },
    });
    expect(peek.statusCode).toBe(404);
    const touch = await post(
      '2202',
      { version: 1, serial: 'O-2202-1', signInId: otherSignIn, body: { visitId } },
      otherToken,
    );
    expect(touch.statusCode).toBe(404);
    expect(problemOf(touch).code).toBe('settlement.visit_not_found');
  });

  it('refuses a body field naming the institution (the scope is the token)', async () => {
    const res = await post('9001', {
      version: 1,
      serial: 'R-9001-X',
      body: { operator: 'x', institutionId: 'INST-330100-0001' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('1101 by the electronic card code over HTTP', () => {
  it('the demo worker fetches its code; 1101 by that code names the same worker as by ID number', async () => {
    const worker = await loginAs(h.app, 'demo.worker');
    const issued = await h.app.inject({
      method: 'POST',
      url: '/api/v1/my/ecard-code',
      headers: withSession(worker),
      payload: {},
    });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { code, workerId } = issued.json();
    const signInId = await signIn(token, 'R-9001-EC');
    const byCode = await post('1101', {
      version: 1,
      serial: 'R-1101-EC1',
      signInId,
      body: { ecardCode: code },
    });
    expect(byCode.statusCode, byCode.body).toBe(200);
    expect(byCode.json().body.workerId).toBe(workerId);
    const row = await h.t.db.query('SELECT id_number FROM workers WHERE id = $1', [workerId]);
    const byId = await post('1101', {
      version: 1,
      serial: 'R-1101-EC2',
      signInId,
      body: { idNumber: String(row.rows[0]?.['id_number']) },
    });
    expect(byId.json().body).toEqual(byCode.json().body);
    const tampered = await post('1101', {
      version: 1,
      serial: 'R-1101-EC3',
      signInId,
      body: { ecardCode: `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}` },
    });
    expect(tampered.statusCode).toBe(422);
    expect(problemOf(tampered).code).toBe('settlement.ecard_invalid');
  });

  it('refuses a body with both or neither of idNumber and ecardCode as invalid input', async () => {
    const signInId = await signIn(token, 'R-9001-EC2');
    for (const [n, body] of [{ idNumber, ecardCode: 'abc.def' }, {}].entries()) {
      const res = await post('1101', { version: 1, serial: `R-1101-ECB${n}`, signInId, body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.body).toContain('exactly one of idNumber');
      expect(res.body).not.toContain(idNumber);
    }
  });
});

describe('referrals over HTTP', () => {
  it('2301 replays and conflicts by serial; the city approves (another city: 404); the travel claim is paid by the cap', async () => {
    const run = randomBytes(3).toString('hex');
    const signInId = await signIn(token, `RF-9001-${run}`);
    const his = (code: string, serial: string, body: unknown) =>
      post(code, { version: 1, serial: `${serial}-${run}`, signInId, body });
    expect((await his('1101', 'RF-ID', { idNumber })).statusCode).toBe(200);
    const hz = await loginAs(h.app, 'hz.handler');
    const nb = await loginAs(h.app, 'nb.handler');
    const body = {
      caseId,
      toRegionCode: '310000',
      toInstitution: '上海市第六人民医院',
      kind: 'treatment',
      reason: '断肢再植，本地无条件',
      referredOn: '2026-03-01',
      doctor: { name: '张医生', licence: '110330100000001' },
    };
    const filed = await his('2301', 'RF1', body);
    expect(filed.statusCode).toBe(200);
    const referralId = String(filed.json().body.referralId);
    expect((await his('2301', 'RF1', body)).json().replayed).toBe(true);
    const clash = await his('2301', 'RF1', { ...body, reason: '另一理由' });
    expect([clash.statusCode, problemOf(clash).code]).toEqual([409, 'settlement.serial_conflict']);
    const url = `/api/v1/regions/330100/settlement/referrals/${referralId}`;
    const claim = () =>
      h.app.inject({
        method: 'POST',
        url: `${url}/travel-claims`,
        headers: withSession(hz),
        payload: {
          claimKey: `T${run}`,
          trips: [
            {
              departOn: '2026-03-02',
              returnOn: '2026-03-05',
              faresFen: 35_000,
              fareReceipts: 2,
              nights: 3,
              lodgingPaidFen: 150_000,
            },
          ],
        },
      });
    const early = await claim();
    expect([early.statusCode, problemOf(early).code]).toEqual([
      409,
      'settlement.referral_not_approved',
    ]);
    const decide = (s: Session, regionCode: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/regions/${regionCode}/settlement/referrals/${referralId}/decision`,
        headers: withSession(s),
        payload: { decision: 'approved' },
      });
    expect((await decide(nb, '330100')).statusCode).toBe(404);
    expect((await decide(nb, '330200')).statusCode).toBe(404);
    const ok = await decide(hz, '330100');
    expect([ok.statusCode, ok.json().referral.status]).toEqual([200, 'approved']);
    const paid = await claim();
    expect([paid.statusCode, paid.json().payableFen, paid.json().lodgingAllowedFen]).toEqual([
      200, 227_000, 120_000,
    ]);
    const listed = await his('2302', 'RQ1', { caseId });
    expect(listed.json().body.referrals[0]).toMatchObject({ referralId, status: 'approved' });
  });
});
