import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, rowsOf, textOf, textOrNullOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { Result } from '../../kernel/result.ts';
import type { PoolingParamSet } from '../../rules/fund/pooling/pooling-params.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import {
  approveBudgets,
  consolidateBudgets,
  listBudgets,
  returnBudget,
  saveBudgetLines,
  submitBudget,
} from './budgets/budgets.ts';
import { provisionAccounts } from './ledger/accounts.ts';
import { accountBalances } from './ledger/ledger-read.ts';
import { postTransactions } from './ledger/ledger-write.ts';
import { closePeriod, openPeriod, requestPeriodClose } from './ledger/periods.ts';
import { transactionCount } from './pooling/testing.ts';
import {
  capRatioFor,
  grantPreventionCap,
  requestPreventionCapRaise,
} from './prevention/prevention-spending.ts';
import { requestReserveReduction, setAsideReserve } from './reserve/reserve-set-aside.ts';
import { fundActor, setUpFundLedger, supervisorActor } from './testing.ts';

/**
 * Issue 9's acceptance for the money movements and money-rule changes that ask through their own
 * use cases (maker-checker.db.test.ts covers the others): budget approval, period close, reserve
 * reduction and prevention-fee cap raise. Each is refused with an unknown approval, a pending
 * one, an approved one of another payload of the same action and an expired one; the maker
 * cannot decide its approval, nor a colleague of the maker's role (the database's trigger); the
 * right approval applies once, and a second use changes nothing.
 *
 * What the code allows and the test therefore states instead of "refused with
 * approval.already_used" on a second use:
 * - budgets: the second approveBudgets finds every budget of the year approved and answers
 *   budget.already_approved before looking at the approval; approval.already_used is shown with
 *   a budget consolidated later (its own test below);
 * - period close: the second closePeriod finds the period closed (ledger.period_closed) before
 *   looking at the approval; the consumed approval is refused (approval.already_used) for
 *   another open period of the segment (its own test below);
 * - reserve reduction: a rerun of the set-aside is idempotent by design (its transactions are
 *   recorded, or, for a reduced ratio of zero, its approval is consumed for this very payload),
 *   so it is answered ok and posts nothing more, like the year-end run's rerun.
 * An approval's expires_at cannot be moved by an UPDATE (migration 0009's trigger: TCA05, for the
 * table owner too), so expiry is made with a short TTL in the approval policy, as in
 * maker-checker.db.test.ts.
 */
const { pooling } = testRuleBook();
const NO_SUCH = `apr_${'0'.repeat(24)}`;
const BUDGET_YEAR = 2031;
const PERIOD_CITY = '330500';
const CAP_YEAR = 2032;
const HENAN = '410000';
const RESERVE_YEAR = 2026;

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpFundLedger>>;
let staleBudgetApproval: string;

/** The people of a movement: who asks, a colleague of the same role, who checks. */
type People = { maker: Actor; sameRole: Actor; checker: Actor };

function cityHandler(userId: string, city: string): Actor {
  return {
    userId,
    username: userId,
    role: 'city_handler',
    scopeKind: 'city',
    scopeCode: city,
    permissions: ['fund:read', 'fund:write'],
    requestId: `req-${userId}`,
  };
}

const henanActor = (a: Actor): Actor => ({ ...a, scopeCode: HENAN });
const fundPeople = (): People => ({ maker: f.maker, sameRole: f.sameRole, checker: f.checker });
const periodPeople = (): People => ({
  maker: cityHandler('hu-handler', PERIOD_CITY),
  sameRole: cityHandler('hu-handler2', PERIOD_CITY),
  // A city handler's close is checked by the province's fund manager (docs/security.md).
  checker: f.maker,
});
const henanPeople = (): People => ({
  maker: henanActor(fundActor('hn-maker')),
  sameRole: henanActor(fundActor('hn-maker2')),
  checker: henanActor(supervisorActor('hn-checker')),
});

