import type { Command } from 'commander';
import {
  resumeCliOptions,
  stopApproveCliOptions,
  stopCliOptions,
} from '../../../contract/benefits/stop-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { decideApproval, getApproval } from '../../../usecases/approvals/approvals.ts';
import { RESUME_ACTION, resumeBenefits } from '../../../usecases/benefits/benefit-resume.ts';
import { STOP_ACTION, stopBenefits } from '../../../usecases/benefits/benefit-stop.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');
const noBody = (data: unknown) => parseInput(emptyBody, data);

/**
 * `tongchou benefits stop|resume` (docs/benefits.md, "Stopping benefits"): the same use cases as
 * the API, through the acting skeleton every acting command shares (src/cli/acting.ts). A handler
 * (fund:write, `--as`) runs each twice: without `--approval` the stop or its lifting is checked and
 * its approval asked; a supervisor approves it (`benefits stop-approve`, or the approvals page;
 * fund:approve, never the maker); the handler's second call with `--approval <id>` applies it,
 * once. Exit codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerStopCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its stop');
  actingOptions(
    benefits
      .command('stop')
      .description('停止享受工伤保险待遇 (条例 第四十二条): ask, then apply with the approval')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--worker <id>', 'the worker wkr_…')
      .requiredOption('--ground <g>', 'lost_conditions | refused_appraisal | refused_treatment')
      .requiredOption('--effective-on <date>', 'the date of the event (its month is paid whole)')
      .requiredOption('--reason <text>', 'what happened, the evidence')
      .option('--approval <id>', 'the approved approval apr_… (apply)'),
    'the maker: a city handler, fund:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(stopCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, config, actor }, v) =>
        stopBenefits(db, actor, {
          regionCode: v.region,
          workerId: v.worker,
          ground: v.ground,
          effectiveOn: v.effectiveOn,
          reason: v.reason,
          approvalId: v.approval,
          policy: approvalPolicyOf(config),
          today: todayInChina(),
        }),
    }),
  );
  registerResume(benefits);
  registerApprove(benefits);
}

function registerResume(benefits: Command): void {
  actingOptions(
    benefits
      .command('resume')
      .description(
        '恢复 a stop on ground (二) or (三) from a month: ask, then apply with the approval',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--stop <id>', 'the stop stp_…')
      .requiredOption('--resumed-on <date>', 'benefits are paid again from the month of this date')
      .requiredOption('--reason <text>', 'what happened, the evidence')
      .option('--approval <id>', 'the approved approval apr_… (apply)'),
    'the maker: a city handler, fund:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(resumeCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, config, actor }, v) =>
        resumeBenefits(db, actor, {
          regionCode: v.region,
          stopId: v.stop,
          resumedOn: v.resumedOn,
          reason: v.reason,
          approvalId: v.approval,
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerApprove(benefits: Command): void {
  actingOptions(
    benefits
      .command('stop-approve')
      .description('approve a stop or resumption of benefits asked by another user (fund:approve)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--approval <id>', 'the approval apr_… the maker was given'),
    'the checker: a supervisor, fund:approve',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(stopApproveCliOptions, raw),
      body: noBody,
      permissions: ['fund:approve'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, actor }, v) => {
        const held = await getApproval(db, { regionCode: v.region, id: v.approval });
        if (held === null || (held.action !== STOP_ACTION && held.action !== RESUME_ACTION))
          return {
            ok: false,
            code: 'approval.not_found',
            message: `no stop or resumption approval ${v.approval} in ${v.region}`,
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
