import { z } from 'zod';
import { compare, fromDecimal, fromInt, isDecimalString } from '../../../kernel/rational.ts';
import {
  type FieldError,
  type InputProblem,
  inputProblem,
  issuesToFieldErrors,
} from '../../../kernel/validation.ts';

/**
 * Shared input pieces of the pooling calculations. Amounts are integer fen given as JSON numbers;
 * rates are decimal strings ("0.05"), never JSON numbers, so no binary float ever enters a rule.
 */

/**
 * Largest amount accepted for one figure: 10^13 fen (1 000 亿元). With at most `CITIES_MAX`
 * cities every sum stays far below 2^53, so totals are exact JS integers.
 */
export const AMOUNT_FEN_MAX = 10_000_000_000_000;
export const CITIES_MAX = 400;

/** A non-negative amount in fen. */
const fenError = (issue: { input?: unknown }): string =>
  issue.input === undefined
    ? 'required: an integer number of fen (分)'
    : 'must be an integer number of fen (分), e.g. 1234500 for ¥12,345.00';

export const nonNegativeFen = z
  .number({ error: fenError })
  .int('must be a whole number of fen (分); convert yuan to fen first')
  .min(0, 'must not be negative')
  .max(AMOUNT_FEN_MAX, `must not exceed ${AMOUNT_FEN_MAX} fen (1 000 亿元)`);

/** An amount in fen that may be negative (e.g. an opening balance carrying an old deficit). */
export const signedFen = z
  .number({ error: fenError })
  .int('must be a whole number of fen (分); convert yuan to fen first')
  .min(-AMOUNT_FEN_MAX, `must not be below -${AMOUNT_FEN_MAX} fen`)
  .max(AMOUNT_FEN_MAX, `must not exceed ${AMOUNT_FEN_MAX} fen (1 000 亿元)`);

/** A rate in [0, 1] written as a decimal string. */
export const unitRate = z
  .string({
    error: 'must be a decimal string such as "0.05" (quoted: JSON numbers are binary floats)',
  })
  .refine((s) => isDecimalString(s) && s.trim() === s, 'must be a decimal string such as "0.05"')
  .refine(
    (s) =>
      !isDecimalString(s) ||
      (compare(fromDecimal(s), fromInt(0)) >= 0 && compare(fromDecimal(s), fromInt(1)) <= 0),
    'must be between "0" and "1" inclusive',
  );

/** A year-end run year. */
export const yearEndYear = z
  .number({ error: 'must be a calendar year such as 2025' })
  .int('must be a whole year such as 2025')
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');

/**
 * A city code: normally the 6-digit 行政区划代码 (330100). Codes are compared as strings
 * (code-point order), which for equal-length digit codes is numeric order.
 */
export const cityCode = z
  .string({ error: 'must be a city code string such as "330100"' })
  .regex(/^[0-9A-Za-z_-]{1,32}$/, 'must be 1–32 letters, digits, "_" or "-" (normally 6 digits)');

/** "duplicate city code" problems for every repeat after the first; reads untrusted data defensively. */
export function duplicateCityCodeErrors(input: unknown): FieldError[] {
  const cities = (input as { cities?: unknown } | null)?.cities;
  if (!Array.isArray(cities)) return [];
  const firstIndex = new Map<string, number>();
  const errors: FieldError[] = [];
  cities.forEach((city: unknown, i) => {
    const code = (city as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') return;
    const first = firstIndex.get(code);
    if (first === undefined) firstIndex.set(code, i);
    else
      errors.push({
        path: `cities.${i}.code`,
        code: 'duplicate',
        message: `duplicate city code ${code} (already given at cities.${first}.code); each city appears once`,
      });
  });
  return errors;
}

/** Refinement for a schema whose other fields all passed. */
export function checkUniqueCityCodes(input: unknown, ctx: z.RefinementCtx): void {
  for (const e of duplicateCityCodeErrors(input))
    ctx.addIssue({
      code: 'custom',
      path: e.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      message: e.message,
    });
}

/**
 * Parses pooling input and reports every problem at once. zod skips object-level refinements once
 * a field failed, so the duplicate-code check also runs here on the raw data and is merged in.
 */
export function parsePoolingInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
): { ok: true; value: z.output<S> } | { ok: false; problem: InputProblem } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = issuesToFieldErrors(parsed.error.issues);
  for (const dup of duplicateCityCodeErrors(data))
    if (!errors.some((e) => e.path === dup.path && e.message === dup.message)) errors.push(dup);
  return { ok: false, problem: inputProblem(errors) };
}

/** Orders by city code in code-point order (the order every tie is decided in). */
export function byCode(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
