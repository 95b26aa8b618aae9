import type { Command } from 'commander';
import {
  recoveryApproveCliOptions,
  recoveryBody,
  recoveryDecideCliOptions,
  recoveryRepayCliOptions,
  recoveryShowCliOptions,
  repaymentBody,
} from '../../../contract/benefits/recovery-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { RECOVERY_ACTION, REPAYMENT_ACTION } from '../../../domain/benefits/recovery.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { decideApproval, getApproval } from '../../../usecases/approvals/approvals.ts';
import { decideRecovery } from '../../../usecases/benefits/benefit-recovery.ts';
import {
  type OverpaymentRecoveryView,
  overpaymentRecoveryOf,
  type RecoveryView,
  recoveryOf,
} from '../../../usecases/benefits/benefit-recovery-read.ts';
import { recordRepayment } from '../../../usecases/benefits/benefit-recovery-repay.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');

/**
 * `tongchou benefits recovery decide|repay|approve|show` (docs/benefits.md, "Recovering
 * overpayments"): the same use cases as the routes, through the acting skeleton
 * (src/cli/acting.ts). A handler (fund:write) runs `decide` and `repay` twice with the route's body
 * (`--input FILE`): without `approvalId` the approval is asked, a supervisor approves it (`recovery
 * approve`, or the approvals page; never the maker), then with `approvalId` in the body it is
 * applied, once. Exit codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerRecoveryCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its recovery');
  const recovery = benefits
    .command('recovery')
    .description('多领待遇追回 (社会保险经办条例 第四十六条): offset or recovery order');
  registerDecide(recovery);
  registerRepay(recovery);
  registerApprove(recovery);
  registerShow(recovery);
}

function registerDecide(recovery: Command): void {
  actingOptions(
    recovery
      .command('decide')
      .description('offset or order for an overpayment: ask, then apply with {approvalId}')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--overpayment <id>', 'the overpayment ovp_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(recoveryDecideCliOptions, raw),
      body: (data) => parseInput(recoveryBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        decideRecovery(db, actor, {
          regionCode: o.region,
          overpaymentId: o.overpayment,
          method: body.method,
          monthlyFen: body.monthlyFen ?? null,
          reason: body.reason,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerRepay(recovery: Command): void {
  actingOptions(
    recovery
      .command('repay')
      .description('a repayment of a recovery order: ask, then apply with {approvalId}')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--recovery <id>', 'the recovery brc_…'),
    'the maker: a city handler, fund:write',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(recoveryRepayCliOptions, raw),
      body: (data) => parseInput(repaymentBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        recordRepayment(db, actor, {
          ...body,
          regionCode: o.region,
          recoveryId: o.recovery,
          today: todayInChina(),
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerApprove(recovery: Command): void {
  actingOptions(
    recovery
      .command('approve')
      .description('approve a recovery or a repayment asked by another user (fund:approve)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--approval <id>', 'the approval apr_… the maker was given'),
    'the checker: a supervisor, fund:approve',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(recoveryApproveCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:approve'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, actor }, v) => {
        const held = await getApproval(db, { regionCode: v.region, id: v.approval });
        if (held === null || ![RECOVERY_ACTION, REPAYMENT_ACTION].includes(held.action))
          return {
            ok: false,
            code: 'approval.not_found',
            message: `no recovery approval ${v.approval} in ${v.region}`,
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

function registerShow(recovery: Command): void {
  recovery
    .command('show')
    .description('an overpayment with its recovery, or a recovery: repayments, deductions, balance')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--overpayment <id>', 'the overpayment ovp_…')
    .option('--recovery <id>', 'the recovery brc_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(recoveryShowCliOptions, opts);
        if (!o.ok) return replies.inputRefused(o.problem);
        const { region, overpayment, recovery: id } = o.value;
        const found = await db.withConnection(
          async (ex): Promise<OverpaymentRecoveryView | RecoveryView | null> => {
            if (overpayment !== undefined) return overpaymentRecoveryOf(ex, region, overpayment);
            return id === undefined ? null : recoveryOf(ex, region, id);
          },
        );
        return replies.answer(
          found === null
            ? { ok: false, code: 'record.not_found', message: 'no such overpayment or recovery' }
            : { ok: true, value: found },
        );
      }),
    );
}
