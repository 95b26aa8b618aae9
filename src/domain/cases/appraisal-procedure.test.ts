import { describe, expect, it } from 'vitest';
import { ok, type Result } from '../../kernel/result.ts';
import {
  type AppraisalFacts,
  type CaseFacts,
  type ConclusionInput,
  checkCommittee,
  checkConclusion,
  checkDraw,
  checkExtension,
  checkInitialApplication,
  checkReAppraisal,
  checkReview,
  checkReviewBar,
  checkService,
  GRADING_CLAUSE_PATTERN,
  latestConcluded,
} from './appraisal-procedure.ts';

const recognised: CaseFacts = {
  accidentDate: '2025-03-01',
  determinationOutcome: 'recognised',
  determinationDecidedOn: '2025-04-20',
};
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.code);
const apply = {
  appliedOn: '2025-09-01',
  treatmentStabilisedOn: '2025-08-15',
  applicantKind: 'worker' as const,
};

function appraisal(over: Partial<AppraisalFacts> = {}): AppraisalFacts {
  return {
    id: 'apr_330100_0000000000000001',
    kind: 'initial',
    committeeLevel: 'city',
    status: 'received',
    appliedOn: '2025-09-01',
    dueOn: '2025-10-31',
    extendedDueOn: null,
    concludedOn: null,
    servedOn: null,
    createdAt: '2025-09-01T08:00:00Z',
    ...over,
  };
}
const concluded = (over: Partial<AppraisalFacts> = {}) =>
  appraisal({ ...over, status: 'concluded' });
const grade7: ConclusionInput = {
  concludedOn: '2025-10-20',
  conclusion: 'graded',
  disabilityGrade: 7,
  nursingLevel: null,
  stopWorkExtensionMonths: null,
  gradingClauses: ['5.7.2(12)'],
};

describe('the first appraisal (第二十一条, 第二十三条)', () => {
  it('is received for a recognised or deemed case once treatment has stabilised', () => {
    expect(codeOf(checkInitialApplication(recognised, [], apply))).toBe('ok');
    const deemed = { ...recognised, determinationOutcome: 'deemed' as const };
    expect(codeOf(checkInitialApplication(deemed, [], apply))).toBe('ok');
  });
  it('is refused for a case not recognised or not yet decided', () => {
    for (const outcome of ['not_recognised', null] as const)
      expect(
        codeOf(
          checkInitialApplication({ ...recognised, determinationOutcome: outcome }, [], apply),
        ),
      ).toBe('appraisal.case_not_recognised');
  });
  it('is refused before the determination, before stabilisation, or by the agency', () => {
    expect(
      codeOf(checkInitialApplication(recognised, [], { ...apply, appliedOn: '2025-04-01' })),
    ).toBe('appraisal.applied_before_determination');
    for (const stable of [null, '2025-09-02', '2025-02-01'])
      expect(
        codeOf(
          checkInitialApplication(recognised, [], { ...apply, treatmentStabilisedOn: stable }),
        ),
      ).toBe('appraisal.treatment_not_stable');
    expect(
      codeOf(checkInitialApplication(recognised, [], { ...apply, applicantKind: 'agency' })),
    ).toBe('appraisal.applicant_not_allowed');
  });
  it('is refused while another is open, or once the case had its first', () => {
    expect(codeOf(checkInitialApplication(recognised, [appraisal()], apply))).toBe(
      'appraisal.already_open',
    );
    expect(
      codeOf(
        checkInitialApplication(recognised, [concluded({ concludedOn: '2025-10-01' })], apply),
      ),
    ).toBe('appraisal.initial_exists');
  });
});

