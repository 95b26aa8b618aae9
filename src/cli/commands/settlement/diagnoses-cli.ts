import type { Command } from 'commander';
import {
  caseDiagnosesRecordCliOptions,
  caseDiagnosesShowCliOptions,
} from '../../../contract/settlement/his-messages.ts';
import { parseInput } from '../../../kernel/validation.ts';
import {
  injuryDiagnosesOf,
  recordInjuryDiagnoses,
} from '../../../usecases/settlement/case-injury-diagnoses.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';
import { cliActorOr } from './cross-province.ts';

/**
 * `tongchou settlement diagnoses show|record` (docs/settlement.md): a case's ICD-10 injury
 * diagnoses, which the settlement checks a bill's diagnosis against. The same use cases as
 * …/cases/:caseId/injury-diagnoses: a city user reads them (case:read) and records more
 * (case:write); codes are added, never removed.
 */
const { inputRefused, answer } = cliReplies('settlement');

export function registerDiagnosesCommands(program: Command): void {
  const settlement =
    program.commands.find((c) => c.name() === 'settlement') ?? program.command('settlement');
  const diagnoses = settlement
    .command('diagnoses')
    .description('工伤诊断 the injury diagnoses (ICD-10) recorded on a case');
  diagnoses
    .command('show')
    .description('The injury diagnoses recorded on a case')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--case <id>', 'the case')
    .requiredOption('--as <username>', 'a user holding case:read over the city')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(caseDiagnosesShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'case:read', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await injuryDiagnosesOf(db, { regionCode: o.value.region, caseId: o.value.case }),
        );
      }),
    );
  diagnoses
    .command('record')
    .description('Record injury diagnoses of a case (added to those recorded, never removed)')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--case <id>', 'the case')
    .requiredOption('--code <icd10...>', 'ICD-10 codes such as S82.2 (several, or repeated)')
    .requiredOption('--as <username>', 'a user holding case:write over the city')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(caseDiagnosesRecordCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'case:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await recordInjuryDiagnoses(db, actor, {
            regionCode: o.value.region,
            caseId: o.value.case,
            codes: o.value.code,
          }),
        );
      }),
    );
}
