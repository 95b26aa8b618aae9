import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../../../db/rows.ts';
import { testBackend } from '../../../db/testing.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../testing.ts';

/** 杭州 compiles its 2026 budget (an unknown line refused) and submits it; the draft then locks. */
async function compileAndSubmit(): Promise<void> {
  const put = await call('hz.handler', 'PUT', '/api/v1/regions/330100/fund/budgets/2026', {
    lines: [
      { account: '4101', amountFen: 900_000_00 },
      { account: '5101', amountFen: 400_000_00 },
    ],
  });
  expect(put.statusCode).toBe(200);
  expect(put.json()).toMatchObject({ status: 'draft', version: 1 });
  const bad = await call('hz.handler', 'PUT', '/api/v1/regions/330100/fund/budgets/2026', {
    lines: [{ account: '4999', amountFen: 1 }],
  });
  expect(bad.statusCode).toBe(422);
  expect(problemOf(bad).code).toBe('budget.line_unknown');
  expect(
    (await call('hz.handler', 'POST', '/api/v1/regions/330100/fund/budgets/2026/submit', {}))
      .statusCode,
  ).toBe(200);
  const locked = await call('hz.handler', 'PUT', '/api/v1/regions/330100/fund/budgets/2026', {
    lines: [],
  });
  expect([locked.statusCode, problemOf(locked).code]).toEqual([409, 'budget.not_draft']);
}

let h: TestApp;
const s = new Map<string, Session>();

async function call(user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return h.app.inject({
    method,
    url,
    headers: withSession(s.get(user)!),
    ...(payload ? { payload } : {}),
  });
}

