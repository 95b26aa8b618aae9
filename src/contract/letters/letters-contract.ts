import { z } from 'zod';
import { LETTER_TYPES } from '../../domain/letters/letter-types.ts';
import { regionCode } from '../common.ts';

/** Letters (docs/letters.md): a city's numbered decisions and notices, listed and downloaded. */
export const letterId = z
  .string()
  .regex(/^ltr_\d{6}_[0-9a-f]{16}$/, 'a letter id such as ltr_330100_…');
export const letterParams = z.strictObject({ regionCode, letterId });
export const letterType = z.enum(LETTER_TYPES);
export const letterListQuery = z.strictObject({
  caseId: z
    .string()
    .regex(/^cas_\d{6}_[0-9a-f]{16}$/, 'a case id such as cas_330100_…')
    .optional(),
});

export const letterView = z.object({
  id: z.string(),
  regionCode: z.string(),
  letterType,
  year: z.number().int(),
  number: z.number().int(),
  /** 发文字号, e.g. 杭人社工认〔2026〕12号. */
  documentNumber: z.string(),
  sha256: z.string(),
  caseId: z.string().nullable(),
  title: z.string(),
  recipient: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  issuedBy: z.string(),
  byteLength: z.number().int(),
});
export type LetterViewDto = z.infer<typeof letterView>;
export const letterListResponse = z.object({ letters: z.array(letterView) });