describe('the procedure of one appraisal', () => {
  it('leaves a re-appraisal to the provincial committee', () => {
    const re = appraisal({ kind: 're_appraisal', committeeLevel: 'province' });
    expect(codeOf(checkCommittee(re, false))).toBe('appraisal.province_committee_only');
    expect(codeOf(checkCommittee(re, true))).toBe('ok');
    expect(codeOf(checkCommittee(appraisal(), false))).toBe('ok');
  });
  it('draws once, on a received appraisal', () => {
    expect(codeOf(checkDraw(appraisal()))).toBe('ok');
    expect(codeOf(checkDraw(appraisal({ status: 'panel_drawn' })))).toBe('appraisal.not_received');
  });
  it('concludes only after the draw, by the due date, extended or not', () => {
    expect(codeOf(checkConclusion(appraisal(), grade7, 12))).toBe('appraisal.not_drawn');
    const drawn = appraisal({ status: 'panel_drawn' });
    expect(codeOf(checkConclusion(drawn, grade7, 12))).toBe('ok');
    const late = { ...grade7, concludedOn: '2025-11-01' };
    expect(codeOf(checkConclusion(drawn, late, 12))).toBe('appraisal.conclusion_overdue');
    expect(codeOf(checkConclusion({ ...drawn, extendedDueOn: '2025-11-30' }, late, 12))).toBe('ok');
    expect(codeOf(checkConclusion(concluded({ concludedOn: '2025-10-01' }), grade7, 12))).toBe(
      'appraisal.already_concluded',
    );
  });
  it('checks the content: grade exactly when graded, nursing only with a grade, clauses, ≤ 12 months', () => {
    const drawn = appraisal({ status: 'panel_drawn' });
    const cases: Array<[Partial<ConclusionInput>, string]> = [
      [{ disabilityGrade: null }, 'appraisal.grade_mismatch'],
      [{ disabilityGrade: 11 }, 'appraisal.grade_mismatch'],
      [{ conclusion: 'not_graded' }, 'appraisal.grade_mismatch'],
      [
        { conclusion: 'not_graded', disabilityGrade: null, nursingLevel: 'partial' },
        'appraisal.nursing_without_grade',
      ],
      [{ conclusion: 'not_graded', disabilityGrade: null, gradingClauses: [] }, 'ok'],
      [{ gradingClauses: [] }, 'appraisal.clause_required'],
      [{ stopWorkExtensionMonths: 13 }, 'appraisal.extension_too_long'],
      [{ stopWorkExtensionMonths: 0 }, 'appraisal.extension_not_positive'],
      [{ stopWorkExtensionMonths: -2 }, 'appraisal.extension_not_positive'],
      [{ stopWorkExtensionMonths: 1.5 }, 'appraisal.extension_not_positive'],
      [{ stopWorkExtensionMonths: 12, nursingLevel: 'full', disabilityGrade: 1 }, 'ok'],
    ];
    for (const [over, code] of cases)
      expect(codeOf(checkConclusion(drawn, { ...grade7, ...over }, 12)), JSON.stringify(over)).toBe(
        code,
      );
  });
  it('extends once, before the 60 days run out', () => {
    expect(codeOf(checkExtension(appraisal(), '2025-10-31'))).toBe('ok');
    expect(codeOf(checkExtension(appraisal(), '2025-11-01'))).toBe('appraisal.extension_after_due');
    expect(codeOf(checkExtension(appraisal({ extendedDueOn: '2025-11-30' }), '2025-10-01'))).toBe(
      'appraisal.already_extended',
    );
  });
  it('serves a conclusion once, not before it', () => {
    expect(codeOf(checkService(appraisal(), '2025-10-21'))).toBe('appraisal.not_concluded');
    const c = concluded({ concludedOn: '2025-10-20' });
    expect(codeOf(checkService(c, '2025-10-19'))).toBe('appraisal.date_out_of_order');
    expect(codeOf(checkService(c, '2025-10-21'))).toBe('ok');
    expect(codeOf(checkService({ ...c, servedOn: '2025-10-21' }, '2025-10-22'))).toBe(
      'appraisal.already_served',
    );
  });
});

