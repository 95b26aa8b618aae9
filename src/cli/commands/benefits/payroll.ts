import { createWriteStream, readFileSync, renameSync, unlinkSync } from 'node:fs';
import type { Command } from 'commander';
import {
  payrollApproveCliOptions,
  payrollFileCliOptions,
  payrollReturnCliOptions,
  payrollRunCliOptions,
  payrollShowCliOptions,
} from '../../../contract/benefits/payroll-contract.ts';
import type { Database } from '../../../db/client.ts';
import type { Permission } from '../../../identity/roles.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { payrollActorOf } from '../../../usecases/benefits/payroll-actor.ts';
import { approvePayrollRun } from '../../../usecases/benefits/payroll-approve.ts';
import { issuePaymentFile } from '../../../usecases/benefits/payroll-file.ts';
import { payrollRunView } from '../../../usecases/benefits/payroll-read.ts';
import { importBankReturn } from '../../../usecases/benefits/payroll-return.ts';
import { startPayrollRun } from '../../../usecases/benefits/payroll-run.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';

/**
 * `tongchou payroll run|approve|file|return|show` (docs/benefits.md, "Monthly payroll"): the same
 * use cases as the API. Each step names the user it acts as (`--as`): a handler runs, issues the
 * file and imports the return (fund:write), a supervisor approves (fund:approve). Exit codes as
 * `calc`: 0 done, 2 invalid input, 3 refused (the problem on stdout).
 */
const { inputRefused, answer } = cliReplies('payroll');

async function actorOr(db: Database, username: string, permission: Permission, regionCode: string) {
  const actor = await payrollActorOf(db, { username, permission, regionCode });
  if (actor === null)
    answer({
      ok: false,
      code: 'auth.forbidden',
      message: `${username} is not an active user holding ${permission} over ${regionCode}`,
    });
  return actor;
}

export function registerPayrollCommands(program: Command): void {
  const payroll = program
    .command('payroll')
    .description('月度待遇发放 the monthly benefit payroll');
  registerRun(payroll);
  registerApprove(payroll);
  registerFile(payroll);
  registerReturn(payroll);
  payroll
    .command('show')
    .description('a run: status, totals by kind, anomalies, reconciliation figures')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(payrollShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(await payrollRunView(db, { regionCode: o.value.region, runId: o.value.run }));
      }),
    );
}

function registerRun(payroll: Command): void {
  payroll
    .command('run')
    .description(
      'start (or resume) the run of a city and month; asks for the approval when computed',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--month <YYYY-MM>', 'the month paid')
    .requiredOption('--as <username>', 'the maker (a city handler)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, config }) => {
        const o = parseInput(payrollRunCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await actorOr(db, o.value.as, 'fund:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        const r = await startPayrollRun(
          db,
          actor,
          loadRuleBook().benefits,
          { regionCode: o.value.region, month: o.value.month },
          { policy: approvalPolicyOf(config) },
        );
        return answer(
          r.ok ? await payrollRunView(db, { regionCode: o.value.region, runId: r.value.id }) : r,
        );
      }),
    );
}

function registerApprove(payroll: Command): void {
  payroll
    .command('approve')
    .description(
      'approve a computed run (another person than the maker): posts Dr 51xx / Cr 2102 once',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
    .requiredOption('--as <username>', 'the checker (a supervisor)')
    .option('--on <YYYY-MM-DD>', 'the approval day (default today)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(payrollApproveCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await actorOr(db, o.value.as, 'fund:approve', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await approvePayrollRun(db, actor, loadRuleBook().benefits, {
            regionCode: o.value.region,
            runId: o.value.run,
            on: o.value.on ?? todayInChina(),
          }),
        );
      }),
    );
}

function registerFile(payroll: Command): void {
  payroll
    .command('file')
    .description('write the payment file (CSV) of an approved run, streamed; stores its sha256')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
    .requiredOption('--as <username>', 'the handler')
    .requiredOption('--out <path>', 'the file to write (replaced only when complete)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(payrollFileCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await actorOr(db, o.value.as, 'fund:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        const tmp = `${o.value.out}.tmp-${process.pid}`;
        const out = createWriteStream(tmp);
        const r = await issuePaymentFile(
          db,
          actor,
          { regionCode: o.value.region, runId: o.value.run },
          async (chunk) => {
            if (!out.write(chunk))
              await new Promise<void>((done) => out.once('drain', () => done()));
          },
        );
        await new Promise<void>((done, fail) => {
          out.once('error', fail);
          out.end(() => done());
        });
        if (r.ok) renameSync(tmp, o.value.out);
        else unlinkSync(tmp);
        return answer(r);
      }),
    );
}

function registerReturn(payroll: Command): void {
  payroll
    .command('return')
    .description(
      'import the bank’s return file (CSV: line_id,status,bank_reference,paid_on,reason)',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
    .requiredOption('--as <username>', 'the handler')
    .requiredOption('--file <path>', 'the return file (UTF-8)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(payrollReturnCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await actorOr(db, o.value.as, 'fund:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await importBankReturn(db, actor, {
            regionCode: o.value.region,
            runId: o.value.run,
            text: readFileSync(o.value.file, 'utf8'),
          }),
        );
      }),
    );
}
