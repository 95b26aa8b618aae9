import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  declarationReportCommandOptions,
  declareCommandOptions,
} from '../../../contract/contributions/declarations-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { importDeclaration } from '../../../usecases/contributions/declaration-import.ts';
import { getImportReport, reportXlsx } from '../../../usecases/contributions/declaration-reads.ts';
import { withDatabase } from '../../io.ts';

/** Exit codes as `calc`: 0 done, 2 invalid input, 3 refused (a refused file included). */
export const DECLARE_EXIT_OK = 0;
export const DECLARE_EXIT_INPUT = 2;
export const DECLARE_EXIT_REFUSED = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(
    `contributions: invalid input (${problem?.errors.length ?? 0} problem(s))\n`,
  );
  return DECLARE_EXIT_INPUT;
}

function refused(r: { code: string; message: string; details?: unknown }): number {
  print({
    code: r.code,
    detail: r.message,
    ...(r.details === undefined ? {} : { details: r.details }),
  });
  process.stderr.write(`contributions: refused (${r.code}): ${r.message}\n`.slice(0, 2000));
  return DECLARE_EXIT_REFUSED;
}

const today = () => todayInChina();

/** The `contributions` command, created by the rate calculator or here, whichever runs first. */
function contributionsCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'contributions') ??
    program.command('contributions').description('参保缴费 contributions')
  );
}

/**
 * `tongchou contributions declare` and `declaration-report`: the payroll declaration import and its
 * report from the command line, through the same use cases as the API, acting as "system" (the
 * province scope). docs/contributions.md, "Payroll declarations".
 */
export function registerDeclarationCommands(program: Command): void {
  const contributions = contributionsCommand(program);
  contributions
    .command('declare')
    .description(
      '缴费工资申报: import an employer’s payroll for a month from a CSV (UTF-8 or GBK) or xlsx file',
    )
    .requiredOption('--employer <id>', 'the employer id (emp_330100_…)')
    .requiredOption('--month <YYYY-MM>', 'the declared month')
    .requiredOption('--file <path>', 'the declaration file')
    .action((opts: { employer: string; month: string; file: string }) =>
      withDatabase(async ({ db, actor }) => {
        const input = parseInput(declareCommandOptions, opts);
        if (!input.ok) return inputRefused(input.problem);
        const { employer, month, file } = input.value;
        if (!existsSync(file) || !statSync(file).isFile())
          return inputRefused({
            type: 'https://tongchou.example/problems/input.invalid',
            title: '输入有误 / Invalid input',
            status: 400,
            code: 'input.invalid',
            detail: `file: ${file} is not a readable file`,
            errors: [{ path: 'file', code: 'input.unreadable', message: 'not a readable file' }],
          });
        const out = await importDeclaration(db, actor, loadRuleBook().benefits, {
          regionCode: employer.slice(4, 10),
          employerId: employer,
          month,
          // The upload record keeps at most 255 characters of the name.
          fileName: basename(file).slice(0, 255),
          source: { kind: 'file', path: file },
          today: today(),
        });
        if (!out.ok) return refused(out);
        print(out.value);
        return DECLARE_EXIT_OK;
      }),
    );
  contributions
    .command('declaration-report')
    .description('Write an upload’s row report as .xlsx (行 / 列 / 代码 / 说明 / message)')
    .requiredOption(
      '--import <id>',
      'the upload id (dci_330100_…), from a refusal’s details.importId',
    )
    .requiredOption('--out <path>', 'the .xlsx file to write')
    .action((opts: { import: string; out: string }) =>
      withDatabase(async ({ db }) => {
        const id = parseInput(declarationReportCommandOptions, opts);
        if (!id.ok) return inputRefused(id.problem);
        const report = await getImportReport(db, {
          regionCode: id.value.import.slice(4, 10),
          importId: id.value.import,
        });
        if (!report)
          return refused({ code: 'record.not_found', message: `upload ${opts.import} not found` });
        writeFileSync(id.value.out, await reportXlsx(report));
        print({
          importId: report.id,
          outcome: report.outcome,
          problemCount: report.problemCount,
          out: id.value.out,
        });
        return DECLARE_EXIT_OK;
      }),
    );
}