function scopeTests(): void {
  it('a city handler sees its own city only: another city or the province answers 404', async () => {
    const own = await call('hz.handler', 'GET', '/api/v1/regions/330100/fund/journal?limit=5');
    expect(own.statusCode).toBe(200);
    expect(own.json().entries.length).toBe(5);
    for (const url of [
      '/api/v1/regions/330200/fund/journal',
      '/api/v1/regions/330200/fund/trial-balance?asOf=2025-12-31',
      '/api/v1/regions/330000/fund/overview',
      '/api/v1/regions/330000/fund/budgets/2025',
    ]) {
      const res = await call('hz.handler', 'GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().details.policy, url).toBe('out_of_scope');
    }
    // 宁波's transaction is not reachable through 杭州's path either.
    const foreign = await call(
      'hz.handler',
      'GET',
      `/api/v1/regions/330100/fund/transactions/${encodeURIComponent('demo-fund:330200:2025-01:contribution')}`,
    );
    expect(foreign.statusCode).toBe(404);
    expect(problemOf(foreign).code).toBe('fund.transaction_not_found');
    const mine = await call(
      'hz.handler',
      'GET',
      `/api/v1/regions/330100/fund/transactions/${encodeURIComponent('demo-fund:330100:2025-01:contribution')}`,
    );
    expect(mine.statusCode).toBe(200);
    expect(mine.json().postings.map((p: { account: string }) => p.account)).toEqual([
      '1001',
      '4101',
    ]);
    // A city cannot ask for the province's adjustment fund.
    const adj = await call(
      'hz.handler',
      'GET',
      '/api/v1/regions/330100/fund/balances?segment=330000-ADJ',
    );
    expect(problemOf(adj).code).toBe('fund.segment_not_in_region');
  });
}

function overviewTests(): void {
  it('overview and indicators: per city and for the province, from the seeded ledger', async () => {
    const city = await call('hz.handler', 'GET', '/api/v1/regions/330100/fund/overview');
    expect(city.statusCode).toBe(200);
    const c = city.json();
    expect(c).toMatchObject({ scope: 'city', asOf: '2025-12-31', year: 2025, segments: [] });
    expect(c.total.balanceFen).toBeGreaterThan(0);
    expect(c.total.incomeYtdFen).toBeGreaterThan(0);
    expect(c.total.months.length).toBe(12);
    expect(c.total.monthsOfExpenditure.months).toMatch(/^\d+\.\d{2}$/);
    expect(c.thresholds.map((t: { name: string }) => t.name)).toEqual([
      'alert_below',
      'watch_below',
      'watch_above',
      'alert_above',
    ]);

    const prov = await call('province.fund', 'GET', '/api/v1/regions/330000/fund/overview');
    expect(prov.statusCode).toBe(200);
    const p = prov.json();
    expect(p.scope).toBe('province');
    expect(p.segments.length).toBe(13);
    const sum = p.segments.reduce((a: number, x: { balanceFen: number }) => a + x.balanceFen, 0);
    expect(p.total.balanceFen).toBe(sum);
    const hz = p.segments.find((x: { segment: string }) => x.segment === '330100');
    expect(hz.balanceFen).toBe(c.total.balanceFen);

    const ind = await call(
      'province.fund',
      'GET',
      '/api/v1/regions/330000/fund/indicators?asOf=2025-06-30',
    );
    expect(ind.statusCode).toBe(200);
    const i = ind.json();
    expect(i.province.monthsOfExpenditure.windowFrom).toBe('2024-07-01');
    expect(i.cities.length).toBe(11);
    for (const x of i.cities) expect(x.alert.level).not.toBe('no_threshold');
  });
}

function budgetTests(): void {
  it('budgets over HTTP: compile, submit, consolidate, self-approval refused, approve by the supervisor', async () => {
    await compileAndSubmit();
    // Only the province consolidates: a city's own path is refused, the province path is out of scope.
    const cityCons = await call(
      'hz.handler',
      'POST',
      '/api/v1/regions/330100/fund/budgets/2026/consolidate',
      {},
    );
    expect(problemOf(cityCons).code).toBe('budget.province_only');
    expect(
      (await call('hz.handler', 'POST', '/api/v1/regions/330000/fund/budgets/2026/consolidate', {}))
        .statusCode,
    ).toBe(404);
    const cons = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/budgets/2026/consolidate',
      {},
    );
    expect(cons.statusCode).toBe(200);
    const { approvalId, payload } = cons.json();
    expect(payload.budgets.map((b: { segment: string }) => b.segment)).toEqual(['330100']);
    const self = await call(
      'province.fund',
      'POST',
      `/api/v1/regions/330000/approvals/${approvalId}/decision`,
      { decision: 'approved' },
    );
    expect([self.statusCode, problemOf(self).code]).toEqual([403, 'approval.self_approval']);
    const ok = await call(
      'province.supervisor',
      'POST',
      `/api/v1/regions/330000/approvals/${approvalId}/decision`,
      { decision: 'approved' },
    );
    expect(ok.statusCode).toBe(200);
    const approve = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/budgets/2026/approve',
      { approvalId },
    );
    expect(approve.statusCode).toBe(200);
    expect(approve.json().approved).toEqual(['330100']);
    const got = await call('hz.handler', 'GET', '/api/v1/regions/330100/fund/budgets/2026');
    expect(got.json()).toMatchObject({ status: 'approved', approvalId });
    const audit = withColumns(
      await h.t.db.query(
        `SELECT action FROM audit_events WHERE action LIKE 'fund.budget.%' ORDER BY seq`,
      ),
      { action: textOf },
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'fund.budget.save',
        'fund.budget.submit',
        'fund.budget.consolidate',
        'fund.budget.approve',
      ]),
    );
  });
}

