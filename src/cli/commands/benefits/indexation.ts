import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  indexationActCliOptions,
  indexationListCliOptions,
  indexationProposeCliOptions,
  indexationShowCliOptions,
} from '../../../contract/benefits/indexation-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import type { Permission } from '../../../identity/roles.ts';
import { invariant } from '../../../kernel/assert.ts';
import { ok } from '../../../kernel/result.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { applyIndexation, approveIndexation } from '../../../usecases/benefits/indexation-apply.ts';
import { listIndexationBatches } from '../../../usecases/benefits/indexation-list.ts';
import { proposeIndexation } from '../../../usecases/benefits/indexation-propose.ts';
import { indexationView } from '../../../usecases/benefits/indexation-read.ts';
import { indexationWorkbook } from '../../../usecases/benefits/indexation-report.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');
const { inputRefused, answer } = replies;
const noBody = (data: unknown) => parseInput(emptyBody, data);

/**
 * `tongchou benefits indexation list|propose|approve|apply|show` (docs/benefits.md
 * "Indexation"): the same use cases as the API. Each acting step names its user (`--as`): a
 * handler proposes and applies (fund:write), a supervisor approves (fund:approve), never the maker.
 * `propose` prints the batch and `proposal`: replayed, or `renewed` with the approval it replaced
 * (a rejected or expired approval asked again, or the register changed). `show` prints the batch with one page of its before/after report (`--after` pages on); `list`
 * the city's batches. Exit codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerIndexationCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its indexation');
  const indexation = benefits
    .command('indexation')
    .description('待遇调整 the yearly adjustment of the periodic benefits of a city');
  actingOptions(
    indexation
      .command('propose')
      .description('propose the city’s batch of a year: before/after lines, an approval asked')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--year <YYYY>', 'the year of the adjustment'),
    'the maker: a city handler, fund:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(indexationProposeCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, config, actor }, v) => {
        const r = await proposeIndexation(
          db,
          actor,
          loadRuleBook().benefits,
          { regionCode: v.region, year: v.year },
          { policy: approvalPolicyOf(config) },
        );
        if (!r.ok) return r;
        const view = await indexationView(db, { regionCode: v.region, batchId: r.value.batchId });
        if (!view.ok) return view;
        // What the proposal did, beside the batch: a replay, or an approval asked again (why, and
        // the approval it replaced), which the batch alone would not tell.
        const { replayed, renewed, previousApprovalId } = r.value;
        return ok({ ...view.value, proposal: { replayed, renewed, previousApprovalId } });
      },
    }),
  );
  registerList(indexation);
  registerAct(indexation, 'approve', 'fund:approve', 'approve the batch (not its maker)');
  registerAct(indexation, 'apply', 'fund:write', 'apply the approved batch once');
  indexation
    .command('show')
    .description('a batch: status, payload, one page of the before/after report')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--batch <id>', 'the batch id idx_<city>_<YYYY>')
    .option('--after <entitlementId>', 'the last entitlement id of the page before')
    .option('--xlsx <file>', 'also write the whole before/after report as .xlsx to this file')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(indexationShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const where = { regionCode: o.value.region, batchId: o.value.batch };
        if (o.value.xlsx !== undefined) {
          const file = await indexationWorkbook(db, where);
          if (!file.ok) return answer(file);
          writeFileSync(o.value.xlsx, file.value.bytes);
        }
        return answer(
          await indexationView(db, {
            regionCode: o.value.region,
            batchId: o.value.batch,
            after: o.value.after,
          }),
        );
      }),
    );
}

/** The city's batches, newest year first (the page's list, the same use case as the route). */
function registerList(indexation: Command): void {
  indexation
    .command('list')
    .description('the city’s batches: status, totals before and after, the approval’s state')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(indexationListCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(
          ok({ items: await listIndexationBatches(db, { regionCode: o.value.region }) }),
        );
      }),
    );
}

function registerAct(
  indexation: Command,
  name: 'approve' | 'apply',
  permission: Permission,
  description: string,
): void {
  actingOptions(
    indexation
      .command(name)
      .description(description)
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--batch <id>', 'the batch id idx_<city>_<YYYY>'),
    permission,
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(indexationActCliOptions, raw),
      body: noBody,
      permissions: [permission],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, actor }, v) => {
        const input = { regionCode: v.region, batchId: v.batch };
        const r =
          name === 'approve'
            ? await approveIndexation(db, actor, input)
            : await applyIndexation(db, actor, input);
        return r.ok ? indexationView(db, input) : r;
      },
    }),
  );
}
