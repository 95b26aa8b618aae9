import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import {
  SCENARIO_MANAGEMENT_GAPS,
  SCENARIO_PROVINCE,
  SCENARIO_YEAR,
  seedYearEndScenario,
} from '../../jobs/fund/pooling/year-end-run-scenario.ts';
import type { Result } from '../../kernel/result.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import {
  approveBudgets,
  consolidateBudgets,
  saveBudgetLines,
  submitBudget,
} from './budgets/budgets.ts';
import { type FundApprovalRequest, requestFundApproval } from './fund-approvals.ts';
import { postTransactions } from './ledger/ledger-write.ts';
import { takeOverOpeningBalance } from './ledger/opening-balance-takeover.ts';
import { openPeriod } from './ledger/periods.ts';
import { transactionCount } from './pooling/testing.ts';
import {
  allocateMonthFromBudget,
  allocateToCity,
  sweepCityMonth,
} from './pooling/unified-flows.ts';
import { runYearEnd } from './pooling/year-end-adjustment-run.ts';
import { approvedFundRequest, setUpFundLedger } from './testing.ts';

/**
 * Issue 9's acceptance for every money movement: refused without an approval, refused with an
 * approval of another payload, applied once with the right one; the maker cannot approve, nor
 * anyone of the maker's role (the database's trigger); an expired approval is refused; the
 * two-checker tier needs two distinct checkers. Budgets, period closing, reserve reductions and
 * prevention caps keep their own tests (budgets.db.test.ts, reserve-set-aside.db.test.ts, …).
 */
const { pooling } = testRuleBook();
const HZ = '330100';
const NB = '330200';
const NO_SUCH = `apr_${'0'.repeat(24)}`;

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpFundLedger>>;
let dir: string;

function tx(id: string, date: string, segment: string, dr: string, cr: string, amountFen: number) {
  return {
    id,
    effectiveDate: date,
    source: { type: 'test', id },
    postings: [
      { segment, account: dr, side: 'debit', amountFen },
      { segment, account: cr, side: 'credit', amountFen },
    ],
  } satisfies TransactionRequest;
}

async function approveNbBudget2024(): Promise<void> {
  const s = await saveBudgetLines(t.db, f.maker, {
    regionCode: NB,
    year: 2024,
    lines: [
      { account: '4101', amountFen: 9_000_000 },
      { account: '5101', amountFen: 1_200_000 },
    ],
  });
  if (!s.ok) throw new Error(s.message);
  expect((await submitBudget(t.db, f.maker, { regionCode: NB, year: 2024 })).ok).toBe(true);
  const c = await consolidateBudgets(t.db, f.maker, { regionCode: '330000', year: 2024 });
  if (!c.ok) throw new Error(c.message);
  const d = await decideApproval(t.db, f.checker, {
    regionCode: '330000',
    id: c.value.approvalId,
    decision: 'approved',
  });
  if (!d.ok) throw new Error(d.message);
  const a = await approveBudgets(t.db, f.maker, {
    regionCode: '330000',
    year: 2024,
    approvalId: c.value.approvalId,
  });
  if (!a.ok) throw new Error(a.message);
}

type Movement = {
  name: string;
  /** The movement's request as the maker asks for it. */
  request: FundApprovalRequest;
  /** The same action with another payload. */
  other: FundApprovalRequest;
  apply: (approvalId: string) => Promise<Result<unknown>>;
  /**
   * A second use: refused, or (the year-end run, resumable by design) answered from the stored
   * run without posting anything.
   */
  secondUse?: 'unchanged';
};

