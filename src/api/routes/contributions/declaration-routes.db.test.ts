import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECLARATION_UPLOAD_TYPES } from '../../../contract/contributions/declarations-contract.ts';
import { intOf, textOf, withColumns } from '../../../db/rows.ts';
import { testBackend } from '../../../db/testing.ts';
import { holdsIdNumber } from '../../../identity/masking.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';
import { registryExamples } from '../registry/registry-route-kit.ts';

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

const MONTH = '2024-07';
const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
function upload(s: Session, url: string, body: Uint8Array | string, type = 'text/csv') {
  return h.app.inject({
    method: 'POST',
    url,
    headers: { ...withSession(s), 'content-type': type },
    payload: typeof body === 'string' ? body : Buffer.from(body),
  });
}

/** The demo employer's roster for the month: its own rows of a declaration (the number, the name). */
async function roster(employerId: string): Promise<string[][]> {
  const r = await h.t.db.query(
    `SELECT w.id_number, s.worker_name FROM employment_spells s JOIN workers w ON w.id = s.worker_id
      WHERE s.employer_id = $1 AND s.start_date <= '2024-07-31' AND (s.end_date IS NULL OR s.end_date >= '2024-07-01')
      ORDER BY s.worker_name`,
    [employerId],
  );
  return withColumns(r, { id_number: textOf, worker_name: textOf }).rows.map((x) => [
    x.id_number,
    x.worker_name,
  ]);
}
const csv = (rows: string[][]) =>
  `\uFEFF公民身份号码,姓名,缴费工资\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;

async function declarationRows(): Promise<number> {
  const r = await h.t.db.query('SELECT count(*)::int AS n FROM declaration_lines');
  return withColumns(r, { n: intOf }).rows[0]!.n;
}

const employerId = registryExamples.employerId('330100');
const staffUrl = `/api/v1/regions/330100/employers/${employerId}/declarations`;

describe(`declaration routes on ${testBackend}`, () => {
  it('a city handler uploads; the same bytes again answer exists; another city gets 404', async () => {
    const rows = (await roster(employerId)).map(([id, name]) => [id!, name!, '6000.00']);
    expect(rows.length).toBeGreaterThan(0);
    const url = `${staffUrl}?month=${MONTH}&fileName=july.csv`;
    const first = await upload(hz, url, csv(rows));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'accepted', declaration: { version: 1 } });
    const again = await upload(hz, url, csv(rows));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'exists' });
    // Nothing written, so the edge audits it; the accepted upload was audited by its use case.
    for (const res of [first, again]) {
      const events = await h.t.db.query('SELECT action FROM audit_events WHERE request_id = $1', [
        res.headers['x-request-id'],
      ]);
      expect(events.rows.length).toBe(1);
    }
    const other = await upload(nb, url, csv(rows));
    expect(other.statusCode).toBe(404);
    expect(problemOf(other).code).toBe('record.not_found');
    const viaOwnCity = await get(nb, `/api/v1/regions/330200/employers/${employerId}/declarations`);
    expect(viaOwnCity.statusCode).toBe(404);
    const id = (first.json() as { declaration: { id: string } }).declaration.id;
    const shown = await get(hz, `/api/v1/regions/330100/declarations/${id}`);
    expect(shown.statusCode).toBe(200);
    expect(holdsIdNumber(shown.body)).toBe(false);
    expect((await get(nb, `/api/v1/regions/330200/declarations/${id}`)).statusCode).toBe(404);
    expect((await get(province, `/api/v1/regions/330000/declarations/${id}`)).statusCode).toBe(200);
  });

  it('the employer uploads a file with one bad row: 422, the report as JSON and xlsx; fixed, accepted', async () => {
    const rows = (await roster(employerId)).map(([id, name]) => [id!, name!, '7000']);
    const bad = [...rows.slice(1), [rows[0]![0]!, rows[0]![1]!, '-7000']];
    const before = await declarationRows();
    const url = `/api/v1/employer/declarations?month=${MONTH}&fileName=july-v2.csv`;
    const refused = await upload(employer, url, csv(bad));
    expect(refused.statusCode).toBe(422);
    const problem = problemOf(refused) as { code: string; details?: { importId?: string } };
    expect(problem.code).toBe('declaration.refused');
    expect(await declarationRows()).toBe(before);
    const importId = problem.details?.importId ?? '';
    const report = await get(employer, `/api/v1/employer/declaration-imports/${importId}`);
    expect(report.json()).toMatchObject({
      outcome: 'refused',
      problemCount: 1,
      problems: [{ row: bad.length, column: 'wage', code: 'declaration.wage_negative' }],
    });
    const xlsx = await get(
      employer,
      `/api/v1/employer/declaration-imports/${importId}/report.xlsx`,
    );
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    expect(wb.worksheets[0]!.getRow(2).getCell(3).value).toBe('declaration.wage_negative');
    // The city's handler sees the same report; another city's does not.
    expect(
      (await get(hz, `/api/v1/regions/330100/declaration-imports/${importId}`)).statusCode,
    ).toBe(200);
    expect(
      (await get(nb, `/api/v1/regions/330200/declaration-imports/${importId}`)).statusCode,
    ).toBe(404);
    const fixed = await upload(employer, url, csv(rows), 'application/octet-stream');
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json()).toMatchObject({
      declaration: { version: 2, diff: { changed: rows.length } },
    });
    const list = await get(employer, '/api/v1/employer/declarations');
    expect((list.json() as { declarations: unknown[] }).declarations).toHaveLength(2);
  });
});

describe(`declaration routes of the employer role on ${testBackend}`, () => {
  it('the employer role sees only its own employer’s declarations', async () => {
    const second = registryExamples.employerId('330100').replace(/1$/, '2');
    const rows = (await roster(second)).map(([id, name]) => [id!, name!, '5000']);
    const res = await upload(
      hz,
      `/api/v1/regions/330100/employers/${second}/declarations?month=${MONTH}&fileName=b.csv`,
      csv(rows),
    );
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as { declaration: { id: string } }).declaration.id;
    expect((await get(employer, `/api/v1/employer/declarations/${id}`)).statusCode).toBe(404);
  });

  it('refuses a JSON body (415) and a malformed query (400) without writing', async () => {
    const before = await declarationRows();
    const json = await h.app.inject({
      method: 'POST',
      url: `${staffUrl}?month=${MONTH}&fileName=x.csv`,
      headers: withSession(hz),
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(415);
    expect(problemOf(json).code).toBe('declaration.content_type');
    // Beyond the app's 1 MB JSON limit: the upload streams, so only the file's own bound applies.
    const large = await upload(hz, `${staffUrl}?month=${MONTH}&fileName=big.csv`, 'A'.repeat(3e6));
    expect(large.statusCode).toBe(422);
    expect(problemOf(large).code).toBe('declaration.refused');
    const query = await upload(hz, `${staffUrl}?month=2024-13&fileName=a%2Fb`, 'x');
    expect(query.statusCode).toBe(400);
    expect(await declarationRows()).toBe(before);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/regions/{regionCode}/employers/{employerId}/declarations',
        '/api/v1/regions/{regionCode}/declaration-imports/{importId}/report.xlsx',
        '/api/v1/employer/declarations',
      ]),
    );
    // The upload's body is documented as the file itself, in each accepted media type.
    const paths = doc.paths as Record<string, { post: { requestBody: { content: object } } }>;
    for (const path of [
      '/api/v1/regions/{regionCode}/employers/{employerId}/declarations',
      '/api/v1/employer/declarations',
    ]) {
      const content = paths[path]?.post.requestBody.content as Record<string, { schema: unknown }>;
      expect(Object.keys(content).sort()).toEqual([...DECLARATION_UPLOAD_TYPES].sort());
      expect(content['text/csv']?.schema).toMatchObject({ type: 'string', format: 'binary' });
    }
  });
});
