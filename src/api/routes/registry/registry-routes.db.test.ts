import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { demoCreditCode, demoIdNumber } from '../../../usecases/seed/demo-ids.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';
import { registryExamples } from './registry-route-kit.ts';

type Employer = { id: string; regionCode: string; name: string; riskClass: number | null };
type Spell = {
  id: string;
  workerId: string;
  workerName: string;
  idNumberMasked: string;
  birthDate?: string;
};

let h: TestApp;
let hz: Session;
let nb: Session;
let province: Session;
let employer: Session;
beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  nb = await loginAs(h.app, 'nb.handler');
  province = await loginAs(h.app, 'province.fund');
  employer = await loginAs(h.app, 'demo.employer');
});
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

describe(`register routes on ${testBackend}`, () => {
  it('a city handler registers an employer; another city’s handler gets 404, the province sees it', async () => {
    const res = await post(hz, '/api/v1/regions/330100/employers', {
      creditCode: demoCreditCode('330100', 101),
      name: '杭州接口测试有限公司',
      address: '杭州市接口路1号',
      industry: { standard: 'GB/T 4754-2011', division: '06' },
      category: 'large',
      registeredOn: '2024-01-01',
    });
    expect(res.statusCode).toBe(201);
    const e = res.json() as Employer;
    // GB/T 4754-2011 division 06 煤炭开采和洗选业: class 8.
    expect(e.riskClass).toBe(8);
    const url = `/api/v1/regions/330100/employers/${e.id}`;
    expect((await get(hz, url)).statusCode).toBe(200);
    const other = await get(nb, url);
    expect(other.statusCode).toBe(404);
    expect(problemOf(other).code).toBe('record.not_found');
    const viaOwnCity = await get(nb, `/api/v1/regions/330200/employers/${e.id}`);
    expect(viaOwnCity.statusCode).toBe(404);
    expect((await get(province, `/api/v1/regions/330000/employers/${e.id}`)).statusCode).toBe(200);
    expect((await get(hz, `/api/v1/regions/330000/employers/${e.id}`)).statusCode).toBe(404);
    const search = await get(province, '/api/v1/regions/330000/employers?namePrefix=杭州接口');
    expect((search.json() as { employers: Employer[] }).employers.map((x) => x.id)).toEqual([e.id]);
  });
});

describe(`register routes on ${testBackend}`, () => {
  it('refusals carry their codes and statuses', async () => {
    const taken = await post(hz, '/api/v1/regions/330100/employers', {
      creditCode: demoCreditCode('330100', 1),
      name: '重复',
      address: '重复路',
      industry: { standard: 'GB/T 4754-2017', division: '34' },
      category: 'sme',
      registeredOn: '2024-01-01',
    });
    expect([taken.statusCode, problemOf(taken).code]).toEqual([409, 'employer.credit_code_taken']);
    const hire = `/api/v1/regions/330100/employers/${registryExamples.employerId('330100')}/spells`;
    const mismatch = await post(hz, hire, {
      idNumber: demoIdNumber('330102', '1991-01-01', 13),
      name: '性别不符',
      sex: 'female',
      startDate: '2025-01-01',
    });
    expect([mismatch.statusCode, problemOf(mismatch).code]).toEqual([422, 'worker.sex_mismatch']);
    const valid = demoIdNumber('330102', '1991-01-01', 13);
    const wrongCheck = `${valid.slice(0, 17)}${valid.endsWith('1') ? '2' : '1'}`;
    const bad = await post(hz, hire, {
      idNumber: wrongCheck,
      name: '错号',
      startDate: '2025-01-01',
    });
    expect([bad.statusCode, problemOf(bad).code]).toEqual([422, 'worker.invalid_id_number']);
  });
});