const movements: Movement[] = [
  {
    name: 'allocation to a city',
    request: {
      action: 'pooling.allocate',
      allocationId: 'mc-alloc-hz',
      city: HZ,
      effectiveDate: '2024-01-15',
      amountFen: 300_000,
      memo: '追加拨付',
    },
    other: {
      action: 'pooling.allocate',
      allocationId: 'mc-alloc-hz',
      city: HZ,
      effectiveDate: '2024-01-15',
      amountFen: 300_001,
      memo: '追加拨付',
    },
    apply: (approvalId) =>
      allocateToCity(t.db, f.maker, {
        allocationId: 'mc-alloc-hz',
        city: HZ,
        effectiveDate: '2024-01-15',
        amountFen: 300_000,
        memo: '追加拨付',
        params: pooling,
        approvalId,
      }),
  },
  {
    name: 'monthly sweep',
    request: { action: 'pooling.sweep', city: HZ, period: '2024-01' },
    other: { action: 'pooling.sweep', city: NB, period: '2024-01' },
    apply: (approvalId) =>
      sweepCityMonth(t.db, f.maker, { city: HZ, period: '2024-01', params: pooling, approvalId }),
  },
  {
    name: 'allocation from the budget',
    request: { action: 'pooling.allocate_from_budget', city: NB, period: '2024-01' },
    other: { action: 'pooling.allocate_from_budget', city: NB, period: '2024-02' },
    apply: (approvalId) =>
      allocateMonthFromBudget(t.db, f.maker, {
        city: NB,
        period: '2024-01',
        params: pooling,
        approvalId,
      }),
  },
  {
    name: 'year-end pooling run',
    request: {
      action: 'pooling.year_end_run',
      province: SCENARIO_PROVINCE,
      year: SCENARIO_YEAR,
      managementGapsFen: SCENARIO_MANAGEMENT_GAPS,
    },
    other: {
      action: 'pooling.year_end_run',
      province: SCENARIO_PROVINCE,
      year: SCENARIO_YEAR,
      managementGapsFen: { '330300': 3_000_000 },
    },
    apply: (approvalId) =>
      runYearEnd(t.db, f.maker, {
        province: SCENARIO_PROVINCE,
        year: SCENARIO_YEAR,
        managementGapsFen: SCENARIO_MANAGEMENT_GAPS,
        reportsDir: dir,
        params: pooling,
        approvalId,
      }),
    secondUse: 'unchanged',
  },
  {
    name: 'opening balance take-over',
    request: {
      action: 'ledger.opening_balance',
      city: '330400',
      rule: 'transfer_all',
      balanceFen: 800_000,
      effectiveDate: '2024-01-01',
    },
    other: {
      action: 'ledger.opening_balance',
      city: '330400',
      rule: 'transfer_all',
      balanceFen: 8_000_000,
      effectiveDate: '2024-01-01',
    },
    apply: (approvalId) =>
      takeOverOpeningBalance(t.db, f.maker, {
        city: '330400',
        rule: 'transfer_all',
        balanceFen: 800_000,
        effectiveDate: '2024-01-01',
        approvalId,
      }),
  },
];

async function ask(
  maker: Actor,
  request: FundApprovalRequest,
  policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY,
): Promise<string> {
  const r = await requestFundApproval(t.db, maker, { regionCode: '330000', request, policy });
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
}

const decide = (checker: Actor, id: string, decision: 'approved' | 'rejected' = 'approved') =>
  decideApproval(t.db, checker, { regionCode: '330000', id, decision });

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.code);

/** The acceptance of one movement, step by step. */
async function movementAcceptance(m: Movement): Promise<void> {
  const before = await transactionCount(t.db);
  expect(codeOf(await m.apply(NO_SUCH))).toBe('approval.not_found');
  // Asked for but not decided yet.
  const pending = await ask(f.maker, m.request);
  expect(codeOf(await m.apply(pending))).toBe('approval.not_approved');
  // The maker cannot approve; nor another user of the maker's role (the database refuses).
  expect(codeOf(await decide(f.maker, pending))).toBe('approval.self_approval');
  expect(codeOf(await decide(f.sameRole, pending))).toBe('approval.same_role');
  // Approved for another payload.
  const other = await approvedFundRequest(t.db, f.maker, [f.checker], m.other);
  const mismatch = await m.apply(other);
  expect(codeOf(mismatch)).toBe('approval.payload_mismatch');
  // Approved, then expired before use.
  const shortLived = { ...DEFAULT_APPROVAL_POLICY, ttlMs: 1_500 };
  const expiring = await ask(f.maker, m.request, shortLived);
  expect(codeOf(await decide(f.checker, expiring))).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 1_600));
  expect(codeOf(await m.apply(expiring))).toBe('approval.expired');
  expect(await transactionCount(t.db)).toBe(before);
  // The right one: applied once; a second use is refused.
  expect(codeOf(await decide(f.checker, pending))).toBe('ok');
  const applied = await m.apply(pending);
  expect(codeOf(applied)).toBe('ok');
  expect(await transactionCount(t.db)).toBeGreaterThan(before);
  const after = await transactionCount(t.db);
  const again = await m.apply(pending);
  expect(codeOf(again)).toBe(m.secondUse === 'unchanged' ? 'ok' : 'approval.already_used');
  expect(await transactionCount(t.db)).toBe(after);
}

