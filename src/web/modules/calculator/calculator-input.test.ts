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

describe('formTargetForPath', () => {
  it.each([
    ['region', { kind: 'field', name: ['region'] }],
    ['disabilityGrade', { kind: 'field', name: ['disabilityGrade'] }],
    ['monthlyWagesFen', { kind: 'list', list: 'wages' }],
    ['monthlyWagesFen.3', { kind: 'field', name: ['wages', 3] }],
    ['separation.date', { kind: 'field', name: ['separationDate'] }],
    ['separation', { kind: 'field', name: ['separationEnabled'] }],
    ['dependants', { kind: 'list', list: 'dependants' }],
    [
      'dependants.1.orphanOrSoleElder',
      { kind: 'field', name: ['dependants', 1, 'orphanOrSoleElder'] },
    ],
    ['dependants.0', { kind: 'field', name: ['dependants', 0, 'relation'] }],
    [
      'overrides.minimumMonthlyWageFen',
      { kind: 'field', name: ['overrides', 'minimumMonthlyWageFen'] },
    ],
    ['overrides.bogus', { kind: 'general' }],
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
