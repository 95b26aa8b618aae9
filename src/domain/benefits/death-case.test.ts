import { describe, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../kernel/ids.ts';
import { calculateFromUnknown } from '../../rules/calculator/index.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import {
  type DependantEntry,
  deathCalculationInputOf,
  deathFactsRefusal,
  deathGrade,
  dependantOfItem,
  dependantProblems,
} from './death-case.ts';
import type { CaseFacts } from './decision-input.ts';
import type { WageMonth } from './wage-months.ts';

const CASE: CaseFacts = {
  regionCode: '410100',
  caseType: 'occupational_disease',
  accidentDate: '2024-05-20',
  determinationOutcome: 'deemed',
};
const MONTHS: WageMonth[] = ['2024-02', '2024-03', '2024-04'].map((month) => ({
  month,
  wageFen: 500_000,
  source: 'declaration',
  declarationId: null,
}));

function idOf(birth: string, seq: number): string {
  const first17 = `410102${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}
const person = (over: Partial<DependantEntry> & { birthDate: string }, seq: number) => ({
  name: '张三',
  relation: 'parent' as const,
  idNumber: idOf(over.birthDate, seq),
  orphanOrSoleElder: false,
  ...over,
});

describe('the calculator input of a death case', () => {
  it('carries the death, the dependants in order, the grade and the pre-death wage only when given', () => {
    const input = deathCalculationInputOf({
      caseFacts: CASE,
      death: { diedOn: '2024-08-01', circumstance: 'injury', preDeathMonthlyWageFen: null },
      dependants: [
        { relation: 'spouse', orphanOrSoleElder: false },
        { relation: 'parent', orphanOrSoleElder: true },
      ],
      grade: null,
      wageMonths: MONTHS,
    });
    expect(input).toEqual({
      region: '410100',
      kind: 'death',
      injuryDate: '2024-05-20',
      deathDate: '2024-08-01',
      deathCircumstance: 'injury',
      monthlyWagesFen: [500_000, 500_000, 500_000],
      dependants: [
        { relation: 'spouse', orphanOrSoleElder: false },
        { relation: 'parent', orphanOrSoleElder: true },
      ],
      occupationalDisease: true,
    });
    const graded = deathCalculationInputOf({
      caseFacts: CASE,
      death: {
        diedOn: '2024-08-01',
        circumstance: 'grade1to4_after_suspension',
        preDeathMonthlyWageFen: 650_000,
      },
      dependants: [],
      grade: 2,
      wageMonths: MONTHS,
    });
    expect(graded).toMatchObject({ disabilityGrade: 2, preDeathMonthlyWageFen: 650_000 });
  });

  it('is an input the public calculator accepts: funeral grant, one pension per dependant, lump sum', () => {
    const input = deathCalculationInputOf({
      caseFacts: CASE,
      death: {
        diedOn: '2024-08-01',
        circumstance: 'within_suspension',
        preDeathMonthlyWageFen: null,
      },
      dependants: [{ relation: 'spouse', orphanOrSoleElder: false }],
      grade: null,
      wageMonths: MONTHS,
    });
    const r = calculateFromUnknown(input, testRuleBook().benefits);
    if (!r.ok) throw new Error(JSON.stringify(r.body));
    expect(r.body.items.map((i) => [i.code, i.dependantIndex ?? null])).toEqual([
      ['funeral_grant', null],
      ['survivor_pension', 0],
      ['death_lump_sum', null],
    ]);
  });
});

describe('the death facts against the case', () => {
  const entry = {
    diedOn: '2024-08-01',
    circumstance: 'injury' as const,
    preDeathMonthlyWageFen: null,
  };

  it('refuses an unrecognised case, a death before the accident or after today', () => {
    const codes = [
      deathFactsRefusal(
        { ...CASE, determinationOutcome: 'not_recognised' },
        { ...entry, dependants: [] },
        '2024-09-01',
      ),
      deathFactsRefusal(CASE, { ...entry, diedOn: '2024-05-19', dependants: [] }, '2024-09-01'),
      deathFactsRefusal(CASE, { ...entry, dependants: [] }, '2024-07-31'),
      deathFactsRefusal(CASE, { ...entry, dependants: [] }, '2024-08-01'),
    ].map((r) => r.ok || r.code);
    expect(codes).toEqual([
      'benefit.case_not_recognised',
      'benefit.death_before_accident',
      'benefit.death_in_future',
      true,
    ]);
  });

  it('lists every dependant problem with its path', () => {
    const spouse = person({ relation: 'spouse', birthDate: '1980-01-01' }, 1);
    const problems = dependantProblems(
      [
        spouse,
        { ...spouse, orphanOrSoleElder: true, name: '张三二' },
        person({ birthDate: '2024-09-01' }, 3),
        { ...person({ birthDate: '1950-03-03' }, 4), birthDate: '1950-03-04' },
      ],
      '2024-08-01',
    );
    expect(problems.map((p) => p.path)).toEqual([
      'dependants.1.idNumber',
      'dependants.1.orphanOrSoleElder',
      'dependants.2.idNumber',
      'dependants.2.birthDate',
      'dependants.3.birthDate',
      'dependants',
    ]);
  });

  it('takes adoptive only for a child or a parent (养子女、养父母)', () => {
    const problems = dependantProblems(
      [
        person({ relation: 'child', birthDate: '2010-01-01', adoptive: true }, 5),
        person({ relation: 'parent', birthDate: '1950-01-01', adoptive: true }, 6),
        person({ relation: 'sibling', birthDate: '2008-01-01', adoptive: true }, 7),
      ],
      '2024-08-01',
    );
    expect(problems.map((p) => p.path)).toEqual(['dependants.2.adoptive']);
  });
});

describe('the grade of a death decision', () => {
  const appraisal = (grade: number | null) => ({
    id: 'apr_410100_0000000000000001',
    concludedOn: '2024-07-01',
    conclusion: 'graded' as const,
    disabilityGrade: grade,
    nursingLevel: null,
  });

  it('is needed only for 第三款, and must be 1–4', () => {
    expect(deathGrade('injury', null)).toEqual({ ok: true, value: null });
    expect(deathGrade('grade1to4_after_suspension', appraisal(4))).toEqual({ ok: true, value: 4 });
    const refused = [null, appraisal(5)].map((a) => {
      const r = deathGrade('grade1to4_after_suspension', a);
      return r.ok || r.code;
    });
    expect(refused).toEqual(['benefit.death_grade_required', 'benefit.death_grade_required']);
  });

  it('maps a survivor’s pension to the dependant it was computed for', () => {
    const death = {
      diedOn: '2024-08-01',
      circumstance: 'injury' as const,
      dependants: [
        { id: 'dep_410100_0000000000000001', ordinal: 0, name: '甲', relation: 'spouse' as const },
        { id: 'dep_410100_0000000000000002', ordinal: 1, name: '乙', relation: 'child' as const },
      ],
    };
    expect(dependantOfItem(death, { code: 'survivor_pension', dependantIndex: 1 })).toBe(
      'dep_410100_0000000000000002',
    );
    expect(dependantOfItem(death, { code: 'funeral_grant' })).toBeNull();
    expect(dependantOfItem(null, { code: 'disability_allowance' })).toBeNull();
  });
});
