import { z } from 'zod';
import { approvalId, isoDate, regionCode } from '../common.ts';

/**
 * The register's employers (参保单位). `regionCode` in a path is a city, or the province code for
 * the whole province (the policy lets a city handler use its own city only, the province all).
 */
export const employerId = z
  .string()
  .regex(/^emp_\d{6}_[0-9a-f]{16}$/, 'an employer id such as emp_330100_…');
export const creditCode = z
  .string()
  .regex(/^[0-9A-Za-z]{18}$/, '18 characters: digits and capital letters (统一社会信用代码)');
export const industryStandard = z.enum(['GB/T 4754-2011', 'GB/T 4754-2017']);
export const floatingGrade = z.enum(['down2', 'down1', 'base', 'up1', 'up2']);
export const employerCategory = z.enum(['sme', 'large', 'public_body']);
export const employerStatus = z.enum(['registered', 'suspended', 'cancelled']);

export const employerListParams = z.strictObject({ regionCode });
export const employerParams = z.strictObject({ regionCode, employerId });
export const employerListQuery = z.strictObject({
  namePrefix: z.string().trim().min(1).max(100).optional(),
  creditCode: creditCode.optional(),
  date: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const employerPageQuery = z.strictObject({
  date: isoDate.optional(),
  rosterLimit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const employerRegisterBody = z.strictObject({
  creditCode,
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(300),
  industry: z.strictObject({
    standard: industryStandard,
    division: z.string().regex(/^\d{2}$/, 'a two-digit GB/T 4754 division (大类)'),
  }),
  category: employerCategory,
  registeredOn: isoDate,
});
export const employerStatusBody = z.strictObject({
  status: employerStatus,
  effectiveFrom: isoDate,
  reason: z.string().trim().min(2).max(500),
});
export const employerGradeBody = z.strictObject({
  grade: floatingGrade,
  effectiveFrom: isoDate,
  reason: z.string().trim().min(2).max(500),
  /** Absent: ask for the approval of this change. Present: apply the change it approved. */
  approvalId: approvalId.optional(),
});

export const employerResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  creditCode: z.string(),
  name: z.string(),
  address: z.string(),
  industry: z.object({ standard: industryStandard, division: z.string() }),
  category: employerCategory,
  registeredOn: z.string(),
  status: employerStatus,
  statusFrom: z.string(),
  floatingGrade,
  floatingGradeFrom: z.string(),
  /** The risk class on `asOf`, read from the dated tables of the rules (never stored). */
  riskClass: z.number().int().nullable(),
  riskClassNote: z.string().nullable(),
  asOf: z.string(),
});
export const employerListResponse = z.object({ employers: z.array(employerResponse) });
export const employerGradeResponse = z.object({
  status: z.enum(['approval_requested', 'changed']),
  employer: employerResponse,
  approval: z
    .object({
      id: z.string(),
      requiredCheckers: z.union([z.literal(1), z.literal(2)]),
      expiresAt: z.string(),
    })
    .nullable(),
});

export const spellResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  employerId: z.string(),
  workerId: z.string(),
  workerName: z.string(),
  idNumberMasked: z.string(),
  sex: z.enum(['male', 'female']),
  /** Only for holders of pii:reveal: the birth date is the masked part of the number. */
  birthDate: z.string().optional(),
  startDate: z.string(),
  endDate: z.string().nullable(),
});

export const employerEventResponse = z.object({
  seq: z.number().int(),
  kind: z.enum(['registered', 'status', 'floating_grade']),
  effectiveFrom: z.string(),
  data: z.record(z.string(), z.string()),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export const employerPageResponse = z.object({
  employer: employerResponse,
  roster: z.array(spellResponse),
  events: z.array(employerEventResponse),
});
