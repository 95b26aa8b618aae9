import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { regions, users } from '../../db/schema.ts';
import type { BudgetLine } from '../../domain/fund/budgets/budget.ts';
import {
  type BenefitKind,
  benefitExpenseAccount,
  benefitKinds,
} from '../../domain/fund/ledger/accounts.ts';
import type { PostingRequest, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import { periodsBetween } from '../../domain/fund/ledger/periods.ts';
import {
  allocationTransactions,
  sweepTransactions,
} from '../../domain/fund/pooling/unified-postings.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { allocateLargestRemainder } from '../../kernel/money.ts';
import { randomInt, seededRandom } from '../../kernel/random.ts';
import { decideApproval } from '../approvals/approvals.ts';
import {
  approveBudgets,
  consolidateBudgets,
  getBudget,
  saveBudgetLines,
  submitBudget,
} from '../fund/budgets/budgets.ts';
import { provisionAccounts } from '../fund/ledger/accounts.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { openPeriod } from '../fund/ledger/periods.ts';

/**
 * Demo data of the fund (issue 4 item 11), deterministic from the seed number and idempotent:
 * provisions the ledger of the province, its adjustment fund and every city; opens the monthly
 * periods of FUND_DEMO_YEARS; posts opening balances (原基金结余) and three years of plausible
 * monthly flows per city (contributions scaled by the city's insured workers, benefits by kind,
 * appraisal costs, the prevention fee under its 3 % cap, quarterly interest); and a FUND_DEMO_BUDGET_YEAR
 * budget per city and for the province (approved for some cities through the real maker-checker
 * flow, submitted or draft for others). Transaction ids are `demo-fund:<segment>:<period>:<kind>`,
 * so a rerun posts nothing. Amounts are integer fen; the PRNG only draws integers.
 *
 * From FUND_DEMO_UNIFIED_FROM (浙江 pools by 统收统支 from 2024) each city's contributions of the
 * month are swept to the province (`unified:sweep:<city>:<period>`, the same ids and requests as
 * `sweepCityMonth`) and the province allocates the month's own spending of the city
 * (`unified:allocation:demo-<city>-<period>`, on the 5th), so cities pay benefits from
 * allocations. Every city and the province also get an approved FUND_DEMO_UNIFIED_BUDGET_YEAR
 * budget, so that year's unified gap sharing can be run on the demo. The quarterly interest of a
 * city is still computed on its pre-sweep balance (kept so that ledgers seeded before the sweep
 * was added take the new transactions without an idempotency conflict).
 */
export const FUND_DEMO_YEARS = [2023, 2024, 2025] as const;
export const FUND_DEMO_BUDGET_YEAR = 2025;
export const FUND_DEMO_UNIFIED_FROM = 2024;
export const FUND_DEMO_UNIFIED_BUDGET_YEAR = 2024;
/** Opening balances are taken over on the last day before the first demo year. */
export const FUND_DEMO_OPENING_PERIOD = `${FUND_DEMO_YEARS[0] - 1}-12`;

export type FundSeedReport = {
  segmentsCreated: number;
  periodsOpened: number;
  transactionsCreated: number;
  transactionsExisting: number;
  budgetsCreated: number;
  budgetsApproved: number;
  /** Set when the ledger already holds demo transactions from another seed number (nothing posted). */
  conflict: string | null;
  ms: number;
};

/** Benefit mix in per-mille of the month's benefit spending (sums to 1000). */
const BENEFIT_MIX: Record<BenefitKind, number> = {
  medical: 300,
  hospital_food: 15,
  travel_for_treatment: 10,
  rehabilitation: 25,
  assistive_device: 10,
  nursing: 50,
  disability_lump_sum: 180,
  disability_allowance: 150,
  separation_medical_grant: 60,
  funeral: 25,
  survivor_pension: 75,
  death_lump_sum: 100,
};

/** Yearly growth of contributions in percent, per demo year. */
const GROWTH: Record<number, number> = { 2023: 100, 2024: 104, 2025: 107 };

type City = { code: string; workers: number };

type BudgetBasis = Map<string, { prevContributionFen: number; lines: BudgetLine[] }>;

type Plan = {
  transactions: TransactionRequest[];
  /** Per city: annual contribution and spending by account in the budget year, for the budgets. */
  budgetBasis: BudgetBasis;
  /** The same for the unified budget year (every city approved). */
  unifiedBudgetBasis: BudgetBasis;
};

function pct(amount: number, percent: number): number {
  return Math.floor((amount * percent) / 100);
}

function tx(
  segment: string,
  period: string,
  kind: string,
  day: string,
  memo: string,
  postings: PostingRequest[],
): TransactionRequest {
  const id = `demo-fund:${segment}:${period}:${kind}`;
  return {
    id,
    effectiveDate: `${period}-${day}`,
    source: { type: `demo.${kind}`, id },
    memo,
    postings,
  };
}

function leg(
  segment: string,
  account: string,
  side: 'debit' | 'credit',
  amountFen: number,
): PostingRequest {
  return { segment, account, side, amountFen };
}

function benefitLegs(segment: string, totalFen: number): PostingRequest[] {
  const parts = allocateLargestRemainder(
    BigInt(totalFen),
    benefitKinds.map((k) => BigInt(BENEFIT_MIX[k])),
  );
  const legs: PostingRequest[] = [];
  benefitKinds.forEach((k, i) => {
    const a = Number(parts[i]);
    if (a > 0) legs.push(leg(segment, benefitExpenseAccount[k], 'debit', a));
  });
  legs.push(leg(segment, '1001', 'credit', totalFen));
  return legs;
}

/** The whole demo ledger as transaction requests (pure, deterministic from the seed). */
export function planFundDemo(seed: number, province: string, cities: readonly City[]): Plan {
  const rand = seededRandom((seed ^ 0x0f0d_2019) >>> 0);
  const plan: Plan = { transactions: [], budgetBasis: new Map(), unifiedBudgetBasis: new Map() };
  const first = `${FUND_DEMO_YEARS[0]}-01`;
  const last = `${FUND_DEMO_YEARS[FUND_DEMO_YEARS.length - 1]}-12`;
  const periods = periodsBetween(first, last);
  let openingsTotal = 0;
  // The order of the draws from `rand` is the plan: cities first, in order, then the province.
  for (const c of cities) openingsTotal += planCity(rand, province, c, periods, plan);
  planProvince(rand, province, openingsTotal, periods, plan);
  return plan;
}

type Rand = () => number;
type CityPlan = { code: string; province: string; baseMonthly: number; spendPct: number };
type YearTotals = Map<number, Map<string, number>>;

/** A city's opening balance and monthly flows; answers the opening balance. */
function planCity(
  rand: Rand,
  province: string,
  c: City,
  periods: readonly string[],
  plan: Plan,
): number {
  const perWorker = randomInt(rand, 2_600, 4_200); // fen per insured worker and month
  const baseMonthly = c.workers * perWorker;
  const spendPct = randomInt(rand, 78, 108);
  const openingMonths = randomInt(rand, 5, 22);
  const opening = pct(baseMonthly, spendPct) * openingMonths;
  plan.transactions.push(
    tx(c.code, FUND_DEMO_OPENING_PERIOD, 'opening', '31', '原基金结余 opening balance taken over', [
      leg(c.code, '1001', 'debit', opening),
      leg(c.code, '3001', 'credit', opening),
    ]),
  );
  const city: CityPlan = { code: c.code, province, baseMonthly, spendPct };
  let balance = opening;
  const yearTotals: YearTotals = new Map();
  for (const p of periods)
    balance = planCityMonth(rand, city, p, balance, yearTotals, plan.transactions);
  plan.budgetBasis.set(c.code, cityBudgetBasis(yearTotals.get(FUND_DEMO_BUDGET_YEAR - 1)));
  plan.unifiedBudgetBasis.set(
    c.code,
    cityBudgetBasis(yearTotals.get(FUND_DEMO_UNIFIED_BUDGET_YEAR - 1)),
  );
  return opening;
}

/** One month of a city: contributions, benefits, appraisal, prevention, quarterly interest. */
function planCityMonth(
  rand: Rand,
  c: CityPlan,
  p: string,
  balanceBefore: number,
  yearTotals: YearTotals,
  transactions: TransactionRequest[],
): number {
  const year = Number(p.slice(0, 4));
  const month = Number(p.slice(5, 7));
  const base = pct(c.baseMonthly, GROWTH[year] ?? 100);
  const contribution = pct(base, randomInt(rand, 92, 108));
  const benefits = pct(pct(base, c.spendPct), randomInt(rand, 85, 115));
  // 1.0–1.4 % of the month's contributions.
  const appraisalFen = Math.max(1, Math.floor((base * randomInt(rand, 10, 14)) / 1000));
  const prevention = Math.max(1, Math.floor((base * 2) / 100));
  const totals = yearTotals.get(year) ?? new Map<string, number>();
  yearTotals.set(year, totals);
  const add = (account: string, amount: number) =>
    totals.set(account, (totals.get(account) ?? 0) + amount);
  transactions.push(
    tx(c.code, p, 'contribution', '15', '工伤保险费收入 contributions collected', [
      leg(c.code, '1001', 'debit', contribution),
      leg(c.code, '4101', 'credit', contribution),
    ]),
    tx(
      c.code,
      p,
      'benefits',
      '25',
      '工伤保险待遇支出 benefits paid',
      benefitLegs(c.code, benefits),
    ),
    tx(c.code, p, 'appraisal', '20', '劳动能力鉴定费 appraisal costs', [
      leg(c.code, '5201', 'debit', appraisalFen),
      leg(c.code, '1001', 'credit', appraisalFen),
    ]),
    tx(c.code, p, 'prevention', '28', '工伤预防费 prevention projects', [
      leg(c.code, '5202', 'debit', prevention),
      leg(c.code, '1001', 'credit', prevention),
    ]),
  );
  if (year >= FUND_DEMO_UNIFIED_FROM) {
    transactions.push(
      ...allocationTransactions({
        allocationId: `demo-${c.code}-${p}`,
        city: c.code,
        effectiveDate: `${p}-05`,
        amountFen: benefits + appraisalFen + prevention,
        memo: `${p} 基金拨付 ${c.province} → ${c.code}`,
      }),
      ...sweepTransactions({ city: c.code, period: p, amountFen: contribution }),
    );
  }
  add('4101', contribution);
  add('benefits', benefits);
  add('5201', appraisalFen);
  add('5202', prevention);
  let balance = balanceBefore + contribution - benefits - appraisalFen - prevention;
  if (month % 3 === 0 && balance > 0) {
    // 结息: 0.35 % a year on the balance, paid quarterly (demo rate).
    const interest = Math.floor((balance * 35) / 40_000);
    if (interest > 0) {
      transactions.push(
        tx(c.code, p, 'interest', '20', '利息收入 quarterly interest', [
          leg(c.code, '1001', 'debit', interest),
          leg(c.code, '4103', 'credit', interest),
        ]),
      );
      add('4103', interest);
      balance += interest;
    }
  }
  return balance;
}

/** The province segment (provincial appraisal and prevention projects) and the adjustment fund. */
function planProvince(
  rand: Rand,
  province: string,
  openingsTotal: number,
  periods: readonly string[],
  plan: Plan,
): void {
  const { transactions } = plan;
  const adj = `${province}-ADJ`;
  const provinceOpening = pct(openingsTotal, 4);
  const adjOpening = pct(openingsTotal, 2);
  transactions.push(
    tx(province, FUND_DEMO_OPENING_PERIOD, 'opening', '31', '省级基金结余 opening balance', [
      leg(province, '1001', 'debit', provinceOpening),
      leg(province, '3001', 'credit', provinceOpening),
    ]),
    tx(adj, FUND_DEMO_OPENING_PERIOD, 'opening', '31', '省级调剂金结余 opening balance', [
      leg(adj, '1001', 'debit', adjOpening),
      leg(adj, '3001', 'credit', adjOpening),
    ]),
  );
  const provinceMonthly = Math.max(100, Math.floor(provinceOpening / 200));
  let provinceSpent = 0;
  for (const p of periods) {
    const appraisal = pct(provinceMonthly, randomInt(rand, 30, 50));
    const prevention = pct(provinceMonthly, randomInt(rand, 20, 40));
    provinceSpent += appraisal + prevention;
    transactions.push(
      tx(province, p, 'appraisal', '20', '省级劳动能力鉴定费 appraisal costs', [
        leg(province, '5201', 'debit', appraisal),
        leg(province, '1001', 'credit', appraisal),
      ]),
      tx(province, p, 'prevention', '28', '省级工伤预防项目 prevention projects', [
        leg(province, '5202', 'debit', prevention),
        leg(province, '1001', 'credit', prevention),
      ]),
    );
    if (Number(p.slice(5, 7)) % 3 === 0) {
      const interest = Math.floor(((provinceOpening - provinceSpent) * 35) / 40_000);
      const adjInterest = Math.floor((adjOpening * 35) / 40_000);
      if (interest > 0)
        transactions.push(
          tx(province, p, 'interest', '20', '利息收入 quarterly interest', [
            leg(province, '1001', 'debit', interest),
            leg(province, '4103', 'credit', interest),
          ]),
        );
      if (adjInterest > 0)
        transactions.push(
          tx(adj, p, 'interest', '20', '利息收入 quarterly interest', [
            leg(adj, '1001', 'debit', adjInterest),
            leg(adj, '4103', 'credit', adjInterest),
          ]),
        );
    }
  }
  const provinceBasis = {
    prevContributionFen: 0,
    lines: [
      { account: '4103', amountFen: Math.floor((provinceOpening * 35) / 10_000) },
      { account: '5201', amountFen: pct(provinceMonthly * 12, 40) },
      { account: '5202', amountFen: pct(provinceMonthly * 12, 30) },
    ],
  };
  plan.budgetBasis.set(province, provinceBasis);
  plan.unifiedBudgetBasis.set(province, provinceBasis);
}

/** A city's budget: the previous year's actuals grown by 3 %, benefits split by the mix. */
function cityBudgetBasis(prev: Map<string, number> = new Map()): {
  prevContributionFen: number;
  lines: BudgetLine[];
} {
  const grow = (v: number) => pct(v, 103);
  const benefitsBudget = grow(prev.get('benefits') ?? 0);
  const split = allocateLargestRemainder(
    BigInt(benefitsBudget),
    benefitKinds.map((k) => BigInt(BENEFIT_MIX[k])),
  );
  const prevContribution = prev.get('4101') ?? 0;
  const lines: BudgetLine[] = [
    { account: '4101', amountFen: grow(prevContribution) },
    { account: '4103', amountFen: grow(prev.get('4103') ?? 0) },
    ...benefitKinds.map((k, i) => ({
      account: benefitExpenseAccount[k],
      amountFen: Number(split[i]),
    })),
    { account: '5201', amountFen: grow(prev.get('5201') ?? 0) },
    // Under the cap: 2.5 % of the previous year's contribution income (cap 3 %).
    { account: '5202', amountFen: Math.floor((prevContribution * 25) / 1000) },
  ];
  return { prevContributionFen: prevContribution, lines };
}

async function demoActor(db: Database, username: string, requestId: string): Promise<Actor | null> {
  const [u] = await db.withConnection((ex) =>
    ex.orm
      .select({
        id: users.id,
        username: users.username,
        role: users.role,
        scopeKind: users.scopeKind,
        scopeCode: users.scopeCode,
      })
      .from(users)
      .where(eq(users.username, username)),
  );
  if (!u) return null;
  return {
    userId: u.id,
    username: u.username,
    role: u.role,
    scopeKind: u.scopeKind,
    scopeCode: u.scopeCode,
    permissions: rolePermissions[u.role],
    requestId,
  };
}

async function seedBudgets(
  db: Database,
  actor: Actor,
  province: string,
  cities: readonly City[],
  basis: BudgetBasis,
  year: number,
  /** How many cities (in code order) get an approved budget; the next three submitted, the rest drafts. */
  approvedCities: number,
): Promise<{ created: number; approved: number }> {
  const maker = await demoActor(db, 'province.fund', actor.requestId);
  const checker = await demoActor(db, 'province.supervisor', actor.requestId);
  const approvedGroup = [province, ...cities.slice(0, approvedCities).map((c) => c.code)];
  const submittedGroup = cities.slice(approvedCities, approvedCities + 3).map((c) => c.code);
  let created = 0;
  const compile = async (codes: readonly string[], submit: boolean) => {
    for (const code of codes) {
      if ((await getBudget(db, { regionCode: code, year })).ok) continue;
      const lines = basis.get(code)?.lines ?? [];
      const s = await saveBudgetLines(db, actor, { regionCode: code, year, lines });
      if (!s.ok) throw new Error(`seed: budget ${code}: ${s.message}`);
      created += 1;
      if (submit) {
        const sub = await submitBudget(db, actor, { regionCode: code, year });
        if (!sub.ok) throw new Error(`seed: submit ${code}: ${sub.message}`);
      }
    }
  };
  await compile(approvedGroup, true);
  let approved = 0;
  const pending = await Promise.all(
    approvedGroup.map((code) => getBudget(db, { regionCode: code, year })),
  );
  if (maker && checker && pending.some((b) => b.ok && b.value.status !== 'approved')) {
    const c = await consolidateBudgets(db, maker, { regionCode: province, year });
    if (!c.ok) throw new Error(`seed: consolidate: ${c.message}`);
    const d = await decideApproval(db, checker, {
      regionCode: province,
      id: c.value.approvalId,
      decision: 'approved',
    });
    if (!d.ok) throw new Error(`seed: approve: ${d.message}`);
    const a = await approveBudgets(db, maker, {
      regionCode: province,
      year,
      approvalId: c.value.approvalId,
    });
    if (!a.ok) throw new Error(`seed: approve budgets: ${a.message}`);
    approved = a.value.approved.length;
  }
  await compile(submittedGroup, true);
  await compile(
    cities.slice(approvedCities + 3).map((c) => c.code),
    false,
  );
  return { created, approved };
}

export async function seedFundDemo(
  db: Database,
  actor: Actor,
  options: { seed: number; province?: string },
): Promise<FundSeedReport> {
  const started = performance.now();
  const province = options.province ?? '330000';
  const cityRows = await db.withConnection((ex) =>
    ex.orm
      .select({ code: regions.code, workers: regions.insuredWorkers })
      .from(regions)
      .where(and(eq(regions.parentCode, province), eq(regions.level, 'city')))
      .orderBy(regions.code),
  );
  if (cityRows.length === 0)
    throw new Error(`seed: no cities of ${province} in regions (run the platform seed first)`);
  const cities = cityRows;
  const { segmentsCreated, periodsOpened } = await provisionAndOpen(db, actor, province, cities);
  const plan = planFundDemo(options.seed, province, cities);
  const posted = await postPlan(db, actor, plan.transactions);
  const budgets = { created: 0, approved: 0 };
  if (posted.conflict === null)
    for (const b of [
      // Approved: the province and the first six cities; submitted: the next three; drafts: the rest.
      await seedBudgets(db, actor, province, cities, plan.budgetBasis, FUND_DEMO_BUDGET_YEAR, 6),
      // The unified year's gap sharing needs every city's approved budget.
      await seedBudgets(
        db,
        actor,
        province,
        cities,
        plan.unifiedBudgetBasis,
        FUND_DEMO_UNIFIED_BUDGET_YEAR,
        cities.length,
      ),
    ]) {
      budgets.created += b.created;
      budgets.approved += b.approved;
    }
  return {
    segmentsCreated,
    periodsOpened,
    transactionsCreated: posted.created,
    transactionsExisting: posted.existing,
    budgetsCreated: budgets.created,
    budgetsApproved: budgets.approved,
    conflict: posted.conflict,
    ms: Math.round(performance.now() - started),
  };
}

/** Provisions the province's and every city's ledger and opens every demo period. */
async function provisionAndOpen(
  db: Database,
  actor: Actor,
  province: string,
  cities: readonly { code: string }[],
): Promise<{ segmentsCreated: number; periodsOpened: number }> {
  let segmentsCreated = 0;
  for (const code of [province, ...cities.map((c) => c.code)]) {
    const p = await provisionAccounts(db, actor, { regionCode: code });
    if (!p.ok) throw new Error(`seed: provision ${code}: ${p.message}`);
    segmentsCreated += p.value.segmentsCreated.length;
  }
  let periodsOpened = 0;
  for (const p of periodsBetween(
    FUND_DEMO_OPENING_PERIOD,
    `${FUND_DEMO_YEARS[FUND_DEMO_YEARS.length - 1]}-12`,
  )) {
    const o = await openPeriod(db, actor, { segment: 'all', period: p });
    if (!o.ok) throw new Error(`seed: open ${p}: ${o.message}`);
    periodsOpened += o.value.opened.length;
  }
  return { segmentsCreated, periodsOpened };
}

/** Posts the plan one year per batch; a different earlier seed is a conflict, reported, not thrown. */
async function postPlan(
  db: Database,
  actor: Actor,
  transactions: readonly TransactionRequest[],
): Promise<{ created: number; existing: number; conflict: string | null }> {
  const out: { created: number; existing: number; conflict: string | null } = {
    created: 0,
    existing: 0,
    conflict: null,
  };
  const years = [...new Set(transactions.map((t) => t.effectiveDate.slice(0, 4)))].sort();
  for (const year of years) {
    const batch = transactions.filter((t) => t.effectiveDate.startsWith(year));
    const r = await postTransactions(db, actor, batch, { auditAction: 'seed.fund_demo.post' });
    if (!r.ok) {
      if (r.code !== 'ledger.idempotency_conflict')
        throw new Error(`seed: post ${year}: ${r.message}`);
      out.conflict = `the demo ledger was seeded with another seed number (${r.message}); nothing more posted`;
      break;
    }
    for (const p of r.value)
      if (p.status === 'created') out.created += 1;
      else out.existing += 1;
  }
  return out;
}
