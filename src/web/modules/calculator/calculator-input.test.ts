import { describe, expect, it } from 'vitest';
import { buildCalculationInput, formTargetForPath } from './calculator-input.ts';

describe('buildCalculationInput', () => {
  it('builds a disability case with wages in exact fen', () => {
    const built = buildCalculationInput({
      region: '330000',
      kind: 'disability',
      injuryDate: '2025-03-01',
      decisionDate: '2025-09-01',
      wages: ['6000', '6000.10', '0.29'],
      disabilityGrade: 7,
      nursingLevel: 'none',
      employerArrangedWork: false,
      separationEnabled: false,
    });
    expect(built).toEqual({
      ok: true,
      input: {
        region: '330000',
        kind: 'disability',
        injuryDate: '2025-03-01',
        decisionDate: '2025-09-01',
        monthlyWagesFen: [600000, 600010, 29],
        disabilityGrade: 7,
        nursingLevel: null,
        employerArrangedWork: false,
        separation: null,
      },
    });
  });

  it('builds a death case with dependants and overrides', () => {
    const built = buildCalculationInput({
      region: '410000',
      kind: 'death',
      injuryDate: '2025-03-01',
      deathDate: '2025-03-02',
      wages: ['5000'],
      deathCircumstance: 'injury',
      dependants: [{ relation: 'spouse', orphanOrSoleElder: false }, { relation: 'child' }],
      overrides: { averageMonthlyWageFen: '7000.5', minimumMonthlyWageFen: '' },
    });
    expect(built).toEqual({
      ok: true,
      input: {
        region: '410000',
        kind: 'death',
        injuryDate: '2025-03-01',
        deathDate: '2025-03-02',
        monthlyWagesFen: [500000],
        deathCircumstance: 'injury',
        dependants: [
          { relation: 'spouse', orphanOrSoleElder: false },
          { relation: 'child', orphanOrSoleElder: false },
        ],
        overrides: { averageMonthlyWageFen: 700050 },
      },
    });
  });

  it('leaves missing values out so the server names them, and sends separation when chosen', () => {
    const built = buildCalculationInput({
      kind: 'disability',
      wages: [],
      separationEnabled: true,
      separationDate: '2026-01-01',
    });
    expect(built.ok && built.input).toEqual({
      kind: 'disability',
      monthlyWagesFen: [],
      nursingLevel: null,
      employerArrangedWork: false,
      separation: { date: '2026-01-01' },
    });
  });

  it('names every wage and override that is not an amount in yuan', () => {
    const built = buildCalculationInput({
      wages: ['6000', '6000.123', 'abc'],
      overrides: { minimumMonthlyWageFen: '1,9x' },
    });
    expect(built).toEqual({
      ok: false,
      invalidYuan: [
        ['wages', 1],
        ['wages', 2],
        ['overrides', 'minimumMonthlyWageFen'],
      ],
    });
  });
});

describe('buildCalculationInput: dependants paid once', () => {
  it('sends a one-off payment (《浙江省工伤保险条例》第三十五条) only for a dependant ticked so', () => {
    const built = buildCalculationInput({
      region: '330000',
      kind: 'death',
      wages: ['6000'],
      employerInsured: false,
      dependants: [
        { relation: 'spouse', birthDate: '1980-01-01' },
        {
          relation: 'parent',
          oneOff: true,
          birthDate: '1963-03-01',
          withoutLabourCapacityOrIncome: true,
          monthsReceived: 14,
        },
        { relation: 'child', oneOff: true, birthDate: null, monthsReceived: null },
      ],
    });
    expect(built.ok && built.input['dependants']).toEqual([
      { relation: 'spouse', orphanOrSoleElder: false },
      {
        relation: 'parent',
        orphanOrSoleElder: false,
        oneOffPayment: {
          birthDate: '1963-03-01',
          withoutLabourCapacityOrIncome: true,
          monthsReceived: 14,
        },
      },
      {
        relation: 'child',
        orphanOrSoleElder: false,
        oneOffPayment: { withoutLabourCapacityOrIncome: false },
      },
    ]);
  });
});

