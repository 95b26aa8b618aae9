import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { declare } from '../../../usecases/contributions/testing.ts';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
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
 * The contributions routes end to end on the demo database: a 杭州 handler assesses a month and a
 * 杭州 supervisor approves; collections import, post and reconcile; 宁波's handler sees none of it;
 * the province reads it with the province code; the demo employer sees only its own.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let province: Session;
let employer: Session;
let month = '';
const demoEmployer = registryExamples.employerId('330100');
const otherEmployer = `emp_330100_${(2).toString(16).padStart(16, '0')}`;

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

/** Maker asks, checker approves, maker posts: the answer of the posting. */
async function approvedPost(url: string, body: object) {
  const asked = await post(hz, url, body);
  expect(asked.statusCode, asked.body).toBe(200);
  const approval = (asked.json() as { approval: { id: string } }).approval;
  const decided = await post(
    hzChecker,
    `/api/v1/regions/330100/approvals/${approval.id}/decision`,
    {
      decision: 'approved',
    },
  );
  expect(decided.statusCode, decided.body).toBe(200);
  return post(hz, url, { ...body, approvalId: approval.id });
}

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  province = await loginAs(h.app, 'province.fund');
  employer = await loginAs(h.app, 'demo.employer');
  // An open period of 杭州's ledger segment: the assessment posts on the month's last day.
  const open = await h.t.db.query(
    `SELECT to_char(p.month, 'YYYY-MM') AS m FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = '330100' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
  );
  month = String(open.rows[0]?.['m']);
  await declare(h.t.db, { employerId: demoEmployer, month, basesFen: [1_000_000, 500_000] });
  await declare(h.t.db, { employerId: otherEmployer, month, basesFen: [2_000_000] });
});
afterAll(async () => h.close());

describe(`contributions routes on ${testBackend}`, () => {
  it('assesses a city-month under maker-checker and scopes the reads', async () => {
    const url = '/api/v1/regions/330100/contributions/assessments';
    const posted = await approvedPost(url, { month });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json()).toMatchObject({ status: 'posted', payload: { employerCount: 2 } });
    const hzList = (await get(hz, `${url}?month=${month}`)).json() as { assessments: unknown[] };
    expect(hzList.assessments.length).toBe(2);
    const other = await get(nb, `${url}?month=${month}`);
    expect([other.statusCode, problemOf(other).code]).toEqual([404, 'record.not_found']);
    const nbOwn = (
      await get(nb, `/api/v1/regions/330200/contributions/assessments?month=${month}`)
    ).json();
    expect(nbOwn).toEqual({ assessments: [] });
    const all = (
      await get(province, `/api/v1/regions/330000/contributions/assessments?month=${month}`)
    ).json() as {
      assessments: unknown[];
    };
    expect(all.assessments.length).toBe(2);
    const own = (await get(employer, '/api/v1/employer/contributions/assessments')).json() as {
      assessments: { employerId: string }[];
    };
    expect(own.assessments.map((a) => a.employerId)).toEqual([demoEmployer]);
  });

  it('imports and posts collections, and the city reconciles with the ledger', async () => {
    const csv = `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nAPI-1,${demoCreditCode('330100', 1)},${month},10.00,${month}-20\n`;
    const imported = await post(hz, '/api/v1/regions/330100/contributions/collections/imports', {
      fileName: 'api.csv',
      contentBase64: Buffer.from(csv).toString('base64'),
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const { importId, matchedCount } = imported.json() as {
      importId: string;
      matchedCount: number;
    };
    expect(matchedCount).toBe(1);
    const posted = await approvedPost(
      `/api/v1/regions/330100/contributions/collections/imports/${importId}/postings`,
      {},
    );
    expect(posted.json()).toMatchObject({
      status: 'posted',
      payload: { totalFen: 1_000, appliedFen: 1_000 },
    });
    const rec = await get(hz, `/api/v1/regions/330100/contributions/reconciliation?month=${month}`);
    expect(rec.json()).toMatchObject({ collectedFen: 1_000, balanced: true });
    const mine = (await get(employer, '/api/v1/employer/contributions/collections')).json() as {
      records: { voucher: string }[];
    };
    expect(mine.records.map((r) => r.voucher)).toEqual(['API-1']);
    const nbRec = await get(nb, `/api/v1/regions/330100/contributions/collections?queue=true`);
    expect(nbRec.statusCode).toBe(404);
  });

  it('refuses a bad file with its row report and a province-level write with the field', async () => {
    const bad = await post(hz, '/api/v1/regions/330100/contributions/collections/imports', {
      fileName: 'bad.csv',
      contentBase64: Buffer.from(
        '税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nB-1,x,2024-06,1,2024-07-01\n',
      ).toString('base64'),
    });
    expect([bad.statusCode, problemOf(bad).code]).toEqual([422, 'collection.file_invalid']);
    const provinceWrite = await post(province, '/api/v1/regions/330000/contributions/assessments', {
      month,
    });
    expect(provinceWrite.statusCode).toBe(403); // province fund managers hold no contribution:write
  });
});

describe(`forwarding a collection record through the API on ${testBackend}`, () => {
  it('杭州 forwards a 宁波 employer’s record; it leaves 杭州’s queue; refusals are typed', async () => {
    const voucher = `FWD-${Date.now().toString(36)}`;
    const csv = `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\n${voucher},${demoCreditCode('330200', 1)},${month},12.00,${month}-20\nFWU-${voucher},${demoCreditCode('330100', 997)},${month},1.00,${month}-20\n`;
    const imported = await post(hz, '/api/v1/regions/330100/contributions/collections/imports', {
      fileName: `${voucher}.csv`,
      contentBase64: Buffer.from(csv).toString('base64'),
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const url = (v: string) => `/api/v1/regions/330100/contributions/collections/${v}/forward`;
    const other = await post(nb, url(voucher), {});
    expect(other.statusCode).toBe(404); // 宁波's handler acts in 宁波 only
    const done = await post(hz, url(voucher), {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ fromCity: '330100', toCity: '330200' });
    const again = await post(hz, url(voucher), {});
    expect([again.statusCode, problemOf(again).code]).toEqual([409, 'forward.not_in_city']);
    const unknown = await post(hz, url(`FWU-${voucher}`), {});
    expect([unknown.statusCode, problemOf(unknown).code]).toEqual([
      404,
      'forward.unknown_employer',
    ]);
    const queue = (
      await get(hz, '/api/v1/regions/330100/contributions/collections?queue=true&limit=1000')
    ).json() as { records: { voucher: string }[] };
    expect(queue.records.map((r) => r.voucher)).not.toContain(voucher);
    const there = (
      await get(nb, '/api/v1/regions/330200/contributions/collections?limit=1000')
    ).json() as { records: { voucher: string }[] };
    expect(there.records.map((r) => r.voucher)).toContain(voucher);
    const doc = (await h.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain(
      '/api/v1/regions/{regionCode}/contributions/collections/{voucher}/forward',
    );
  });
});