/**
 * 河南's rules with a reduced reserve ratio of 3 % instead of the demo "0", so that a reduced
 * set-aside posts (the approval is then consumed by the posting's guard, not by the zero path).
 */
function withReducedReserveRatio(params: PoolingParamSet, ratio: string): PoolingParamSet {
  const henan = params.get(HENAN);
  const entries = henan?.get('reserve.reduced_total_ratio');
  if (!henan || !entries) throw new Error('河南 has no reserve.reduced_total_ratio');
  const changed = new Map(henan);
  changed.set(
    'reserve.reduced_total_ratio',
    entries.map((e) => ({ ...e, value: ratio })),
  );
  const out = new Map(params);
  out.set(HENAN, changed);
  return out;
}
const reserveParams = withReducedReserveRatio(pooling, '0.03');

type Movement = {
  name: string;
  /** The region the approvals live in (where they are decided). */
  region: string;
  people: () => People;
  /** The maker asks for the movement (the payload the right approval carries). */
  ask: (maker: Actor, policy: ApprovalPolicy) => Promise<string>;
  /** A request of the same action for another payload (the test has the checker approve it). */
  other: () => Promise<string>;
  apply: (approvalId: string) => Promise<Result<unknown>>;
  /** What the movement changes. */
  state: () => Promise<unknown>;
  /** The state once applied with `approvalId`. */
  applied: (approvalId: string) => unknown;
  /** New ledger transactions when applied. */
  posts: number;
  /** The answer to a second use of the consumed approval (nothing more is posted). */
  again: string;
};

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.code);

async function must<T>(r: Promise<Result<T>>): Promise<T> {
  const x = await r;
  if (!x.ok) throw new Error(`${x.code}: ${x.message}`);
  return x.value;
}

const decide = (m: Movement, checker: Actor, id: string) =>
  decideApproval(t.db, checker, { regionCode: m.region, id, decision: 'approved' });

async function approved(m: Movement, id: Promise<string>): Promise<string> {
  const approvalId = await id;
  await must(decide(m, m.people().checker, approvalId));
  return approvalId;
}

async function approvalStatus(id: string): Promise<string> {
  const r = await t.db.query('SELECT status FROM approvals WHERE id = $1', [id]);
  return rowsOf(r, (x) => textOf(x, 'status'))[0] ?? 'missing';
}

// --- budget approval ---------------------------------------------------------------------------

const budgetLines = (income: number) => [
  { account: '4101', amountFen: income },
  { account: '5101', amountFen: 1_000_000 },
];

/**
 * 杭州 and 宁波 submit their 2031 budgets and the province consolidates them (that request, approved
 * by the checker during the test, is the "other payload"); then 杭州's budget goes back, changes
 * (version 2) and is submitted again, so that payload no longer matches the budgets.
 */
async function setUpBudgets(): Promise<void> {
  for (const { region, income } of [
    { region: '330100', income: 5_000_000 },
    { region: '330200', income: 4_000_000 },
  ]) {
    await must(
      saveBudgetLines(t.db, f.maker, {
        regionCode: region,
        year: BUDGET_YEAR,
        lines: budgetLines(income),
      }),
    );
    await must(submitBudget(t.db, f.maker, { regionCode: region, year: BUDGET_YEAR }));
  }
  const c = await must(
    consolidateBudgets(t.db, f.maker, { regionCode: '330000', year: BUDGET_YEAR }),
  );
  staleBudgetApproval = c.approvalId;
  const hz = { regionCode: '330100', year: BUDGET_YEAR };
  await must(returnBudget(t.db, f.maker, { ...hz, reason: '收入预算偏低' }));
  await must(saveBudgetLines(t.db, f.maker, { ...hz, lines: budgetLines(5_500_000) }));
  await must(submitBudget(t.db, f.maker, hz));
}

