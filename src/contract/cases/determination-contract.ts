import { z } from 'zod';
import {
  applicantTypes,
  caseStatuses,
  determinationGrounds,
  determinationOutcomes,
  reporterKinds,
} from '../../domain/cases/index.ts';
import { cliActingOptions, isoDate, regionCode } from '../common.ts';

/** The injury case's determination part (工伤认定): report, application, actions, reads. */
export const caseId = z
  .string()
  .regex(/^cas_\d{6}_[0-9a-f]{16}$/, 'a case id such as cas_330100_…');
export const caseParams = z.strictObject({ regionCode, caseId });
export const ownCaseParams = z.strictObject({ caseId });
const letterId = z.string().regex(/^ltr_\d{6}_[0-9a-f]{16}$/, 'a letter id such as ltr_…');
export const caseLetterParams = z.strictObject({ regionCode, caseId, letterId });
export const ownCaseLetterParams = z.strictObject({ caseId, letterId });

const text = (max: number) => z.string().trim().min(1).max(max);
const workerId = z.string().regex(/^wkr_[0-9a-f]{16}$/, 'a worker id such as wkr_…');
const employerId = z.string().regex(/^emp_\d{6}_[0-9a-f]{16}$/, 'an employer id such as emp_…');
const caseType = z.enum(['accident', 'occupational_disease']);

export const applicationBody = z.strictObject({
  applicantType: z.enum(applicantTypes),
  appliedOn: isoDate,
  employerExtension: z.strictObject({ extendedTo: isoDate, approvalRef: text(100) }).optional(),
});

export const reportBody = z.strictObject({
  workerId,
  employerId,
  caseType,
  accidentDate: isoDate,
  reportedOn: isoDate,
  reporterKind: z.enum(reporterKinds),
  accidentPlace: text(200),
  accidentSummary: text(2000),
  application: applicationBody.optional(),
});

export const ownReportBody = z.strictObject({
  workerId: workerId.optional(),
  employerId: employerId.optional(),
  caseType,
  accidentDate: isoDate,
  accidentPlace: text(200),
  accidentSummary: text(2000),
  apply: z.boolean(),
  applicantType: z.enum(['worker', 'relative']).optional(),
});

export const reportResponse = z.object({
  regionCode: z.string(),
  caseId: z.string(),
  status: z.enum(caseStatuses),
});

const grounds = z.array(z.enum(determinationGrounds)).max(5);
const version = z.number().int().min(1).optional();

/** Every officer command, discriminated by `kind` (the state machine's commands). */
export const actionBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('accept'),
    on: isoDate,
    clear: z.boolean(),
    expectedVersion: version,
  }),
  z.strictObject({
    kind: z.literal('refuse_acceptance'),
    on: isoDate,
    reason: text(500),
    expectedVersion: version,
  }),
  z.strictObject({
    kind: z.literal('request_materials'),
    on: isoDate,
    missing: z.array(text(200)).min(1).max(20),
    expectedVersion: version,
  }),
  z.strictObject({ kind: z.literal('complete_materials'), on: isoDate, expectedVersion: version }),
  z.strictObject({
    kind: z.literal('note_investigation'),
    on: isoDate,
    note: text(2000),
    expectedVersion: version,
  }),
  z.strictObject({
    kind: z.literal('suspend'),
    on: isoDate,
    reason: text(500),
    expectedVersion: version,
  }),
  z.strictObject({ kind: z.literal('resume'), on: isoDate, expectedVersion: version }),
  z.strictObject({
    kind: z.literal('decide'),
    on: isoDate,
    outcome: z.enum(determinationOutcomes),
    grounds,
    expectedVersion: version,
  }),
  z.strictObject({ kind: z.literal('serve'), on: isoDate, expectedVersion: version }),
  z.strictObject({
    kind: z.literal('file_review'),
    on: isoDate,
    channel: z.enum(['administrative_review', 'litigation']),
    expectedVersion: version,
  }),
  z.strictObject({
    kind: z.literal('record_review_outcome'),
    on: isoDate,
    result: z.enum(['upheld', 'revoked', 'changed']),
    outcome: z.enum(determinationOutcomes).optional(),
    grounds: grounds.optional(),
    expectedVersion: version,
  }),
]);

export const actionResponse = z.object({
  regionCode: z.string(),
  caseId: z.string(),
  status: z.enum(caseStatuses),
  version: z.number().int(),
  eventSeq: z.number().int(),
});

