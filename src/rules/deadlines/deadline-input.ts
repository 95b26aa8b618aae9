import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.ts';
import { PERIOD_AMOUNT_MAX } from './period.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isIsoDate, 'a calendar date YYYY-MM-DD');

/**
 * `tongchou deadline --input FILE`: the last day of a period from `start` (the day of the event,
 * not counted), on the database's calendar. A contract another tool checks: keep the fields.
 */
export const deadlineInputSchema = z.strictObject({
  start: isoDate,
  amount: z.number().int().min(1).max(PERIOD_AMOUNT_MAX),
  unit: z.enum(['day', 'workday', 'month', 'year']),
});

export const deadlineResultSchema = z.strictObject({ due: isoDate });
