import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { systemActor } from '../../../identity/actor.ts';
import { decide } from '../../../identity/policy.ts';
import { authenticateApiToken, createApiToken } from '../../../usecases/identity/api-tokens.ts';
import { actorOf } from '../../../usecases/identity/sessions.ts';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

let h: TestApp;
let hz: Session;
let nb: Session;
let province: Session;
let supervisor: Session;
beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  nb = await loginAs(h.app, 'nb.handler');
  province = await loginAs(h.app, 'province.fund');
  supervisor = await loginAs(h.app, 'province.supervisor');
});
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });
const upload = (s: Session, url: string, body: Uint8Array | string, type = 'text/csv') =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { ...withSession(s), 'content-type': type },
    payload: Buffer.from(body),
  });

const detailsOf = (res: { json: () => unknown }) =>
  (res.json() as { details?: Record<string, unknown> }).details;

const HZ = '/api/v1/settlement/regions/330100/institutions';

describe(`settlement institution routes on ${testBackend}`, () => {
  it('a city handler creates and signs; another city’s handler gets 404; province and supervisor read', async () => {
    const res = await post(hz, HZ, {
      name: '杭州路由测试医院',
      kind: 'hospital',
      level: 'secondary',
      creditCode: demoCreditCode('330100', 301),
      createdOn: '2026-01-01',
    });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { id: string }).id;
    expect(id).toMatch(/^INST-330100-\d{4}$/);
    const signed = await post(hz, `${HZ}/${id}/agreements`, {
      scopes: ['outpatient', 'inpatient'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    });
    expect(signed.statusCode).toBe(201);
    const overlap = await post(hz, `${HZ}/${id}/agreements`, {
      scopes: ['device'],
      validFrom: '2026-06-01',
      validTo: '2027-05-31',
    });
    expect(overlap.statusCode).toBe(409);
    expect(problemOf(overlap).code).toBe('settlement.agreement_overlaps');
    const viaOther = await get(nb, `/api/v1/settlement/regions/330200/institutions/${id}`);
    expect(viaOther.statusCode).toBe(404);
    expect(problemOf(viaOther).code).toBe('settlement.institution_not_found');
    const policy = await get(nb, `${HZ}/${id}`);
    expect(policy.statusCode).toBe(404);
    expect(detailsOf(policy)).toEqual({ policy: 'out_of_scope' });
    for (const s of [province, supervisor]) {
      const page = await get(s, `/api/v1/settlement/regions/330000/institutions/${id}`);
      expect(page.statusCode).toBe(200);
      expect((page.json() as { agreements: unknown[] }).agreements).toHaveLength(1);
    }
    const write = await post(province, `/api/v1/settlement/regions/330000/institutions`, {
      name: 'x',
      kind: 'device',
      level: 'none',
      createdOn: '2026-01-01',
    });
    expect(write.statusCode).toBe(403);
  });

  it('bad input is a 400 with every problem at once, and nothing is created', async () => {
    const before = await get(province, '/api/v1/settlement/regions/330000/institutions?limit=200');
    const res = await post(hz, HZ, {
      name: '',
      kind: 'clinic',
      level: 'top',
      createdOn: '2026-02-30',
    });
    expect(res.statusCode).toBe(400);
    const paths = (problemOf(res).errors ?? []).map((e) => e.path).sort();
    expect(paths).toEqual(['createdOn', 'kind', 'level', 'name']);
    const after = await get(province, '/api/v1/settlement/regions/330000/institutions?limit=200');
    expect(after.json()).toEqual(before.json());
  });
});

