import type { Command } from 'commander';
import { workListCliInput } from '../../../contract/cases/appraisal-contract.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { listAppraisals } from '../../../usecases/cases/appraisal-read.ts';
import { withDatabase } from '../../io.ts';
import { registerAppraisalSteps } from './appraisal-steps.ts';

/**
 * `tongchou appraisal list --region CODE [--state open|concluded|all] [--kind …] [--due-by DATE]`:
 * the committee's work list (docs/cases.md, "Appraisal"), the same use case as
 * `GET /regions/:r/appraisals`, as JSON. Exit codes as `calc`: 0 done, 2 invalid input. The
 * committee's steps and its expert pool: appraisal-steps.ts.
 */
export function registerAppraisalCommand(program: Command): void {
  const appraisal = program.command('appraisal').description('劳动能力鉴定 / disability appraisal');
  appraisal
    .command('list')
    .description('the work list: open appraisals by due day (a city, or the province for all)')
    .requiredOption('--region <code>', 'a city code, or the province code for every city')
    .option('--state <state>', 'open | concluded | all', 'open')
    .option('--kind <kind>', 'initial | re_appraisal | review')
    .option('--due-by <date>', 'open appraisals due on or before this day (YYYY-MM-DD)')
    .action((opts: { region: string; state: string; kind?: string; dueBy?: string }) =>
      withDatabase(async ({ db }) => {
        const input = parseInput(workListCliInput, {
          regionCode: opts.region,
          state: opts.state,
          ...(opts.kind === undefined ? {} : { kind: opts.kind }),
          ...(opts.dueBy === undefined ? {} : { dueBy: opts.dueBy }),
        });
        if (!input.ok) {
          process.stdout.write(`${JSON.stringify(input.problem, null, 2)}\n`);
          return 2;
        }
        const rows = await db.withConnection((ex) => listAppraisals(ex, input.value));
        process.stdout.write(`${JSON.stringify({ appraisals: rows }, null, 2)}\n`);
        return 0;
      }),
    );
  registerAppraisalSteps(appraisal);
}
