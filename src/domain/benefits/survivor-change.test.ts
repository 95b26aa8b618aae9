import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import {
  recomputedAmounts,
  type SurvivorChangeInput,
  type SurvivorDependant,
  type SurvivorEvent,
  type SurvivorPaidLine,
  survivorChangePlan,
  survivorPayableTransaction,
} from './survivor-change.ts';

/**
 * Hand-computed (《工伤保险条例》第三十九条第一款第（二）项: spouse 40 %, other relatives 30 %, the sum not
 * above the worker's wage before death). 本人工资 W = 6 000.00 元 (600 000 fen, within 60–300 % of the
 * 8 000.00 average), wage before death 5 500.00 元. Spouse 240 000 + two children 180 000 each =
 * 600 000 > 550 000: the cap is split 4:3:3 → 220 000, 165 000, 165 000. Pensions from 2025-07.
 */
const rules = testRuleBook().benefits;
const calculationInput = {
  region: '330000',
  kind: 'death',
  injuryDate: '2025-06-01',
  deathDate: '2025-06-01',
  deathCircumstance: 'injury',
  monthlyWagesFen: [600000],
  preDeathMonthlyWageFen: 550000,
  dependants: [
    { relation: 'spouse', orphanOrSoleElder: false },
    { relation: 'child', orphanOrSoleElder: false },
    { relation: 'child', orphanOrSoleElder: false },
  ],
  overrides: { averageMonthlyWageFen: 800000, nationalUrbanDisposableIncomeFen: 5418800 },
};

function dependant(ordinal: number, relation: string, amountFen: number): SurvivorDependant {
  return {
    dependantId: `dep_${ordinal}`,
    ordinal,
    relation,
    endedForGood: false,
    suspended: null,
    pension: { id: `ent_${ordinal}`, amountFen, startsOn: '2025-07-01', endsOn: null },
    bonusByChange: false,
  };
}

const family = [
  dependant(0, 'spouse', 220000),
  dependant(1, 'child', 165000),
  dependant(2, 'child', 165000),
];
const runMonths = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11'];

/** Every month line of the posted runs paid, at the recorded amounts. */
function paidLines(deps: readonly SurvivorDependant[]): SurvivorPaidLine[] {
  return deps.flatMap((d) =>
    runMonths.map((month) => ({
      id: `pln_${d.ordinal}_${month}`,
      entitlementId: d.pension?.id ?? '',
      month,
      paidFen: d.pension?.amountFen ?? 0,
      status: 'paid' as const,
      reissue: false,
    })),
  );
}

function input(event: SurvivorEvent, over: Partial<SurvivorChangeInput> = {}): SurvivorChangeInput {
  return {
    regionCode: '330100',
    changeId: 'bsc_test',
    event,
    dependants: family,
    calculationInput,
    rules,
    agedOutOn: null,
    runMonths: [],
    paid: [],
    ruleOf: () => 'full_month',
    ...over,
  };
}

describe('the cap recomputed (the decision calculation over the dependants left)', () => {
  it('three dependants: 600 000 over the 550 000 cap, split 220 000 / 165 000 / 165 000', () => {
    const all = recomputedAmounts(calculationInput, [0, 1, 2], rules);
    expect(all.ok && [...all.value.entries()]).toEqual([
      [0, 220000],
      [1, 165000],
      [2, 165000],
    ]);
  });
  it('spouse and first child: 420 000 under the cap, each at the full rate', () => {
    const two = recomputedAmounts(calculationInput, [0, 1], rules);
    expect(two.ok && [...two.value.entries()]).toEqual([
      [0, 240000],
      [1, 180000],
    ]);
  });
});

