import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../../../db/rows.ts';
import { testBackend } from '../../../../db/testing.ts';
import { systemActor } from '../../../../identity/actor.ts';
import { postTransactions } from '../../../../usecases/fund/ledger/ledger-write.ts';
import { openPeriod } from '../../../../usecases/fund/ledger/periods.ts';
import {
  loginAs,
  problemOf,
  type Session,
  startTestApp,
  type TestApp,
  withSession,
} from '../../../testing.ts';

const SWEEPS = '/api/v1/regions/330000/fund/unified/sweeps';
const ALLOCATIONS = '/api/v1/regions/330000/fund/unified/allocations';
/** The demo sweeps 2024-01 … 2025-12; 2026-01 is opened and given a contribution here. */
const NEW_MONTH = '2026-01';
const CONTRIBUTION_FEN = 12_345_678;

let h: TestApp;
const s = new Map<string, Session>();

function call(user: string, url: string, payload: object) {
  return h.app.inject({ method: 'POST', url, headers: withSession(s.get(user)!), payload });
}
async function txCount(): Promise<number> {
  const r = withColumns(await h.t.db.query('SELECT count(*)::int AS n FROM ledger_transactions'), {
    n: intOf,
  });
  return r.rows[0]!.n;
}

function sweepTests(): void {
  it('province.fund sweeps 杭州 2026-01 once; the rerun posts nothing', async () => {
    const first = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, { city: '330100' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      city: '330100',
      period: NEW_MONTH,
      status: 'posted',
      amountFen: CONTRIBUTION_FEN,
      transactionIds: [
        `unified:sweep:330100:${NEW_MONTH}`,
        `unified:sweep:330100:${NEW_MONTH}:transfer`,
      ],
    });
    // The use case audits the posting (its action), so the route writes no second event.
    const audit = withColumns(
      await h.t.db.query('SELECT action, result FROM audit_events WHERE request_id = $1', [
        first.headers['x-request-id'],
      ]),
      { action: textOf, result: textOf },
    );
    expect(audit.rows).toEqual([{ action: 'pooling.unified.sweep', result: 'ok' }]);

    const before = await txCount();
    const again = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, { city: '330100' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'exists', amountFen: CONTRIBUTION_FEN });
    expect(await txCount()).toBe(before);
    // A month the demo swept already answers `exists` too.
    const seeded = await call('province.fund', `${SWEEPS}/2025-06`, { city: '330100' });
    expect(seeded.json().status).toBe('exists');
  });

  it('refusals: a city path, another province’s city, a non-unified month', async () => {
    const city = await call('hz.handler', `${SWEEPS}/${NEW_MONTH}`, { city: '330100' });
    expect(city.statusCode).toBe(404);
    expect(city.json().details.policy).toBe('out_of_scope');
    const own = await call(
      'hz.handler',
      `/api/v1/regions/330100/fund/unified/sweeps/${NEW_MONTH}`,
      { city: '330100' },
    );
    expect(own.statusCode).toBe(422);
    expect(problemOf(own).code).toBe('fund.province_only');
    const foreign = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, { city: '410100' });
    expect(problemOf(foreign).code).toBe('fund.segment_not_in_region');
    const notUnified = await call('province.fund', `${SWEEPS}/2023-05`, { city: '330100' });
    expect(notUnified.statusCode).toBe(422);
    expect(problemOf(notUnified).code).toBe('pooling.mode_not_unified');
    const bad = await call('province.fund', `${SWEEPS}/2026-13`, { city: '330100' });
    expect(bad.statusCode).toBe(400);
  });
}

function allocationTests(): void {
  it('allocations: one by id (repeat posts nothing, other amount 409) and from the approved budget', async () => {
    const body = {
      allocationId: 'test-330100-2026-01',
      city: '330100',
      effectiveDate: `${NEW_MONTH}-10`,
      amountFen: 800_000,
    };
    const first = await call('province.fund', ALLOCATIONS, body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      allocationId: body.allocationId,
      status: 'posted',
      amountFen: 800_000,
    });
    const before = await txCount();
    const again = await call('province.fund', ALLOCATIONS, body);
    expect(again.json().status).toBe('exists');
    expect(await txCount()).toBe(before);
    const other = await call('province.fund', ALLOCATIONS, { ...body, amountFen: 900_000 });
    expect(other.statusCode).toBe(409);
    expect(problemOf(other).code).toBe('ledger.idempotency_conflict');

    // Every city has an approved 2024 budget in the demo.
    const fromBudget = await call('province.fund', `${ALLOCATIONS}/from-budget/2024-12`, {
      city: '330100',
    });
    expect(fromBudget.statusCode, fromBudget.body).toBe(200);
    expect(fromBudget.json()).toMatchObject({
      allocationId: 'budget:330100:2024-12',
      status: 'posted',
    });
    expect(fromBudget.json().amountFen).toBeGreaterThan(0);
    const noBudget = await call('province.fund', `${ALLOCATIONS}/from-budget/${NEW_MONTH}`, {
      city: '330100',
    });
    expect(noBudget.statusCode).toBe(422);
    expect(problemOf(noBudget).code).toBe('pooling.budget_not_approved');
  });
}

describe(`unified-mode flows over HTTP on ${testBackend}`, () => {
  beforeAll(async () => {
    h = await startTestApp();
    for (const u of ['province.fund', 'hz.handler']) s.set(u, await loginAs(h.app, u));
    const actor = systemActor('test-unified-routes');
    const o = await openPeriod(h.t.db, actor, { segment: 'all', period: NEW_MONTH });
    if (!o.ok) throw new Error(o.message);
    const id = `test:330100:${NEW_MONTH}:contribution`;
    const r = await postTransactions(h.t.db, actor, [
      {
        id,
        effectiveDate: `${NEW_MONTH}-15`,
        source: { type: 'test', id },
        postings: [
          { segment: '330100', account: '1001', side: 'debit', amountFen: CONTRIBUTION_FEN },
          { segment: '330100', account: '4101', side: 'credit', amountFen: CONTRIBUTION_FEN },
        ],
      },
    ]);
    if (!r.ok) throw new Error(r.message);
  });
  afterAll(async () => h.close());

  sweepTests();
  allocationTests();
});