describe('re-appraisal (第二十六条) and review (第二十八条)', () => {
  const first = concluded({ concludedOn: '2025-10-20', servedOn: '2025-10-22' });
  const lastDay = (served: string) => ok(served === '2025-10-22' ? '2025-11-06' : 'never');
  const re = {
    previousAppraisalId: first.id,
    appliedOn: '2025-11-06',
    applicantKind: 'employer' as const,
    byProvinceCommittee: true,
  };
  it('is received by the provincial committee within the 15 days from receipt', () => {
    expect(codeOf(checkReAppraisal([first], re, lastDay))).toBe('ok');
  });
  it('is refused the day after the 15 days, with the day they ran out', () => {
    const r = checkReAppraisal([first], { ...re, appliedOn: '2025-11-07' }, lastDay);
    expect(r.ok ? null : [r.code, r.details?.['ranOutOn']]).toEqual([
      'appraisal.reappraisal_late',
      '2025-11-06',
    ]);
  });
  it('is refused by a city committee, before service, of a final conclusion, of a superseded one', () => {
    expect(codeOf(checkReAppraisal([first], { ...re, byProvinceCommittee: false }, lastDay))).toBe(
      'appraisal.province_committee_only',
    );
    expect(codeOf(checkReAppraisal([{ ...first, servedOn: null }], re, lastDay))).toBe(
      'appraisal.not_served',
    );
    const final = concluded({
      id: 'apr_330100_0000000000000002',
      kind: 're_appraisal',
      committeeLevel: 'province',
      concludedOn: '2025-12-20',
      servedOn: '2025-12-21',
    });
    expect(
      codeOf(
        checkReAppraisal(
          [first, final],
          { ...re, previousAppraisalId: final.id, appliedOn: '2025-12-25' },
          lastDay,
        ),
      ),
    ).toBe('appraisal.conclusion_final');
    expect(codeOf(checkReAppraisal([first, final], re, lastDay))).toBe('appraisal.not_latest');
    expect(codeOf(checkReAppraisal([], re, lastDay))).toBe('appraisal.nothing_to_revisit');
  });
  it('a review is refused before the year is out and received after it', () => {
    const earliest = () => ok('2026-10-21');
    const review = { previousAppraisalId: first.id, appliedOn: '2026-10-20' };
    const r = checkReview([first], review, earliest);
    expect(r.ok ? null : [r.code, r.details?.['earliestOn']]).toEqual([
      'appraisal.review_too_early',
      '2026-10-21',
    ]);
    expect(codeOf(checkReview([first], { ...review, appliedOn: '2026-10-21' }, earliest))).toBe(
      'ok',
    );
  });
  it('the current conclusion is the latest concluded appraisal', () => {
    const later = concluded({
      id: 'apr_330100_0000000000000003',
      concludedOn: '2026-01-05',
      createdAt: '2025-12-01T00:00:00Z',
    });
    expect(latestConcluded([first, later, appraisal({ id: 'open' })])?.id).toBe(later.id);
    expect(latestConcluded([appraisal()])).toBeNull();
  });
});

describe('GB/T 16180-2014 clause codes (form only: the standard is not held)', () => {
  it('takes section numbers with an optional item and refuses anything else', () => {
    for (const ok of ['5.7.2', '5.7.2(12)', '5.10.2(3)', '4.1'])
      expect(GRADING_CLAUSE_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['', '5', 'a.1', '5.7.2()', '5.7.2(0)', '5..2', ' 5.7'])
      expect(GRADING_CLAUSE_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('浙江 第二十二条: a review after the 工伤保险关系 has ended', () => {
  const zj = { bar: 'relation_ended' as const, citation: '《浙江省工伤保险条例》第二十二条' };
  const nothing = { separationApprovedOn: null, employmentEndedOn: null };
  it('（二）grades 5–10 separated with the benefits approved: refused', () => {
    for (const grade of [5, 10]) {
      const r = checkReviewBar({ ...zj, ...nothing, grade, separationApprovedOn: '2025-09-22' });
      expect(r.ok ? 'ok' : [r.code, r.details?.['item']]).toEqual([
        'appraisal.review_relation_ended',
        '二',
      ]);
    }
  });
  it('（二）needs the benefits too: a graded worker who only left the employer is still reviewed', () => {
    expect(
      codeOf(checkReviewBar({ ...zj, ...nothing, grade: 7, employmentEndedOn: '2025-06-30' })),
    ).toBe('ok');
  });
  it('（三）not graded and left the employer: refused; still employed: received', () => {
    const left = checkReviewBar({
      ...zj,
      ...nothing,
      grade: null,
      employmentEndedOn: '2025-06-30',
    });
    expect(left.ok ? 'ok' : [left.code, left.details?.['item']]).toEqual([
      'appraisal.review_relation_ended',
      '三',
    ]);
    expect(codeOf(checkReviewBar({ ...zj, ...nothing, grade: null }))).toBe('ok');
  });
  it('（一）grades 1–4 are not barred here (no commutation of long-term benefits is recorded), nor anyone where the bar is none', () => {
    expect(
      codeOf(checkReviewBar({ ...zj, ...nothing, grade: 3, employmentEndedOn: '2025-06-30' })),
    ).toBe('ok');
    const none = { bar: 'none' as const, citation: '《工伤保险条例》第二十八条' };
    expect(
      codeOf(
        checkReviewBar({
          ...none,
          grade: 7,
          separationApprovedOn: '2025-09-22',
          employmentEndedOn: '2025-06-30',
        }),
      ),
    ).toBe('ok');
  });
});
