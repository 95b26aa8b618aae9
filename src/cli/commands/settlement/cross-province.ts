import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  xpClearingCliOptions as clearingOptions,
  xpFilingCliOptions as filingOptions,
} from '../../../contract/settlement/cross-province-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { importClearing } from '../../../usecases/settlement/cross-province-clearing.ts';
import { listFilings } from '../../../usecases/settlement/cross-province-filings.ts';
import { withDatabase } from '../../io.ts';

/**
 * `tongchou settlement cross-province filings|clearing` (docs/settlement-cross-province.md): the same
 * use cases as the API. Filings and advances are recorded through the API (a handler files, a fund
 * manager and a checker approve the advance); the monthly clearing file arrives as a file, so an
 * operator may import it here.
 */
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const EXIT_REFUSED = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(`settlement: invalid input (${problem?.errors.length ?? 0} problem(s))\n`);
  return EXIT_INPUT;
}

export function registerCrossProvinceCommands(program: Command): void {
  const settlement =
    program.commands.find((c) => c.name() === 'settlement') ?? program.command('settlement');
  const cross = settlement
    .command('cross-province')
    .description('跨省异地就医: filings (备案) and the national clearing file (费用清算)');
  registerFilings(cross);
  registerClearing(cross);
}

function registerFilings(cross: Command): void {
  cross
    .command('filings')
    .description('List the cross-province filings of a city, or of one case')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--case <id>', 'one case')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(filingOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        print(await listFilings(db, { city: o.value.region, caseId: o.value.case, limit: 500 }));
        return EXIT_OK;
      }),
    );
}

function registerClearing(cross: Command): void {
  cross
    .command('clearing')
    .description(
      'Import the national clearing file (CSV): refused whole on any bad row; posts each new row across the city and the province segments',
    )
    .requiredOption('--province <code>', 'the province (6 digits ending 0000)')
    .requiredOption('--file <path>', 'the CSV file (UTF-8 or GBK)')
    .requiredOption('--cleared-on <date>', 'the clearing day: the postings’ effective date')
    .action((opts: unknown) =>
      withDatabase(async ({ db, actor }) => {
        const o = parseInput(clearingOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const r = await importClearing(db, actor, {
          province: o.value.province,
          fileName: basename(o.value.file),
          bytes: readFileSync(o.value.file),
          clearedOn: o.value.clearedOn,
          today: todayInChina(),
        });
        if (r.ok) {
          print(r.value);
          return EXIT_OK;
        }
        print({ code: r.code, detail: r.message, ...(r.details ? { details: r.details } : {}) });
        process.stderr.write(`settlement: refused (${r.code}): ${r.message}\n`.slice(0, 2000));
        return EXIT_REFUSED;
      }),
    );
}
