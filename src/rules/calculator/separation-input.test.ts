import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { calculateFromUnknown } from './index.ts';

const rules = testRuleBook().benefits;
const henanGrade7 = {
  region: '410000',
  kind: 'disability',
  injuryDate: '2024-03-01',
  decisionDate: '2024-09-01',
  monthlyWagesFen: [600_000],
  disabilityGrade: 7,
  overrides: { averageMonthlyWageFen: 600_000 },
};

/** The problems of a body as "path: message" lines, or the items when it is accepted. */
function answer(separation: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const r = calculateFromUnknown({ ...henanGrade7, ...extra, separation }, rules);
  if (r.ok) return r.body.items.map((i) => `${i.code} ${i.amountFen}`);
  return r.status === 400 ? r.body.errors.map((e) => `${e.path}: ${e.message}`) : [r.body.code];
}

describe('separation: exactly one way to the retirement age', () => {
  it('names the three ways when none or several are given', () => {
    const ways =
      'give exactly one of separation.yearsToRetirement, separation.retirementDate, or separation.birthDate with separation.retirementAge';
    expect(answer({ date: '2025-03-01' })).toEqual([`separation: ${ways} (0 given)`]);
    expect(answer({ date: '2025-03-01', yearsToRetirement: 2, birthDate: '1967-01-20' })).toEqual([
      `separation: ${ways} (2 given)`,
    ]);
  });

  it('asks for the other half of birth date and retirement age', () => {
    expect(answer({ date: '2025-03-01', birthDate: '1967-01-20' })).toEqual([
      'separation.retirementAge: birthDate needs retirementAge ({ years, months })',
    ]);
    expect(answer({ date: '2025-03-01', retirementAge: { years: 60 } })).toEqual([
      'separation.birthDate: retirementAge needs birthDate',
    ]);
  });

  it('refuses a separation on or after the retirement date', () => {
    expect(answer({ date: '2025-03-01', retirementDate: '2025-03-01' })).toEqual([
      'separation.retirementDate: the worker reaches retirement on 2025-03-01, not after separation.date: the separation grants are for a worker below the statutory retirement age',
    ]);
    expect(
      answer({ date: '2025-03-01', birthDate: '1965-02-28', retirementAge: { years: 60 } }),
    ).toEqual([
      'separation.retirementAge: the worker reaches retirement on 2025-02-28, not after separation.date: the separation grants are for a worker below the statutory retirement age',
    ]);
  });

  it('checks the shapes of the new fields', () => {
    expect(
      answer({ date: '2025-03-01', birthDate: '1967-02-30', retirementAge: { years: 60 } }),
    ).toEqual(['separation.birthDate: must be a calendar date written YYYY-MM-DD']);
    expect(
      answer({
        date: '2025-03-01',
        birthDate: '1967-01-20',
        retirementAge: { years: 60, months: 12 },
      }),
    ).toEqual(['separation.retirementAge.months: Too big: expected number to be <=11']);
    expect(
      answer({ date: '2025-03-01', yearsToRetirement: 2 }, { occupationalDisease: 'yes' }),
    ).toEqual(['occupationalDisease: Invalid input: expected boolean, received string']);
  });

  it('gives the same grant for the same whole years, however they are told (河南)', () => {
    const byYears = answer({ date: '2025-03-01', yearsToRetirement: 1 });
    expect(byYears).toContain('employment_separation_grant 4320000');
    expect(answer({ date: '2025-03-01', retirementDate: '2027-01-20' })).toEqual(byYears);
    expect(
      answer({ date: '2025-03-01', birthDate: '1967-01-20', retirementAge: { years: 60 } }),
    ).toEqual(byYears);
  });
});
