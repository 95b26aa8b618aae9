import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayrollRunResponse } from '../../../contract/benefits/payroll-contract.ts';
import type { FailedLinesResponse } from '../../../contract/benefits/payroll-failed-lines-contract.ts';
import type {
  ReissueBatchListResponse,
  ReissueBatchResponse,
} from '../../../contract/benefits/payroll-reissue-contract.ts';
import type { ReleaseListResponse } from '../../../contract/benefits/payroll-release-contract.ts';
import { testBackend } from '../../../db/testing.ts';
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
 * The reissue by hand through the API on the demo database: 杭州's open month pays 300 000 and
 * 123 456 fen (1 234.56 元); the bank fails the second. The handler proposes its reissue (zod refuses
 * a malformed id), cannot approve it; the supervisor does; the file carries one line of 123 456; the
 * bank confirms it: the batch is reconciled, its figures confirmed 1 / 123 456, the ledger view
 * differs by 0; the city's list of batches shows it reconciled (another city's list: 404);
 * proposing the line again is refused 409 `benefit.reissue_already_reissued`.
 */
let h: TestApp;
let hz: Session;
let hzChecker: Session;
let month = '';

const get = (s: Session, url: string) => h.app.inject({ url, headers: withSession(s) });
const post = (s: Session, url: string, payload: object) =>
  h.app.inject({ method: 'POST', url, headers: withSession(s), payload });