describe('a child ages out (turns 18), recorded back-dated', () => {
  const event: SurvivorEvent = { dependantId: 'dep_2', kind: 'aged_out', eventOn: '2025-09-15' };
  const plan = survivorChangePlan(
    input(event, { agedOutOn: '2025-09-15', runMonths, paid: paidLines(family) }),
  );
  it('ends the child on 2025-09-30 (September paid whole) and raises the other two from October', () => {
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.lastPaidMonth).toBe('2025-09');
    expect(plan.value.ended).toEqual([
      {
        entitlementId: 'ent_2',
        dependantId: 'dep_2',
        amountFen: 165000,
        startsOn: '2025-07-01',
        endsOnBefore: null,
        endsOn: '2025-09-30',
      },
      {
        entitlementId: 'ent_0',
        dependantId: 'dep_0',
        amountFen: 220000,
        startsOn: '2025-07-01',
        endsOnBefore: null,
        endsOn: '2025-09-30',
      },
      {
        entitlementId: 'ent_1',
        dependantId: 'dep_1',
        amountFen: 165000,
        startsOn: '2025-07-01',
        endsOnBefore: null,
        endsOn: '2025-09-30',
      },
    ]);
    expect(
      plan.value.started.map((s) => [s.dependantId, s.beforeFen, s.amountFen, s.startsOn]),
    ).toEqual([
      ['dep_0', 220000, 240000, '2025-10-01'],
      ['dep_1', 165000, 180000, '2025-10-01'],
    ]);
    expect(plan.value.recomputed).toBe(true);
  });
  it('October and November paid: overpaid 2 × 165 000 = 330 000; arrears 2 × 20 000 + 2 × 15 000 = 70 000', () => {
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.value.overpayment).toEqual({
      entitlementId: 'ent_2',
      dependantId: 'dep_2',
      amountFen: 330000,
      months: ['2025-10', '2025-11'],
      lineIds: ['pln_2_2025-10', 'pln_2_2025-11'],
    });
    expect(plan.value.months.map((m) => m.differenceFen)).toEqual([20000, 20000, 15000, 15000]);
    expect(plan.value.arrears).toEqual({ account: '5111', amountFen: 70000 });
    const tx = survivorPayableTransaction({
      changeId: 'bsc_test',
      segment: '330100',
      effectiveDate: '2025-12-05',
      arrears: { account: '5111', amountFen: 70000 },
    });
    expect(tx.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['5111', 'debit', 70000],
      ['2102', 'credit', 70000],
    ]);
  });
  it('a date other than the 18th birthday is refused', () => {
    const wrong = survivorChangePlan(
      input({ ...event, eventOn: '2025-09-14' }, { agedOutOn: '2025-09-15' }),
    );
    expect(!wrong.ok && wrong.code).toBe('benefit.survivor_age_mismatch');
  });
});

describe('a month failed and paid again by a reissue line, then a child ages out', () => {
  const event: SurvivorEvent = { dependantId: 'dep_2', kind: 'aged_out', eventOn: '2025-09-15' };
  it('October failed for all three and paid again by a reissue line: the month counts once', () => {
    // The bank failed October's three lines; November's run reissued them (paid). The child's
    // October is overpaid once (165 000, the reissue line, not the failed one), and the others'
    // October arrears stay 20 000 + 15 000 (the failed line counts as paid, the reissue does not).
    const failedOctober = paidLines(family).map((l) =>
      l.month === '2025-10' ? { ...l, status: 'failed' as const } : l,
    );
    const reissued = family.map((d) => ({
      id: `pln_r${d.ordinal}_2025-10`,
      entitlementId: d.pension?.id ?? '',
      month: '2025-10',
      paidFen: d.pension?.amountFen ?? 0,
      status: 'paid' as const,
      reissue: true,
    }));
    const again = survivorChangePlan(
      input(event, {
        agedOutOn: '2025-09-15',
        runMonths,
        paid: [...failedOctober, ...reissued],
      }),
    );
    if (!again.ok) throw new Error(again.message);
    expect(again.value.overpayment).toEqual({
      entitlementId: 'ent_2',
      dependantId: 'dep_2',
      amountFen: 330000,
      months: ['2025-10', '2025-11'],
      lineIds: ['pln_r2_2025-10', 'pln_2_2025-11'],
    });
    expect(again.value.arrears).toEqual({ account: '5111', amountFen: 70000 });
  });
});