export const bulkAcceptBody = z.strictObject({
  on: isoDate,
  clear: z.boolean(),
  cases: z
    .array(z.strictObject({ caseId, expectedVersion: version }))
    .min(1)
    .max(100),
});
export const bulkResponse = z.object({
  results: z.array(
    z.object({
      caseId: z.string(),
      ok: z.boolean(),
      status: z.string().optional(),
      version: z.number().int().optional(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

/** A comma-separated list of statuses in the query string (`status=applied,accepted`). */
const statusList = z
  .string()
  .transform((s) => s.split(',').filter((x) => x !== ''))
  .pipe(z.array(z.enum(caseStatuses)).max(caseStatuses.length));

export const workListQuery = z.strictObject({
  status: statusList.optional(),
  dueKind: z.enum(['acceptance', 'decision']).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(366).optional(),
  employerId: employerId.optional(),
  accidentFrom: isoDate.optional(),
  accidentTo: isoDate.optional(),
  after: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}\|cas_\d{6}_[0-9a-f]{16}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const ownListQuery = workListQuery.pick({ after: true, limit: true });

export const workListItem = z.object({
  regionCode: z.string(),
  caseId: z.string(),
  status: z.enum(caseStatuses),
  caseType,
  accidentDate: z.string(),
  workerId: z.string(),
  workerName: z.string(),
  workerIdNumber: z.string(),
  employerId: z.string(),
  employerName: z.string(),
  nextDueKind: z.enum(['acceptance', 'decision']).nullable(),
  nextDueOn: z.string().nullable(),
  nextDueProvisional: z.boolean(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export const workListResponse = z.object({
  items: z.array(workListItem),
  next: z.string().nullable(),
});

export const dashboardResponse = z.object({
  today: z.string(),
  rows: z.array(
    z.object({
      regionCode: z.string(),
      dueKind: z.enum(['acceptance', 'decision']),
      overdue: z.number().int(),
      dueToday: z.number().int(),
      dueWithin7Days: z.number().int(),
      running: z.number().int(),
    }),
  ),
});

const nullableDate = z.string().nullable();
const caseEvent = z.object({
  regionCode: z.string(),
  caseId: z.string(),
  seq: z.number().int(),
  kind: z.string(),
  occurredOn: z.string(),
  data: z.record(z.string(), z.unknown()),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export const casePageResponse = z.object({
  facts: z.object({
    regionCode: z.string(),
    id: z.string(),
    workerId: z.string(),
    workerName: z.string(),
    workerIdNumber: z.string(),
    employerRegionCode: z.string(),
    employerId: z.string(),
    employerName: z.string(),
    createdBy: z.string(),
    employerExtensionRef: z.string().nullable(),
    caseType,
    accidentDate: z.string(),
    accidentPlace: z.string().nullable(),
    accidentSummary: z.string().nullable(),
    status: z.enum(caseStatuses),
    version: z.number().int(),
    reporterKind: z.enum(reporterKinds),
    reportedOn: nullableDate,
    applicantType: z.enum(applicantTypes).nullable(),
    appliedOn: nullableDate,
    employerApplicationDueOn: nullableDate,
    workerApplicationDueOn: nullableDate,
    employerExtensionTo: nullableDate,
    applicationLate: z.boolean(),
    employerLiableFrom: nullableDate,
    employerLiableUntil: nullableDate,
    clearCase: z.boolean(),
    acceptedOn: nullableDate,
    acceptanceDueOn: nullableDate,
    /** 浙江: the last day to refuse after the asked-for materials arrived (《浙江省工伤保险条例》第十六条第二款). */
    refusalDueOn: nullableDate,
    decisionDueOn: nullableDate,
    suspendedOn: nullableDate,
    determinationOutcome: z.enum(determinationOutcomes).nullable(),
    determinationGrounds: z.array(z.enum(determinationGrounds)),
    determinationDecidedOn: nullableDate,
    servedOn: nullableDate,
    reviewChannel: z.enum(['administrative_review', 'litigation']).nullable(),
    nextDueKind: z.enum(['acceptance', 'decision']).nullable(),
    nextDueOn: nullableDate,
    nextDueProvisional: z.boolean(),
  }),
  allowed: z.array(z.string()),
  timeline: z.array(caseEvent),
  letters: z.array(caseEvent),
});

export type WorkListItem = z.infer<typeof workListItem>;
export type CasePageData = z.infer<typeof casePageResponse>;
export type ActionBody = z.input<typeof actionBody>;
export type WorkListQueryInput = z.input<typeof workListQuery>;

/** `tongchou cases list`: the work list's filters plus the region (the CLI reads as the system). */
export const caseListCliInput = workListQuery.extend({ regionCode });
export const caseShowCliInput = caseParams;

/** `tongchou cases report` (POST …/cases): the city, the user, the body in `--input`. */
export const caseReportCliOptions = z.strictObject({ region: regionCode, ...cliActingOptions });
/** `tongchou cases apply|act` (POST …/cases/:caseId/application|actions). */
export const caseStepCliOptions = caseReportCliOptions.extend({ case: caseId });
