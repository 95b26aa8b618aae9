import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  deathFactsBody,
  deathFactsCliOptions,
} from '../../../contract/benefits/death-facts-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { deathFactsOf, recordDeathFacts } from '../../../usecases/benefits/death-facts.ts';
import { payrollActorOf } from '../../../usecases/benefits/payroll-actor.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_INPUT, EXIT_REFUSED } from '../../replies.ts';

const { inputRefused, answer } = cliReplies('death-facts');

/**
 * `tongchou benefits death-facts record|show` (docs/benefits.md, "Death cases"): the same use
 * case as PUT /regions/:regionCode/cases/:caseId/death-facts. The facts come as a JSON file of
 * the route's body; the user named by `--as` must hold case:write over the city. Every answer masks
 * the dependants' ID numbers.
 */
export function registerDeathFactsCommands(benefits: Command): void {
  const facts = benefits
    .command('death-facts')
    .description('因工死亡 the death facts and 供养亲属 of a case');
  facts
    .command('record')
    .description('record (or replace) the death facts; supersedes an open proposal')
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .requiredOption('--as <username>', 'the case handler (case:write)')
    .requiredOption(
      '--file <path>',
      'JSON: {diedOn, circumstance, preDeathMonthlyWageFen, dependants}',
    )
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(deathFactsCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const body = parseInput(deathFactsBody, readJson(o.value.file ?? ''));
        if (!body.ok) return body.problem === undefined ? EXIT_INPUT : inputRefused(body.problem);
        const username = o.value.as ?? '';
        const regionCode = o.value.region;
        const actor = await payrollActorOf(db, { username, permission: 'case:write', regionCode });
        if (actor === null) {
          answer({
            ok: false,
            code: 'auth.forbidden',
            message: `${username} is not an active user holding case:write over ${regionCode}`,
          });
          return EXIT_REFUSED;
        }
        return answer(
          await recordDeathFacts(db, actor, {
            ...body.value,
            regionCode,
            caseId: o.value.case,
            today: todayInChina(),
          }),
        );
      }),
    );
  facts
    .command('show')
    .description('the case’s death facts, ID numbers masked')
    .requiredOption('--region <code>', 'the case’s city (6 digits)')
    .requiredOption('--case <id>', 'the case id cas_<city>_…')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(deathFactsCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { region, case: caseId } = o.value;
        const found = await db.withConnection((ex) => deathFactsOf(ex, region, caseId));
        return answer(
          found === null
            ? { ok: false, code: 'record.not_found', message: `no death facts for ${caseId}` }
            : { ok: true, value: found },
        );
      }),
    );
}

/** The file's JSON, or the text itself when it is not JSON (the schema then says what is wrong). */
function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