describe(`register routes on ${testBackend}`, () => {
  it('增员 and 减员 by the city, masked answers; the worker page by city and province', async () => {
    const employerId = registryExamples.employerId('330100');
    const idNumber = demoIdNumber('330102', '1992-02-02', 17);
    const res = await post(hz, `/api/v1/regions/330100/employers/${employerId}/spells`, {
      idNumber,
      name: '接口职工',
      startDate: '2025-03-01',
    });
    expect(res.statusCode).toBe(201);
    const spell = res.json() as Spell;
    expect(spell.idNumberMasked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    expect(spell.birthDate).toBeUndefined();
    const again = await post(hz, `/api/v1/regions/330100/employers/${employerId}/spells`, {
      idNumber,
      name: '接口职工',
      startDate: '2025-04-01',
    });
    expect([again.statusCode, problemOf(again).code]).toEqual([409, 'spell.overlaps']);
    const page = await get(hz, `/api/v1/regions/330100/employers/${employerId}?date=2025-03-01`);
    const roster = (page.json() as { roster: Spell[] }).roster;
    expect(roster.map((s) => s.id)).toContain(spell.id);
    const worker = await get(hz, `/api/v1/regions/330100/workers/${spell.workerId}`);
    expect(worker.statusCode).toBe(200);
    expect((await get(nb, `/api/v1/regions/330200/workers/${spell.workerId}`)).statusCode).toBe(
      404,
    );
    expect(
      (await get(province, `/api/v1/regions/330000/workers/${spell.workerId}`)).statusCode,
    ).toBe(200);
    const left = await post(hz, `/api/v1/regions/330100/spells/${spell.id}/leave`, {
      endDate: '2025-09-30',
    });
    expect(left.json()).toMatchObject({ endDate: '2025-09-30' });
    const otherCity = await post(nb, `/api/v1/regions/330100/spells/${spell.id}/leave`, {
      endDate: '2025-09-30',
    });
    expect(otherCity.statusCode).toBe(404);
  });
});

describe(`register routes on ${testBackend}`, () => {
  it('the employer role reads and changes only its own roster; staff have no own employer', async () => {
    const roster = await get(employer, '/api/v1/employer/roster?date=2025-01-01');
    expect(roster.statusCode).toBe(200);
    const body = roster.json() as { employerId: string; roster: Spell[] };
    expect(body.employerId).toBe(registryExamples.employerId('330100'));
    expect(body.roster.length).toBeGreaterThan(0);
    const hired = await post(employer, '/api/v1/employer/spells', {
      idNumber: demoIdNumber('330102', '1993-03-03', 19),
      name: '自助增员',
      startDate: '2025-05-01',
    });
    expect(hired.statusCode).toBe(201);
    // A spell of another employer (the second of 杭州) is not the employer's to end.
    const foreign = await post(
      employer,
      `/api/v1/employer/spells/${registryExamples.spellId('330100', 6)}/leave`,
      {
        endDate: '2025-06-30',
      },
    );
    expect(foreign.statusCode).toBe(404);
    const own = await post(
      employer,
      `/api/v1/employer/spells/${(hired.json() as Spell).id}/leave`,
      {
        endDate: '2025-06-30',
      },
    );
    expect(own.statusCode).toBe(200);
    expect((await get(hz, '/api/v1/employer/roster')).statusCode).toBe(404);
    expect((await get(employer, '/api/v1/regions/330100/employers')).statusCode).toBe(404);
  });
});

describe(`register routes on ${testBackend}`, () => {
  it('the home page counts come from the register; the OpenAPI document lists the routes', async () => {
    const regions = await get(province, '/api/v1/regions');
    const cities = (
      regions.json() as {
        cities: { code: string; insuredEmployers: number; insuredWorkers: number }[];
      }
    ).cities;
    const nbCity = cities.find((c) => c.code === '330200');
    // The seed: three employers per city, four workers each, plus the worker who moved from 杭州.
    expect(nbCity).toMatchObject({ insuredEmployers: 3, insuredWorkers: 13 });
    const doc = await h.app.inject({ url: '/api/v1/openapi.json' });
    const paths = Object.keys((doc.json() as { paths: Record<string, unknown> }).paths);
    for (const p of [
      '/api/v1/regions/{regionCode}/employers',
      '/api/v1/regions/{regionCode}/employers/{employerId}',
      '/api/v1/regions/{regionCode}/employers/{employerId}/status',
      '/api/v1/regions/{regionCode}/employers/{employerId}/floating-grade',
      '/api/v1/regions/{regionCode}/employers/{employerId}/spells',
      '/api/v1/regions/{regionCode}/spells/{spellId}/leave',
      '/api/v1/regions/{regionCode}/workers/{workerId}',
      '/api/v1/regions/{regionCode}/workers/search',
      '/api/v1/employer/roster',
      '/api/v1/employer/spells',
      '/api/v1/employer/spells/{spellId}/leave',
    ])
      expect(paths).toContain(p);
  });
});

describe(`worker search by ID number on ${testBackend}`, () => {
  it('answers holders of pii:reveal in their city, masked; 403 without it, 404 unknown', async () => {
    const officer = await loginAs(h.app, 'hz.determination');
    const idNumber = demoIdNumber('330106', '1991-07-15', 417);
    const hired = await post(
      hz,
      '/api/v1/regions/330100/employers/emp_330100_0000000000000002/spells',
      {
        idNumber,
        name: '检索职工',
        startDate: '2025-03-01',
      },
    );
    expect(hired.statusCode).toBe(201);
    const url = '/api/v1/regions/330100/workers/search';
    const found = await post(officer, url, { idNumber: idNumber.toLowerCase() });
    expect(found.statusCode).toBe(200);
    const body = found.json() as { name: string; idNumberMasked: string; spells: Spell[] };
    expect(body).toMatchObject({
      name: '检索职工',
      idNumberMasked: `330106********${idNumber.slice(14)}`,
    });
    expect(body.spells).toHaveLength(1);
    expect((await post(hz, url, { idNumber })).statusCode).toBe(403);
    const unknown = await post(officer, url, {
      idNumber: demoIdNumber('330106', '1949-12-31', 999),
    });
    expect(unknown.statusCode).toBe(404);
    expect((await post(officer, url, { idNumber: '123' })).statusCode).toBe(400);
  });
});
