import type { Command } from 'commander';
import {
  decisionRecomputeCliOptions,
  decisionShowCliOptions,
} from '../../../contract/benefits/benefit-decision-contract.ts';
import { parseInput } from '../../../kernel/validation.ts';
import {
  benefitPanel,
  recomputeBenefitDecision,
} from '../../../usecases/benefits/benefit-decision-read.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';
import { registerDeathFactsCommands } from './death-facts.ts';
import { registerDecisionSteps } from './decision-steps.ts';

const { inputRefused, answer } = cliReplies('benefits');

/**
 * `tongchou benefits decision show|recompute` (docs/benefits.md): the same read use cases as the
 * API. Proposing, approving, applying and paying name the person acting (`--as`, maker-checker):
 * decision-steps.ts.
 */
export function registerBenefitCommands(program: Command): void {
  const benefits = program.command('benefits').description('工伤保险待遇 benefit decisions');
  registerDeathFactsCommands(benefits);
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
}
