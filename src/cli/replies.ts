import type { InputProblem } from '../kernel/validation.ts';

/** Exit codes as `calc`: 0 done, 2 invalid input, 3 refused (the problem on stdout). */
export const EXIT_OK = 0;
export const EXIT_INPUT = 2;
export const EXIT_REFUSED = 3;

export type CliReplies = {
  print: (value: unknown) => void;
  /** Prints the input problem (every field at once) and answers exit 2. */
  inputRefused: (problem: InputProblem | undefined) => number;
  /** Prints a use case's value (exit 0) or its refusal as a problem (exit 3). */
  answer: (
    r:
      | { ok: true; value: unknown }
      | { ok: false; code: string; message: string; details?: unknown },
  ) => number;
};

/** How a command group answers on stdout and stderr, its name (`label`) leading each stderr line. */
export function cliReplies(label: string): CliReplies {
  const print = (value: unknown): void => {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  };
  return {
    print,
    inputRefused(problem) {
      print(problem);
      process.stderr.write(`${label}: invalid input (${problem?.errors.length ?? 0} problem(s))\n`);
      return EXIT_INPUT;
    },
    answer(r) {
      if (r.ok) {
        print(r.value);
        return EXIT_OK;
      }
      print({
        code: r.code,
        detail: r.message,
        ...(r.details === undefined ? {} : { details: r.details }),
      });
      process.stderr.write(`${label}: refused (${r.code}): ${r.message}\n`);
      return EXIT_REFUSED;
    },
  };
}