async function budgetState(): Promise<unknown> {
  const list = await listBudgets(t.db, { regionCode: '330000', year: BUDGET_YEAR });
  return list.map((b) => ({
    region: b.regionCode,
    status: b.status,
    version: b.version,
    approvalId: b.approvalId,
    checkerId: b.checkerId,
  }));
}

const budgetMovement: Movement = {
  name: 'budget approval (fund.budget.approve)',
  region: '330000',
  people: fundPeople,
  ask: async (maker, policy) =>
    (
      await must(
        consolidateBudgets(t.db, maker, { regionCode: '330000', year: BUDGET_YEAR, policy }),
      )
    ).approvalId,
  // Asked for version 1 of 杭州's budget, which has changed since.
  other: async () => staleBudgetApproval,
  apply: (approvalId) =>
    approveBudgets(t.db, f.maker, { regionCode: '330000', year: BUDGET_YEAR, approvalId }),
  state: budgetState,
  applied: (approvalId) => [
    { region: '330100', status: 'approved', version: 2, approvalId, checkerId: 'fund-checker' },
    { region: '330200', status: 'approved', version: 1, approvalId, checkerId: 'fund-checker' },
  ],
  posts: 0,
  again: 'budget.already_approved',
};

// --- period close ------------------------------------------------------------------------------

async function periodState(): Promise<unknown> {
  const r = await t.db.query(
    `SELECT to_char(p.month, 'YYYY-MM') AS period, p.status, p.close_approval_id, p.close_checker
       FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = $1 AND p.month >= '2031-01-01' AND p.month < '2032-01-01' ORDER BY p.month`,
    [PERIOD_CITY],
  );
  return rowsOf(r, (x) => ({
    period: textOf(x, 'period'),
    status: textOf(x, 'status'),
    approvalId: textOrNullOf(x, 'close_approval_id'),
    checker: textOrNullOf(x, 'close_checker'),
  }));
}

const periodMovement: Movement = {
  name: 'period close (ledger.close_period)',
  region: PERIOD_CITY,
  people: periodPeople,
  ask: async (maker, policy) =>
    (
      await must(
        requestPeriodClose(t.db, maker, { segment: PERIOD_CITY, period: '2031-01', policy }),
      )
    ).approvalId,
  // The close of the next month of the same segment.
  other: async () =>
    (
      await must(
        requestPeriodClose(t.db, periodPeople().maker, { segment: PERIOD_CITY, period: '2031-02' }),
      )
    ).approvalId,
  apply: (approvalId) =>
    closePeriod(t.db, periodPeople().maker, {
      segment: PERIOD_CITY,
      period: '2031-01',
      approvalId,
    }),
  state: periodState,
  applied: (approvalId) => [
    { period: '2031-01', status: 'closed', approvalId, checker: 'fund-maker' },
    { period: '2031-02', status: 'open', approvalId: null, checker: null },
  ],
  posts: 0,
  again: 'ledger.period_closed',
};

// --- reserve reduction -------------------------------------------------------------------------

/**
 * 河南: 郑州 (410100) and 开封 (410200) each hold a rolling reserve of 6 000 000 fen at the end of
 * 2025, above 50 % of their 2026 income (10 000 000 fen): the 2026 set-aside is reduced.
 */
async function setUpHenan(): Promise<void> {
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ($1, '河南省', 'Henan', 'province')`,
    [HENAN],
  );
  for (const [code, name, nameEn] of [
    ['410100', '郑州市', 'Zhengzhou'],
    ['410200', '开封市', 'Kaifeng'],
  ])
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $3, 'city', $4)`,
      [code, name, nameEn, HENAN],
    );
  for (const code of [HENAN, '410100', '410200'])
    await must(provisionAccounts(t.db, f.system, { regionCode: code }));
  for (const period of ['2025-12', '2026-06', '2026-12'])
    await must(openPeriod(t.db, f.system, { segment: 'all', period }));
  const txs: TransactionRequest[] = ['410100', '410200'].flatMap((city) => [
    pair(`hn:${city}:reserve-2025`, '2025-12-20', city, '3001', '3101', 6_000_000),
    pair(`hn:${city}:contrib-2026`, '2026-06-15', city, '1002', '4101', 10_000_000),
  ]);
  await must(postTransactions(t.db, f.system, txs));
}

