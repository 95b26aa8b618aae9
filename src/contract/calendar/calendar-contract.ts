import { z } from 'zod';

/** GET /api/v1/calendar/{year}: a year of the working-day calendar. */
export const calendarYearParams = z.strictObject({
  year: z.coerce.number().int().min(1950).max(2199),
});

export const calendarYearResponse = z.object({
  year: z.number().int(),
  status: z.enum(['official', 'statutory-only']),
  notice: z.string().nullable(),
  issuedOn: z.string().nullable(),
  source: z.string().nullable(),
  note: z.string().nullable(),
  origin: z.enum(['bundled', 'import']),
  recordedBy: z.string(),
  days: z.array(
    z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() }),
  ),
});

/** The deadline calculator's input and answer are the rules' own schemas (`tongchou deadline`). */
export {
  deadlineInputSchema as deadlineInput,
  deadlineResultSchema as deadlineResult,
} from '../../rules/deadlines/deadline-input.ts';
