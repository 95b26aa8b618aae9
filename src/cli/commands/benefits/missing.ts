import type { Command } from 'commander';
import {
  advanceBody,
  declaredBody,
  missingApproveCliOptions,
  missingBody,
  missingCliOptions,
  missingShowCliOptions,
  reappearedBody,
} from '../../../contract/benefits/missing-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { decideApproval, getApproval } from '../../../usecases/approvals/approvals.ts';
import { MISSING_ACTION, recordMissing } from '../../../usecases/benefits/benefit-missing.ts';
import {
  advanceMissingLumpSum,
  MISSING_ADVANCE_ACTION,
} from '../../../usecases/benefits/benefit-missing-advance.ts';
import {
  declareMissingDead,
  MISSING_DECLARED_ACTION,
} from '../../../usecases/benefits/benefit-missing-declared.ts';
import { missingOf } from '../../../usecases/benefits/benefit-missing-read.ts';
import {
  MISSING_REAPPEARED_ACTION,
  recordReappearance,
} from '../../../usecases/benefits/benefit-missing-reappeared.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');

/**
 * `tongchou benefits missing record|advance|declared-death|reappeared|approve|show` (docs/benefits.md, "Whereabouts
 * unknown"): the same use cases as the routes, through the acting skeleton (src/cli/acting.ts). A
 * handler (fund:write) runs `record`, `advance`, `declared-death` and `reappeared` twice with the route's body (`--input FILE`):
 * without `approvalId` the approval is asked, a supervisor approves it (`missing approve`, or the
 * approvals page; never the maker), then with `approvalId` in the body it is applied, once. Exit
 * codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerMissingCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its missing');
  const missing = benefits
    .command('missing')
    .description('下落不明 (条例 第四十一条): a worker missing after an accident');
  registerRecord(missing);
  registerAdvance(missing);
  registerDeclared(missing);
  registerReappeared(missing);
  registerApprove(missing);
  registerShow(missing);
}

function registerRecord(missing: Command): void {
  actingOptions(
    missing
      .command('record')
      .description('record the event: ask, then apply with {approvalId} in the same body')
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(missingCliOptions, raw),
      body: (data) => parseInput(missingBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        recordMissing(db, actor, loadRuleBook().benefits, {
          ...body,
          regionCode: o.region,
          caseId: o.case,
          policy: approvalPolicyOf(config),
          today: todayInChina(),
        }),
    }),
  );
}

function registerAdvance(missing: Command): void {
  actingOptions(
    missing
      .command('advance')
      .description('预支 50 % of the 一次性工亡补助金: ask, then apply with {approvalId}')
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(missingCliOptions, raw),
      body: (data) => parseInput(advanceBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        advanceMissingLumpSum(db, actor, {
          regionCode: o.region,
          caseId: o.case,
          reason: body.reason,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerDeclared(missing: Command): void {
  actingOptions(
    missing
      .command('declared-death')
      .description('宣告死亡: pay 第三十九条’s funeral grant and lump sum less the advance')
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(missingCliOptions, raw),
      body: (data) => parseInput(declaredBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        declareMissingDead(db, actor, {
          regionCode: o.region,
          caseId: o.case,
          deadOn: body.deadOn,
          reason: body.reason,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerReappeared(missing: Command): void {
  actingOptions(
    missing
      .command('reappeared')
      .description(
        '重新出现: end the pensions, record what is owed back, the letter; ask, then apply',
      )
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(missingCliOptions, raw),
      body: (data) => parseInput(reappearedBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        recordReappearance(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          caseId: o.case,
          reappearedOn: body.reappearedOn,
          evidence: body.evidence,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerApprove(missing: Command): void {
  actingOptions(
    missing
      .command('approve')
      .description(
        'approve a missing event, an advance, a declared death or a reappearance asked by another user (fund:approve)',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--approval <id>', 'the approval apr_… the maker was given'),
    'the checker: a supervisor, fund:approve',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(missingApproveCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:approve'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, actor }, v) => {
        const held = await getApproval(db, { regionCode: v.region, id: v.approval });
        if (
          held === null ||
          ![
            MISSING_ACTION,
            MISSING_ADVANCE_ACTION,
            MISSING_DECLARED_ACTION,
            MISSING_REAPPEARED_ACTION,
          ].includes(held.action)
        )
          return {
            ok: false,
            code: 'approval.not_found',
            message: `no missing-worker approval ${v.approval} in ${v.region}`,
          };
        return decideApproval(db, actor, {
          regionCode: v.region,
          id: v.approval,
          decision: 'approved',
        });
      },
    }),
  );
}

function registerShow(missing: Command): void {
  missing
    .command('show')
    .description('the case’s missing event, pensions and advance')
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(missingShowCliOptions, opts);
        if (!o.ok) return replies.inputRefused(o.problem);
        const { region, case: caseId } = o.value;
        const found = await db.withConnection((ex) => missingOf(ex, region, caseId));
        return replies.answer(
          found === null
            ? { ok: false, code: 'record.not_found', message: `no missing event on ${caseId}` }
            : { ok: true, value: found },
        );
      }),
    );
}
