import type { Command } from 'commander';
import { regionCode as regionCodeSchema } from '../../../contract/common.ts';
import {
  creditCode,
  employerRegisterBody,
  employerStatusBody,
} from '../../../contract/registry/employers-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { type InputProblem, parseInput } from '../../../kernel/validation.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { employerPage } from '../../../usecases/registry/employer-page.ts';
import {
  changeEmployerStatus,
  employerByCreditCode,
  registerEmployer,
} from '../../../usecases/registry/employers.ts';
import { withDatabase } from '../../io.ts';

/** Exit codes as `calc`: 0 done, 2 invalid input (problem on stdout), 3 refused (problem on stdout). */
export const REGISTRY_EXIT_OK = 0;
export const REGISTRY_EXIT_INPUT = 2;
export const REGISTRY_EXIT_REFUSED = 3;

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function inputRefused(problem: InputProblem | undefined): number {
  print(problem);
  process.stderr.write(`registry: invalid input (${problem?.errors.length ?? 0} problem(s))\n`);
  return REGISTRY_EXIT_INPUT;
}

function refused(r: { code: string; message: string; details?: unknown }): number {
  print({
    code: r.code,
    detail: r.message,
    ...(r.details === undefined ? {} : { details: r.details }),
  });
  process.stderr.write(`registry: refused (${r.code})\n`);
  return REGISTRY_EXIT_REFUSED;
}

/**
 * `tongchou registry employer add|show|status`: the register's employers from the command line,
 * through the same use cases as the API (acting as "system", so ID numbers are masked).
 */
export function registerRegistryCommand(program: Command): void {
  const registry = program
    .command('registry')
    .description('参保登记 the register of employers and workers');
  const employer = registry.command('employer').description('Employers (参保单位)');
  registerEmployerAdd(employer);
  registerEmployerShow(employer);
  registerEmployerStatus(employer);
}

type AddOptions = {
  region: string;
  creditCode: string;
  name: string;
  address: string;
  standard: string;
  division: string;
  category: string;
  registeredOn: string;
};

function registerEmployerAdd(employer: Command): void {
  employer
    .command('add')
    .description('Register an employer (credit code checked by GB 32100)')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--credit-code <code>', '统一社会信用代码')
    .requiredOption('--name <name>', 'the employer’s name')
    .requiredOption('--address <address>', 'its address')
    .option('--standard <standard>', 'GB/T 4754-2011 or GB/T 4754-2017', 'GB/T 4754-2017')
    .requiredOption('--division <dd>', 'the two-digit GB/T 4754 division (大类)')
    .option('--category <category>', 'sme, large or public_body', 'sme')
    .option('--registered-on <date>', 'YYYY-MM-DD (default today)', todayInChina())
    .action((opts: AddOptions) =>
      withDatabase(async ({ db, actor }) => {
        const { region, standard, division, ...rest } = opts;
        // One schema, so every bad option is named at once (the region with the rest).
        const input = parseInput(employerRegisterBody.extend({ regionCode: regionCodeSchema }), {
          ...rest,
          regionCode: region,
          industry: { standard, division },
        });
        if (!input.ok) return inputRefused(input.problem);
        const out = await registerEmployer(db, actor, loadRuleBook().benefits, input.value);
        if (!out.ok) return refused(out);
        print(out.value);
        return REGISTRY_EXIT_OK;
      }),
    );
}

function registerEmployerShow(employer: Command): void {
  employer
    .command('show')
    .description('One employer: risk class on a date, roster that day (ID numbers masked), events')
    .requiredOption('--credit-code <code>', '统一社会信用代码')
    .option('--date <date>', 'YYYY-MM-DD (default today)', todayInChina())
    .action((opts: { creditCode: string; date: string }) =>
      withDatabase(async ({ db, actor }) => {
        const code = parseInput(creditCode, opts.creditCode);
        if (!code.ok) return inputRefused(code.problem);
        const found = await employerByCreditCode(db, code.value);
        if (!found)
          return refused({
            code: 'record.not_found',
            message: 'no employer with that credit code',
          });
        print(
          await employerPage(db, loadRuleBook().benefits, actor, {
            employer: found,
            date: opts.date,
            rosterLimit: 1000,
          }),
        );
        return REGISTRY_EXIT_OK;
      }),
    );
}

function registerEmployerStatus(employer: Command): void {
  employer
    .command('status')
    .description('Change an employer’s status from a date: registered, suspended or cancelled')
    .requiredOption('--credit-code <code>', '统一社会信用代码')
    .requiredOption('--status <status>', 'registered, suspended or cancelled')
    .requiredOption('--from <date>', 'effective from YYYY-MM-DD')
    .requiredOption('--reason <text>', 'why (kept in the event)')
    .action((opts: { creditCode: string; status: string; from: string; reason: string }) =>
      withDatabase(async ({ db, actor }) => {
        const body = parseInput(employerStatusBody, {
          status: opts.status,
          effectiveFrom: opts.from,
          reason: opts.reason,
        });
        if (!body.ok) return inputRefused(body.problem);
        const found = await employerByCreditCode(db, opts.creditCode);
        if (!found)
          return refused({
            code: 'record.not_found',
            message: 'no employer with that credit code',
          });
        const out = await changeEmployerStatus(db, actor, loadRuleBook().benefits, {
          regionCode: found.regionCode,
          employerId: found.id,
          ...body.value,
        });
        if (!out.ok) return refused(out);
        print(out.value);
        return REGISTRY_EXIT_OK;
      }),
    );
}
