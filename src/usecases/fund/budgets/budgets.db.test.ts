import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import type { TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../../identity/actor.ts';
import { decideApproval } from '../../approvals/approvals.ts';
import { postTransactions } from '../ledger/ledger-write.ts';
import { openPeriod } from '../ledger/periods.ts';
import { setUpFundLedger } from '../testing.ts';
import { budgetExecutionReport } from './budget-execution.ts';
import {
  approveBudgets,
  consolidateBudgets,
  getBudget,
  listBudgets,
  returnBudget,
  saveBudgetLines,
  submitBudget,
} from './budgets.ts';

function cityActor(code: string): Actor {
  return {
    userId: `handler-${code}`,
    username: `handler-${code}`,
    role: 'city_handler',
    scopeKind: 'city',
    scopeCode: code,
    permissions: ['fund:read', 'fund:write'],
    requestId: `req-${code}`,
  };
}

function flow(
  id: string,
  date: string,
  debit: string,
  credit: string,
  amountFen: number,
): TransactionRequest {
  return {
    id,
    effectiveDate: date,
    source: { type: 'test', id },
    postings: [
      { segment: '330100', account: debit, side: 'debit', amountFen },
      { segment: '330100', account: credit, side: 'credit', amountFen },
    ],
  };
}

// One database per file, shared by the suites below in order (as before the split).
let t: TestDatabase;
let maker: Actor;
let checker: Actor;
const hz = cityActor('330100');
const nb = cityActor('330200');
beforeAll(async () => {
  t = await openTestDatabase();
  ({ maker, checker } = await setUpFundLedger(t.db, { cities: ['330100', '330200'] }));
});
afterAll(async () => t.cleanup());

/** Drafts are saved, sorted and versioned; stale, unknown and duplicate lines are refused. */
async function compileDraft(): Promise<void> {
  const saved = await saveBudgetLines(t.db, hz, {
    regionCode: '330100',
    year: 2027,
    lines: [
      { account: '5101', amountFen: 120_001 },
      { account: '4101', amountFen: 1_200_000 },
    ],
  });
  expect(saved).toMatchObject({
    ok: true,
    value: { status: 'draft', version: 1, totals: { incomeFen: 1_200_000, expenseFen: 120_001 } },
  });
  // Lines come back sorted; saving the same lines again changes nothing.
  expect(saved.ok && saved.value.lines.map((l) => l.account)).toEqual(['4101', '5101']);
  const same = await saveBudgetLines(t.db, hz, {
    regionCode: '330100',
    year: 2027,
    lines: [
      { account: '4101', amountFen: 1_200_000 },
      { account: '5101', amountFen: 120_001 },
    ],
  });
  expect(same).toMatchObject({ ok: true, value: { changed: false, version: 1 } });
  const stale = await saveBudgetLines(t.db, hz, {
    regionCode: '330100',
    year: 2027,
    lines: [{ account: '4101', amountFen: 1 }],
    expectedVersion: 7,
  });
  expect(stale).toMatchObject({ ok: false, code: 'budget.version_conflict' });
  const unknown = await saveBudgetLines(t.db, hz, {
    regionCode: '330100',
    year: 2027,
    lines: [{ account: '1001', amountFen: 5 }],
  });
  expect(unknown).toMatchObject({ ok: false, code: 'budget.line_unknown' });
  const dup = await saveBudgetLines(t.db, hz, {
    regionCode: '330100',
    year: 2027,
    lines: [
      { account: '4101', amountFen: 5 },
      { account: '4101', amountFen: 6 },
    ],
  });
  expect(dup).toMatchObject({ ok: false, code: 'budget.line_duplicate' });
}

/** A submitted budget is locked, in the use case and in the database. */
async function submitLocks(): Promise<void> {
  expect((await submitBudget(t.db, hz, { regionCode: '330100', year: 2027 })).ok).toBe(true);
  const locked = await saveBudgetLines(t.db, hz, {
    regionCode: '330100',
    year: 2027,
    lines: [{ account: '4101', amountFen: 1 }],
  });
  expect(locked).toMatchObject({ ok: false, code: 'budget.not_draft' });
  // The database refuses too, even to raw SQL.
  await expect(
    t.db.query(
      `UPDATE fund_budget_lines SET amount_fen = 1 WHERE region_code = '330100' AND year = 2027`,
    ),
  ).rejects.toThrow(/budget\.not_draft/);
}

/** The province consolidates; the approval is pending and the maker cannot approve it. */
async function consolidateAwaitingChecker(): Promise<string> {
  expect(await consolidateBudgets(t.db, hz, { regionCode: '330100', year: 2027 })).toMatchObject({
    ok: false,
    code: 'budget.province_only',
  });
  const c = await consolidateBudgets(t.db, maker, { regionCode: '330000', year: 2027 });
  expect(c.ok).toBe(true);
  if (!c.ok) throw new Error(c.message);
  expect(c.value.payload.budgets).toEqual([
    {
      segment: '330100',
      version: 1,
      lines: [
        { account: '4101', amountFen: 1_200_000 },
        { account: '5101', amountFen: 120_001 },
      ],
    },
  ]);
  // Not approved yet: consuming is refused.
  expect(
    await approveBudgets(t.db, maker, {
      regionCode: '330000',
      year: 2027,
      approvalId: c.value.approvalId,
    }),
  ).toMatchObject({ ok: false, code: 'approval.not_approved' });
  // The maker cannot approve their own consolidation.
  expect(
    await decideApproval(t.db, maker, {
      regionCode: '330000',
      id: c.value.approvalId,
      decision: 'approved',
    }),
  ).toMatchObject({ ok: false, code: 'approval.self_approval' });
  expect(
    await decideApproval(t.db, checker, {
      regionCode: '330000',
      id: c.value.approvalId,
      decision: 'approved',
    }),
  ).toMatchObject({ ok: true });
  return c.value.approvalId;
}

/** The province approves with the checker's approval; an approved budget never changes again. */
async function approveWith(approvalId: string): Promise<void> {
  const a = await approveBudgets(t.db, maker, {
    regionCode: '330000',
    year: 2027,
    approvalId: approvalId,
  });
  expect(a).toMatchObject({
    ok: true,
    value: { approved: ['330100'], checkerId: checker.userId },
  });
  const b = await getBudget(t.db, { regionCode: '330100', year: 2027 });
  expect(b).toMatchObject({ ok: true, value: { status: 'approved', checkerId: checker.userId } });
  expect(
    await saveBudgetLines(t.db, hz, {
      regionCode: '330100',
      year: 2027,
      lines: [{ account: '4101', amountFen: 1 }],
    }),
  ).toMatchObject({ ok: false, code: 'budget.already_approved' });
  expect(
    await approveBudgets(t.db, maker, {
      regionCode: '330000',
      year: 2027,
      approvalId: approvalId,
    }),
  ).toMatchObject({ ok: false, code: 'budget.already_approved' });
  await expect(
    t.db.query(
      `UPDATE fund_budgets SET status = 'draft' WHERE region_code = '330100' AND year = 2027`,
    ),
  ).rejects.toThrow(/budget\.already_approved/);
}

describe(`fund budgets on ${testBackend}: the approval path`, () => {
  it('compile → submit → consolidate → approve by another user; self-approval refused', async () => {
    await compileDraft();
    await submitLocks();
    await approveWith(await consolidateAwaitingChecker());
  });
});

describe(`fund budgets on ${testBackend}: stale approvals`, () => {
  it('a budget changed after consolidation cannot be approved with the old approval (payload mismatch)', async () => {
    for (const [actor, code, amount] of [
      [hz, '330100', 500_000],
      [nb, '330200', 700_000],
    ] as const) {
      expect(
        (
          await saveBudgetLines(t.db, actor, {
            regionCode: code,
            year: 2028,
            lines: [{ account: '4101', amountFen: amount }],
          })
        ).ok,
      ).toBe(true);
      expect((await submitBudget(t.db, actor, { regionCode: code, year: 2028 })).ok).toBe(true);
    }
    const c = await consolidateBudgets(t.db, maker, { regionCode: '330000', year: 2028 });
    expect(c.ok && c.value.payload.totals).toEqual({ incomeFen: 1_200_000, expenseFen: 0 });
    if (!c.ok) return;
    await decideApproval(t.db, checker, {
      regionCode: '330000',
      id: c.value.approvalId,
      decision: 'approved',
    });
    // 宁波 takes its budget back, raises it and submits again after the checker approved.
    expect(
      (await returnBudget(t.db, nb, { regionCode: '330200', year: 2028, reason: '更正征缴收入' }))
        .ok,
    ).toBe(true);
    expect(
      await saveBudgetLines(t.db, nb, {
        regionCode: '330200',
        year: 2028,
        lines: [{ account: '4101', amountFen: 900_000 }],
      }),
    ).toMatchObject({ ok: true, value: { version: 2 } });
    expect((await submitBudget(t.db, nb, { regionCode: '330200', year: 2028 })).ok).toBe(true);
    const again = await consolidateBudgets(t.db, maker, { regionCode: '330000', year: 2028 });
    expect(again.ok).toBe(true);
    const stale = await approveBudgets(t.db, maker, {
      regionCode: '330000',
      year: 2028,
      approvalId: c.value.approvalId,
    });
    expect(stale).toMatchObject({ ok: false, code: 'approval.payload_mismatch' });
    const list = await listBudgets(t.db, { regionCode: '330000', year: 2028 });
    expect(list.map((b) => [b.regionCode, b.status])).toEqual([
      ['330100', 'consolidated'],
      ['330200', 'consolidated'],
    ]);
    // A city sees only its own.
    expect((await listBudgets(t.db, { regionCode: '330200', year: 2028 })).length).toBe(1);
  });
});

describe(`fund budgets on ${testBackend}: execution`, () => {
  it('execution and variance per line and month, exact to the fen (hand-computed)', async () => {
    for (const p of ['2029-01', '2029-02'])
      expect((await openPeriod(t.db, maker, { segment: 'all', period: p })).ok).toBe(true);
    expect(
      (
        await saveBudgetLines(t.db, hz, {
          regionCode: '330100',
          year: 2029,
          lines: [
            { account: '4101', amountFen: 1_200_000 },
            { account: '5101', amountFen: 120_001 },
          ],
        })
      ).ok,
    ).toBe(true);
    const posted = await postTransactions(t.db, maker, [
      flow('ex-1', '2029-01-10', '1001', '4101', 95_000),
      flow('ex-2', '2029-02-10', '1001', '4101', 110_000),
      flow('ex-3', '2029-01-20', '5101', '1001', 12_345),
      flow('ex-4', '2029-02-20', '5101', '1001', 7_000),
      flow('ex-5', '2029-02-21', '5201', '1001', 500),
      // A refund credited to the expense line reduces its actual.
      flow('ex-6', '2029-02-25', '1001', '5101', 45),
    ]);
    expect(posted.ok).toBe(true);
    const r = await budgetExecutionReport(t.db, {
      regionCode: '330100',
      year: 2029,
      throughMonth: 2,
      today: '2030-01-01',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const seg = r.value.segments[0]!;
    expect(seg.status).toBe('draft');
    const line = (code: string) => seg.lines.find((l) => l.account === code)!;
    // 4101: planned 100 000 a month; actual 95 000 + 110 000.
    expect(line('4101')).toMatchObject({
      annualBudgetFen: 1_200_000,
      plannedToDateFen: 200_000,
      actualToDateFen: 205_000,
      varianceFen: 5_000,
      varianceRatio: { value: '0.0250', exact: '0.025' },
      executionRatio: { value: '0.1708', exact: '41/240' },
    });
    expect(line('4101').months.map((m) => [m.plannedFen, m.actualFen, m.varianceFen])).toEqual([
      [100_000, 95_000, -5_000],
      [100_000, 110_000, 5_000],
    ]);
    // 5101: 120 001 phased 10 001 (January takes the extra fen) + 10 000; actual 12 345 + 6 955.
    expect(line('5101')).toMatchObject({
      plannedToDateFen: 20_001,
      actualToDateFen: 19_300,
      varianceFen: -701,
      varianceRatio: { value: '-0.0350', exact: '-701/20001' },
    });
    expect(line('5101').months[0]).toMatchObject({
      plannedFen: 10_001,
      actualFen: 12_345,
      varianceFen: 2_344,
      varianceRatio: { value: '0.2344', exact: '2344/10001' },
    });
    // Spending without a budget line is shown, with no ratio.
    expect(line('5201')).toMatchObject({
      budgeted: false,
      plannedToDateFen: 0,
      actualToDateFen: 500,
      varianceFen: 500,
      varianceRatio: null,
    });
    expect(seg.totals.expense).toMatchObject({
      annualBudgetFen: 120_001,
      plannedToDateFen: 20_001,
      actualToDateFen: 19_800,
      varianceFen: -201,
    });
  });
});
