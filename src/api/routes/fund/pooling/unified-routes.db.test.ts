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
const APPROVALS = '/api/v1/regions/330000/approvals';
/** Refused before any approval is read (scope, path, mode): an id that exists nowhere. */
const UNUSED = `apr_${'0'.repeat(24)}`;
/** The demo sweeps 2024-01 … 2025-12; 2026-01 is opened and given a contribution here. */
const NEW_MONTH = '2026-01';
const CONTRIBUTION_FEN = 12_345_678;

let h: TestApp;
const s = new Map<string, Session>();

function call(user: string, url: string, payload: object) {
  return h.app.inject({ method: 'POST', url, headers: withSession(s.get(user)!), payload });
}
/** province.fund asks for approval of a movement; province.supervisor (another role) approves. */
async function approved(request: object): Promise<string> {
  const asked = await call('province.fund', APPROVALS, request);
  expect(asked.statusCode, asked.body).toBe(200);
  const id: string = asked.json().id;
  // Above its amount tier a movement needs a second checker: two supervisors, both not the maker.
  for (const checker of ['province.supervisor', 'province.auditor'].slice(
    0,
    asked.json().requiredCheckers,
  )) {
    const decided = await call(checker, `${APPROVALS}/${id}/decision`, { decision: 'approved' });
    expect(decided.statusCode, decided.body).toBe(200);
  }
  return id;
}
const sweepApproval = (city: string, period: string) =>
  approved({ action: 'pooling.sweep', city, period });

async function txCount(): Promise<number> {
  const r = withColumns(await h.t.db.query('SELECT count(*)::int AS n FROM ledger_transactions'), {
    n: intOf,
  });
  return r.rows[0]!.n;
}

/** The checker sees what they approve: the payload, the decisions, the month's income now. */
async function checkerSeesPayload(approvalId: string): Promise<void> {
  const shown = await h.app.inject({
    method: 'GET',
    url: `${APPROVALS}/${approvalId}`,
    headers: withSession(s.get('province.supervisor')!),
  });
  expect(shown.json()).toMatchObject({
    payload: { city: '330100', period: NEW_MONTH, amountFen: CONTRIBUTION_FEN },
    status: 'approved',
    makerRole: 'province_fund_manager',
    decisions: [{ checker: 'province.supervisor', checkerRole: 'supervisor' }],
  });
  expect(shown.json().currentState.diff[0]).toEqual({
    field: `330100 ${NEW_MONTH} 4101`,
    current: CONTRIBUTION_FEN,
    proposed: CONTRIBUTION_FEN,
  });
}

/** The used approval is refused; a new approval of the same figure posts nothing. */
async function repeatsOfTheSweep(approvalId: string): Promise<void> {
  const before = await txCount();
  const reused = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, {
    city: '330100',
    approvalId,
  });
  expect(reused.statusCode).toBe(409);
  expect(problemOf(reused).code).toBe('approval.already_used');
  const again = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, {
    city: '330100',
    approvalId: await sweepApproval('330100', NEW_MONTH),
  });
  expect(again.statusCode).toBe(200);
  expect(again.json()).toMatchObject({ status: 'exists', amountFen: CONTRIBUTION_FEN });
  expect(await txCount()).toBe(before);
  // A month the demo swept already answers `exists` too.
  const seeded = await call('province.fund', `${SWEEPS}/2025-06`, {
    city: '330100',
    approvalId: await sweepApproval('330100', '2025-06'),
  });
  expect(seeded.json().status, seeded.body).toBe('exists');
}