describe('the other events', () => {
  it('the spouse remarries on 2025-08-20: children 180 000 each from September (360 000 ≤ cap)', () => {
    const plan = survivorChangePlan(
      input({ dependantId: 'dep_0', kind: 'remarried', eventOn: '2025-08-20' }),
    );
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.value.ended[0]).toEqual({
      entitlementId: 'ent_0',
      dependantId: 'dep_0',
      amountFen: 220000,
      startsOn: '2025-07-01',
      endsOnBefore: null,
      endsOn: '2025-08-31',
    });
    expect(plan.value.started.map((s) => [s.dependantId, s.amountFen, s.startsOn])).toEqual([
      ['dep_1', 180000, '2025-09-01'],
      ['dep_2', 180000, '2025-09-01'],
    ]);
    expect(plan.value.arrears).toBeNull();
    expect(plan.value.overpayment).toBeNull();
  });
  it('only a spouse remarries', () => {
    const plan = survivorChangePlan(
      input({ dependantId: 'dep_1', kind: 'remarried', eventOn: '2025-08-20' }),
    );
    expect(!plan.ok && plan.code).toBe('benefit.survivor_event_not_allowed');
  });
  it.each(['employed', 'adopted', 'died'] as const)(
    '%s: the child ends, the others recomputed',
    (kind) => {
      const plan = survivorChangePlan(input({ dependantId: 'dep_1', kind, eventOn: '2025-07-31' }));
      if (!plan.ok) throw new Error(plan.message);
      expect(plan.value.ended.map((e) => [e.entitlementId, e.endsOn])).toEqual([
        ['ent_1', '2025-07-31'],
        ['ent_0', '2025-07-31'],
        ['ent_2', '2025-07-31'],
      ]);
      expect(plan.value.started.map((s) => [s.dependantId, s.amountFen, s.startsOn])).toEqual([
        ['dep_0', 240000, '2025-08-01'],
        ['dep_2', 180000, '2025-08-01'],
      ]);
    },
  );
});

describe('suspension, release and refusals', () => {
  it('imprisoned: the pension suspended, the others not recomputed (the share is kept)', () => {
    const plan = survivorChangePlan(
      input({ dependantId: 'dep_1', kind: 'imprisoned', eventOn: '2025-08-03' }),
    );
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.value.ended).toEqual([
      {
        entitlementId: 'ent_1',
        dependantId: 'dep_1',
        amountFen: 165000,
        startsOn: '2025-07-01',
        endsOnBefore: null,
        endsOn: '2025-08-31',
      },
    ]);
    expect(plan.value.started).toEqual([]);
    expect(plan.value.recomputed).toBe(false);
  });
  it('released on 2025-11-10: the same 165 000 again from December; arrears for a paid December', () => {
    const suspended = { id: 'ent_1', amountFen: 165000, startsOn: '2025-07-01', endsOn: null };
    const deps = family.map((d) => (d.ordinal === 1 ? { ...d, pension: null, suspended } : d));
    const plan = survivorChangePlan(
      input(
        { dependantId: 'dep_1', kind: 'released', eventOn: '2025-11-10' },
        { dependants: deps, runMonths: [...runMonths, '2025-12'] },
      ),
    );
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.value.ended).toEqual([]);
    expect(plan.value.started.map((s) => [s.dependantId, s.amountFen, s.startsOn])).toEqual([
      ['dep_1', 165000, '2025-12-01'],
    ]);
    expect(plan.value.arrears).toEqual({ account: '5111', amountFen: 165000 });
  });
  it('a release without a suspension, and an event on an ended pension, are refused', () => {
    const notSuspended = survivorChangePlan(
      input({ dependantId: 'dep_1', kind: 'released', eventOn: '2025-08-03' }),
    );
    expect(!notSuspended.ok && notSuspended.code).toBe('benefit.survivor_not_suspended');
    const deps = family.map((d) =>
      d.ordinal === 1 && d.pension !== null
        ? { ...d, pension: { ...d.pension, endsOn: '2025-07-31' } }
        : d,
    );
    const gone = survivorChangePlan(
      input({ dependantId: 'dep_1', kind: 'died', eventOn: '2025-08-03' }, { dependants: deps }),
    );
    expect(!gone.ok && gone.code).toBe('benefit.survivor_pension_not_active');
  });
  it('a pension indexed since its computation whose share changes is refused', () => {
    const deps = family.map((d) =>
      d.ordinal === 0 && d.pension !== null
        ? { ...d, pension: { ...d.pension, amountFen: 226600 } }
        : d,
    );
    const plan = survivorChangePlan(
      input({ dependantId: 'dep_2', kind: 'died', eventOn: '2025-08-03' }, { dependants: deps }),
    );
    expect(!plan.ok && plan.code).toBe('benefit.survivor_pension_adjusted');
  });
  it('a dependant already ended for good cannot have another event', () => {
    const deps = family.map((d) =>
      d.ordinal === 2 ? { ...d, endedForGood: true, pension: null } : d,
    );
    const plan = survivorChangePlan(
      input({ dependantId: 'dep_2', kind: 'died', eventOn: '2025-08-03' }, { dependants: deps }),
    );
    expect(!plan.ok && plan.code).toBe('benefit.dependant_not_found');
  });
});

