import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type InputProblem, inputProblem } from '../../kernel/validation.ts';
import {
  calculateFromUnknown,
  type ParameterOverlay,
  parseOverlay,
} from '../../rules/calculator/index.ts';
import { loadRuleBook } from '../../runtime/rule-files.ts';
import { parseYamlText } from '../../runtime/yaml-text.ts';

/** Exit codes of `calc`: 0 result, 2 bad input or reform file (problem printed), 3 business refusal. */
export const CALC_EXIT_OK = 0;
export const CALC_EXIT_INPUT = 2;
export const CALC_EXIT_REFUSED = 3;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function problemOf(path: string, code: string, message: string): InputProblem {
  return inputProblem([{ path, code, message }]);
}

function readText(file: string, path: string): { text: string } | InputProblem {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    const reason = (err as { code?: string }).code ?? String(err);
    return problemOf(path, 'input.unreadable', `cannot read ${file}: ${reason}`);
  }
}

/** Reads one JSON document from --input FILE or stdin; a problem when it is unreadable, empty or not JSON. */
export async function readInput(
  file: string | undefined,
): Promise<{ data: unknown } | InputProblem> {
  let text: string;
  if (file === undefined || file === '-') text = await readStdin();
  else {
    const read = readText(file, '(input)');
    if (!('text' in read)) return read;
    text = read.text;
  }
  if (text.trim() === '')
    return problemOf('(input)', 'input.empty', 'no input: give --input FILE or JSON on stdin');
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (err) {
    return problemOf(
      '(input)',
      'input.not_json',
      `the input is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Reads a reform overlay (YAML or JSON, docs/calculator.md "Reforms"); field paths get a "reform." prefix. */
function readReform(file: string): { overlay: ParameterOverlay } | InputProblem {
  const read = readText(file, 'reform');
  if (!('text' in read)) return read;
  let data: unknown;
  try {
    data = parseYamlText(read.text);
  } catch (err) {
    return problemOf(
      'reform',
      'input.not_yaml',
      `the reform file is neither YAML nor JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const parsed = parseOverlay(data);
  if (parsed.ok) return { overlay: parsed.value };
  return inputProblem(
    (parsed.problem?.errors ?? []).map((e) => ({ ...e, path: `reform.${e.path}` })),
  );
}

function printProblem(
  problem: { status: number; detail: string },
  exitCode: number,
  summary: string,
): void {
  process.stdout.write(`${JSON.stringify(problem, null, 2)}\n`);
  process.stderr.write(`calc: ${summary}: ${problem.detail}\n`.slice(0, 2000));
  process.exitCode = exitCode;
}

/**
 * `tongchou calc [--input FILE] [--reform FILE] [--no-trace]`: the benefit calculator (docs/calculator.md).
 * One JSON document on stdout: the result (exit 0), an input problem listing every bad field
 * (exit 2) or a refusal problem (exit 3).
 */
export function registerCalcCommand(program: Command): void {
  program
    .command('calc')
    .description(
      '工伤待遇计算 — compute the benefits of one case: JSON in (file or stdin), JSON out',
    )
    .option('--input <file>', 'calculation input as JSON (default: read stdin)')
    .option('--reform <file>', 'parameter overlay (YAML or JSON) to run the case under a reform')
    .option('--no-trace', 'omit the explanation trace (faster, smaller output)')
    .addHelpText(
      'after',
      '\nExit codes: 0 result, 2 invalid input or reform file, 3 refused (e.g. rules.parameter_missing).\nSee docs/calculator.md for the input fields and an example.',
    )
    .action(async (opts: { input?: string; reform?: string; trace: boolean }) => {
      const input = await readInput(opts.input);
      if (!('data' in input)) return printProblem(input, CALC_EXIT_INPUT, 'invalid input');
      let reform: ParameterOverlay | undefined;
      if (opts.reform !== undefined) {
        const r = readReform(opts.reform);
        if (!('overlay' in r)) return printProblem(r, CALC_EXIT_INPUT, 'invalid reform file');
        reform = r.overlay;
      }
      const response = calculateFromUnknown(input.data, loadRuleBook().benefits, {
        withTrace: opts.trace,
        ...(reform === undefined ? {} : { reform }),
      });
      if (response.ok) {
        process.stdout.write(`${JSON.stringify(response.body, null, 2)}\n`);
        process.exitCode = CALC_EXIT_OK;
      } else if (response.status === 400) {
        printProblem(
          response.body,
          CALC_EXIT_INPUT,
          `invalid input (${response.body.errors.length} problem(s))`,
        );
      } else {
        printProblem(response.body, CALC_EXIT_REFUSED, `refused (${response.body.code})`);
      }
    });
}
