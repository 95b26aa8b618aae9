import { z } from 'zod';
import { isIsoDate } from '../../../kernel/dates.ts';

/** Shared zod pieces of the fund routes (docs/fund-api.md). */
export const regionCode = z.string().regex(/^\d{6}$/, 'a 6-digit region code');
export const regionParams = z.strictObject({ regionCode });
export const year = z
  .string()
  .regex(/^20\d{2}$/, 'a year such as 2025')
  .transform(Number)
  .pipe(z.number().int().min(2000).max(2100));
export const yearParams = z.strictObject({ regionCode, year });
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isIsoDate, 'a calendar date YYYY-MM-DD');
export const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a period YYYY-MM');
/** A segment of the region: its own code, the province's adjustment fund (330000-ADJ), or 'all'. */
export const segment = z
  .string()
  .regex(/^(\d{6}(-ADJ)?|all)$/, "a segment code such as 330100, 330000-ADJ or 'all'");
export const approvalId = z.string().regex(/^apr_[0-9a-f]{24}$/, 'an approval id such as apr_…');

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The demo year the seed fills (examples of the generated route tests point at it). */
export const EXAMPLE_YEAR = '2025';
