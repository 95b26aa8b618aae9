import { z } from 'zod';
import { GRADING_CLAUSE_PATTERN } from '../../domain/cases/appraisal-procedure.ts';
import { SPECIALTIES } from '../../domain/cases/appraisal-specialties.ts';
import { cliActingOptions, isoDate, regionCode } from '../common.ts';

/** 劳动能力鉴定 (docs/cases.md, "Appraisal"): applications, the panel draw, conclusions, the expert pool. */
export const appraisalId = z
  .string()
  .regex(/^apr_\d{6}_[0-9a-f]{16}$/, 'an appraisal id such as apr_330100_…');
export const caseId = z
  .string()
  .regex(/^cas_\d{6}_[0-9a-f]{16}$/, 'a case id such as cas_330100_…');
export const expertId = z
  .string()
  .regex(/^exp_\d{6}_[0-9a-f]{16}$/, 'an expert id such as exp_330100_…');
export const specialty = z.enum(SPECIALTIES);
export const applicantKind = z.enum(['employer', 'worker', 'relative', 'agency']);
export const appraisalKind = z.enum(['initial', 're_appraisal', 'review']);
export const nursingLevel = z.enum(['full', 'major', 'partial']);

export const appraisalParams = z.strictObject({ regionCode, appraisalId });
export const caseAppraisalParams = z.strictObject({ regionCode, caseId });
export const expertParams = z.strictObject({ regionCode, expertId });

export const applicationBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('initial'),
    appliedOn: isoDate,
    applicantKind,
    /** 第二十一条: the day treatment stabilised, from the medical records. */
    treatmentStabilisedOn: isoDate,
  }),
  z.strictObject({
    kind: z.enum(['re_appraisal', 'review']),
    appliedOn: isoDate,
    applicantKind,
    /** The conclusion revisited: the case's current one. */
    previousAppraisalId: appraisalId,
  }),
]);

export const drawBody = z.strictObject({
  specialty,
  panelSize: z.union([z.literal(3), z.literal(5)]),
  recusals: z
    .array(z.strictObject({ expertId, reason: z.string().trim().min(1).max(200) }))
    .max(50),
  drawnOn: isoDate,
});
export const extensionBody = z.strictObject({
  extendedOn: isoDate,
  reason: z.string().trim().min(1).max(500),
});
export const conclusionBody = z.strictObject({
  concludedOn: isoDate,
  conclusion: z.enum(['graded', 'not_graded']),
  disabilityGrade: z.number().int().min(1).max(10).nullable(),
  nursingLevel: nursingLevel.nullable(),
  /** 第三十三条第二款: "延长不得超过12个月". */
  stopWorkExtensionMonths: z.number().int().min(1).max(12).nullable(),
  gradingClauses: z
    .array(z.string().regex(GRADING_CLAUSE_PATTERN, 'a GB/T 16180-2014 clause such as 5.7.2(12)'))
    .max(10),
});
export const serviceBody = z.strictObject({ servedOn: isoDate });

export const workListQuery = z.strictObject({
  state: z.enum(['open', 'concluded', 'all']).optional(),
  kind: appraisalKind.optional(),
  dueBy: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const drawView = z.object({
  committeeCode: z.string(),
  specialty: z.string(),
  algorithm: z.string(),
  seed: z.number().int(),
  panelSize: z.number().int(),
  poolIds: z.array(z.string()),
  recusals: z.array(z.object({ expertId: z.string(), reason: z.string() })),
  drawnIds: z.array(z.string()),
  drawnBy: z.string(),
  drawnAt: z.string(),
  panel: z.array(z.object({ id: z.string(), name: z.string(), specialty: z.string() })),
});

export const appraisalResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  caseId: z.string(),
  kind: appraisalKind,
  committeeLevel: z.enum(['city', 'province']),
  status: z.enum(['received', 'panel_drawn', 'concluded']),
  previousAppraisalId: z.string().nullable(),
  appliedOn: z.string(),
  applicantKind,
  treatmentStabilisedOn: z.string().nullable(),
  dueOn: z.string().nullable(),
  extendedDueOn: z.string().nullable(),
  dueProvisional: z.boolean(),
  extendedDueProvisional: z.boolean(),
  extensionReason: z.string().nullable(),
  effectiveDueOn: z.string().nullable(),
  concludedOn: z.string().nullable(),
  conclusion: z.enum(['graded', 'not_graded']).nullable(),
  disabilityGrade: z.number().int().nullable(),
  nursingLevel: nursingLevel.nullable(),
  stopWorkExtensionMonths: z.number().int().nullable(),
  gradingClauses: z.array(z.string()),
  servedOn: z.string().nullable(),
  conclusionLetterId: z.string().nullable(),
  draw: drawView.nullable(),
});
export const appraisalListResponse = z.object({ appraisals: z.array(appraisalResponse) });