describe(`settlement catalogue routes on ${testBackend}`, () => {
  it('imports a CSV, refuses a bad one with a downloadable xlsx report, and browses', async () => {
    const header = 'code,kind,name,drug_class,unit,price_cap,quantity_limit,valid_from,valid_to\n';
    const ok = await upload(
      hz,
      '/api/v1/settlement/catalogue/imports?fileName=a.csv',
      `${header}RT-001,service,路由测试项目,,次,18.00,,2026-01-01,\n`,
    );
    expect(ok.statusCode).toBe(201);
    const again = await upload(
      hz,
      '/api/v1/settlement/catalogue/imports?fileName=a.csv',
      `${header}RT-001,service,路由测试项目,,次,18.00,,2026-01-01,\n`,
    );
    expect(again.statusCode).toBe(200);
    const bad = await upload(
      hz,
      '/api/v1/settlement/catalogue/imports?fileName=b.csv',
      `${header}RT-002,drug,没有甲乙,,盒,1,,2026-01-01,\n`,
    );
    expect(bad.statusCode).toBe(422);
    const importId = String(detailsOf(bad)?.['importId']);
    const xlsx = await get(
      supervisor,
      `/api/v1/settlement/catalogue/imports/${importId}/report.xlsx`,
    );
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    expect(wb.worksheets[0]?.getRow(2).getCell(3).text).toBe('drug_class_invalid');
    const items = await get(
      province,
      '/api/v1/settlement/catalogue/items?prefix=RT-&date=2026-03-01',
    );
    expect((items.json() as { items: { code: string; priceCapFen: number }[] }).items).toEqual([
      expect.objectContaining({ code: 'RT-001', priceCapFen: 1800 }),
    ]);
    const json = await h.app.inject({
      method: 'POST',
      url: '/api/v1/settlement/catalogue/imports?fileName=c.csv',
      headers: withSession(hz),
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
  });
});

describe(`an institution's credentials on ${testBackend}`, () => {
  it('its token cannot call staff routes (403); its scope never reaches another institution (404)', async () => {
    const created = await createApiToken(
      h.t.db,
      systemActor('t'),
      {
        username: 'demo.institution',
        name: 'HIS',
        permissions: ['bill:read', 'bill:submit'],
        expiresInDays: 30,
      },
      { maxDays: 365 },
    );
    if (!created.ok) throw new Error(created.message);
    const bearer = { authorization: `Bearer ${created.value.token}` };
    for (const url of [`${HZ}`, `${HZ}/INST-330100-0001`, '/api/v1/settlement/catalogue/items']) {
      const res = await h.app.inject({ url, headers: bearer });
      expect(res.statusCode, url).toBe(403);
      expect(problemOf(res).code).toBe('auth.forbidden');
    }
    const user = await authenticateApiToken(h.t.db, created.value.token);
    if (!user) throw new Error('token did not authenticate');
    const actor = actorOf(user, 'req-t');
    expect([actor.scopeKind, actor.scopeCode]).toEqual(['institution', 'INST-330100-0001']);
    expect(decide(actor, 'bill:read', { institutionId: 'INST-330100-0001' })).toBe('allow');
    expect(decide(actor, 'bill:read', { institutionId: 'INST-330100-0002' })).toBe('not_found');
    expect(decide(actor, 'bill:read', { regionCode: '330100' })).toBe('not_found');
  });
});

describe(`the guarantee release routes on ${testBackend}`, () => {
  const RELEASES = '/api/v1/settlement/institutions/INST-330100-0001/guarantee-releases';

  it('refuses a year not ended, a year with nothing held, bad input and another city; writes nothing', async () => {
    const open = await post(hz, `${RELEASES}/2026/proposal`, { on: '2026-12-07' });
    expect(open.statusCode).toBe(409);
    expect(problemOf(open).code).toBe('settlement.guarantee_year_open');
    expect(detailsOf(open)).toEqual({ releaseDay: '2026-12-31' });
    const empty = await post(hz, `${RELEASES}/2024/proposal`, { on: '2025-01-02' });
    expect(empty.statusCode).toBe(409);
    expect(problemOf(empty).code).toBe('settlement.guarantee_nothing_to_release');
    const bad = await post(hz, `${RELEASES}/20x4/proposal`, { on: 'tomorrow' });
    expect(bad.statusCode).toBe(400);
    const foreign = await get(nb, `${RELEASES}/2024`);
    expect(foreign.statusCode).toBe(404);
    expect(problemOf(foreign).code).toBe('settlement.institution_not_found');
    const notProposed = await post(supervisor, `${RELEASES}/2024/approval`, {});
    expect(problemOf(notProposed).code).toBe('settlement.guarantee_not_proposed');
    const list = await get(hz, RELEASES);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ institutionId: 'INST-330100-0001', releases: [] });
  });

  it('shows a year as computed now, to the city managing the institution', async () => {
    const shown = await get(hz, `${RELEASES}/2024`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      year: 2024,
      releaseDay: '2024-12-31',
      unpaidMonths: [],
      release: { segments: [], totals: { releaseFen: 0 } },
      stored: null,
    });
  });
});
