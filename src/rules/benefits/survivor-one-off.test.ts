import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { calculateFromUnknown } from '../calculator/index.ts';
import { type OneOffPeriodRule, oneOffPeriod } from './survivor-one-off.ts';

const rules = testRuleBook().benefits;

/** The 浙江 values of death.survivor_one_off_period (《浙江省工伤保险条例》第三十五条第二款). */
const ZJ: OneOffPeriodRule = {
  minorUntilAge: 18,
  incapacityYears: 20,
  reductionFromAge: 60,
  floorFromAge: 75,
  floorYears: 5,
};
const DEATH = '2025-06-10';

describe('the period of 《浙江省工伤保险条例》第三十五条第二款', () => {
  it.each([
    // 10 years 4 months at the death: 7 years 8 months to the 18th birthday (2033-02-10).
    ['child of 10 years 4 months', '2015-02-10', false, 'to_age', 92],
    // 10 years 4 months and 15 days: the month begun before the birthday counts whole.
    ['child of 10 years 4 months 15 days', '2015-01-26', false, 'to_age', 92],
    ['child born on the day of the death', '2025-06-10', false, 'to_age', 216],
    ['child of 17 years 11 months', '2007-06-11', false, 'to_age', 1],
    [
      'child without labour capacity: the 20 years reach past 18',
      '2015-02-10',
      true,
      'incapacity',
      240,
    ],
    ['spouse of 45 without labour capacity or income', '1980-01-01', true, 'incapacity', 240],
    ['parent of exactly 60 周岁: not over 60', '1965-06-10', true, 'incapacity', 240],
    ['parent of 61', '1964-01-01', true, 'reduced', 228],
    ['parent of 62: 18 years', '1963-03-01', true, 'reduced', 216],
    ['parent of 74: 6 years', '1951-01-01', true, 'reduced', 72],
    ['parent of 75: 5 years (以上 includes 75)', '1950-06-10', true, 'floor', 60],
    ['parent of 80: 5 years', '1945-03-01', true, 'floor', 60],
  ] as const)('%s → %s months', (_name, birth, flag, way, months) => {
    expect(oneOffPeriod(ZJ, birth, DEATH, flag)).toMatchObject({ way, months });
  });

  it('has no period for an adult with labour capacity or other income', () => {
    expect(oneOffPeriod(ZJ, '2007-06-10', DEATH, false)).toBeNull();
    expect(oneOffPeriod(ZJ, '1963-03-01', DEATH, false)).toBeNull();
  });
});

/** A death in 浙江 by an uninsured employer: 本人工资 6,000 元, so a child's pension is 1,800 元. */
function zhejiang(dependants: unknown[], extra: Record<string, unknown> = {}) {
  return {
    region: '330000',
    kind: 'death',
    injuryDate: DEATH,
    deathDate: DEATH,
    deathCircumstance: 'injury',
    monthlyWagesFen: [600_000],
    employerInsured: false,
    dependants,
    overrides: { averageMonthlyWageFen: 800_000, nationalUrbanDisposableIncomeFen: 5_418_800 },
    ...extra,
  };
}

function answer(body: Record<string, unknown>) {
  const r = calculateFromUnknown(body, rules);
  if (r.ok) return r.body;
  throw new Error(JSON.stringify(r.body));
}

function problem(body: Record<string, unknown>) {
  const r = calculateFromUnknown(body, rules);
  if (r.ok) throw new Error('accepted');
  return r.status === 400
    ? r.body.errors.map((e) => `${e.path}: ${e.message}`)
    : [`${r.status} ${r.body.code}`, r.body.detail ?? ''];
}

