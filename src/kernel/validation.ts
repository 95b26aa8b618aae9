import type { z } from 'zod';
import type { Result } from './result.ts';

/** One problem with one input field; `path` is dotted ("monthlyWagesFen.3", "dependants.0.relation"). */
export type FieldError = { path: string; code: string; message: string };

/** The problem document (RFC 9457) every boundary answers bad input with: all problems at once. */
export type InputProblem = {
  type: string;
  title: string;
  status: number;
  code: 'input.invalid';
  detail: string;
  errors: FieldError[];
};

export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys')
      message = `unknown field(s): ${issue.keys.join(', ')}; remove them`;
    return { path, code: issue.code, message };
  });
}

export function inputProblem(errors: FieldError[], status = 400): InputProblem {
  return {
    type: 'https://tongchou.example/problems/input.invalid',
    title: '输入有误 / Invalid input',
    status,
    code: 'input.invalid',
    detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
  };
}

/** Parses untrusted input with a zod schema; every problem is reported, nothing is thrown. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
): Result<z.output<S>, 'input.invalid'> & { problem?: InputProblem } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problem = inputProblem(issuesToFieldErrors(parsed.error.issues));
  return { ok: false, code: 'input.invalid', message: problem.detail, problem };
}
