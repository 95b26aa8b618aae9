import type { Command } from 'commander';
import {
  survivorAgeingCliOptions,
  survivorChangeApplyBody,
  survivorChangeBody,
  survivorProposeCliOptions,
  survivorShowCliOptions,
  survivorStepCliOptions,
} from '../../../contract/benefits/survivor-change-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { proposeAgeingOut } from '../../../usecases/benefits/benefit-survivor-ageing.ts';
import {
  proposeSurvivorChange,
  survivorChangeOf,
} from '../../../usecases/benefits/benefit-survivor-change.ts';
import {
  applySurvivorChange,
  decideSurvivorChange,
} from '../../../usecases/benefits/benefit-survivor-change-apply.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');

/**
 * `tongchou benefits survivor propose|approve|apply|show|ageing` (docs/benefits.md, "Survivors'
 * pensions end"): the routes' use cases through the acting skeleton (src/cli/acting.ts). A handler
 * (fund:write) proposes with the route's body (`--input FILE|-`: {kind, eventOn, reason,
 * evidence}) and reads the plan; a supervisor (fund:approve, never the maker) approves; the
 * handler applies. `ageing --month YYYY-MM` is the monthly job proposing the ends of the dependants
 * who reach the end age that month. Exit codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerSurvivorCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its survivor');
  const survivor = benefits
    .command('survivor')
    .description(
      "供养亲属抚恤金终止、停发、恢复: a survivor's pension ends, is suspended or resumes",
    );
  registerPropose(survivor);
  registerApprove(survivor);
  registerApply(survivor);
  registerShow(survivor);
  registerAgeing(survivor);
}

function registerPropose(survivor: Command): void {
  actingOptions(
    survivor
      .command('propose')
      .description('propose {kind, eventOn, reason, evidence}: answers the plan')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--dependant <id>', 'the dependant dep_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(survivorProposeCliOptions, raw),
      body: (data) => parseInput(survivorChangeBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        proposeSurvivorChange(db, actor, loadRuleBook().benefits, {
          ...body,
          regionCode: o.region,
          dependantId: o.dependant,
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerApprove(survivor: Command): void {
  actingOptions(
    survivor
      .command('approve')
      .description('approve a change proposed by another user (fund:approve)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--change <id>', 'the change bsc_…'),
    'the checker: a supervisor, fund:approve',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(survivorStepCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:approve'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        decideSurvivorChange(db, actor, {
          regionCode: o.region,
          changeId: o.change,
          decision: 'approved',
        }),
    }),
  );
}

function registerApply(survivor: Command): void {
  actingOptions(
    survivor
      .command('apply')
      .description('apply an approved change [{approvalId?, on?}]; a retry answers replayed')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--change <id>', 'the change bsc_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(survivorStepCliOptions, raw),
      body: (data) => parseInput(survivorChangeApplyBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        applySurvivorChange(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          changeId: o.change,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
        }),
    }),
  );
}

function registerShow(survivor: Command): void {
  survivor
    .command('show')
    .description('a change with its plan')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--change <id>', 'the change bsc_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(survivorShowCliOptions, opts);
        if (!o.ok) return replies.inputRefused(o.problem);
        const found = await db.withConnection((ex) =>
          survivorChangeOf(ex, o.value.region, o.value.change),
        );
        return replies.answer(
          found === null
            ? { ok: false, code: 'record.not_found', message: 'no such survivor change' }
            : { ok: true, value: found },
        );
      }),
    );
}

function registerAgeing(survivor: Command): void {
  actingOptions(
    survivor
      .command('ageing')
      .description('the monthly job: propose the end of every dependant reaching the end age')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--month <YYYY-MM>', 'the month checked'),
    'the maker: a city handler, fund:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(survivorAgeingCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o) =>
        proposeAgeingOut(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          month: o.month,
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}
