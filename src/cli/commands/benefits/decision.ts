import type { Command } from 'commander';
import {
  decisionRecomputeCliOptions,
  decisionShowCliOptions,
} from '../../../contract/benefits/benefit-decision-contract.ts';
import {
  regradeApplyCliOptions,
  regradeProposeCliOptions,
} from '../../../contract/benefits/regrade-contract.ts';
import type { Database } from '../../../db/client.ts';
import type { Permission } from '../../../identity/roles.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import {
  benefitPanel,
  recomputeBenefitDecision,
} from '../../../usecases/benefits/benefit-decision-read.ts';
import { applyRegrade } from '../../../usecases/benefits/benefit-regrade-apply.ts';
import { proposeRegrade } from '../../../usecases/benefits/benefit-regrade-propose.ts';
import { userActorOf } from '../../../usecases/identity/user-actor.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';
import { registerCardAccountCommands } from './card-account.ts';
import { registerDeathFactsCommands } from './death-facts.ts';
import { registerDecisionSteps } from './decision-steps.ts';

const { inputRefused, answer } = cliReplies('benefits');

/**
 * `tongchou benefits decision show|recompute` (docs/benefits.md): the same read use cases as the
 * API. Proposing, approving, applying and paying name the person acting (`--as`, maker-checker):
 * decision-steps.ts. A regrade (`regrade`, `regrade-apply`) after a changed re-appraisal or review:
 * a handler proposes (case:write), the supervisor approves through the approvals, applying moves
 * money (fund:write).
 */
export function registerBenefitCommands(program: Command): void {
  const benefits = program.command('benefits').description('工伤保险待遇 benefit decisions');
  registerDeathFactsCommands(benefits);
  registerCardAccountCommands(benefits);
  const decision = benefits
    .command('decision')
    .description('工伤保险待遇核定 the benefit decision of a case');
  decision
    .command('show')
    .description(
      'the case’s decision: wage months, items with trace, approval, payments, entitlements',
    )
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(decisionShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(await benefitPanel(db, { regionCode: o.value.region, caseId: o.value.case }));
      }),
    );
  decision
    .command('recompute')
    .description('recompute a decision from its pinned parameter snapshot (same figures: exit 0)')
    .requiredOption('--region <code>', 'the decision’s city (6 digits)')
    .requiredOption('--decision <id>', 'the decision id bdc_<city>_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(decisionRecomputeCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const r = await recomputeBenefitDecision(db, {
          regionCode: o.value.region,
          decisionId: o.value.decision,
        });
        const code = answer(r);
        return r.ok && !r.value.same ? 1 : code;
      }),
    );
  registerDecisionSteps(decision);
  registerRegrade(decision);
}

async function actorOr(db: Database, username: string, permission: Permission, regionCode: string) {
  const actor = await userActorOf(db, {
    username,
    permissions: [permission],
    owner: { regionCode },
  });
  if (actor === null)
    answer({
      ok: false,
      code: 'auth.forbidden',
      message: `${username} is not an active user holding ${permission} over ${regionCode}`,
    });
  return actor;
}

function registerRegrade(decision: Command): void {
  decision
    .command('regrade')
    .description('propose a regrade after a changed re-appraisal or review (asks the approval)')
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .requiredOption('--as <username>', 'the maker (a city handler)')
    .option('--on <YYYY-MM-DD>', 'the day of the proposal (default today in China)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, config }) => {
        const o = parseInput(regradeProposeCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await actorOr(db, o.value.as, 'case:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await proposeRegrade(db, actor, loadRuleBook().benefits, {
            regionCode: o.value.region,
            caseId: o.value.case,
            on: o.value.on ?? todayInChina(),
            policy: approvalPolicyOf(config),
          }),
        );
      }),
    );
  decision
    .command('regrade-apply')
    .description('apply an approved regrade: entitlements switched, payable posted once')
    .requiredOption('--region <code>', 'the decision’s city (6 digits)')
    .requiredOption('--decision <id>', 'the regrade decision id bdc_<city>_…')
    .requiredOption('--as <username>', 'the handler (fund:write)')
    .option('--on <YYYY-MM-DD>', 'the day of the decision (default today in China)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(regradeApplyCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await actorOr(db, o.value.as, 'fund:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await applyRegrade(db, actor, {
            regionCode: o.value.region,
            decisionId: o.value.decision,
            on: o.value.on ?? todayInChina(),
          }),
        );
      }),
    );
}
