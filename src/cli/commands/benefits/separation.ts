import type { Command } from 'commander';
import {
  separationApplyCliOptions,
  separationProposeCliOptions,
  separationShowCliOptions,
} from '../../../contract/benefits/separation-contract.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { proposeSeparation } from '../../../usecases/benefits/benefit-separation.ts';
import {
  approveSeparation,
  caseSeparations,
} from '../../../usecases/benefits/benefit-separation-approve.ts';
import { payrollActorOf } from '../../../usecases/benefits/payroll-actor.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';

const { inputRefused, answer } = cliReplies('benefits');

/**
 * `tongchou benefits separation propose|apply|show` (docs/benefits.md "Separation"): the same use
 * cases as the API. Each step names the user it acts as (`--as`): a handler proposes (case:write), a
 * handler applies the supervisor's approval (fund:write); the supervisor approves through the
 * approvals routes or page. Exit codes as `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerSeparationCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its separation');
  const separation = benefits
    .command('separation')
    .description('解除或者终止劳动关系 the separation grants of a grade 5–10 worker');
  separation
    .command('propose')
    .description('record the separation and propose its grants (asks for the approval)')
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .requiredOption('--date <YYYY-MM-DD>', 'the day the labour relationship ended')
    .requiredOption('--reason <reason>', 'worker_request or contract_expiry')
    .requiredOption('--retirement-age <YEARS[:MONTHS]>', 'the statutory retirement age')
    .requiredOption('--as <username>', 'the maker (a city handler)')
    .option('--on <YYYY-MM-DD>', 'the day of the proposal (default today in China)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, config }) => {
        const o = parseInput(separationProposeCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await payrollActorOf(db, {
          username: o.value.as,
          permission: 'case:write',
          regionCode: o.value.region,
        });
        if (actor === null) return refusedActor(o.value.as, 'case:write', o.value.region);
        return answer(
          await proposeSeparation(db, actor, loadRuleBook().benefits, {
            regionCode: o.value.region,
            caseId: o.value.case,
            date: o.value.date,
            reason: o.value.reason,
            retirementAge: o.value.retirementAge,
            on: o.value.on ?? todayInChina(),
            policy: approvalPolicyOf(config),
          }),
        );
      }),
    );
  registerApply(separation);
  separation
    .command('show')
    .description(
      'the case’s separations (and a combined one covering it, with coveredCases): date, reason, both grants, approval, ledger transaction',
    )
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(separationShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(
          await caseSeparations(db, { regionCode: o.value.region, caseId: o.value.case }),
        );
      }),
    );
}

function registerApply(separation: Command): void {
  separation
    .command('apply')
    .description('apply the approved separation: the fund’s grant payable, its payment, the ends')
    .requiredOption('--region <code>', 'the separation’s city (6 digits)')
    .requiredOption('--separation <id>', 'the separation id bsp_<city>_…')
    .requiredOption('--as <username>', 'a city handler (fund:write)')
    .option('--on <YYYY-MM-DD>', 'the day of the decision (default today in China)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(separationApplyCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await payrollActorOf(db, {
          username: o.value.as,
          permission: 'fund:write',
          regionCode: o.value.region,
        });
        if (actor === null) return refusedActor(o.value.as, 'fund:write', o.value.region);
        return answer(
          await approveSeparation(db, actor, {
            regionCode: o.value.region,
            separationId: o.value.separation,
            on: o.value.on ?? todayInChina(),
          }),
        );
      }),
    );
}

function refusedActor(username: string, permission: string, regionCode: string): number {
  answer({
    ok: false,
    code: 'auth.forbidden',
    message: `${username} is not an active user holding ${permission} over ${regionCode}`,
  });
  return EXIT_REFUSED;
}