describe('buildCalculationInput: occupational disease and the time to retirement', () => {
  it('sends occupationalDisease when ticked and the chosen way to the retirement age', () => {
    const common = {
      kind: 'disability' as const,
      wages: [],
      occupationalDisease: true,
      separationEnabled: true,
      separationDate: '2025-03-01',
      yearsToRetirement: 2,
      retirementDate: '2027-04-10',
      birthDate: '1972-01-15',
      retirementAgeYears: 55,
    };
    const separationOf = (values: Parameters<typeof buildCalculationInput>[0]) => {
      const built = buildCalculationInput(values);
      return built.ok ? built.input['separation'] : built;
    };
    expect(buildCalculationInput(common)).toMatchObject({
      ok: true,
      input: { occupationalDisease: true },
    });
    expect(separationOf(common)).toEqual({ date: '2025-03-01', yearsToRetirement: 2 });
    expect(separationOf({ ...common, retirementBasis: 'retirementDate' })).toEqual({
      date: '2025-03-01',
      retirementDate: '2027-04-10',
    });
    expect(
      separationOf({ ...common, retirementBasis: 'birthDate', retirementAgeMonths: 4 }),
    ).toEqual({
      date: '2025-03-01',
      birthDate: '1972-01-15',
      retirementAge: { years: 55, months: 4 },
    });
    expect(separationOf({ ...common, retirementBasis: 'birthDate' })).toEqual({
      date: '2025-03-01',
      birthDate: '1972-01-15',
      retirementAge: { years: 55, months: 0 },
    });
    const unticked = buildCalculationInput({ ...common, occupationalDisease: false });
    expect(unticked.ok && 'occupationalDisease' in unticked.input).toBe(false);
  });
});

describe('buildCalculationInput: overrides by year and the wage before death', () => {
  it('builds overrides by year and the wage before death of a death case', () => {
    const built = buildCalculationInput({
      region: '330000',
      kind: 'death',
      injuryDate: '2025-03-01',
      deathDate: '2025-03-02',
      wages: ['30000'],
      deathCircumstance: 'injury',
      dependants: [],
      preDeathWage: '32000.5',
      overrides: { nationalUrbanDisposableIncomeFen: '54188' },
      overridesByYear: {
        averageMonthlyWageFenByYear: [
          { year: '2025', amount: '8000' },
          { year: '', amount: '' },
          undefined,
        ],
        minimumMonthlyWageFenByYear: [{ year: ' 2024 ', amount: '2500' }],
        provincialAverageMonthlyWageFenByYear: [],
      },
    });
    expect(built).toEqual({
      ok: true,
      input: {
        region: '330000',
        kind: 'death',
        injuryDate: '2025-03-01',
        deathDate: '2025-03-02',
        monthlyWagesFen: [3000000],
        deathCircumstance: 'injury',
        dependants: [],
        preDeathMonthlyWageFen: 3200050,
        overrides: {
          nationalUrbanDisposableIncomeFen: 5418800,
          averageMonthlyWageFenByYear: { '2025': 800000 },
          minimumMonthlyWageFenByYear: { '2024': 250000 },
        },
      },
    });
  });

  it('sends no wage before death for a disability case', () => {
    const built = buildCalculationInput({
      kind: 'disability',
      wages: ['6000'],
      preDeathWage: '7000',
    });
    expect(built.ok && built.input['preDeathMonthlyWageFen']).toBeUndefined();
  });

  it('names a by-year amount and a wage before death that are not yuan', () => {
    const built = buildCalculationInput({
      kind: 'death',
      wages: ['6000'],
      preDeathWage: 'x',
      overridesByYear: { averageMonthlyWageFenByYear: [{ year: '2024', amount: '1.234' }] },
    });
    expect(built).toEqual({
      ok: false,
      invalidYuan: [
        ['overridesByYear', 'averageMonthlyWageFenByYear', 0, 'amount'],
        ['preDeathWage'],
      ],
    });
  });
});

