import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { yearEndRunBody } from '../../../contract/fund/pooling/year-end-contract.ts';
import { runYearEndJob, summarizeYearEnd } from '../../../jobs/fund/pooling/year-end-run-job.ts';
import { type InputProblem, inputProblem, parseInput } from '../../../kernel/validation.ts';
import { calculatePoolingYearEnd } from '../../../rules/fund/pooling/pooling-calculate.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { withDatabase } from '../../io.ts';

/** Exit codes of `pooling settle`: 0 result printed, 2 bad input (problem document printed). */
export const EXIT_OK = 0;
export const EXIT_INPUT = 2;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function problemOf(path: string, code: string, message: string): InputProblem {
  return inputProblem([{ path, code, message }]);
}

/** Reads and parses the JSON input; a problem document when the file or the JSON is unusable. */
async function readInput(file: string | undefined): Promise<{ data: unknown } | InputProblem> {
  let text: string;
  try {
    text = file === undefined || file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as { code?: string }).code ?? String(err);
    return problemOf('(input)', 'input.unreadable', `cannot read ${file}: ${reason}`);
  }
  if (text.trim() === '')
    return problemOf('(input)', 'input.empty', 'no input: give --input FILE or JSON on stdin');
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return problemOf('(input)', 'input.not_json', `the input is not JSON: ${reason}`);
  }
}

function printProblem(problem: InputProblem): void {
  process.stdout.write(`${JSON.stringify(problem, null, 2)}\n`);
  process.stderr.write(
    `pooling settle: invalid input (${problem.errors.length} problem(s)); the problem document is on stdout\n`,
  );
  process.exitCode = EXIT_INPUT;
}

/**
 * `tongchou pooling settle [--input FILE]`: the pure year-end pooling year-end run (docs/pooling.md).
 * Prints one JSON document on stdout: the result (exit 0) or an RFC 9457 problem listing every
 * bad field (exit 2).
 */
export function registerPoolingCommand(program: Command): void {
  const pooling = program
    .command('pooling')
    .description('省级统筹 pooling: year-end run calculations (see docs/pooling.md)');
  registerPoolingSettleCommand(pooling);
  registerPoolingRunCommand(pooling);
}

function registerPoolingSettleCommand(pooling: Command): void {
  pooling
    .command('settle')
    .description(
      'Year-end pooling yearEnd (调剂金 "adjustment_fund" or 统收统支 "unified") as a pure calculation: JSON in, JSON out',
    )
    .option('-i, --input <file>', 'JSON input file ("-" or omitted: read stdin)')
    .addHelpText(
      'after',
      `
Input (adjustment_fund): { "mode": "adjustment_fund", "year": 2025,
  "rules": { "remittanceRate": "0.05", "reserveRate": "0.02", "policyGapCoverageShare": "0.8" },
  "adjustmentFundOpeningFen": 0,
  "cities": [{ "code": "330100", "contributionIncomeFen": 0, "otherIncomeFen": 0,
               "expenditureFen": 0, "openingBalanceFen": 0, "managementGapFen": 0 }] }
Amounts are integer fen; rates are decimal strings. Exit 0: result on stdout; exit 2: problem JSON
on stdout listing every bad field. Examples: tests/fixtures/pooling/*.input.json`,
    )
    .action(async (options: { input?: string }) => {
      const input = await readInput(options.input);
      if (!('data' in input)) return printProblem(input);
      const result = calculatePoolingYearEnd(input.data);
      if (!result.ok) return printProblem(result.problem);
      process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
      process.exitCode = EXIT_OK;
    });
}

interface PoolingRunOptions {
  province: string;
  year: string;
  reportsDir?: string;
  managementGaps?: string;
  approval: string;
}

function registerPoolingRunCommand(pooling: Command): void {
  pooling
    .command('run')
    .description(
      'Year-end yearEnd over the ledger (adjustment_fund mode): posts the result, writes Excel and PDF reports; idempotent by (province, year), safe to rerun after any failure',
    )
    .requiredOption('--province <code>', 'province code, e.g. 330000')
    .requiredOption('--year <year>', 'year-end run year, e.g. 2023')
    .option(
      '--reports-dir <dir>',
      'where to write the reports (default ./data/reports/<province>-<year>/)',
    )
    .option('--management-gaps <json>', 'management gaps per city in fen, e.g. {"330300":300000}')
    .requiredOption(
      '--approval <id>',
      'the approved approval of this run (action pooling.year_end_run, the same gaps): asked for by a fund manager, approved by another role',
    )
    .action((options: PoolingRunOptions) => runYearEndFromCli(options));
}

/** --management-gaps through the HTTP body's schema: the same city-code, amount and count limits. */
function parseGaps(
  text: string | undefined,
  approvalId: string,
): { gaps: Record<string, number>; approvalId: string } | InputProblem {
  let data: unknown = {};
  try {
    if (text) data = JSON.parse(text);
  } catch {
    return problemOf(
      'managementGaps',
      'input.not_json',
      'must be a JSON object of city code → fen',
    );
  }
  const parsed = parseInput(yearEndRunBody, { managementGapsFen: data, approvalId });
  if (!parsed.ok)
    return inputProblem(
      (parsed.problem?.errors ?? []).map((e) => ({
        ...e,
        path: e.path
          .replace(/^managementGapsFen/, 'managementGaps')
          .replace(/^approvalId/, 'approval'),
      })),
    );
  return { gaps: parsed.value.managementGapsFen ?? {}, approvalId: parsed.value.approvalId };
}

async function runYearEndFromCli(options: PoolingRunOptions): Promise<void> {
  const parsedGaps = parseGaps(options.managementGaps, options.approval);
  if (!('gaps' in parsedGaps)) return printProblem(parsedGaps);
  const gaps = parsedGaps.gaps;
  if (!/^\d{6}$/.test(options.province) || !/^\d{4}$/.test(options.year))
    return printProblem(
      problemOf(
        'province/year',
        'input.invalid',
        'give --province as 6 digits and --year as 4 digits',
      ),
    );
  await withDatabase(async ({ db }) => {
    const r = await runYearEndJob(
      db,
      {
        province: options.province,
        year: Number(options.year),
        managementGapsFen: gaps,
        reportsDir: options.reportsDir,
        approvalId: parsedGaps.approvalId,
      },
      loadRuleBook().pooling,
    );
    if (!r.ok) {
      process.stdout.write(
        `${JSON.stringify({ code: r.code, message: r.message, details: r.details ?? {} }, null, 2)}\n`,
      );
      return 1;
    }
    process.stdout.write(`${JSON.stringify(summarizeYearEnd(r.value), null, 2)}\n`);
    return 0;
  });
}
