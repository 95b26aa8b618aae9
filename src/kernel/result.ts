/**
 * Domain refusals are values, not exceptions: a closed union of codes (see docs/errors.md).
 * Example: `return refuse('ledger.period_closed', 'period 2026-01 of 330100 is closed', { period })`.
 */
export type Refusal<C extends string = string> = {
  readonly ok: false;
  readonly code: C;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
};
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Result<T, C extends string = string> = Ok<T> | Refusal<C>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function refuse<C extends string>(
  code: C,
  message: string,
  details?: Record<string, unknown>,
): Refusal<C> {
  return details === undefined
    ? { ok: false, code, message }
    : { ok: false, code, message, details };
}