beforeAll(async () => {
  h = await startTestApp();
  hz = await loginAs(h.app, 'hz.handler');
  hzChecker = await loginAs(h.app, 'hz.supervisor');
  const open = await h.t.db.query(
    `SELECT to_char(p.month, 'YYYY-MM') AS m FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = '330100' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
  );
  month = String(open.rows[0]?.['m']);
  const employerId = registryExamples.employerId('330100');
  for (const [amountFen, account] of [
    [300_000, '6222000000091001'],
    [123_456, '6222000000091002'],
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

/** The open month's run, approved, its file issued, the 123 456 line failed: that line's id. */
async function failedLine(): Promise<string> {
  const base = '/api/v1/regions/330100/payroll-runs';
  const run = (await post(hz, base, { month })).json() as PayrollRunResponse;
  const approved = await post(hzChecker, `${base}/${run.id}/approval`, { on: `${month}-15` });
  expect(approved.statusCode, approved.body).toBe(200);
  const file = await get(hz, `${base}/${run.id}/payment-file.csv`);
  const rows = file.body.trim().split('\n').slice(1);
  const ours = rows.filter((r) => r.includes('62220000000910'));
  const answer = (r: string) =>
    r.includes('6222000000091002')
      ? `${r.split(',')[0]},failed,,,账户已销户`
      : `${r.split(',')[0]},paid,BK-${r.slice(4, 12)},${month}-20,`;
  const text = `line_id,status,bank_reference,paid_on,reason\n${ours.map(answer).join('\n')}\n`;
  const back = await post(hz, `${base}/${run.id}/bank-return`, { text });
  expect(back.statusCode, back.body).toBe(200);
  const failed = ours.find((r) => r.includes('6222000000091002'));
  return failed?.split(',')[0] ?? '';
}

/** The city's failed lines as the payroll page reads them (every page: the demo has others). */
async function failedLines(query: string): Promise<FailedLinesResponse> {
  const items: FailedLinesResponse['items'] = [];
  let after = '';
  for (;;) {
    const r = await get(
      hz,
      `/api/v1/regions/330100/payroll-failed-lines?${query}&limit=500${after}`,
    );
    expect(r.statusCode, r.body).toBe(200);
    const page = r.json() as FailedLinesResponse;
    items.push(...page.items);
    if (page.nextAfter === null) return { ...page, items };
    after = `&after=${page.nextAfter}`;
  }
}

/** The city's lists (newest first) show the batch, reconciled; another city's are not ours. */
async function expectListed(batchId: string): Promise<void> {
  const base = '/api/v1/regions/330100/payroll-reissues';
  const list = await get(hz, `${base}?limit=5`);
  expect(list.statusCode, list.body).toBe(200);
  const page = list.json() as ReissueBatchListResponse;
  expect(page.items.find((b) => b.id === batchId)).toMatchObject({
    status: 'reconciled',
    lineCount: 1,
    totalFen: 123_456,
    proposedBy: 'hz.handler',
    approvalStatus: 'consumed',
    confirmedLines: 1,
    failedLines: 0,
  });
  const filtered = (await get(hz, `${base}?status=proposed&limit=500`)).json() as typeof page;
  expect(filtered.items.map((b) => b.id)).not.toContain(batchId);
  expect((await get(hz, `${base}?status=unknown`)).statusCode).toBe(400);
  const releases = await get(hz, '/api/v1/regions/330100/payroll-releases?status=applied');
  expect(releases.statusCode, releases.body).toBe(200);
  expect((releases.json() as ReleaseListResponse).items.every((r) => r.status === 'applied')).toBe(
    true,
  );
  const other = await get(hz, '/api/v1/regions/330200/payroll-reissues');
  expect(other.statusCode).toBe(404);
}

describe(`payroll reissue routes on ${testBackend}`, () => {
  it('propose → approve (not by the maker) → file → bank return; a second proposal is refused', async () => {
    const lineId = await failedLine();
    const listed = await failedLines(`on=${month}-22`);
    expect(listed.items.find((l) => l.id === lineId)).toMatchObject({
      month,
      amountFen: 123_456,
      failureReason: '账户已销户',
      account: { accountNumberMasked: '************1002' },
      reissuable: true,
    });
    expect(JSON.stringify(listed)).not.toContain('6222000000091002');
    const base = '/api/v1/regions/330100/payroll-reissues';
    const bad = await post(hz, base, { lineIds: ['pln_x'] });
    expect(bad.statusCode).toBe(400);
    const proposed = await post(hz, base, { lineIds: [lineId], on: `${month}-22` });
    expect(proposed.statusCode, proposed.body).toBe(200);
    const batch = proposed.json() as ReissueBatchResponse;
    expect(batch).toMatchObject({ status: 'proposed', lineCount: 1, totalFen: 123_456 });
    const byMaker = await post(hz, `${base}/${batch.id}/approval`, {});
    expect(byMaker.statusCode).toBe(403);
    const approved = await post(hzChecker, `${base}/${batch.id}/approval`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const applied = approved.json() as ReissueBatchResponse;
    expect(applied.lines).toMatchObject([
      { reissueOf: lineId, month, amountFen: 123_456, accountTail: '1002', status: 'issued' },
    ]);
    const file = await get(hz, `${base}/${batch.id}/payment-file.csv`);
    expect(file.statusCode, file.body).toBe(200);
    const rows = file.body.trim().split('\n');
    expect(rows).toHaveLength(2);
    const newId = rows[1]?.split(',')[0];
    const text = `line_id,status,bank_reference,paid_on,reason\n${newId},paid,BK-R1,${month}-25,\n`;
    const back = await post(hz, `${base}/${batch.id}/bank-return`, { text });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ confirmed: 1, failed: 0 });
    const shown = (await get(hz, `${base}/${batch.id}`)).json() as ReissueBatchResponse;
    expect(shown).toMatchObject({
      status: 'reconciled',
      reconciliation: {
        sent: { lines: 1, amountFen: 123_456 },
        confirmed: { lines: 1, amountFen: 123_456 },
        ledgerDifferenceFen: 0,
      },
    });
    await expectListed(batch.id);
    expect((await failedLines('include=open')).items.map((l) => l.id)).not.toContain(lineId);
    const all = await failedLines(`include=all&on=${month}-26`);
    expect(all.items.find((l) => l.id === lineId)?.blocks.map((b) => b.code)).toEqual([
      'benefit.reissue_already_reissued',
    ]);
    const again = await post(hz, base, { lineIds: [lineId], on: `${month}-26` });
    expect([again.statusCode, problemOf(again).code]).toEqual([
      409,
      'benefit.reissue_already_reissued',
    ]);
    // Its liability is paid by its reissue: no release of it (payroll-release-routes.ts).
    const release = await post(hz, '/api/v1/regions/330100/payroll-releases', {
      lineIds: [lineId],
      on: `${month}-26`,
    });
    expect([release.statusCode, problemOf(release).code]).toEqual([
      409,
      'benefit.release_already_reissued',
    ]);
  });
});