describe('the one-off payment in the calculator', () => {
  it('pays a child of 10 years 4 months 1,800 元 × 92 months, once, by the employer', () => {
    const body = answer(
      zhejiang([{ relation: 'child', oneOffPayment: { birthDate: '2015-02-10' } }]),
    );
    const item = body.items.find((i) => i.dependantIndex === 0);
    expect(item).toEqual({
      code: 'survivor_pension_one_off',
      amountFen: 16_560_000,
      frequency: 'once',
      payer: 'employer',
      citation: '《浙江省工伤保险条例》第三十五条第二款',
      dependantIndex: 0,
      payerBasis:
        '《浙江省工伤保险条例》第三十五条第一款；《工伤保险条例》第六十二条第二款；《社会保险法》第四十一条第一款',
    });
    expect(body.items.some((i) => i.code === 'survivor_pension')).toBe(false);
    const trace = body.trace?.items.find((t) => t.code === 'survivor_pension_one_off');
    expect(trace?.formula.zh).toContain(
      '初次核定的供养亲属抚恤金 1,800.00 元 × 92 个月 = 165,600.00 元',
    );
    expect(trace?.notes[0]).toContain('10 周岁 4 months at the death');
    expect(trace?.parameters.map((p) => p.key ?? p.path)).toContain('minor_until_age');
  });

  it('pays a parent of 80 without labour capacity 5 years, beside a monthly spouse', () => {
    // Spouse 40 % = 2,400 元 monthly; parent 30 % = 1,800 元 × 60 months.
    const body = answer(
      zhejiang([
        { relation: 'spouse' },
        {
          relation: 'parent',
          oneOffPayment: { birthDate: '1945-03-01', withoutLabourCapacityOrIncome: true },
        },
      ]),
    );
    const codes = body.items.map((i) => `${i.code} ${i.dependantIndex ?? ''} ${i.amountFen}`);
    expect(codes).toContain('survivor_pension 0 240000');
    expect(codes).toContain('survivor_pension_one_off 1 10800000');
  });

  it('converts after 14 months received: 1,800 元 × 216 months − 14 × 1,800 元 (a parent of 62)', () => {
    const parent = (oneOff: Record<string, unknown>) =>
      zhejiang([
        {
          relation: 'parent',
          oneOffPayment: {
            birthDate: '1963-03-01',
            withoutLabourCapacityOrIncome: true,
            ...oneOff,
          },
        },
      ]);
    const byMonths = answer(parent({ monthsReceived: 14 })).items[1];
    expect(byMonths?.amountFen).toBe(36_360_000);
    expect(byMonths?.citation).toBe('《浙江省工伤保险条例》第三十五条第二款、第三款');
    // Indexed pensions: the amount actually received is subtracted instead.
    expect(answer(parent({ receivedFen: 2_600_000 })).items[1]?.amountFen).toBe(36_280_000);
    // More received than the total: nothing is left, never a negative amount.
    const over = answer(parent({ monthsReceived: 300 }));
    expect(over.items[1]?.amountFen).toBe(0);
    expect(over.trace?.items[1]?.formula.zh).toContain('余额 0.00 元（不低于零）');
  });

  it('keeps the survivor cap: the base is the pension as first determined', () => {
    // 本人工资 24,000 元 (300 % of 8,000); 40 + 40 + 40 + 30 % = 36,000 元 exceeds the wage before
    // death, 30,000 元, which is split 4 : 4 : 4 : 3 → 8,000 元 for the third dependant, × 92 months.
    const body = answer(
      zhejiang(
        [
          { relation: 'spouse' },
          { relation: 'child', orphanOrSoleElder: true },
          {
            relation: 'child',
            orphanOrSoleElder: true,
            oneOffPayment: { birthDate: '2015-02-10' },
          },
          { relation: 'parent' },
        ],
        { monthlyWagesFen: [3_000_000], injuryDate: DEATH },
      ),
    );
    const once = body.items.find((i) => i.code === 'survivor_pension_one_off');
    expect(once?.amountFen).toBe(800_000 * 92);
  });
});

describe('where the one-off payment is refused', () => {
  const child = [{ relation: 'child', oneOffPayment: { birthDate: '2015-02-10' } }];

  it('outside 浙江 and before 2018-01-01: 422 rules.not_applicable naming the parameter', () => {
    const [status, detail] = problem(zhejiang(child, { region: '410000' }));
    expect(status).toBe('422 rules.not_applicable');
    expect(detail).toContain(
      'no one-off period of survivor pensions is loaded for region 410000 on 2025-06-10',
    );
    expect(problem(zhejiang(child, { injuryDate: '2017-06-10', deathDate: '2017-06-10' }))[0]).toBe(
      '422 rules.not_applicable',
    );
  });

  it('an adult with labour capacity or income: 422, no period in the text', () => {
    const adult = [{ relation: 'spouse', oneOffPayment: { birthDate: '1980-01-01' } }];
    const [status, detail] = problem(zhejiang(adult));
    expect(status).toBe('422 rules.not_applicable');
    expect(detail).toContain('45 周岁 at the death and not withoutLabourCapacityOrIncome');
  });

  it('bad input: an insured employer, a birth after the death, both ways of receipt', () => {
    expect(problem(zhejiang(child, { employerInsured: true }))).toEqual([
      'dependants.0.oneOffPayment: the one-off payment is by an employer that was not insured (《浙江省工伤保险条例》第三十五条第一款): set employerInsured to false',
    ]);
    const late = [{ relation: 'child', oneOffPayment: { birthDate: '2025-07-01' } }];
    expect(problem(zhejiang(late))).toEqual([
      'dependants.0.oneOffPayment.birthDate: a dependant born after the death is not modelled',
    ]);
    const both = [
      {
        relation: 'child',
        oneOffPayment: { birthDate: '2015-02-10', monthsReceived: 1, receivedFen: 180_000 },
      },
    ];
    expect(problem(zhejiang(both))).toEqual([
      'dependants.0.oneOffPayment.receivedFen: give monthsReceived or receivedFen, not both',
    ]);
  });
});
