import { z } from 'zod';
import { isoDate, regionCode } from '../common.ts';

/**
 * Direct settlement's reference data over HTTP (docs/settlement.md): institutions (协议机构),
 * agreements (服务协议), the catalogue (目录) and code maps (对照). Shared by the api and the web.
 */
export const institutionId = z
  .string()
  .regex(/^INST-\d{6}-\d{4}$/, 'an institution id INST-<6-digit city>-<4 digits>');
export const institutionKinds = ['hospital', 'rehabilitation', 'device'] as const;
export const institutionLevels = ['tertiary', 'secondary', 'primary', 'none'] as const;
export const institutionStatuses = ['active', 'suspended', 'terminated'] as const;
export const agreementScopes = ['outpatient', 'inpatient', 'rehabilitation', 'device'] as const;
export const catalogueKinds = ['drug', 'service', 'rehabilitation', 'device'] as const;

export const institution = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(institutionKinds),
  level: z.enum(institutionLevels),
  managingRegionCode: z.string(),
  creditCode: z.string().nullable(),
  status: z.enum(institutionStatuses),
  statusFrom: z.string(),
});
export type Institution = z.infer<typeof institution>;

export const agreement = z.object({
  id: z.string(),
  institutionId: z.string(),
  signedRegionCode: z.string(),
  scopes: z.array(z.enum(agreementScopes)),
  validFrom: z.string(),
  validTo: z.string(),
  crossProvince: z.boolean(),
  status: z.enum(institutionStatuses),
  terminatedFrom: z.string().nullable(),
  terminatedReason: z.string().nullable(),
});
export type Agreement = z.infer<typeof agreement>;

export const institutionListParams = z.strictObject({ regionCode });
export const institutionParams = z.strictObject({ regionCode, institutionId });
export const agreementParams = z.strictObject({
  regionCode,
  agreementId: z.string().regex(/^agr_[0-9a-f]{16}$/, 'an agreement id agr_…'),
});

export const institutionListQuery = z.strictObject({
  status: z.enum(institutionStatuses).optional(),
  namePrefix: z.string().trim().min(1).max(100).optional(),
  after: institutionId.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const institutionListResponse = z.object({
  institutions: z.array(institution),
  next: z.string().nullable(),
});

export const institutionCreateBody = z.strictObject({
  /** Optional: the city's next number when absent. */
  id: institutionId.optional(),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(institutionKinds),
  level: z.enum(institutionLevels),
  /** 统一社会信用代码, checked by GB 32100. */
  creditCode: z.string().trim().length(18).optional(),
  createdOn: isoDate,
});

export const institutionStatusBody = z.strictObject({
  status: z.enum(institutionStatuses),
  effectiveFrom: isoDate,
  reason: z.string().trim().min(1).max(500),
});

export const institutionPageResponse = z.object({
  institution,
  agreements: z.array(agreement),
});

export const agreementSignBody = z
  .strictObject({
    scopes: z.array(z.enum(agreementScopes)).min(1).max(4),
    validFrom: isoDate,
    validTo: isoDate,
    crossProvince: z.boolean().default(false),
  })
  .refine((b) => b.validTo >= b.validFrom, {
    message: 'validTo is on or after validFrom',
    path: ['validTo'],
  });

export const agreementTerminateBody = z.strictObject({
  effectiveFrom: isoDate,
  reason: z.string().trim().min(1).max(500),
});

export const catalogueItem = z.object({
  code: z.string(),
  kind: z.enum(catalogueKinds),
  name: z.string(),
  drugClass: z.enum(['A', 'B']).nullable(),
  unit: z.string(),
  priceCapFen: z.number().int().nullable(),
  quantityLimit: z.number().int().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export type CatalogueItem = z.infer<typeof catalogueItem>;

export const catalogueSearchQuery = z.strictObject({
  prefix: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(catalogueKinds).optional(),
  date: isoDate.optional(),
  after: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const catalogueSearchResponse = z.object({
  items: z.array(catalogueItem),
  next: z.string().nullable(),
});

export const catalogueUploadQuery = z.strictObject({
  fileName: z.string().trim().min(1).max(200),
});
export const catalogueImport = z.object({
  id: z.string(),
  fileName: z.string(),
  fileSha256: z.string(),
  rows: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  status: z.enum(['imported', 'refused']),
  importedAt: z.string(),
  repeated: z.boolean(),
});
export type CatalogueImport = z.infer<typeof catalogueImport>;
export const catalogueProblem = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  code: z.string(),
  zh: z.string(),
  en: z.string(),
});
export const catalogueImportParams = z.strictObject({
  importId: z.string().regex(/^cim_[0-9a-f]{16}$/, 'an import id cim_…'),
});
export const catalogueImportReport = catalogueImport.extend({
  problems: z.array(catalogueProblem),
});

export const codeMap = z.object({
  institutionId: z.string(),
  ownCode: z.string(),
  catalogueCode: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const codeMapListResponse = z.object({ codeMaps: z.array(codeMap) });
export const codeMapSetBody = z.strictObject({
  ownCode: z.string().trim().min(1).max(60),
  catalogueCode: z.string().trim().min(1).max(40),
  validFrom: isoDate,
});
export const codeMapImportResponse = z.object({ written: z.number().int() });

/** The body of a file upload: the file itself (as for declarations). */
export const SETTLEMENT_UPLOAD_TYPES = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/** The CLI's `settlement agreement sign`: the path's parts and the body, checked at once. */
export const agreementSignCommand = z.object({
  regionCode,
  institutionId,
  body: agreementSignBody,
});
