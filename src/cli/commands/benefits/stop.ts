import type { Command } from 'commander';
import {
  resumeCliOptions,
  stopApproveCliOptions,
  stopCliOptions,
} from '../../../contract/benefits/stop-contract.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { decideApproval, getApproval } from '../../../usecases/approvals/approvals.ts';
import { RESUME_ACTION, resumeBenefits } from '../../../usecases/benefits/benefit-resume.ts';
import { STOP_ACTION, stopBenefits } from '../../../usecases/benefits/benefit-stop.ts';
import { payrollActorOf } from '../../../usecases/benefits/payroll-actor.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';

const { inputRefused, answer } = cliReplies('benefits');

/**
 * `tongchou benefits stop|resume` (docs/benefits.md, "Stopping benefits"): the same use cases as
 * the API. A handler (fund:write, `--as`) runs each twice: without `--approval` the stop or its
 * lifting is checked and its approval asked; a supervisor approves it (`benefits stop-approve`,
 * or the approvals page; fund:approve, never the maker); the handler's second call with `--approval <id>` applies it, once. Exit
 * codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerStopCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its stop');
  benefits
    .command('stop')
    .description('停止享受工伤保险待遇 (条例 第四十二条): ask, then apply with the approval')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--worker <id>', 'the worker wkr_…')
    .requiredOption('--ground <g>', 'lost_conditions | refused_appraisal | refused_treatment')
    .requiredOption('--effective-on <date>', 'the date of the event (its month is paid whole)')
    .requiredOption('--reason <text>', 'what happened, the evidence')
    .option('--approval <id>', 'the approved approval apr_… (apply)')
    .requiredOption('--as <username>', 'the maker (a city handler, fund:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, config }) => {
        const o = parseInput(stopCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const v = o.value;
        const actor = await payrollActorOf(db, {
          username: v.as,
          permission: 'fund:write',
          regionCode: v.region,
        });
        if (actor === null) return forbidden(v.as, v.region);
        return answer(
          await stopBenefits(db, actor, {
            regionCode: v.region,
            workerId: v.worker,
            ground: v.ground,
            effectiveOn: v.effectiveOn,
            reason: v.reason,
            approvalId: v.approval,
            policy: approvalPolicyOf(config),
            today: todayInChina(),
          }),
        );
      }),
    );
  registerResume(benefits);
  registerApprove(benefits);
}

function registerResume(benefits: Command): void {
  benefits
    .command('resume')
    .description(
      '恢复 a stop on ground (二) or (三) from a month: ask, then apply with the approval',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--stop <id>', 'the stop stp_…')
    .requiredOption('--resumed-on <date>', 'benefits are paid again from the month of this date')
    .requiredOption('--reason <text>', 'what happened, the evidence')
    .option('--approval <id>', 'the approved approval apr_… (apply)')
    .requiredOption('--as <username>', 'the maker (a city handler, fund:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, config }) => {
        const o = parseInput(resumeCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const v = o.value;
        const actor = await payrollActorOf(db, {
          username: v.as,
          permission: 'fund:write',
          regionCode: v.region,
        });
        if (actor === null) return forbidden(v.as, v.region);
        return answer(
          await resumeBenefits(db, actor, {
            regionCode: v.region,
            stopId: v.stop,
            resumedOn: v.resumedOn,
            reason: v.reason,
            approvalId: v.approval,
            policy: approvalPolicyOf(config),
          }),
        );
      }),
    );
}

function registerApprove(benefits: Command): void {
  benefits
    .command('stop-approve')
    .description('approve a stop or resumption of benefits asked by another user (fund:approve)')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--approval <id>', 'the approval apr_… the maker was given')
    .requiredOption('--as <username>', 'the checker (a supervisor, fund:approve)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(stopApproveCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const v = o.value;
        const actor = await payrollActorOf(db, {
          username: v.as,
          permission: 'fund:approve',
          regionCode: v.region,
        });
        if (actor === null) return forbidden(v.as, v.region, 'fund:approve');
        const held = await getApproval(db, { regionCode: v.region, id: v.approval });
        if (held === null || (held.action !== STOP_ACTION && held.action !== RESUME_ACTION))
          return answer({
            ok: false,
            code: 'approval.not_found',
            message: `no stop or resumption approval ${v.approval} in ${v.region}`,
          });
        return answer(
          await decideApproval(db, actor, {
            regionCode: v.region,
            id: v.approval,
            decision: 'approved',
          }),
        );
      }),
    );
}

function forbidden(username: string, regionCode: string, permission = 'fund:write'): number {
  answer({
    ok: false,
    code: 'auth.forbidden',
    message: `${username} is not an active user holding ${permission} over ${regionCode}`,
  });
  return EXIT_REFUSED;
}
