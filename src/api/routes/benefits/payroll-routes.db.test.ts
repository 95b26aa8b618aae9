import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  PayrollRunListResponse,
  PayrollRunResponse,
} from '../../../contract/benefits/payroll-contract.ts';
import { testBackend } from '../../../db/testing.ts';
import { readFixedFile } from '../../../domain/benefits/payroll-fixed-file.ts';
import {
  insertCardAccount,
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
 * The payroll end to end on the demo database: 杭州's handler runs the open month, cannot approve
 * it, 杭州's supervisor does; the handler downloads the payment file and imports the bank's return
 * with one failure; 宁波's handler sees none of it.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let month = '';

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  const open = await h.t.db.query(
    `SELECT to_char(p.month, 'YYYY-MM') AS m FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = '330100' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
  );
  month = String(open.rows[0]?.['m']);
  const employerId = registryExamples.employerId('330100');
  for (const [amountFen, account] of [
    [680_000, '6222000000090001'],
    [270_000, '6222000000090002'],
  ] as const) {
    const workerId = await insertWorker(h.t.db, '1975-03-03');
    await insertEntitlement(h.t.db, {
      employerId,
      workerId,
      kind: 'disability_allowance',
      amountFen,
      startsOn: '2025-01-01',
    });
    await insertCardAccount(h.t.db, { workerId, validFrom: '2024-06-01', accountNumber: account });
  }
});
afterAll(async () => h.close());

describe(`payroll routes on ${testBackend}`, () => {
  it('run → approve (not by the maker) → file → bank return, scoped to the city', async () => {
    const base = '/api/v1/regions/330100/payroll-runs';
    const started = await post(hz, base, { month });
    expect(started.statusCode, started.body).toBe(200);
    const run = started.json() as PayrollRunResponse;
    expect(run).toMatchObject({ status: 'computed', lineCount: 2, totalFen: 950_000 });
    const again = await post(hz, base, { month });
    expect((again.json() as PayrollRunResponse).id).toBe(run.id);
    const other = await get(nb, `${base.replace('330100', '330200')}/${run.id}`);
    expect(other.statusCode).toBe(404);
    const foreign = await get(nb, `${base}/${run.id}`);
    expect([foreign.statusCode, problemOf(foreign).code]).toEqual([404, 'record.not_found']);
    const byMaker = await post(hz, `${base}/${run.id}/approval`, {});
    expect(byMaker.statusCode).toBe(403);
    const approved = await post(hzChecker, `${base}/${run.id}/approval`, { on: `${month}-15` });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved' });
    const file = await get(hz, `${base}/${run.id}/payment-file.csv`);
    expect(file.statusCode, file.body).toBe(200);
    const rows = file.body.trim().split('\n');
    expect(rows).toHaveLength(3);
    const ids = rows.slice(1).map((r) => r.split(',')[0]);
    const text = `line_id,status,bank_reference,paid_on,reason\n${ids[0]},paid,BK-1,${month}-20,\n${ids[1]},failed,,,户名不符\n`;
    const back = await post(hz, `${base}/${run.id}/bank-return`, { text });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ confirmed: 1, failed: 1 });
    const shown = (await get(hz, `${base}/${run.id}`)).json() as PayrollRunResponse;
    expect(shown.status).toBe('reconciled');
    expect(shown.fileSha256).toBe(file.headers['x-content-sha256']);
    expect(shown.reconciliation.outstanding).toEqual({ lines: 0, amountFen: 0 });
  });

  it('lists the city’s runs newest month first, by year, to the city only', async () => {
    const base = '/api/v1/regions/330100/payroll-runs';
    const earlier = await post(hz, base, { month: '2024-03' });
    expect(earlier.statusCode, earlier.body).toBe(200);
    const all = await get(hz, base);
    expect(all.statusCode, all.body).toBe(200);
    const items = (all.json() as PayrollRunListResponse).items;
    expect(items.map((i) => i.month)).toEqual([month, '2024-03']);
    expect(items[0]).toMatchObject({
      runId: `prl_330100_${month.replace('-', '')}`,
      status: 'reconciled',
      lineCount: 2,
      totalFen: 950_000,
      startedBy: expect.any(String),
      startedByUsername: 'hz.handler',
      approvedByUsername: 'hz.supervisor',
      approvedOn: `${month}-15`,
    });
    expect(items[0]?.approvedBy).not.toBeNull();
    expect(items[1]).toMatchObject({ status: 'computed', approvedBy: null, fileSha256: null });
    const ofYear = (await get(hz, `${base}?year=2024`)).json() as PayrollRunListResponse;
    expect(ofYear.items.map((i) => i.month)).toEqual(['2024-03']);
    const checker = (await get(hzChecker, base)).json() as PayrollRunListResponse;
    expect(checker.items).toHaveLength(2);
    const nbOwn = (
      await get(nb, base.replace('330100', '330200'))
    ).json() as PayrollRunListResponse;
    expect(nbOwn.items).toEqual([]);
    const foreign = await get(nb, base);
    expect(foreign.statusCode).toBe(404);
    expect((await get(hz, `${base}?year=24`)).statusCode).toBe(400);
  });
});

describe(`payroll documents on ${testBackend}`, () => {
  it('the fixed-width GBK file and the reconciliation report (xlsx, PDF), to the city only', async () => {
    const base = '/api/v1/regions/330100/payroll-runs';
    const runId = `prl_330100_${month.replace('-', '')}`;
    const fixed = await get(hz, `${base}/${runId}/payment-file.csv?format=fixed-gbk`);
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.headers['content-type']).toBe('text/plain; charset=gbk');
    expect(fixed.headers['content-disposition']).toBe(`attachment; filename="${runId}.txt"`);
    const sha256 = createHash('sha256').update(fixed.rawPayload).digest('hex');
    expect(fixed.headers['x-content-sha256']).toBe(sha256);
    const file = readFixedFile(fixed.rawPayload);
    expect(file.header).toEqual({
      runId,
      regionCode: '330100',
      month,
      lines: 2,
      totalFen: 950_000,
    });
    expect(file.details.map((d) => [d.accountName, d.amountFen]).sort()).toEqual([
      ['职工', 270_000],
      ['职工', 680_000],
    ]);
    expect((await get(hz, `${base}/${runId}/payment-file.csv?format=ebcdic`)).statusCode).toBe(400);
    const xlsx = await get(hzChecker, `${base}/${runId}/reconciliation-report/xlsx`);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(xlsx.headers['content-disposition']).toBe(
      `attachment; filename="${runId}-reconciliation.xlsx"`,
    );
    const pdf = await get(hz, `${base}/${runId}/reconciliation-report/pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const foreign = await get(nb, `${base}/${runId}/reconciliation-report/pdf`);
    expect(foreign.statusCode).toBe(404);
    expect((await get(hz, `${base}/${runId}/reconciliation-report/csv`)).statusCode).toBe(400);
  });
});
