import type { Command } from 'commander';
import { rateFromUnknown } from '../../../rules/contributions/rate.ts';
import type { RuleSet } from '../../../rules/parameters/model.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { CALC_EXIT_INPUT, CALC_EXIT_OK, CALC_EXIT_REFUSED, readInput } from '../calc.ts';

export type ContributionsCommandOptions = {
  /** The rules to compute with; default: the committed rule files, read when the command runs. */
  ruleSet?: () => RuleSet;
};

/**
 * Writes one JSON document as the API sends it (compact, no request id) and a newline, so stdout
 * is the body of `POST /api/v1/contributions/rate` byte for byte; a problem is summarised on stderr.
 */
function print(body: object, exitCode: number, summary: string | null): void {
  process.stdout.write(`${JSON.stringify(body)}\n`);
  if (summary !== null) process.stderr.write(`contributions rate: ${summary}\n`.slice(0, 2000));
  process.exitCode = exitCode;
}

/**
 * `tongchou contributions rate [--input FILE]`: the contribution rate calculator
 * (docs/contributions.md). Exit codes as `calc`: 0 result, 2 invalid input (problem listing every
 * bad field), 3 refused (problem with the refusal code).
 */
export function registerContributionsCommand(
  program: Command,
  options: ContributionsCommandOptions = {},
): Command {
  const contributions = program
    .command('contributions')
    .description('参保缴费 contributions: the rate calculator (docs/contributions.md)');
  contributions
    .command('rate')
    .description(
      '工伤保险费率计算 — risk class, base rate, floating multiplier and the contribution of a payroll: JSON in, JSON out',
    )
    .option('--input <file>', 'rate input as JSON (default: read stdin)')
    .addHelpText(
      'after',
      `
Input: { "region": "330100", "period": "2024-06",
  "industry": { "standard": "GB/T 4754-2017", "division": "47" },
  "floatingGrade": "up1", "payrollFen": 123456789 }
Output: { riskClass, baseRate, multiplier, rate, amountFen, citations }, the same bytes as
POST /api/v1/contributions/rate. Exit codes: 0 result, 2 invalid input, 3 refused
(rules.parameter_missing, contribution.division_unknown, contribution.division_unclassified,
contribution.grade_not_allowed). See docs/contributions.md.`,
    )
    .action(async (opts: { input?: string }) => {
      const input = await readInput(opts.input);
      if (!('data' in input))
        return print(input, CALC_EXIT_INPUT, `invalid input: ${input.detail}`);
      const ruleSet = options.ruleSet?.() ?? loadRuleBook().benefits;
      const response = rateFromUnknown(input.data, ruleSet);
      if (response.ok) return print(response.body, CALC_EXIT_OK, null);
      if (response.status === 400)
        return print(
          response.body,
          CALC_EXIT_INPUT,
          `invalid input (${response.body.errors.length} problem(s)): ${response.body.detail}`,
        );
      return print(
        response.body,
        CALC_EXIT_REFUSED,
        `refused (${response.body.code}): ${response.body.detail}`,
      );
    });
  return contributions;
}
