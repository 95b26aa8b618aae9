import { z } from 'zod';
import { relation } from '../benefits/death-facts-contract.ts';
import { regionCode } from '../common.ts';

/**
 * A case's materials (docs/cases.md, "Materials"): the upload (the file itself as the body, any of
 * MATERIAL_UPLOAD_TYPES — the type is then read from the content, never from this header or the
 * name; the checklist item and the file's name in the query), the list with the checklist's state,
 * the download, the withdrawal.
 */
export const caseId = z
  .string()
  .regex(/^cas_\d{6}_[0-9a-f]{16}$/, 'a case id such as cas_330100_…');
export const materialId = z
  .string()
  .regex(/^mat_\d{6}_[0-9a-f]{16}$/, 'a material id such as mat_330100_…');

/** Body types the upload route reads; what the file is comes from its bytes. */
export const MATERIAL_UPLOAD_TYPES = [
  'application/octet-stream',
  'application/pdf',
  'image/jpeg',
  'image/png',
] as const;

export const materialItemCode = z.enum([
  'application_form',
  'labour_relation_proof',
  'medical_diagnosis',
  'occupational_disease_diagnosis',
  'death_certificate',
  'other',
  // A 供养亲属's papers (survivors' evidence, 《河南省工伤保险条例》第三十四条第二款): each names its
  // dependant (`dependantId`), and only these do.
  'dependant_household_identity',
  'dependant_no_income',
  'dependant_orphan_or_sole_elder',
  'dependant_adoption',
]);

const dependantId = z
  .string()
  .regex(/^dep_[0-9]{6}_[0-9a-f]{16}$/, 'a dependant id dep_<city>_<16 hex>');

export const materialUploadQuery = z.strictObject({
  itemCode: materialItemCode,
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine(
      (name) => !/[\\/]/.test(name) && [...name].every((c) => c.charCodeAt(0) >= 0x20),
      'a file name without path separators or control characters',
    ),
  /** The 供养亲属 a `dependant_…` paper belongs to (required for those items, refused otherwise). */
  dependantId: dependantId.optional(),
});

export const caseMaterialsParams = z.strictObject({ regionCode, caseId });
export const caseMaterialParams = z.strictObject({ regionCode, caseId, materialId });
export const selfCaseMaterialsParams = z.strictObject({ caseId });
export const selfCaseMaterialParams = z.strictObject({ caseId, materialId });
export const materialWithdrawBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

export const materialResponse = z.object({
  id: z.string(),
  caseId: z.string(),
  regionCode: z.string(),
  itemCode: z.string(),
  fileName: z.string(),
  mediaType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  byteSize: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
  withdrawn: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  dependantId: z.string().nullable(),
  /** The dependant a survivor's paper is tagged to: number (0-based) and relation, no name or ID. */
  dependant: z.object({ ordinal: z.number().int(), relation }).nullable(),
});

const checklistItem = z.object({
  code: z.string(),
  when: z.enum(['always', 'death']),
  count: z.number().int(),
  present: z.boolean(),
});

export const materialsListResponse = z.object({
  materials: z.array(materialResponse),
  checklist: z.object({
    items: z.array(checklistItem),
    missing: z.array(z.string()),
    complete: z.boolean(),
  }),
  /** The upload limit in bytes (MATERIAL_FILE_BYTES_MAX), so a form can refuse before sending. */
  bytesMax: z.number().int(),
});

export type MaterialResponse = z.infer<typeof materialResponse>;
export type MaterialsListResponse = z.infer<typeof materialsListResponse>;
export type MaterialItemCode = z.infer<typeof materialItemCode>;
