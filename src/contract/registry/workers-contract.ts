import { z } from 'zod';
import { isoDate, regionCode } from '../common.ts';
import { employerId, spellResponse } from './employers-contract.ts';

/** Workers (职工) and employment spells (增员 / 减员). ID numbers are masked in every answer. */
export const workerId = z.string().regex(/^wkr_[0-9a-f]{16}$/, 'a worker id such as wkr_…');
export const spellId = z
  .string()
  .regex(/^spl_\d{6}_[0-9a-f]{16}$/, 'a spell id such as spl_330100_…');

export const hireParams = z.strictObject({ regionCode, employerId });
export const spellParams = z.strictObject({ regionCode, spellId });
export const workerParams = z.strictObject({ regionCode, workerId });
export const ownSpellParams = z.strictObject({ spellId });

/** 增员: the worker's number and name; sex and birth date optional, checked against the number. */
export const hireBody = z.strictObject({
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X'),
  name: z.string().trim().min(1).max(50),
  sex: z.enum(['male', 'female']).optional(),
  birthDate: isoDate.optional(),
  startDate: isoDate,
});
/** A worker looked up by the full 公民身份号码 (in the body, never in a URL that logs keep). */
export const workerSearchParams = z.strictObject({ regionCode });
export const workerSearchBody = z.strictObject({
  idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X'),
});
/** 减员: the last day employed. */
export const leaveBody = z.strictObject({ endDate: isoDate });
export const rosterQuery = z.strictObject({
  date: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const rosterResponse = z.object({
  employerId: z.string(),
  date: z.string(),
  roster: z.array(spellResponse),
});
export const workerResponse = z.object({
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string().optional(),
  spells: z.array(
    spellResponse.extend({ employerName: z.string(), employerCreditCode: z.string() }),
  ),
});