function sweepTests(): void {
  it('province.fund sweeps 杭州 2026-01 once, with a supervisor’s approval; a rerun posts nothing', async () => {
    const without = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, { city: '330100' });
    expect(without.statusCode).toBe(400);
    const approvalId = await sweepApproval('330100', NEW_MONTH);
    await checkerSeesPayload(approvalId);
    const first = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, {
      city: '330100',
      approvalId,
    });
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

    await repeatsOfTheSweep(approvalId);
  });

  it('the maker cannot approve their own request', async () => {
    const asked = await call('province.fund', APPROVALS, {
      action: 'pooling.sweep',
      city: '330200',
      period: NEW_MONTH,
    });
    const self = await call('province.fund', `${APPROVALS}/${asked.json().id}/decision`, {
      decision: 'approved',
    });
    expect(self.statusCode).toBe(403);
    expect(problemOf(self).code).toBe('approval.self_approval');
  });

  it('refusals: a city path, another province’s city, a non-unified month', async () => {
    const city = await call('hz.handler', `${SWEEPS}/${NEW_MONTH}`, {
      city: '330100',
      approvalId: UNUSED,
    });
    expect(city.statusCode).toBe(404);
    expect(city.json().details.policy).toBe('out_of_scope');
    const own = await call(
      'hz.handler',
      `/api/v1/regions/330100/fund/unified/sweeps/${NEW_MONTH}`,
      { city: '330100', approvalId: UNUSED },
    );
    expect(own.statusCode).toBe(422);
    expect(problemOf(own).code).toBe('fund.province_only');
    const foreign = await call('province.fund', `${SWEEPS}/${NEW_MONTH}`, {
      city: '410100',
      approvalId: UNUSED,
    });
    expect(problemOf(foreign).code).toBe('fund.segment_not_in_region');
    const notUnified = await call('province.fund', `${SWEEPS}/2023-05`, {
      city: '330100',
      approvalId: UNUSED,
    });
    expect(notUnified.statusCode).toBe(422);
    expect(problemOf(notUnified).code).toBe('pooling.mode_not_unified');
    const bad = await call('province.fund', `${SWEEPS}/2026-13`, {
      city: '330100',
      approvalId: UNUSED,
    });
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
    const allocation = (amountFen: number) =>
      approved({ action: 'pooling.allocate', ...body, amountFen });
    const first = await call('province.fund', ALLOCATIONS, {
      ...body,
      approvalId: await allocation(800_000),
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      allocationId: body.allocationId,
      status: 'posted',
      amountFen: 800_000,
    });
    const before = await txCount();
    const again = await call('province.fund', ALLOCATIONS, {
      ...body,
      approvalId: await allocation(800_000),
    });
    expect(again.json().status).toBe('exists');
    expect(await txCount()).toBe(before);
    const other = await call('province.fund', ALLOCATIONS, {
      ...body,
      amountFen: 900_000,
      approvalId: await allocation(900_000),
    });
    expect(other.statusCode).toBe(409);
    expect(problemOf(other).code).toBe('ledger.idempotency_conflict');

    // Every city has an approved 2024 budget in the demo.
    const fromBudget = await call('province.fund', `${ALLOCATIONS}/from-budget/2024-12`, {
      city: '330100',
      approvalId: await approved({
        action: 'pooling.allocate_from_budget',
        city: '330100',
        period: '2024-12',
      }),
    });
    expect(fromBudget.statusCode, fromBudget.body).toBe(200);
    expect(fromBudget.json()).toMatchObject({
      allocationId: 'budget:330100:2024-12',
      status: 'posted',
    });
    expect(fromBudget.json().amountFen).toBeGreaterThan(0);
    const noBudget = await call('province.fund', `${ALLOCATIONS}/from-budget/${NEW_MONTH}`, {
      city: '330100',
      approvalId: UNUSED,
    });
    expect(noBudget.statusCode).toBe(422);
    expect(problemOf(noBudget).code).toBe('pooling.budget_not_approved');
  });
}

describe(`unified-mode flows over HTTP on ${testBackend}`, () => {
  beforeAll(async () => {
    h = await startTestApp();
    for (const u of ['province.fund', 'province.supervisor', 'province.auditor', 'hz.handler'])
      s.set(u, await loginAs(h.app, u));
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
