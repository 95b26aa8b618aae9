import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { CalculationInputBody } from '../../rules/calculator/index.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * The calculator's input built from a case (pure): the case gives the region, the injury date and
 * the kind of injury; the latest concluded appraisal the grade, the nursing level and the decision
 * date; the wage months the 本人工资. The case runs the same engine as the public calculator
 * (POST /api/v1/calculations), so this input can be pasted there and gives the same figures.
 */
export type CaseFacts = {
  regionCode: string;
  caseType: 'accident' | 'occupational_disease';
  accidentDate: IsoDate;
  determinationOutcome: 'recognised' | 'deemed' | 'not_recognised' | null;
};

export type AppraisalFacts = {
  id: string;
  concludedOn: IsoDate | null;
  conclusion: 'graded' | 'not_graded' | null;
  disabilityGrade: number | null;
  nursingLevel: 'full' | 'major' | 'partial' | null;
};

export type DecisionInputRefusalCode =
  | 'benefit.case_not_recognised'
  | 'benefit.appraisal_not_concluded'
  | 'benefit.not_graded';

/**
 * 《工伤保险条例》第三十四条第二款: "生活护理费按照生活完全不能自理、生活大部分不能自理或者生活部分不能自理3个不同等级支付";
 * the appraisal records them as full / major / partial, the calculator as complete / mostly / partly.
 */
const NURSING_LEVEL = { full: 'complete', major: 'mostly', partial: 'partly' } as const;

/** Checks the case may have a benefit decision at all: recognised or deemed, graded. */
export function decisionFacts(
  c: CaseFacts,
  a: AppraisalFacts | null,
): Result<{ grade: number; concludedOn: IsoDate }, DecisionInputRefusalCode> {
  if (c.determinationOutcome !== 'recognised' && c.determinationOutcome !== 'deemed')
    return refuse(
      'benefit.case_not_recognised',
      'benefits are decided for a case recognised (认定) or deemed (视同) a work injury',
      { determinationOutcome: c.determinationOutcome },
    );
  if (a === null || a.concludedOn === null)
    return refuse(
      'benefit.appraisal_not_concluded',
      'the case has no concluded appraisal (劳动能力鉴定) yet: the grade decides the benefits',
    );
  if (a.conclusion !== 'graded' || a.disabilityGrade === null)
    return refuse(
      'benefit.not_graded',
      'the appraisal found no disability grade: no disability benefit is due (medical benefits are paid as claimed)',
      { appraisalId: a.id },
    );
  return ok({ grade: a.disabilityGrade, concludedOn: a.concludedOn });
}

export function calculationInputOf(input: {
  caseFacts: CaseFacts;
  appraisal: AppraisalFacts;
  grade: number;
  concludedOn: IsoDate;
  wageMonths: readonly WageMonth[];
  employerArrangedWork: boolean;
}): CalculationInputBody {
  const level = input.appraisal.nursingLevel;
  return {
    region: input.caseFacts.regionCode,
    kind: 'disability',
    injuryDate: input.caseFacts.accidentDate,
    decisionDate: input.concludedOn,
    monthlyWagesFen: input.wageMonths.map((m) => m.wageFen),
    disabilityGrade: input.grade,
    nursingLevel: level === null ? null : NURSING_LEVEL[level],
    employerArrangedWork: input.employerArrangedWork,
    occupationalDisease: input.caseFacts.caseType === 'occupational_disease',
  };
}