async function twoCheckerTier(): Promise<void> {
  const big = {
    action: 'pooling.allocate',
    allocationId: 'mc-alloc-big',
    city: HZ,
    effectiveDate: '2024-02-01',
    amountFen: 2_000_000_000,
  } as const;
  const r = await requestFundApproval(t.db, f.maker, {
    regionCode: '330000',
    request: big,
    policy: DEFAULT_APPROVAL_POLICY,
  });
  if (!r.ok) throw new Error(r.message);
  expect(r.value.requiredCheckers).toBe(2);
  const id = r.value.id;
  const apply = () => allocateToCity(t.db, f.maker, { ...big, params: pooling, approvalId: id });
  const first = await decide(f.checker, id);
  expect(first.ok && first.value).toMatchObject({ status: 'pending', approvingCheckers: 1 });
  expect(codeOf(await apply())).toBe('approval.not_approved');
  expect(codeOf(await decide(f.checker, id))).toBe('approval.already_decided');
  expect(codeOf(await decide(f.sameRole, id))).toBe('approval.same_role');
  const second = await decide(f.checker2, id);
  expect(second.ok && second.value).toMatchObject({ status: 'approved', approvingCheckers: 2 });
  expect(codeOf(await apply())).toBe('ok');
}

async function rejectedMovesNothing(): Promise<void> {
  const request = {
    action: 'pooling.allocate',
    allocationId: 'mc-alloc-rejected',
    city: HZ,
    effectiveDate: '2024-02-01',
    amountFen: 1_000,
  } as const;
  const id = await ask(f.maker, request);
  expect(codeOf(await decide(f.checker, id, 'rejected'))).toBe('ok');
  expect(codeOf(await decide(f.checker2, id))).toBe('approval.not_pending');
  const r = await allocateToCity(t.db, f.maker, { ...request, params: pooling, approvalId: id });
  expect(codeOf(r)).toBe('approval.not_approved');
}

async function otherActionRefused(): Promise<void> {
  const id = await approvedFundRequest(t.db, f.maker, [f.checker], {
    action: 'pooling.sweep',
    city: NB,
    period: '2024-02',
  });
  const r = await allocateToCity(t.db, f.maker, {
    allocationId: 'mc-alloc-wrong-action',
    city: NB,
    effectiveDate: '2024-02-01',
    amountFen: 1,
    params: pooling,
    approvalId: id,
  });
  expect(codeOf(r)).toBe('approval.action_mismatch');
}

async function concurrentUses(): Promise<void> {
  const request = {
    action: 'pooling.allocate',
    allocationId: 'mc-alloc-race',
    city: NB,
    effectiveDate: '2024-02-03',
    amountFen: 12_345,
  } as const;
  const id = await approvedFundRequest(t.db, f.maker, [f.checker], request);
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      allocateToCity(t.db, i % 2 === 0 ? f.maker : f.sameRole, {
        ...request,
        params: pooling,
        approvalId: id,
      }),
    ),
  );
  const codes = results.map(codeOf).sort();
  expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
  expect(codes.filter((c) => c === 'approval.already_used')).toHaveLength(5);
}

describe(`maker-checker on every money movement on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'tc-maker-checker-'));
    await seedYearEndScenario(t.db);
    f = await setUpFundLedger(t.db, { cities: ['330100', '330200', '330300', '330400'] });
    for (const period of ['2024-01', '2024-02']) {
      const o = await openPeriod(t.db, f.system, { segment: 'all', period });
      if (!o.ok) throw new Error(o.message);
    }
    const r = await postTransactions(t.db, f.system, [
      tx('mc:hz:c1', '2024-01-10', HZ, '1001', '4101', 1_000_000),
      tx('mc:nb:c1', '2024-01-10', NB, '1001', '4101', 500_000),
      tx('mc:prov:cash', '2024-01-02', '330000', '1001', '4106', 50_000_000_000),
    ]);
    if (!r.ok) throw new Error(r.message);
    await approveNbBudget2024();
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const m of movements)
    it(`${m.name}: refused without an approval, for another payload, expired; applied once`, () =>
      movementAcceptance(m));

  it(
    'an allocation above its tier needs two distinct checkers, neither of the maker’s role',
    twoCheckerTier,
  );

  it('a rejected approval moves nothing', rejectedMovesNothing);

  it('an approval for one action does not serve another', otherActionRefused);

  it('two concurrent uses of one approval: exactly one moves money', concurrentUses);
});
