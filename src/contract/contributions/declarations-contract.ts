import { z } from 'zod';
import { period, regionCode } from '../common.ts';
import { employerId } from '../registry/employers-contract.ts';

/**
 * Payroll declarations (缴费工资申报): the upload of a CSV or xlsx file (the raw bytes as the body,
 * `application/octet-stream`, `text/csv` or the xlsx type; the month and the file's name in the
 * query), an employer's versions and uploads, one version's lines (ID numbers masked), an upload's
 * row report (JSON here, .xlsx by its own route). docs/contributions.md, "Payroll declarations".
 */
export const declarationId = z
  .string()
  .regex(/^dcl_\d{6}_[0-9a-f]{16}$/, 'a declaration id such as dcl_330100_…');
export const declarationImportId = z
  .string()
  .regex(/^dci_\d{6}_[0-9a-f]{16}$/, 'an upload id such as dci_330100_…');

/** The media types the upload reads; anything else is refused before a byte is read. */
export const DECLARATION_UPLOAD_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

export const declarationUploadQuery = z.strictObject({
  month: period,
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine(
      (name) => !/[\\/]/.test(name) && [...name].every((c) => c.charCodeAt(0) >= 0x20),
      'a file name without path separators or control characters',
    ),
});
export const employerDeclarationsParams = z.strictObject({ regionCode, employerId });
export const declarationParams = z.strictObject({ regionCode, declarationId });
export const declarationImportParams = z.strictObject({
  regionCode,
  importId: declarationImportId,
});
export const ownDeclarationParams = z.strictObject({ declarationId });
export const ownDeclarationImportParams = z.strictObject({ importId: declarationImportId });
export const declarationListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const declarationLinesQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const diff = z.object({
  added: z.number().int(),
  removed: z.number().int(),
  changed: z.number().int(),
  addedWorkerIds: z.array(z.string()),
  removedWorkerIds: z.array(z.string()),
  changedWorkerIds: z.array(z.string()),
  idsTruncated: z.boolean(),
});

export const declarationSummaryResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  employerId: z.string(),
  month: z.string(),
  version: z.number().int(),
  previousId: z.string().nullable(),
  fileSha256: z.string(),
  fileName: z.string(),
  workerCount: z.number().int(),
  wageTotalFen: z.number().int(),
  baseTotalFen: z.number().int(),
  diff,
  declaredBy: z.string(),
  declaredAt: z.string(),
});

/** 201 accepted (a new version) or 200 exists (the same bytes as the current version). */
export const declarationUploadResponse = z.object({
  status: z.enum(['accepted', 'exists']),
  importId: z.string().optional(),
  declaration: declarationSummaryResponse,
});

export const declarationImportResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  employerId: z.string(),
  month: z.string(),
  fileName: z.string(),
  fileSha256: z.string(),
  fileBytes: z.number().int(),
  outcome: z.enum(['accepted', 'refused']),
  declarationId: z.string().nullable(),
  rowCount: z.number().int(),
  problemCount: z.number().int(),
  importedBy: z.string(),
  importedAt: z.string(),
});

export const declarationListResponse = z.object({
  declarations: z.array(declarationSummaryResponse),
  imports: z.array(declarationImportResponse),
});

export const declarationLineResponse = z.object({
  rowNumber: z.number().int(),
  workerId: z.string(),
  workerName: z.string(),
  idNumberMasked: z.string(),
  /** Only for holders of pii:reveal. */
  idNumber: z.string().optional(),
  wageFen: z.number().int(),
  baseFen: z.number().int(),
});

export const declarationResponse = declarationSummaryResponse.extend({
  lines: z.array(declarationLineResponse),
});

export const declarationProblemResponse = z.object({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  code: z.string(),
  zh: z.string(),
  en: z.string(),
});

export const declarationReportResponse = declarationImportResponse.extend({
  problems: z.array(declarationProblemResponse),
});

/** `tongchou contributions declare` options (the file's existence is the command's to check). */
export const declareCommandOptions = z.strictObject({
  employer: employerId,
  month: period,
  file: z.string().min(1),
});
/** `tongchou contributions declaration-report` options. */
export const declarationReportCommandOptions = z.strictObject({
  import: declarationImportId,
  out: z.string().min(1),
});
