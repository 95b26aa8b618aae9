import { provinceOf } from '../../../kernel/region-codes.ts';
import type {
  ApplicationInput,
  Appraisal,
  ConclusionInput,
  DrawInput,
  ExpertInput,
} from './appraisal-api.ts';

/**
 * The committee's forms as plain values, and the request bodies built from them (the server checks
 * them again: the forms only spare a round trip). Kept free of React so the building is tested
 * alone (appraisal-forms.test.ts).
 */
export type ApplicantKind = ApplicationInput['applicantKind'];
export type AppraisalKind = ApplicationInput['kind'];
export type Specialty = ExpertInput['specialty'];
export type NursingLevel = NonNullable<ConclusionInput['nursingLevel']>;

export type ApplicationValues = {
  caseId: string;
  kind: AppraisalKind;
  appliedOn: string;
  applicantKind: ApplicantKind;
  treatmentStabilisedOn?: string | undefined;
  previousAppraisalId?: string | undefined;
};

export type DrawValues = {
  specialty: Specialty;
  panelSize: 3 | 5;
  drawnOn: string;
  recusedIds?: readonly string[] | undefined;
  /** The reason for each recused expert, by expert id. */
  reasons?: Readonly<Record<string, string | undefined>> | undefined;
};

export type ConclusionValues = {
  concludedOn: string;
  conclusion: 'graded' | 'not_graded';
  disabilityGrade?: number | null | undefined;
  nursingLevel?: NursingLevel | 'none' | undefined;
  stopWorkExtensionMonths?: number | null | undefined;
  /** GB/T 16180-2014 clauses, separated by commas, 、 or spaces. */
  gradingClauses?: string | undefined;
};

const caseIdPattern = /^cas_(\d{6})_[0-9a-f]{16}$/;

/** The city a case lives in, read from its id (cas_330100_…); null when it is no case id. */
export function regionOfCaseId(caseId: string): string | null {
  return caseIdPattern.exec(caseId.trim())?.[1] ?? null;
}

/** The application's path and body: a first appraisal names the day treatment stabilised. */
export function applicationRequestOf(
  v: ApplicationValues,
): { regionCode: string; caseId: string; body: ApplicationInput } | null {
  const caseId = v.caseId.trim();
  const regionCode = regionOfCaseId(caseId);
  if (regionCode === null) return null;
  const common = { appliedOn: v.appliedOn, applicantKind: v.applicantKind };
  const body: ApplicationInput =
    v.kind === 'initial'
      ? { kind: 'initial', ...common, treatmentStabilisedOn: v.treatmentStabilisedOn ?? '' }
      : { kind: v.kind, ...common, previousAppraisalId: (v.previousAppraisalId ?? '').trim() };
  return { regionCode, caseId, body };
}

/** The draw's body: each recused expert with its reason, in the order chosen. */
export function drawBodyOf(v: DrawValues): DrawInput {
  return {
    specialty: v.specialty,
    panelSize: v.panelSize,
    drawnOn: v.drawnOn,
    recusals: (v.recusedIds ?? []).map((expertId) => ({
      expertId,
      reason: (v.reasons?.[expertId] ?? '').trim(),
    })),
  };
}

/** Clauses as entered ("5.7.2(12)、5.7.3") → a list without blanks or repeats. */
export function clausesOf(text: string | undefined): string[] {
  const parts = (text ?? '')
    .split(/[\s,，、;；]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return [...new Set(parts)];
}

/** The conclusion's body: a not-graded conclusion carries no grade and no nursing level. */
export function conclusionBodyOf(v: ConclusionValues): ConclusionInput {
  const graded = v.conclusion === 'graded';
  const nursing = v.nursingLevel === undefined || v.nursingLevel === 'none' ? null : v.nursingLevel;
  const months = v.stopWorkExtensionMonths;
  return {
    concludedOn: v.concludedOn,
    conclusion: v.conclusion,
    disabilityGrade: graded ? (v.disabilityGrade ?? null) : null,
    nursingLevel: graded ? nursing : null,
    stopWorkExtensionMonths: months === undefined || months === null ? null : months,
    gradingClauses: graded ? clausesOf(v.gradingClauses) : [],
  };
}

/** The pool an appraisal's panel is drawn from: the province's for a re-appraisal. */
export function poolCodeOf(a: Pick<Appraisal, 'committeeLevel' | 'regionCode'>): string {
  return a.committeeLevel === 'province' ? provinceOf(a.regionCode) : a.regionCode;
}

export type AppraisalStep = 'draw' | 'extend' | 'conclude' | 'serve';

/**
 * The steps the committee may take on an appraisal now: none without appraisal:write; a
 * re-appraisal only by the provincial committee (《工伤保险条例》第二十六条); then by its state
 * (received → draw; drawn → conclude; open and not yet extended → extend; concluded and not
 * served → serve).
 */
export function stepsOf(
  a: Pick<Appraisal, 'status' | 'committeeLevel' | 'extendedDueOn' | 'servedOn'>,
  user: { permissions: readonly string[]; scopeKind: string },
): AppraisalStep[] {
  if (!user.permissions.includes('appraisal:write')) return [];
  if (a.committeeLevel === 'province' && user.scopeKind !== 'province') return [];
  const steps: AppraisalStep[] = [];
  if (a.status === 'received') steps.push('draw');
  if (a.status === 'panel_drawn') steps.push('conclude');
  if (a.status !== 'concluded' && a.extendedDueOn === null) steps.push('extend');
  if (a.status === 'concluded' && a.servedOn === null) steps.push('serve');
  return steps;
}
