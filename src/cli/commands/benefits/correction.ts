import type { Command } from 'commander';
import {
  correctionApplyBody,
  correctionBody,
  correctionProposeCliOptions,
  correctionShowCliOptions,
  correctionStepCliOptions,
} from '../../../contract/benefits/correction-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { correctionOf, proposeCorrection } from '../../../usecases/benefits/benefit-correction.ts';
import {
  applyCorrection,
  decideCorrection,
} from '../../../usecases/benefits/benefit-correction-apply.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');

/**
 * `tongchou benefits correction propose|approve|apply|show` (docs/benefits.md, "Correcting an
 * entitlement"): the routes' use cases through the acting skeleton (src/cli/acting.ts). A handler
 * (fund:write) proposes with the route's body (`--input FILE|-`) and reads the plan in the answer;
 * a supervisor (fund:approve, never the maker) approves; the handler applies. Exit codes as `calc`:
 * 0 done, 2 invalid input, 3 refused.
 */
export function registerCorrectionCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its correction');
  const correction = benefits
    .command('correction')
    .description('更正长期待遇: amount, start or end recorded wrong; arrears or overpayment');
  registerPropose(correction);
  registerApprove(correction);
  registerApply(correction);
  registerShow(correction);
}

function registerPropose(correction: Command): void {
  actingOptions(
    correction
      .command('propose')
      .description('propose {amountFen?, startsOn?, endsOn?, reason, evidence}: answers the plan')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--entitlement <id>', 'the entitlement ent_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(correctionProposeCliOptions, raw),
      body: (data) => parseInput(correctionBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        proposeCorrection(db, actor, loadRuleBook().benefits, {
          ...body,
          regionCode: o.region,
          entitlementId: o.entitlement,
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerApprove(correction: Command): void {
  actingOptions(
    correction
      .command('approve')
      .description('approve a correction proposed by another user (fund:approve)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--correction <id>', 'the correction bcr_…'),
    'the checker: a supervisor, fund:approve',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(correctionStepCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:approve'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        decideCorrection(db, actor, {
          regionCode: o.region,
          correctionId: o.correction,
          decision: 'approved',
        }),
    }),
  );
}

function registerApply(correction: Command): void {
  actingOptions(
    correction
      .command('apply')
      .description('apply an approved correction [{approvalId?, on?}]; a retry answers replayed')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--correction <id>', 'the correction bcr_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(correctionStepCliOptions, raw),
      body: (data) => parseInput(correctionApplyBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        applyCorrection(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          correctionId: o.correction,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
        }),
    }),
  );
}

function registerShow(correction: Command): void {
  correction
    .command('show')
    .description('a correction with its plan (per month paid, due, difference)')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--correction <id>', 'the correction bcr_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(correctionShowCliOptions, opts);
        if (!o.ok) return replies.inputRefused(o.problem);
        const found = await db.withConnection((ex) =>
          correctionOf(ex, o.value.region, o.value.correction),
        );
        return replies.answer(
          found === null
            ? { ok: false, code: 'record.not_found', message: 'no such correction' }
            : { ok: true, value: found },
        );
      }),
    );
}
