import type { Command } from 'commander';
import {
  releaseApproveCliOptions,
  releaseListCliOptions,
  releaseProposeCliOptions,
  releaseShowCliOptions,
} from '../../../contract/benefits/payroll-release-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { ok } from '../../../kernel/result.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { listReleases } from '../../../usecases/benefits/payroll-by-hand-lists.ts';
import {
  approveRelease,
  proposeRelease,
  releaseSummary,
  releaseView,
} from '../../../usecases/benefits/payroll-release.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

/**
 * `tongchou payroll release propose|approve|show` (docs/benefits.md, "Release of failed lines owed
 * to no one"): the same use cases as the API's /payroll-releases routes. A handler proposes
 * (fund:write); a supervisor approves and applies (fund:approve).
 */
const replies = cliReplies('payroll');
const { inputRefused, answer } = replies;
const noBody = (data: unknown) => parseInput(emptyBody, data);

export function registerReleaseCommands(payroll: Command): void {
  const release = payroll
    .command('release')
    .description('冲回 release the liability (2102) of failed lines owed to no one');
  registerPropose(release);
  registerApprove(release);
  registerList(release);
  release
    .command('show')
    .description('a release: status, lines, reasons, the ledger transaction')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--release <id>', 'the release id prr_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(releaseShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const v = await releaseView(db, { regionCode: o.value.region, releaseId: o.value.release });
        return answer(v.ok ? ok(releaseSummary({ release: v.value, replayed: false })) : v);
      }),
    );
}

function registerList(release: Command): void {
  release
    .command('list')
    .description('the city’s releases, newest first: status, lines, total, approval, transaction')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--status <status>', 'proposed or applied')
    .option('--after <id>', 'the last release id of the previous page')
    .option('--limit <n>', 'releases per page (1–500)', '100')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(releaseListCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const page = await listReleases(db, {
          regionCode: o.value.region,
          status: o.value.status ?? null,
          after: o.value.after ?? null,
          limit: o.value.limit,
        });
        return answer(ok(page));
      }),
    );
}

function registerPropose(release: Command): void {
  actingOptions(
    release
      .command('propose')
      .description(
        'propose the release of failed lines a death, stop, survivor’s end or retirement blocks',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--lines <ids>', 'the failed line ids, comma-separated')
      .option('--on <YYYY-MM-DD>', 'the proposal’s day (default today)'),
    'fund:write: the maker, a city handler',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(releaseProposeCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, config, actor }, o) => {
        const r = await proposeRelease(
          db,
          actor,
          { regionCode: o.region, lineIds: o.lines, on: o.on ?? todayInChina() },
          { policy: approvalPolicyOf(config) },
        );
        return r.ok ? ok(releaseSummary(r.value)) : r;
      },
    }),
  );
}

function registerApprove(release: Command): void {
  actingOptions(
    release
      .command('approve')
      .description('approve a proposed release (not its maker): Dr 2102 / Cr 51xx, once')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--release <id>', 'the release id prr_…')
      .option('--on <YYYY-MM-DD>', 'the day it posts (default today)'),
    'fund:approve: the checker, a supervisor',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(releaseApproveCliOptions, raw),
      body: noBody,
      permissions: ['fund:approve'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o) => {
        const r = await approveRelease(db, actor, {
          regionCode: o.region,
          releaseId: o.release,
          on: o.on ?? todayInChina(),
        });
        return r.ok ? ok(releaseSummary(r.value)) : r;
      },
    }),
  );
}
