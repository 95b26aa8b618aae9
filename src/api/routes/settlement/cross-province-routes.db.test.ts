import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf } from '../../../db/rows.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

/**
 * Cross-province care over HTTP on the demo province: a 杭州 handler files an accepted case for
 * 上海; the province's fund manager asks for an advance, the provincial supervisor approves it, the
 * fund manager pays it and imports a clearing file of the case; 宁波's handler sees none of it.
 */
let h: TestApp;
let hz: Session;
let nb: Session;
let fund: Session;
let supervisor: Session;
beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  nb = await loginAs(h.app, 'nb.handler');
  fund = await loginAs(h.app, 'province.fund');
  supervisor = await loginAs(h.app, 'province.supervisor');
}, 180_000);
afterAll(async () => h.close());

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });
const city = '/api/v1/regions/330100/settlement/cross-province';
const province = '/api/v1/regions/330000/settlement/cross-province';

/**
 * An accepted case of 杭州, inserted directly (the demo holds none decided): a demo worker and
 * employer of 杭州, with the worker's ID number for the file only.
 */
async function acceptedCase(): Promise<{ caseId: string; idNumber: string }> {
  const r = await h.t.db.query(
    `SELECT w.id AS worker_id, w.id_number, e.id AS employer_id
       FROM workers w, employers e WHERE e.region_code = '330100' ORDER BY w.id, e.id LIMIT 1`,
  );
  const row = r.rows[0];
  if (row === undefined) throw new Error('the demo has no worker or employer in 杭州');
  const caseId = 'cas_330100_0000000000c0ffee';
  await h.t.db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, determination_outcome, determination_decided_on, created_by)
     VALUES ('330100', $1, $2, '330100', $3, 'accident', '2025-01-06', 'decided', 'recognised',
       '2025-02-20', 'test')`,
    [caseId, textOf(row, 'worker_id'), textOf(row, 'employer_id')],
  );
  return { caseId, idNumber: textOf(row, 'id_number') };
}

/** A day of a month whose period is open in every segment the clearing touches. */
async function openDay(): Promise<string> {
  const r = await h.t.db.query(
    `SELECT to_char(max(p.month), 'YYYY-MM') AS month, count(*)::int AS n FROM ledger_periods p
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE p.status = 'open' AND s.code IN ('330000', '330100')
      GROUP BY p.month HAVING count(*) = 2 ORDER BY p.month DESC LIMIT 1`,
  );
  const row = r.rows[0];
  if (row === undefined || intOf(row, 'n') !== 2) throw new Error('no open period');
  return `${textOf(row, 'month')}-10`;
}

describe('cross-province care over HTTP', () => {
  it('files a case, pays an approved advance and clears a file of the case', async () => {
    const { caseId, idNumber } = await acceptedCase();
    const day = await openDay();
    const filed = await post(hz, `${city}/filings`, {
      caseId,
      kind: 'long_term_residence',
      province: '310000',
      fromDate: `${day.slice(0, 7)}-01`,
    });
    expect(filed.statusCode, filed.body).toBe(200);
    const again = await post(hz, `${city}/filings`, {
      caseId,
      kind: 'referral',
      province: '320000',
      fromDate: day,
    });
    expect([again.statusCode, problemOf(again).code]).toEqual([
      409,
      'settlement.cross_province_filing_overlap',
    ]);
    const hidden = await get(nb, `${city}/filings`);
    expect(hidden.statusCode).toBe(404);

    const advance = { advanceId: `YF-${day}`, amountFen: 10_000_000, paidOn: day };
    const asked = await post(fund, `${province}/advances/approvals`, advance);
    expect(asked.statusCode, asked.body).toBe(200);
    const approvalId = (asked.json() as { approvalId: string }).approvalId;
    const decided = await post(
      supervisor,
      `/api/v1/regions/330000/approvals/${approvalId}/decision`,
      {
        decision: 'approved',
      },
    );
    expect(decided.statusCode, decided.body).toBe(200);
    const paid = await post(fund, `${province}/advances`, { ...advance, approvalId });
    expect(paid.statusCode, paid.body).toBe(200);

    const csv = [
      '结算流水号,身份证号码,工伤案件编号,就医省份,就医机构名称,费用类别,基金支付金额,结算日期',
      `SH-API-1,${idNumber},${caseId},310000,上海市第六人民医院,medical,1000.00,${day}`,
    ].join('\n');
    const body = {
      fileName: 'clearing.csv',
      contentBase64: Buffer.from(csv).toString('base64'),
      clearedOn: day,
    };
    const cleared = await post(fund, `${province}/clearings`, body);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ rowCount: 1, clearedFen: 100_000, replayed: false });
    expect(cleared.body).not.toContain(idNumber);
    const replay = await post(fund, `${province}/clearings`, body);
    expect(replay.json()).toMatchObject({ replayed: true });
    const listed = await get(fund, `${province}/advances`);
    expect(listed.json()).toMatchObject({ advanceBalanceFen: 10_000_000 - 100_000 });
  });
});