export const currentConclusionView = z.object({
  appraisalId: z.string(),
  kind: appraisalKind,
  committeeLevel: z.enum(['city', 'province']),
  concludedOn: z.string(),
  conclusion: z.enum(['graded', 'not_graded']),
  disabilityGrade: z.number().int().nullable(),
  nursingLevel: nursingLevel.nullable(),
  stopWorkExtensionMonths: z.number().int().nullable(),
  gradingClauses: z.array(z.string()),
  servedOn: z.string().nullable(),
});
export const caseAppraisalsResponse = z.object({
  appraisals: z.array(appraisalResponse),
  current: currentConclusionView.nullable(),
});

export const drawVerifyResponse = z.object({
  reproduced: z.literal(true),
  seed: z.number().int(),
  drawnIds: z.array(z.string()),
});

export const expertBody = z.strictObject({ name: z.string().trim().min(1).max(50), specialty });
export const expertQuery = z.strictObject({
  specialty: specialty.optional(),
  active: z.enum(['true', 'false']).optional(),
});
export const expertResponse = z.object({
  committeeCode: z.string(),
  id: z.string(),
  name: z.string(),
  specialty: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});
export const expertListResponse = z.object({ experts: z.array(expertResponse) });

/** The CLI's options for the work list, checked by the same fields as the route's. */
export const workListCliInput = workListQuery.extend({ regionCode });
/** `tongchou appraisal receive` (POST …/cases/:caseId/appraisals): the case, the user, the body. */
export const appraisalReceiveCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
  ...cliActingOptions,
});
/** `tongchou appraisal draw|extend|conclude|serve` (POST …/appraisals/:appraisalId/…). */
export const appraisalStepCliOptions = z.strictObject({
  region: regionCode,
  appraisal: appraisalId,
  ...cliActingOptions,
});
/** `tongchou appraisal experts list`: the committee's region (a city or the province). */
export const expertListCliOptions = z.strictObject({
  region: regionCode,
  specialty: specialty.optional(),
  active: z.boolean().optional(),
});
/** `tongchou appraisal experts add` (POST …/appraisal-experts). */
export const expertAddCliOptions = z.strictObject({ region: regionCode, ...cliActingOptions });
/** `tongchou appraisal experts deactivate` (POST …/appraisal-experts/:expertId/deactivate). */
export const expertDeactivateCliOptions = z.strictObject({
  region: regionCode,
  expert: expertId,
  as: cliActingOptions.as,
});

/**
 * The portal's view of one's own appraisals (GET /api/v1/my/cases/{caseId}/appraisals): what was
 * applied for, when the conclusion is due, and the conclusion as served — not the panel draw (the
 * experts' names, the pool and the seed are the committee's record, not the parties').
 */
export const ownAppraisalView = appraisalResponse.pick({
  id: true,
  kind: true,
  committeeLevel: true,
  status: true,
  appliedOn: true,
  effectiveDueOn: true,
  dueProvisional: true,
  concludedOn: true,
  conclusion: true,
  disabilityGrade: true,
  nursingLevel: true,
  stopWorkExtensionMonths: true,
  servedOn: true,
});
export const ownAppraisalsResponse = z.object({
  appraisals: z.array(ownAppraisalView),
  current: currentConclusionView
    .pick({
      appraisalId: true,
      concludedOn: true,
      conclusion: true,
      disabilityGrade: true,
      nursingLevel: true,
    })
    .nullable(),
});
