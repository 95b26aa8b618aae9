import type { Refusal } from '../kernel/result.ts';
import type { InputProblem } from '../kernel/validation.ts';

/**
 * The answers of the rules' public entry points (the benefit calculator, the contribution rate
 * calculator): the API route and the CLI print the same body, so both entry points build their
 * problems here, in one field order.
 */

/** RFC 9457 problem for a business refusal (HTTP 422, CLI exit 3). */
export type RefusalProblem<C extends string> = {
  type: string;
  title: string;
  status: 422;
  code: C;
  detail: string;
  details?: Readonly<Record<string, unknown>>;
};

export type RulesResponse<T, C extends string> =
  | { ok: true; status: 200; body: T }
  | { ok: false; status: 400; body: InputProblem }
  | { ok: false; status: 422; body: RefusalProblem<C> };

/** The 422 answer to a refusal, titled from the entry point's table (zh / en). */
export function refusalResponse<C extends string>(
  refusal: Refusal<C>,
  titles: Readonly<Record<C, string>>,
): { ok: false; status: 422; body: RefusalProblem<C> } {
  return {
    ok: false,
    status: 422,
    body: {
      type: `https://tongchou.example/problems/${refusal.code}`,
      title: titles[refusal.code],
      status: 422,
      code: refusal.code,
      detail: refusal.message,
      ...(refusal.details === undefined ? {} : { details: refusal.details }),
    },
  };
}
