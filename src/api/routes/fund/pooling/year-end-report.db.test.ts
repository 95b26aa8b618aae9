import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../../db/testing.ts';
import { loginAs, problemOf, startTestApp, type TestApp, withSession } from '../../../testing.ts';

describe(`year-end run report download on ${testBackend}`, () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  it('the province downloads the xlsx and pdf of a run; a city cannot; before a run: 404', async () => {
    const p = await loginAs(h.app, 'province.fund');
    const before = await h.app.inject({
      url: '/api/v1/regions/330000/fund/year-end/2023/report.xlsx',
      headers: withSession(p),
    });
    // Another test file may already have run 2023 on its own database; this one has not.
    expect(before.statusCode, before.body).toBe(404);
    expect(problemOf(before).code).toBe('fund.report_not_found');
    // The run needs an approval: province.fund asks, province.supervisor decides.
    const asked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330000/approvals',
      headers: withSession(p),
      payload: { action: 'pooling.year_end_run', year: 2023 },
    });
    const approvalId: string = asked.json().id;
    const decided = await h.app.inject({
      method: 'POST',
      url: `/api/v1/regions/330000/approvals/${approvalId}/decision`,
      headers: withSession(await loginAs(h.app, 'province.supervisor')),
      payload: { decision: 'approved' },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const run = await h.app.inject({
      method: 'POST',
      url: '/api/v1/regions/330000/fund/year-end/2023/run',
      headers: withSession(p),
      payload: { approvalId },
    });
    expect(run.statusCode, run.body).toBe(200);
    const xlsx = await h.app.inject({
      url: '/api/v1/regions/330000/fund/year-end/2023/report.xlsx',
      headers: withSession(p),
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toMatch(/attachment; filename=".+\.xlsx"/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.length).toBeGreaterThan(0);
    const pdf = await h.app.inject({
      url: '/api/v1/regions/330000/fund/year-end/2023/report.pdf',
      headers: withSession(p),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const hz = await loginAs(h.app, 'hz.handler');
    const city = await h.app.inject({
      url: '/api/v1/regions/330100/fund/year-end/2023/report.pdf',
      headers: withSession(hz),
    });
    expect(problemOf(city).code).toBe('fund.province_only');
    const other = await h.app.inject({
      url: '/api/v1/regions/330000/fund/year-end/2023/report.pdf',
      headers: withSession(hz),
    });
    expect(other.statusCode).toBe(404);
  });
});
