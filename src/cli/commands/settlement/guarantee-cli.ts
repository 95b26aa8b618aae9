import type { Command } from 'commander';
import { guaranteeCliOptions } from '../../../contract/settlement/guarantee-releases.ts';
import type { Permission } from '../../../identity/roles.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { userActorOf } from '../../../usecases/identity/user-actor.ts';
import {
  approveGuaranteeRelease,
  proposeGuaranteeRelease,
  readGuaranteeRelease,
} from '../../../usecases/settlement/guarantee-release.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';

/**
 * `tongchou settlement guarantee show|propose|approve` (docs/settlement-statements.md, "Release
 * of the guarantee"): the use cases of guarantee-release-routes.ts with the same arguments. `--as`
 * names the user acting, who must hold the route's permission over the institution: a city
 * handler proposes (fund:write), another person approves (fund:approve); `show` without `--as`
 * reads as the system. Exit codes: 0 done, 2 invalid input, 3 refused.
 */
const { inputRefused, answer } = cliReplies('settlement');

type Step = 'show' | 'propose' | 'approve';
const PERMISSIONS: Record<Step, readonly Permission[]> = {
  show: ['settlement:read', 'bill:read'],
  propose: ['fund:write'],
  approve: ['fund:approve'],
};

export function registerGuaranteeCommands(settlement: Command): void {
  const guarantee = settlement
    .command('guarantee')
    .description('责任保证金 the year-end release of an institution’s retained guarantee');
  register(guarantee, 'show', 'the year’s release as computed now, and its proposal or payment');
  register(guarantee, 'propose', 'propose the release of a year: asks an approval (the maker)');
  register(guarantee, 'approve', 'approve the release (not its maker): Dr 2101 / Cr 1003, once');
}

function register(guarantee: Command, step: Step, description: string): void {
  const command = guarantee
    .command(step)
    .description(description)
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .requiredOption('--year <YYYY>', 'the calendar year whose guarantee is released');
  if (step === 'show') command.option('--as <username>', 'read as this user');
  else
    command
      .requiredOption('--as <username>', `the ${step === 'propose' ? 'maker' : 'checker'}`)
      .option('--on <YYYY-MM-DD>', 'the day of the proposal or payment (default today)');
  command.action((opts: unknown) =>
    withDatabase(async ({ db, config, actor: system }) => {
      const o = parseInput(guaranteeCliOptions, opts);
      if (!o.ok) return inputRefused(o.problem);
      const { institution, year, as, on } = o.value;
      const owner = { institutionId: institution };
      const actor =
        as === undefined
          ? system
          : await userActorOf(db, { username: as, permissions: PERMISSIONS[step], owner });
      if (actor === null) {
        answer({
          ok: false,
          code: 'auth.forbidden',
          message: `${as} is not an active user holding ${PERMISSIONS[step].join(' or ')} over ${institution}`,
        });
        return EXIT_REFUSED;
      }
      const rules = loadRuleBook().benefits;
      const req = { institutionId: institution, year, on: on ?? todayInChina() };
      if (step === 'show') return answer(await readGuaranteeRelease(db, actor, rules, req));
      if (step === 'propose')
        return answer(
          await proposeGuaranteeRelease(db, actor, rules, req, approvalPolicyOf(config)),
        );
      return answer(await approveGuaranteeRelease(db, actor, rules, req));
    }),
  );
}