describe('formTargetForPath', () => {
  it.each([
    ['region', { kind: 'field', name: ['region'] }],
    ['disabilityGrade', { kind: 'field', name: ['disabilityGrade'] }],
    ['monthlyWagesFen', { kind: 'list', list: 'wages' }],
    ['monthlyWagesFen.3', { kind: 'field', name: ['wages', 3] }],
    ['separation.date', { kind: 'field', name: ['separationDate'] }],
    ['separation', { kind: 'field', name: ['separationEnabled'] }],
    ['separation.yearsToRetirement', { kind: 'field', name: ['yearsToRetirement'] }],
    ['separation.retirementDate', { kind: 'field', name: ['retirementDate'] }],
    ['separation.birthDate', { kind: 'field', name: ['birthDate'] }],
    ['separation.retirementAge', { kind: 'field', name: ['retirementAgeYears'] }],
    ['separation.retirementAge.years', { kind: 'field', name: ['retirementAgeYears'] }],
    ['separation.retirementAge.months', { kind: 'field', name: ['retirementAgeMonths'] }],
    ['occupationalDisease', { kind: 'field', name: ['occupationalDisease'] }],
    ['dependants', { kind: 'list', list: 'dependants' }],
    [
      'dependants.1.orphanOrSoleElder',
      { kind: 'field', name: ['dependants', 1, 'orphanOrSoleElder'] },
    ],
    ['dependants.0', { kind: 'field', name: ['dependants', 0, 'relation'] }],
    ['dependants.2.oneOffPayment', { kind: 'field', name: ['dependants', 2, 'oneOff'] }],
    [
      'dependants.2.oneOffPayment.birthDate',
      { kind: 'field', name: ['dependants', 2, 'birthDate'] },
    ],
    [
      'dependants.2.oneOffPayment.receivedFen',
      { kind: 'field', name: ['dependants', 2, 'monthsReceived'] },
    ],
    [
      'overrides.minimumMonthlyWageFen',
      { kind: 'field', name: ['overrides', 'minimumMonthlyWageFen'] },
    ],
    ['overrides.bogus', { kind: 'general' }],
    ['overrides.averageMonthlyWageFenByYear.24', { kind: 'general' }],
    ['preDeathMonthlyWageFen', { kind: 'field', name: ['preDeathWage'] }],
    ['(root)', { kind: 'general' }],
    ['', { kind: 'general' }],
  ])('maps %j', (path, target) => {
    expect(formTargetForPath(path)).toEqual(target);
  });
});

describe('who pays: insurance and the determination application (条例 第六十二条, 第十七条)', () => {
  const death = {
    region: '330000',
    kind: 'death' as const,
    injuryDate: '2025-03-10',
    deathDate: '2025-03-10',
    wages: ['6000'],
    deathCircumstance: 'injury' as const,
    dependants: [],
  };
  it('sends an uninsured employer, the application date and an extension', () => {
    const built = buildCalculationInput({
      ...death,
      employerInsured: false,
      applicationDate: '2025-06-20',
      applicationDeadlineExtendedTo: '2025-05-31',
    });
    expect(built.ok && built.input).toMatchObject({
      employerInsured: false,
      applicationDate: '2025-06-20',
      applicationDeadlineExtendedTo: '2025-05-31',
    });
  });
  it('leaves the contract defaults out: insured, no application date', () => {
    const built = buildCalculationInput({ ...death, employerInsured: true, applicationDate: null });
    if (!built.ok) throw new Error('expected a built input');
    expect(Object.keys(built.input)).not.toContain('employerInsured');
    expect(Object.keys(built.input)).not.toContain('applicationDate');
    expect(Object.keys(built.input)).not.toContain('applicationDeadlineExtendedTo');
    expect(built.input['dependants']).toEqual([]);
  });
  it.each([
    ['employerInsured', { kind: 'field', name: ['employerInsured'] }],
    ['applicationDate', { kind: 'field', name: ['applicationDate'] }],
    ['applicationDeadlineExtendedTo', { kind: 'field', name: ['applicationDeadlineExtendedTo'] }],
  ])('maps the server problem at %j onto its field', (path, target) => {
    expect(formTargetForPath(path)).toEqual(target);
  });
});
