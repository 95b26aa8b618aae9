import { z } from 'zod';
import { regionCode } from '../common.ts';

/** Shared request pieces of the fund routes (docs/fund-api.md). */
export const year = z
  .string()
  .regex(/^20\d{2}$/, 'a year such as 2025')
  .transform(Number)
  .pipe(z.number().int().min(2000).max(2100));
export const yearParams = z.strictObject({ regionCode, year });
/** A segment of the region: its own code, the province's adjustment fund (330000-ADJ), or 'all'. */
export const segment = z
  .string()
  .regex(/^(\d{6}(-ADJ)?|all)$/, "a segment code such as 330100, 330000-ADJ or 'all'");

/** A ratio shown rounded (`value`) with its exact decimal or fraction (`exact`); null when undefined. */
export const ratioResponse = z.object({ value: z.string(), exact: z.string() }).nullable();

/** A month's income and expenditure of a segment. */
export const monthFlowResponse = z.object({
  period: z.string(),
  incomeFen: z.number().int(),
  expenditureFen: z.number().int(),
});
