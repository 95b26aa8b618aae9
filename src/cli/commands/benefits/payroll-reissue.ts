import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { failedLinesCliOptions } from '../../../contract/benefits/payroll-failed-lines-contract.ts';
import {
  reissueApproveCliOptions,
  reissueFileCliOptions,
  reissueListCliOptions,
  reissueProposeCliOptions,
  reissueReturnCliOptions,
  reissueShowCliOptions,
} from '../../../contract/benefits/payroll-reissue-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import type { Database } from '../../../db/client.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { ok } from '../../../kernel/result.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { listReissueBatches } from '../../../usecases/benefits/payroll-by-hand-lists.ts';
import { listFailedLines } from '../../../usecases/benefits/payroll-failed-lines.ts';
import {
  approveReissue,
  proposeReissue,
} from '../../../usecases/benefits/payroll-reissue-batch.ts';
import {
  importReissueReturn,
  issueReissueFile,
  reissueBatchSummary,
  reissueBatchView,
} from '../../../usecases/benefits/payroll-reissue-batch-bank.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

/**
 * `tongchou payroll reissue failed|list|propose|approve|file|return|show` (docs/benefits.md, "Reissue by
 * hand"): the same use cases as the API's /payroll-failed-lines and /payroll-reissues routes. A handler proposes, issues the
 * file and imports the return (fund:write); a supervisor approves (fund:approve).
 */
const replies = cliReplies('payroll');
const { inputRefused, answer } = replies;
const noBody = (data: unknown) => parseInput(emptyBody, data);

async function summary(db: Database, regionCode: string, batchId: string) {
  const v = await reissueBatchView(db, { regionCode, batchId });
  return v.ok ? ok(reissueBatchSummary(v.value)) : v;
}

export function registerReissueCommands(payroll: Command): void {
  const reissue = payroll
    .command('reissue')
    .description('立即补发 reissue failed lines by hand, outside a run');
  registerFailed(reissue);
  registerList(reissue);
  registerPropose(reissue);
  registerApprove(reissue);
  registerFile(reissue);
  registerReturn(reissue);
  reissue
    .command('show')
    .description('a reissue batch: status, lines, reconciliation figures')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--batch <id>', 'the batch id prb_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(reissueShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(await summary(db, o.value.region, o.value.batch));
      }),
    );
}

function registerFailed(reissue: Command): void {
  reissue
    .command('failed')
    .description('the city’s failed lines: account now (masked) and what blocks a reissue')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--include <which>', 'open (not paid again yet) or all', 'open')
    .option('--on <YYYY-MM-DD>', 'the day whose card accounts are read (default today)')
    .option('--after <id>', 'the last line id of the previous page')
    .option('--limit <n>', 'lines per page (1–500)', '100')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(failedLinesCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const on = o.value.on ?? todayInChina();
        const page = await listFailedLines(db, {
          regionCode: o.value.region,
          on,
          after: o.value.after ?? null,
          limit: o.value.limit,
          include: o.value.include ?? 'open',
        });
        return answer(ok({ on, ...page }));
      }),
    );
}

function registerList(reissue: Command): void {
  reissue
    .command('list')
    .description('the city’s reissue batches, newest first: status, lines, total, approval, file')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--status <status>', 'proposed, applied, file_issued or reconciled')
    .option('--after <id>', 'the last batch id of the previous page')
    .option('--limit <n>', 'batches per page (1–500)', '100')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(reissueListCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const page = await listReissueBatches(db, {
          regionCode: o.value.region,
          status: o.value.status ?? null,
          after: o.value.after ?? null,
          limit: o.value.limit,
        });
        return answer(ok(page));
      }),
    );
}

function registerPropose(reissue: Command): void {
  actingOptions(
    reissue
      .command('propose')
      .description('propose a batch of failed lines (the next run’s rules decide each line)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--lines <ids>', 'the failed line ids, comma-separated')
      .option('--on <YYYY-MM-DD>', 'the day whose card accounts are taken (default today)'),
    'fund:write: the maker, a city handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(reissueProposeCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, config, actor }, o) => {
        const r = await proposeReissue(
          db,
          actor,
          { regionCode: o.region, lineIds: o.lines, on: o.on ?? todayInChina() },
          { policy: approvalPolicyOf(config) },
        );
        return r.ok ? summary(db, o.region, r.value.batch.id) : r;
      },
    }),
  );
}

function registerApprove(reissue: Command): void {
  actingOptions(
    reissue
      .command('approve')
      .description('approve a proposed batch (not its maker) and write its lines once')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--batch <id>', 'the batch id prb_…'),
    'fund:approve: the checker, a supervisor',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(reissueApproveCliOptions, raw),
      body: noBody,
      permissions: ['fund:approve'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o) => {
        const r = await approveReissue(db, actor, { regionCode: o.region, batchId: o.batch });
        return r.ok ? summary(db, o.region, o.batch) : r;
      },
    }),
  );
}

function registerFile(reissue: Command): void {
  actingOptions(
    reissue
      .command('file')
      .description('write the batch’s payment file (CSV, or fixed-width GBK text)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--batch <id>', 'the batch id prb_…')
      .requiredOption('--out <path>', 'the file to write (replaced only when complete)')
      .option('--format <format>', 'csv (UTF-8) or fixed-gbk', 'csv'),
    'fund:write: the handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(reissueFileCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o) => {
        const r = await issueReissueFile(db, actor, {
          regionCode: o.region,
          batchId: o.batch,
          format: o.format,
        });
        if (!r.ok) return r;
        const tmp = `${o.out}.tmp-${process.pid}`;
        writeFileSync(tmp, r.value.bytes);
        renameSync(tmp, o.out);
        const { bytes: _bytes, ...issued } = r.value;
        return ok({ ...issued, file: o.out });
      },
    }),
  );
}

function registerReturn(reissue: Command): void {
  actingOptions(
    reissue
      .command('return')
      .description('import the bank’s return file of the batch (the payroll’s layout)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--batch <id>', 'the batch id prb_…')
      .requiredOption('--file <path>', 'the return file (UTF-8)'),
    'fund:write: the handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(reissueReturnCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        importReissueReturn(db, actor, {
          regionCode: o.region,
          batchId: o.batch,
          text: readFileSync(o.file, 'utf8'),
        }),
    }),
  );
}
