import type { Command } from 'commander';
import {
  caseListCliInput,
  caseShowCliInput,
} from '../../../contract/cases/determination-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { casePage } from '../../../usecases/cases/case-page.ts';
import { workList } from '../../../usecases/cases/case-reads.ts';
import { withDatabase } from '../../io.ts';
import { registerCaseSteps } from './case-steps.ts';

/**
 * `tongchou cases list|show` (docs/cases.md, "Determination"): the work list and the case page,
 * the same use cases as the API. The CLI reads as the system, which holds no pii:reveal, so ID
 * numbers are masked. Exit codes as `calc`: 0 done, 2 invalid input, 3 not found. The writes
 * (`report`, `apply`, `act`) name their user: case-steps.ts.
 */
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const EXIT_NOT_FOUND = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(`cases: invalid input (${problem?.errors.length ?? 0})\n`);
  return EXIT_INPUT;
}

export function registerCasesCommand(program: Command): void {
  const cases = program.command('cases').description('工伤认定: the work list and the case page');
  registerList(cases);
  registerShow(cases);
  registerCaseSteps(cases);
}

type ListOptions = {
  region: string;
  status?: string;
  dueKind?: string;
  overdue?: boolean;
  dueWithin?: string;
  employer?: string;
  accidentFrom?: string;
  accidentTo?: string;
  after?: string;
  limit?: string;
};

function registerList(cases: Command): void {
  cases
    .command('list')
    .description(
      'A city’s cases, nearest deadline first (keyset pages: pass --after the printed next)',
    )
    .requiredOption('--region <code>', 'the city, or the province code for all its cities')
    .option('--status <list>', 'statuses, comma-separated (applied,accepted,…)')
    .option('--due-kind <kind>', 'acceptance or decision')
    .option('--overdue', 'only cases past their running deadline')
    .option('--due-within <days>', 'only cases due within so many days')
    .option('--employer <id>', 'one employer (emp_…)')
    .option('--accident-from <date>', 'accidents on or after')
    .option('--accident-to <date>', 'accidents on or before')
    .option('--after <cursor>', 'the next cursor of the previous page')
    .option('--limit <n>', 'rows per page (≤ 100)')
    .action((opts: ListOptions) =>
      withDatabase(async ({ db }) => {
        const input = parseInput(caseListCliInput, {
          regionCode: opts.region,
          status: opts.status,
          dueKind: opts.dueKind,
          overdue: opts.overdue === undefined ? undefined : String(opts.overdue),
          dueWithinDays: opts.dueWithin,
          employerId: opts.employer,
          accidentFrom: opts.accidentFrom,
          accidentTo: opts.accidentTo,
          after: opts.after,
          limit: opts.limit,
        });
        if (!input.ok) return inputRefused(input.problem);
        const { status, ...filters } = input.value;
        const today = todayInChina();
        print(
          await db.withConnection((ex) => workList(ex, { ...filters, statuses: status, today })),
        );
        return EXIT_OK;
      }),
    );
}

function registerShow(cases: Command): void {
  cases
    .command('show')
    .description('One case: facts, deadlines, allowed actions, timeline and letters')
    .requiredOption('--region <code>', 'the case’s city')
    .requiredOption('--case <id>', 'the case id (cas_…)')
    .action((opts: { region: string; case: string }) =>
      withDatabase(async ({ db }) => {
        const input = parseInput(caseShowCliInput, { regionCode: opts.region, caseId: opts.case });
        if (!input.ok) return inputRefused(input.problem);
        const page = await db.withConnection((ex) =>
          casePage(ex, input.value.regionCode, input.value.caseId),
        );
        if (!page) {
          print({ code: 'case.not_found', detail: `no case ${opts.case} in ${opts.region}` });
          return EXIT_NOT_FOUND;
        }
        print(page);
        return EXIT_OK;
      }),
    );
}
