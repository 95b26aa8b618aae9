import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  IndexationListResponse,
  IndexationResponse,
} from '../../../contract/benefits/indexation-contract.ts';
import { testBackend } from '../../../db/testing.ts';
import { insertEntitlement, insertWorker } from '../../../usecases/benefits/testing.ts';
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
 * 待遇调整 end to end on the demo database: 杭州's handler proposes the 2025 batch (a grade-1
 * 伤残津贴 of 4 567.89 元 becomes 4 567.89 × 1.02 + 30.00 = 4 689.25 元 under the demo 浙江
 * values), cannot approve it; 杭州's supervisor does; the handler applies it, twice = once;
 * 宁波's handler sees none of it.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let nb: Session;
let entitlementId = '';

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  nb = await loginAs(h.app, 'nb.handler');
  const workerId = await insertWorker(h.t.db, '1975-03-03');
  entitlementId = await insertEntitlement(h.t.db, {
    employerId: registryExamples.employerId('330100'),
    workerId,
    kind: 'disability_allowance',
    amountFen: 456_789,
    startsOn: '2025-01-01',
    grade: 1,
  });
});
afterAll(async () => h.close());

describe(`indexation routes on ${testBackend}`, () => {
  it('propose → approve (not by the maker) → apply once, scoped to the city', async () => {
    const base = '/api/v1/regions/330100/indexation-batches';
    const proposed = await post(hz, base, { year: 2025 });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const batch = proposed.json() as IndexationResponse;
    expect(batch).toMatchObject({ batchId: 'idx_330100_2025', status: 'proposed' });
    const line = batch.lines.find((l) => l.entitlementId === entitlementId);
    expect(line).toMatchObject({
      beforeFen: 456_789,
      afterFen: 468_925,
      effectiveOn: '2025-07-01',
    });
    const foreign = await get(nb, `${base}/${batch.batchId}`);
    expect([foreign.statusCode, problemOf(foreign).code]).toEqual([404, 'record.not_found']);
    const byMaker = await post(hz, `${base}/${batch.batchId}/approval`, {});
    expect(byMaker.statusCode).toBe(403);
    const approved = await post(hzChecker, `${base}/${batch.batchId}/approval`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const applied = await post(hz, `${base}/${batch.batchId}/apply`, {});
    expect(applied.statusCode, applied.body).toBe(200);
    expect((applied.json() as IndexationResponse).status).toBe('applied');
    const again = await post(hz, `${base}/${batch.batchId}/apply`, {});
    expect(again.statusCode).toBe(200);
    const stored = await h.t.db.query(
      `SELECT amount_fen::int AS amount, status FROM benefit_entitlements
        WHERE region_code = '330100' AND (id = $1 OR id = $2) ORDER BY starts_on`,
      [entitlementId, line?.newEntitlementId ?? ''],
    );
    expect(stored.rows).toEqual([
      { amount: 456_789, status: 'ended' },
      { amount: 468_925, status: 'active' },
    ]);
    const report = await get(hz, `${base}/${batch.batchId}/report.xlsx`);
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    // exceljs types its input as the older Buffer; the bytes are the same.
    await wb.xlsx.load(report.rawPayload as never);
    const rows = wb.getWorksheet('调整明细')?.getSheetValues() ?? [];
    const mine = rows.find((r) => Array.isArray(r) && r[1] === entitlementId);
    expect(Array.isArray(mine) && [mine[9], mine[10], mine[11]]).toEqual([
      456_789, 468_925, 12_136,
    ]);
    const none = await post(hz, base, { year: 2024 });
    expect([none.statusCode, problemOf(none).code]).toEqual([422, 'benefit.indexation_not_set']);
  });

  it('lists the city’s batches with their totals and approval, and no other city’s', async () => {
    const base = '/api/v1/regions/330100/indexation-batches';
    const listed = await get(hz, base);
    expect(listed.statusCode, listed.body).toBe(200);
    // The one entitlement of the test above: 456 789 → 468 925 fen, its approval used by the apply.
    expect((listed.json() as IndexationListResponse).items).toMatchObject([
      {
        batchId: 'idx_330100_2025',
        year: 2025,
        status: 'applied',
        lineCount: 1,
        beforeFen: 456_789,
        afterFen: 468_925,
        proposedBy: 'hz.handler',
        appliedBy: 'hz.handler',
        approvalStatus: 'consumed',
        checkerUsername: 'hz.supervisor',
      },
    ]);
    const foreign = await get(nb, base);
    expect([foreign.statusCode, problemOf(foreign).code]).toEqual([404, 'record.not_found']);
    const own = await get(nb, '/api/v1/regions/330200/indexation-batches');
    expect(own.json()).toEqual({ items: [] });
  });
});
