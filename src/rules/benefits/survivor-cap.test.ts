import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { calculateFromUnknown } from '../calculator/index.ts';
import { parseOverlay } from '../reform/overlay.ts';

const rules = testRuleBook().benefits;

const highWage = {
  region: '330000',
  kind: 'death',
  injuryDate: '2025-06-01',
  deathDate: '2025-06-01',
  deathCircumstance: 'injury',
  monthlyWagesFen: [3_000_000],
  dependants: [
    { relation: 'spouse' },
    { relation: 'child', orphanOrSoleElder: true },
    { relation: 'child', orphanOrSoleElder: true },
    { relation: 'parent' },
  ],
  overrides: { averageMonthlyWageFen: 800_000, nationalUrbanDisposableIncomeFen: 5_418_800 },
};

function pensionTraces(body: Record<string, unknown>, options = {}) {
  const r = calculateFromUnknown(body, rules, options);
  expect(r.status).toBe(200);
  if (r.status !== 200) throw new Error('refused');
  return r.body.trace!.items.filter((i) => i.code === 'survivor_pension');
}

describe('survivor cap (《工伤保险条例》第三十九条第一款第（二）项)', () => {
  it('caps at the unclamped wage before death and says so', () => {
    const [first] = pensionTraces(highWage);
    expect(first!.parameters.find((p) => p.path === 'death.survivor_cap_basis')?.value).toBe(
      'pre_death_wage',
    );
    expect(first!.rounding.rule).toBe('largest_remainder');
    expect(first!.notes[0]).toContain(
      'cap basis pre_death_wage (《工伤保险条例》第三十九条第一款第（二）项 "生前的工资"): the worker\'s wage before death 30,000.00 yuan (the average of the 1 monthly wage(s) given, not clamped)',
    );
    expect(first!.formula.zh).toContain('高于因工死亡职工生前的工资 30,000.00 元');
  });

  it('names the input when the pre-death wage is given', () => {
    const [first] = pensionTraces({ ...highWage, preDeathMonthlyWageFen: 4_000_000 });
    expect(first!.notes[0]).toContain('40,000.00 yuan (input preDeathMonthlyWageFen)');
    expect(first!.notes[0]).toContain('does not exceed it');
  });

  it('caps at 本人工资 where a region reads it so', () => {
    const overlay = parseOverlay({
      name: 'cap-on-base-wage',
      changes: [
        {
          region: '330000',
          path: 'death.survivor_cap_basis',
          from: '2018-01-01',
          value: 'base_wage',
        },
      ],
    });
    if (!overlay.ok) throw new Error('bad overlay');
    const traces = pensionTraces(highWage, { reform: overlay.value });
    expect(traces.map((t) => t.rounding.resultFen)).toEqual([640_000, 640_000, 640_000, 480_000]);
    expect(traces[0]!.notes[0]).toContain('cap basis base_wage');
  });
});