/**
 * 《工伤保险条例》第三十九条第一款第（二）项: "孤寡老人或者孤儿每人每月在上述标准的基础上增加10%". Hand figures:
 * - Two children left after the spouse's end (180 000 each, 360 000 under the 550 000 cap): the
 *   first becomes an orphan on 2025-10-20 → 30 % + 10 % = 40 % of 600 000 = 240 000 from 2025-11;
 *   the second is unchanged; with September and October posted (months before 2025-11), nothing
 *   is owed back.
 * - The three of the decision (cap binding): the first child's 10 % gives 240 000 + 240 000 +
 *   180 000 = 660 000 > 550 000, split 4:4:3 → 200 000 / 200 000 / 150 000: the spouse falls from
 *   220 000 and the second child from 165 000, the first child rises from 165 000, from the month
 *   after the event; a month already paid that would fall is refused.
 */
describe('a child becomes an orphan: the 10 % from the next month, the cap recomputed', () => {
  const left = [
    { ...dependant(0, 'spouse', 220000), endedForGood: true, pension: null },
    dependant(1, 'child', 180000),
    dependant(2, 'child', 180000),
  ];
  const event: SurvivorEvent = {
    dependantId: 'dep_1',
    kind: 'orphan_or_sole_elder',
    eventOn: '2025-10-20',
  };

  it('raises the orphan to 240 000 from 2025-11-01 and leaves the other child, the subject not ended for good', () => {
    const plan = survivorChangePlan(
      input(event, { dependants: left, runMonths: ['2025-09', '2025-10'], paid: [] }),
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.ended.map((e) => [e.entitlementId, e.endsOn])).toEqual([
      ['ent_1', '2025-10-31'],
    ]);
    expect(
      plan.value.started.map((s) => [s.predecessorId, s.beforeFen, s.amountFen, s.startsOn]),
    ).toEqual([['ent_1', 180000, 240000, '2025-11-01']]);
    expect([plan.value.recomputed, plan.value.arrears, plan.value.overpayment]).toEqual([
      true,
      null,
      null,
    ]);
  });

  it('back-dated over a posted month: the arrears of the 10 % (60 000 for 2025-11)', () => {
    const paid = [1, 2].map((o) => ({
      id: `pln_${o}_2025-11`,
      entitlementId: `ent_${o}`,
      month: '2025-11',
      paidFen: 180000,
      status: 'paid' as const,
      reissue: false,
    }));
    const plan = survivorChangePlan(
      input(event, { dependants: left, runMonths: ['2025-10', '2025-11'], paid }),
    );
    expect(plan.ok && plan.value.months).toEqual([
      {
        month: '2025-11',
        dependantId: 'dep_1',
        paidFen: 180000,
        dueFen: 240000,
        differenceFen: 60000,
      },
    ]);
    expect(plan.ok && plan.value.arrears).toEqual({ account: '5111', amountFen: 60000 });
  });

  it('under a binding cap: 200 000 / 200 000 / 150 000 from the next month', () => {
    const plan = survivorChangePlan(input(event));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.started.map((s) => [s.dependantId, s.beforeFen, s.amountFen])).toEqual([
      ['dep_0', 220000, 200000],
      ['dep_1', 165000, 200000],
      ['dep_2', 165000, 150000],
    ]);
  });

  it('refuses when a paid month would fall (the cap binds), and a second 10 % for the same dependant', () => {
    const back = survivorChangePlan(input(event, { runMonths, paid: paidLines(family) }));
    expect(!back.ok && back.code).toBe('benefit.survivor_recompute_failed');
    const raised = left.map((d) => (d.dependantId === 'dep_1' ? { ...d, bonusByChange: true } : d));
    const twice = survivorChangePlan(input(event, { dependants: raised }));
    expect(!twice.ok && twice.code).toBe('benefit.survivor_event_not_allowed');
  });

  it('a later end recomputes with the raise kept (the applied 10 % overlays the stored input)', () => {
    const raised = [
      { ...dependant(0, 'spouse', 220000), endedForGood: true, pension: null },
      { ...dependant(1, 'child', 240000), bonusByChange: true },
      dependant(2, 'child', 180000),
    ];
    const aged: SurvivorEvent = { dependantId: 'dep_2', kind: 'aged_out', eventOn: '2026-03-02' };
    const plan = survivorChangePlan(input(aged, { dependants: raised, agedOutOn: '2026-03-02' }));
    // The orphan's 240 000 is what the overlaid input computes, so it is not "adjusted since", and
    // nothing else changes: the set left (the orphan alone) is under the cap.
    expect(plan.ok && plan.value.ended.map((e) => e.entitlementId)).toEqual(['ent_2']);
    expect(plan.ok && plan.value.started).toEqual([]);
  });
});
