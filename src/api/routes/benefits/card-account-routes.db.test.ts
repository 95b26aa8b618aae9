import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { earliestValidFrom } from '../../../domain/benefits/card-account.ts';
import { addDays, todayInChina } from '../../../kernel/dates.ts';
import {
  insertDependants,
  insertEntitlement,
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
 * The card-account routes end to end on the demo database: 杭州's handler records a worker's and a
 * dependant's account (dated today by default); the supervisor reads them masked but cannot
 * record; 宁波's handler is answered 404 both ways; a malformed body is 400 with every problem, a
 * date in an earlier month 422. No full account number reaches an answer to a reader without
 * pii:reveal, nor a log line.
 */
const logged: string[] = [];
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let workerId = '';
let dependantId = '';

const workerUrl = (region: string, worker: string) =>
  `/api/v1/regions/${region}/workers/${worker}/card-account`;
const dependantUrl = (region: string, dependant: string) =>
  `/api/v1/regions/${region}/dependants/${dependant}/card-account`;
const get = (s: Session, u: string) => h.app.inject({ url: u, headers: withSession(s) });
const put = (s: Session, u: string, payload: object) =>
  h.app.inject({ method: 'PUT', url: u, headers: withSession(s), payload });
const NUMBER = '6222020000004321';
const body = { bankName: '中国工商银行杭州分行', accountNumber: NUMBER, accountName: '工伤职工' };

beforeAll(async () => {
  h = await startTestApp({
    logStream: new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  });
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  const employerId = registryExamples.employerId('330100');
  workerId = await insertWorker(h.t.db, '1975-03-03');
  await insertEntitlement(h.t.db, {
    employerId,
    workerId,
    kind: 'disability_allowance',
    amountFen: 680_000,
    startsOn: '2025-01-01',
  });
  const d = await insertDependants(h.t.db, { workerId, employerId, names: ['王丽'] });
  dependantId = d.dependantIds[0] ?? '';
});
afterAll(async () => h.close());

describe(`card-account routes on ${testBackend}`, () => {
  it('refuses a malformed body (every problem), the supervisor, another city, an earlier month', async () => {
    const bad = await put(hz, workerUrl('330100', workerId), {
      bankName: '',
      accountNumber: '6222 0200',
      accountName: '工伤职工',
    });
    expect([bad.statusCode, problemOf(bad).code]).toEqual([400, 'input.invalid']);
    expect(
      problemOf(bad)
        .errors?.map((e) => e.path)
        .sort(),
    ).toEqual(['accountNumber', 'bankName']);
    expect((await put(hzChecker, workerUrl('330100', workerId), body)).statusCode).toBe(403);
    expect((await put(nb, workerUrl('330100', workerId), body)).statusCode).toBe(404);
    const foreign = await put(nb, workerUrl('330200', workerId), body);
    expect([foreign.statusCode, problemOf(foreign).code]).toEqual([
      404,
      'benefit.worker_not_found',
    ]);
    const foreignDependant = await get(nb, dependantUrl('330200', dependantId));
    expect([foreignDependant.statusCode, problemOf(foreignDependant).code]).toEqual([
      404,
      'benefit.dependant_not_found',
    ]);
    const early = addDays(earliestValidFrom(todayInChina()), -1);
    const late = await put(hz, workerUrl('330100', workerId), { ...body, validFrom: early });
    expect([late.statusCode, problemOf(late).code]).toEqual([
      422,
      'benefit.card_account_backdated',
    ]);
    const other = await put(hz, workerUrl('330100', workerId), { ...body, accountName: '张三' });
    expect([other.statusCode, problemOf(other).code]).toEqual([
      422,
      'benefit.card_account_name_mismatch',
    ]);
    const none = await get(hzChecker, workerUrl('330100', workerId));
    expect([none.statusCode, none.json().current, none.json().accounts]).toEqual([200, null, []]);
  });

  it('records the worker’s and the dependant’s accounts from today; readers see the last four digits', async () => {
    const set = await put(hz, workerUrl('330100', workerId), body);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      beneficiary: 'worker',
      workerId,
      current: { validFrom: todayInChina(), accountNumberMasked: '************4321' },
    });
    const dep = await put(hz, dependantUrl('330100', dependantId), {
      ...body,
      accountNumber: '6217000055556666',
      accountName: '王丽',
    });
    expect(dep.statusCode, dep.body).toBe(200);
    const shown = await get(hzChecker, dependantUrl('330100', dependantId));
    expect(shown.json()).toMatchObject({
      beneficiary: 'dependant',
      dependantId,
      workerId,
      name: '王丽',
      current: { accountName: '王丽', accountNumberMasked: '************6666' },
    });
    for (const r of [set, dep, shown]) {
      expect(r.body).not.toContain(NUMBER);
      expect(r.body).not.toContain('6217000055556666');
    }
    const all = logged.join('');
    expect(all).toContain('card-account');
    expect(all).not.toContain(NUMBER);
    expect(all).not.toContain('6217000055556666');
  });
});
