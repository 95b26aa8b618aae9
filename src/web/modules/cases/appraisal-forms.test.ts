import { describe, expect, it } from 'vitest';
import {
  applicationRequestOf,
  clausesOf,
  conclusionBodyOf,
  drawBodyOf,
  poolCodeOf,
  regionOfCaseId,
  stepsOf,
} from './appraisal-forms.ts';

const caseId = `cas_330100_${'a'.repeat(16)}`;
const committee = { permissions: ['appraisal:read', 'appraisal:write'], scopeKind: 'city' };
const province = { ...committee, scopeKind: 'province' };

describe('the application form → request', () => {
  it('a first appraisal is received in the case’s city with the day treatment stabilised', () => {
    expect(regionOfCaseId(` ${caseId} `)).toBe('330100');
    expect(regionOfCaseId('cas_33_x')).toBeNull();
    expect(
      applicationRequestOf({
        caseId: ` ${caseId}`,
        kind: 'initial',
        appliedOn: '2026-03-02',
        applicantKind: 'worker',
        treatmentStabilisedOn: '2026-02-20',
        previousAppraisalId: 'ignored',
      }),
    ).toEqual({
      regionCode: '330100',
      caseId,
      body: {
        kind: 'initial',
        appliedOn: '2026-03-02',
        applicantKind: 'worker',
        treatmentStabilisedOn: '2026-02-20',
      },
    });
  });

  it('a re-appraisal names the appraisal it revisits; a bad case id builds nothing', () => {
    const previous = `apr_330100_${'b'.repeat(16)}`;
    expect(
      applicationRequestOf({
        caseId,
        kind: 're_appraisal',
        appliedOn: '2026-05-01',
        applicantKind: 'employer',
        previousAppraisalId: ` ${previous} `,
      })?.body,
    ).toEqual({
      kind: 're_appraisal',
      appliedOn: '2026-05-01',
      applicantKind: 'employer',
      previousAppraisalId: previous,
    });
    expect(
      applicationRequestOf({
        caseId: 'cas_1',
        kind: 'initial',
        appliedOn: '2026-05-01',
        applicantKind: 'worker',
      }),
    ).toBeNull();
  });
});

describe('the draw and the conclusion → request bodies', () => {
  it('the draw pairs each recused expert with its reason, in the order chosen', () => {
    expect(
      drawBodyOf({
        specialty: 'orthopaedics',
        panelSize: 5,
        drawnOn: '2026-03-05',
        recusedIds: ['exp_b', 'exp_a'],
        reasons: { exp_a: ' 亲属 ', exp_b: '曾为其诊治', exp_c: 'not chosen' },
      }),
    ).toEqual({
      specialty: 'orthopaedics',
      panelSize: 5,
      drawnOn: '2026-03-05',
      recusals: [
        { expertId: 'exp_b', reason: '曾为其诊治' },
        { expertId: 'exp_a', reason: '亲属' },
      ],
    });
    expect(
      drawBodyOf({ specialty: 'neurology', panelSize: 3, drawnOn: '2026-03-05' }).recusals,
    ).toEqual([]);
  });

  it('a graded conclusion carries grade, clauses and nursing level; "none" is null', () => {
    expect(clausesOf('5.7.2(12)、5.7.3, 5.7.2(12)；6.1')).toEqual(['5.7.2(12)', '5.7.3', '6.1']);
    expect(
      conclusionBodyOf({
        concludedOn: '2026-04-20',
        conclusion: 'graded',
        disabilityGrade: 7,
        nursingLevel: 'none',
        stopWorkExtensionMonths: 3,
        gradingClauses: '5.7.2(12)',
      }),
    ).toEqual({
      concludedOn: '2026-04-20',
      conclusion: 'graded',
      disabilityGrade: 7,
      nursingLevel: null,
      stopWorkExtensionMonths: 3,
      gradingClauses: ['5.7.2(12)'],
    });
  });

  it('a not-graded conclusion drops the grade, the nursing level and the clauses left in the form', () => {
    expect(
      conclusionBodyOf({
        concludedOn: '2026-04-20',
        conclusion: 'not_graded',
        disabilityGrade: 4,
        nursingLevel: 'partial',
        stopWorkExtensionMonths: null,
        gradingClauses: '5.4.1',
      }),
    ).toEqual({
      concludedOn: '2026-04-20',
      conclusion: 'not_graded',
      disabilityGrade: null,
      nursingLevel: null,
      stopWorkExtensionMonths: null,
      gradingClauses: [],
    });
  });
});

describe('which steps the committee sees on an appraisal', () => {
  const received = {
    status: 'received' as const,
    committeeLevel: 'city' as const,
    extendedDueOn: null,
    servedOn: null,
  };
  it('follows the state: draw, then conclude, then serve; extend while open and not extended', () => {
    expect(stepsOf(received, committee)).toEqual(['draw', 'extend']);
    expect(stepsOf({ ...received, status: 'panel_drawn' }, committee)).toEqual([
      'conclude',
      'extend',
    ]);
    expect(
      stepsOf({ ...received, status: 'panel_drawn', extendedDueOn: '2026-06-01' }, committee),
    ).toEqual(['conclude']);
    expect(stepsOf({ ...received, status: 'concluded' }, committee)).toEqual(['serve']);
    expect(
      stepsOf({ ...received, status: 'concluded', servedOn: '2026-04-22' }, committee),
    ).toEqual([]);
  });
  it('shows nothing without appraisal:write, nor a re-appraisal to a city committee (《工伤保险条例》第二十六条)', () => {
    expect(stepsOf(received, { permissions: ['appraisal:read'], scopeKind: 'city' })).toEqual([]);
    const reAppraisal = { ...received, committeeLevel: 'province' as const };
    expect(stepsOf(reAppraisal, committee)).toEqual([]);
    expect(stepsOf(reAppraisal, province)).toEqual(['draw', 'extend']);
    expect(poolCodeOf({ committeeLevel: 'province', regionCode: '330100' })).toBe('330000');
    expect(poolCodeOf({ committeeLevel: 'city', regionCode: '330100' })).toBe('330100');
  });
});
