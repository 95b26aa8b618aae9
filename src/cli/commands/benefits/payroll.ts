import { createWriteStream, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  payrollApproveCliOptions,
  payrollFileCliOptions,
  payrollRecomputeCliOptions,
  payrollReportCliOptions,
  payrollReturnCliOptions,
  payrollRunCliOptions,
  payrollShowCliOptions,
} from '../../../contract/benefits/payroll-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import type { Database } from '../../../db/client.ts';
import type { Actor } from '../../../identity/actor.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { ok } from '../../../kernel/result.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { approvePayrollRun } from '../../../usecases/benefits/payroll-approve.ts';
import { issueFixedWidthFile, issuePaymentFile } from '../../../usecases/benefits/payroll-file.ts';
import { payrollRunView } from '../../../usecases/benefits/payroll-read.ts';
import { payrollReconciliationReport } from '../../../usecases/benefits/payroll-reconciliation-report.ts';
import { importBankReturn } from '../../../usecases/benefits/payroll-return.ts';
import { recomputePayrollRun, startPayrollRun } from '../../../usecases/benefits/payroll-run.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';
import { registerReissueCommands } from './payroll-reissue.ts';
import { registerReleaseCommands } from './payroll-release.ts';

/**
 * `tongchou payroll run|approve|file|return|show|reissue|release` (docs/benefits.md, "Monthly payroll"): the same
 * use cases as the API. Each step names the user it acts as (`--as`): a handler runs, issues the
 * file and imports the return (fund:write), a supervisor approves (fund:approve). Exit codes as
 * `calc`: 0 done, 2 invalid input, 3 refused (the problem on stdout).
 */
const replies = cliReplies('payroll');
const { inputRefused, answer } = replies;

export function registerPayrollCommands(program: Command): void {
  const payroll = program
    .command('payroll')
    .description('月度待遇发放 the monthly benefit payroll');
  registerRun(payroll);
  registerRecompute(payroll);
  registerApprove(payroll);
  registerFile(payroll);
  registerReturn(payroll);
  registerReport(payroll);
  registerReissueCommands(payroll);
  registerReleaseCommands(payroll);
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

const noBody = (data: unknown) => parseInput(emptyBody, data);

function registerRun(payroll: Command): void {
  actingOptions(
    payroll
      .command('run')
      .description(
        'start (or resume) the run of a city and month; asks for the approval when computed',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--month <YYYY-MM>', 'the month paid'),
    'fund:write: the maker, a city handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(payrollRunCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, config, actor }, o) => {
        const r = await startPayrollRun(
          db,
          actor,
          loadRuleBook().benefits,
          { regionCode: o.region, month: o.month },
          { policy: approvalPolicyOf(config) },
        );
        return r.ok ? payrollRunView(db, { regionCode: o.region, runId: r.value.id }) : r;
      },
    }),
  );
}

function registerRecompute(payroll: Command): void {
  actingOptions(
    payroll
      .command('recompute')
      .description(
        'compute a computed, unapproved run again (an event since changed what its month owes); asks a new approval',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
      .requiredOption('--reason <text>', 'why (the event recorded since the run was computed)'),
    'fund:write: the maker, a city handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(payrollRecomputeCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, config, actor }, o) => {
        const r = await recomputePayrollRun(
          db,
          actor,
          loadRuleBook().benefits,
          { regionCode: o.region, runId: o.run, reason: o.reason },
          { policy: approvalPolicyOf(config) },
        );
        return r.ok ? payrollRunView(db, { regionCode: o.region, runId: r.value.id }) : r;
      },
    }),
  );
}

function registerApprove(payroll: Command): void {
  actingOptions(
    payroll
      .command('approve')
      .description(
        'approve a computed run (another person than the maker): posts Dr 51xx / Cr 2102 once',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
      .option('--on <YYYY-MM-DD>', 'the approval day (default today)'),
    'fund:approve: the checker, a supervisor',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(payrollApproveCliOptions, raw),
      body: noBody,
      permissions: ['fund:approve'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        approvePayrollRun(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          runId: o.run,
          on: o.on ?? todayInChina(),
        }),
    }),
  );
}

/** Streams the payment file to a temporary file, renamed over `out` only when complete. */
async function writePaymentFile(
  db: Database,
  actor: Actor,
  o: { region: string; run: string; out: string; format: 'csv' | 'fixed-gbk' },
) {
  const tmp = `${o.out}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const write = async (chunk: string | Uint8Array) => {
    if (!out.write(chunk)) await new Promise<void>((done) => out.once('drain', () => done()));
  };
  const input = { regionCode: o.region, runId: o.run };
  const r =
    o.format === 'fixed-gbk'
      ? await issueFixedWidthFile(db, actor, input, write)
      : await issuePaymentFile(db, actor, input, write);
  await new Promise<void>((done, fail) => {
    out.once('error', fail);
    out.end(() => done());
  });
  if (r.ok) renameSync(tmp, o.out);
  else unlinkSync(tmp);
  return r;
}

function registerFile(payroll: Command): void {
  actingOptions(
    payroll
      .command('file')
      .description(
        'write the payment file of an approved run (CSV, or fixed-width GBK text), streamed; stores its sha256',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
      .requiredOption('--out <path>', 'the file to write (replaced only when complete)')
      .option('--format <format>', 'csv (UTF-8) or fixed-gbk (docs/benefits.md)', 'csv'),
    'fund:write: the handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(payrollFileCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) => writePaymentFile(db, actor, o),
    }),
  );
}

function registerReturn(payroll: Command): void {
  actingOptions(
    payroll
      .command('return')
      .description(
        'import the bank’s return file (CSV: line_id,status,bank_reference,paid_on,reason)',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
      .requiredOption('--file <path>', 'the return file (UTF-8)'),
    'fund:write: the handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(payrollReturnCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        importBankReturn(db, actor, {
          regionCode: o.region,
          runId: o.run,
          text: readFileSync(o.file, 'utf8'),
        }),
    }),
  );
}

/** Writes the report to a temporary file renamed over `out` (a killed process leaves no half file). */
function registerReport(payroll: Command): void {
  actingOptions(
    payroll
      .command('report')
      .description(
        'write a run’s reconciliation report (对账报告): xlsx or PDF, the ledger’s 2102 beside the lines',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--run <id>', 'the run id prl_<city>_<YYYYMM>')
      .requiredOption('--out <path>', 'the file to write')
      .option('--format <format>', 'xlsx or pdf', 'xlsx'),
    'fund:read: a reader of the city',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(payrollReportCliOptions, raw),
      body: noBody,
      permissions: ['fund:read'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o) => {
        const r = await payrollReconciliationReport(db, actor, {
          regionCode: o.region,
          runId: o.run,
          format: o.format,
        });
        if (!r.ok) return r;
        const tmp = `${o.out}.tmp-${process.pid}`;
        writeFileSync(tmp, r.value.bytes);
        renameSync(tmp, o.out);
        return ok({ file: o.out, bytes: r.value.bytes.length, sha256: r.value.sha256 });
      },
    }),
  );
}