function pair(
  id: string,
  date: string,
  segment: string,
  dr: string,
  cr: string,
  amountFen: number,
): TransactionRequest {
  return {
    id,
    effectiveDate: date,
    source: { type: 'test', id },
    postings: [
      { segment, account: dr, side: 'debit', amountFen },
      { segment, account: cr, side: 'credit', amountFen },
    ],
  };
}

async function reserveState(city: string): Promise<unknown> {
  const r = await t.db.query(`SELECT id FROM ledger_transactions WHERE id LIKE $1 ORDER BY id`, [
    `reserve:${city}:${RESERVE_YEAR}:%`,
  ]);
  const balances = await accountBalances(t.db, { segment: 'all' });
  const credit = (segment: string) =>
    balances.find((b) => b.segment === segment && b.account === '3101')?.creditPostedFen ?? 0;
  const audit = await t.db.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'pooling.reserve.reduced' AND object = $1`,
    [`reserve/${city}/${RESERVE_YEAR}`],
  );
  return {
    transactions: rowsOf(r, (x) => textOf(x, 'id')),
    cityReserveFen: credit(city),
    provinceReserveFen: credit(HENAN),
    reducedEvents: rowsOf(audit, (x) => intOf(x, 'n'))[0],
  };
}

/** 郑州 under a 3 % reduced ratio: 300 000 fen, split 2 : 5 (85 714 + 214 286). */
const reserveMovement: Movement = {
  name: 'reserve reduction with postings (pooling.reserve_reduction)',
  region: HENAN,
  people: henanPeople,
  ask: async (maker, policy) =>
    (
      await requestReserveReduction(t.db, maker, {
        city: '410100',
        year: RESERVE_YEAR,
        params: reserveParams,
        policy,
      })
    ).id,
  // The same city and year at another ratio (the committed demo "0").
  other: async () =>
    (
      await requestReserveReduction(t.db, henanPeople().maker, {
        city: '410100',
        year: RESERVE_YEAR,
        params: pooling,
      })
    ).id,
  apply: (approvalId) =>
    setAsideReserve(t.db, henanPeople().maker, {
      city: '410100',
      year: RESERVE_YEAR,
      params: reserveParams,
      approvalId,
    }),
  state: () => reserveState('410100'),
  applied: () => ({
    transactions: [
      `reserve:410100:${RESERVE_YEAR}:city`,
      `reserve:410100:${RESERVE_YEAR}:province`,
    ],
    cityReserveFen: 6_000_000 + 214_286,
    provinceReserveFen: 85_714,
    reducedEvents: 0,
  }),
  posts: 2,
  again: 'ok',
};

/** 开封 under the committed demo ratio "0": the set-aside stops; nothing posts. */
const zeroReserveMovement: Movement = {
  name: 'reserve reduction to zero (pooling.reserve_reduction, nothing to post)',
  region: HENAN,
  people: henanPeople,
  ask: async (maker, policy) =>
    (
      await requestReserveReduction(t.db, maker, {
        city: '410200',
        year: RESERVE_YEAR,
        params: pooling,
        policy,
      })
    ).id,
  // The same city, the next year.
  other: async () =>
    (
      await requestReserveReduction(t.db, henanPeople().maker, {
        city: '410200',
        year: RESERVE_YEAR + 1,
        params: pooling,
      })
    ).id,
  apply: (approvalId) =>
    setAsideReserve(t.db, henanPeople().maker, {
      city: '410200',
      year: RESERVE_YEAR,
      params: pooling,
      approvalId,
    }),
  state: () => reserveState('410200'),
  applied: () => ({
    transactions: [],
    cityReserveFen: 6_000_000,
    // 郑州's share, posted by the movement above.
    provinceReserveFen: 85_714,
    reducedEvents: 1,
  }),
  posts: 0,
  again: 'ok',
};

// --- prevention-fee cap raise ------------------------------------------------------------------

async function capState(): Promise<unknown> {
  const cap = await capRatioFor(t.db, pooling, '330000', CAP_YEAR, `${CAP_YEAR}-06-01`);
  const r = await t.db.query(
    `SELECT cap_ratio, approval_id, maker, checker FROM pooling_prevention_cap_grants
      WHERE province = '330000' AND year = $1`,
    [CAP_YEAR],
  );
  const grants = rowsOf(r, (x) => ({
    ratio: textOf(x, 'cap_ratio'),
    approvalId: textOf(x, 'approval_id'),
    maker: textOf(x, 'maker'),
    checker: textOf(x, 'checker'),
  }));
  return { cap, grants };
}

const capMovement: Movement = {
  name: 'prevention-fee cap raise (fund.prevention_cap_raise)',
  region: '330000',
  people: fundPeople,
  ask: async (maker, policy) =>
    (
      await requestPreventionCapRaise(t.db, maker, {
        province: '330000',
        year: CAP_YEAR,
        ratio: '0.04',
        policy,
      })
    ).id,
  // The same province and year at a higher ratio.
  other: async () =>
    (
      await requestPreventionCapRaise(t.db, f.maker, {
        province: '330000',
        year: CAP_YEAR,
        ratio: '0.045',
      })
    ).id,
  apply: (approvalId) =>
    grantPreventionCap(t.db, f.maker, {
      province: '330000',
      year: CAP_YEAR,
      ratio: '0.04',
      approvalId,
      params: pooling,
    }),
  state: capState,
  applied: (approvalId) => ({
    cap: { ratio: '0.04', source: 'grant' },
    grants: [{ ratio: '0.04', approvalId, maker: 'fund-maker', checker: 'fund-checker' }],
  }),
  posts: 0,
  again: 'approval.already_used',
};

const movements: readonly Movement[] = [
  budgetMovement,
  periodMovement,
  reserveMovement,
  zeroReserveMovement,
  capMovement,
];

// --- the acceptance ----------------------------------------------------------------------------

/** Refused: unknown, pending, decided by the maker or the maker's role, another payload, expired. */
async function refusals(m: Movement, pending: string): Promise<void> {
  const { maker, sameRole, checker } = m.people();
  expect(codeOf(await m.apply(NO_SUCH))).toBe('approval.not_found');
  expect(codeOf(await m.apply(pending))).toBe('approval.not_approved');
  expect(codeOf(await decide(m, maker, pending))).toBe('approval.self_approval');
  expect(codeOf(await decide(m, sameRole, pending))).toBe('approval.same_role');
  expect(await approvalStatus(pending)).toBe('pending');
  const other = await approved(m, m.other());
  expect(codeOf(await m.apply(other))).toBe('approval.payload_mismatch');
  expect(await approvalStatus(other)).toBe('approved');
  const shortLived = { ...DEFAULT_APPROVAL_POLICY, ttlMs: 1_500 };
  const expiring = await m.ask(maker, shortLived);
  expect(codeOf(await decide(m, checker, expiring))).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 1_600));
  expect(codeOf(await m.apply(expiring))).toBe('approval.expired');
}

async function movementAcceptance(m: Movement): Promise<void> {
  const pending = await m.ask(m.people().maker, DEFAULT_APPROVAL_POLICY);
  const before = await m.state();
  const count = await transactionCount(t.db);
  await refusals(m, pending);
  expect(await m.state()).toEqual(before);
  expect(await transactionCount(t.db)).toBe(count);
  // The right one: applied once.
  expect(codeOf(await decide(m, m.people().checker, pending))).toBe('ok');
  expect(codeOf(await m.apply(pending))).toBe('ok');
  expect(await approvalStatus(pending)).toBe('consumed');
  const after = await m.state();
  expect(after).toEqual(m.applied(pending));
  expect(await transactionCount(t.db)).toBe(count + m.posts);
  // A second use: nothing more.
  expect(codeOf(await m.apply(pending))).toBe(m.again);
  expect(await m.state()).toEqual(after);
  expect(await transactionCount(t.db)).toBe(count + m.posts);
}

/** After the year's approval, 温州 submits: the consumed approval does not approve it. */
async function budgetApprovalUsedOnce(): Promise<void> {
  const wz = { regionCode: '330300', year: BUDGET_YEAR };
  await must(saveBudgetLines(t.db, f.maker, { ...wz, lines: budgetLines(3_000_000) }));
  await must(submitBudget(t.db, f.maker, wz));
  await must(consolidateBudgets(t.db, f.maker, { regionCode: '330000', year: BUDGET_YEAR }));
  const [approvedBudget] = await listBudgets(t.db, { regionCode: '330100', year: BUDGET_YEAR });
  const used = approvedBudget?.approvalId;
  if (!used) throw new Error('杭州’s 2031 budget is not approved');
  const r = await approveBudgets(t.db, f.maker, {
    regionCode: '330000',
    year: BUDGET_YEAR,
    approvalId: used,
  });
  expect(codeOf(r)).toBe('approval.already_used');
  const list = await listBudgets(t.db, { regionCode: '330000', year: BUDGET_YEAR });
  expect(list.map((b) => [b.regionCode, b.status])).toEqual([
    ['330100', 'approved'],
    ['330200', 'approved'],
    ['330300', 'consolidated'],
  ]);
}

/** The consumed close of 2031-01 does not close 2031-02. */
async function periodApprovalUsedOnce(): Promise<void> {
  const rows = await t.db.query(
    `SELECT p.close_approval_id FROM ledger_periods p JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.code = $1 AND p.month = '2031-01-01'`,
    [PERIOD_CITY],
  );
  const used = rowsOf(rows, (x) => textOrNullOf(x, 'close_approval_id'))[0];
  if (!used) throw new Error('2031-01 is not closed');
  const r = await closePeriod(t.db, periodPeople().maker, {
    segment: PERIOD_CITY,
    period: '2031-02',
    approvalId: used,
  });
  expect(codeOf(r)).toBe('approval.already_used');
  expect(await periodState()).toEqual([
    expect.objectContaining({ period: '2031-01', status: 'closed' }),
    { period: '2031-02', status: 'open', approvalId: null, checker: null },
  ]);
}

async function addUsers(): Promise<void> {
  for (const [id, role, kind, code] of [
    ['hu-handler', 'city_handler', 'city', PERIOD_CITY],
    ['hu-handler2', 'city_handler', 'city', PERIOD_CITY],
    ['hn-maker', 'province_fund_manager', 'province', HENAN],
    ['hn-maker2', 'province_fund_manager', 'province', HENAN],
    ['hn-checker', 'supervisor', 'province', HENAN],
  ])
    await t.db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $2, $3, $4::text, $4::text, 'x')`,
      [id, role, kind, code],
    );
}

describe(`maker-checker on budgets, period close, reserve and prevention cap on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    f = await setUpFundLedger(t.db, { cities: ['330100', '330200', '330300', PERIOD_CITY] });
    await setUpHenan();
    await addUsers();
    for (const period of ['2031-01', '2031-02'])
      await must(openPeriod(t.db, f.system, { segment: PERIOD_CITY, period }));
    await setUpBudgets();
  });
  afterAll(async () => t.cleanup());

  for (const m of movements)
    it(`${m.name}: refused without the right approval, by the maker's role, expired; applied once`, () =>
      movementAcceptance(m));

  it(
    'a consumed budget approval does not approve a budget consolidated later',
    budgetApprovalUsedOnce,
  );

  it('a consumed period-close approval does not close another period', periodApprovalUsedOnce);
});