function exportTests(): void {
  it('the Excel export opens with exceljs and holds the lines and figures of the JSON report', async () => {
    const json = await call(
      'hz.handler',
      'GET',
      '/api/v1/regions/330100/fund/budgets/2025/execution?through=12',
    );
    expect(json.statusCode).toBe(200);
    const report = json.json();
    const seg = report.segments[0];
    expect(seg.status).toBe('approved');
    const res = await call(
      'hz.handler',
      'GET',
      '/api/v1/regions/330100/fund/budgets/2025/execution.xlsx?through=12',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('预算执行')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    for (const line of seg.lines) {
      const row = rows.find((r) => r[0] === '330100' && r[3] === line.account);
      expect(row, line.account).toBeDefined();
      expect(row!.slice(6, 11)).toEqual([
        line.annualBudgetFen,
        line.plannedToDateFen,
        line.actualToDateFen,
        line.varianceFen,
        line.varianceRatio?.value ?? '',
      ]);
    }
    const cell = ws.getRow(4).getCell(4);
    expect(typeof cell.value).toBe('string');
    expect(cell.numFmt).toBe('@');
    expect(wb.getWorksheet('分月执行')!.rowCount).toBe(1 + seg.lines.length * 12);
  });
}

/** The year's run approved: province.fund asks, province.supervisor (another role) decides. */
async function yearEndApproval(year: number): Promise<string> {
  const asked = await call('province.fund', 'POST', '/api/v1/regions/330000/approvals', {
    action: 'pooling.year_end_run',
    year,
  });
  expect(asked.statusCode, asked.body).toBe(200);
  const id: string = asked.json().id;
  const decided = await call(
    'province.supervisor',
    'POST',
    `/api/v1/regions/330000/approvals/${id}/decision`,
    { decision: 'approved' },
  );
  expect(decided.statusCode, decided.body).toBe(200);
  return id;
}

function yearEndTests(): void {
  it('the province runs the year-end run; a rerun posts nothing; a city sees its own row', async () => {
    const cityRun = await call(
      'hz.handler',
      'POST',
      '/api/v1/regions/330100/fund/year-end/2023/run',
      { approvalId: `apr_${'0'.repeat(24)}` },
    );
    expect(problemOf(cityRun).code).toBe('fund.province_only');
    const approvalId = await yearEndApproval(2023);
    const run = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/year-end/2023/run',
      { approvalId },
    );
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().cities.length).toBe(11);
    expect(run.json().postedNow).toBeGreaterThan(0);
    const again = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/year-end/2023/run',
      { approvalId },
    );
    expect(again.json()).toMatchObject({ computedNow: false, postedNow: 0 });
    const mine = await call('hz.handler', 'GET', '/api/v1/regions/330100/fund/year-end/2023');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().cities.map((c: { code: string }) => c.code)).toEqual(['330100']);
    expect(mine.json().adjustmentFund).toBeNull();
    // 浙江 pools by 统收统支 from 2024: the unified run shares gaps against approved budgets, and
    // the demo approves only some cities' 2025 budgets.
    const unified = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/year-end/2025/run',
      { approvalId: await yearEndApproval(2025) },
    );
    expect(problemOf(unified).code).toBe('pooling.budget_not_approved');
  });
}

function unifiedYearTests(): void {
  it('a unified year (浙江 2024) runs through the same route: gap sharing against the approved budgets, idempotent', async () => {
    const approvalId = await yearEndApproval(2024);
    const run = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/year-end/2024/run',
      { approvalId },
    );
    expect(run.statusCode, run.body).toBe(200);
    const v = run.json();
    expect(v).toMatchObject({ mode: 'unified', status: 'reported', computedNow: true });
    expect(v.cities.length).toBe(11);
    expect(v.demoParameters).toBe(true);
    expect(v.postedNow).toBe(v.transactionCount);
    for (const c of v.cities)
      expect(c.provinceShareFen + c.cityGovernmentShareFen, c.code).toBe(c.gapFen);
    expect(v.totals.gapFen).toBe(
      v.cities.reduce((a: number, c: { gapFen: number }) => a + c.gapFen, 0),
    );
    const again = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330000/fund/year-end/2024/run',
      { approvalId },
    );
    expect(again.json()).toMatchObject({ mode: 'unified', computedNow: false, postedNow: 0 });
    const mine = await call('hz.handler', 'GET', '/api/v1/regions/330100/fund/year-end/2024');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ mode: 'unified', totals: null });
    expect(mine.json().cities.map((c: { code: string }) => c.code)).toEqual(['330100']);
  });
}

function periodTests(): void {
  it('periods close maker-checker: request, approval by another user, close', async () => {
    const req = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330100/fund/periods/2023-02/close-request',
      {},
    );
    expect(req.statusCode).toBe(201);
    const { approvalId } = req.json();
    expect(
      (
        await call(
          'province.supervisor',
          'POST',
          `/api/v1/regions/330100/approvals/${approvalId}/decision`,
          { decision: 'approved' },
        )
      ).statusCode,
    ).toBe(200);
    const close = await call(
      'province.fund',
      'POST',
      '/api/v1/regions/330100/fund/periods/2023-02/close',
      { approvalId },
    );
    expect(close.statusCode, close.body).toBe(200);
    const list = await call('hz.handler', 'GET', '/api/v1/regions/330100/fund/periods?year=2023');
    const feb = list.json().periods.find((p: { period: string }) => p.period === '2023-02');
    expect(feb).toMatchObject({ status: 'closed', closeApprovalId: approvalId });
  });
}

describe(`fund API on ${testBackend}`, () => {
  beforeAll(async () => {
    h = await startTestApp();
    for (const u of ['province.fund', 'province.supervisor', 'hz.handler', 'nb.handler'])
      s.set(u, await loginAs(h.app, u));
  });
  afterAll(async () => h.close());

  scopeTests();
  overviewTests();
  budgetTests();
  exportTests();
  yearEndTests();
  unifiedYearTests();
  periodTests();
});
