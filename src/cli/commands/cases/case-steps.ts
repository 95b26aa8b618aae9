import type { Command } from 'commander';
import { commandOf } from '../../../api/routes/cases/case-route-kit.ts';
import {
  actionBody,
  applicationBody,
  caseReportCliOptions,
  caseStepCliOptions,
  reportBody,
} from '../../../contract/cases/determination-contract.ts';
import { inputProblem, parseInput } from '../../../kernel/validation.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { applyForDetermination, reportCase } from '../../../usecases/cases/case-report.ts';
import { actOnCase } from '../../../usecases/cases/determination-actions.ts';
import { actingAction, actingOptions, type Parsed } from '../../acting.ts';
import { cliReplies } from '../../replies.ts';

/**
 * `tongchou cases report|apply|act` (docs/cases.md, "Command line"): the determination's writes,
 * each the use case its route calls (determination-routes.ts) with the route's body, read as JSON
 * from `--input`. The user named by `--as` must hold case:write over the city, as behind the
 * route. Exit codes: 0 done, 2 invalid input, 3 refused (the problem on stdout).
 */
const replies = cliReplies('cases');
const who = 'case:write over the city: a determination officer or a city handler';

export function registerCaseSteps(cases: Command): void {
  registerReport(cases);
  registerApply(cases);
  registerAct(cases);
}

function registerReport(cases: Command): void {
  actingOptions(
    cases
      .command('report')
      .description(
        'record an accident report (with `application`, also the application, 《工伤保险条例》第十七条)',
      )
      .requiredOption('--region <code>', 'the city (6 digits)'),
    who,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(caseReportCliOptions, raw),
      body: (data) => parseInput(reportBody, data),
      permissions: ['case:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) => {
        const { application, ...report } = body;
        return reportCase(
          db,
          actor,
          loadRuleBook().benefits,
          { ...report, regionCode: o.region },
          application,
        );
      },
    }),
  );
}

function registerApply(cases: Command): void {
  actingOptions(
    cases
      .command('apply')
      .description('the application for determination of a reported case (applicant, date)')
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    who,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(caseStepCliOptions, raw),
      body: (data) => parseInput(applicationBody, data),
      permissions: ['case:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        applyForDetermination(
          db,
          actor,
          loadRuleBook().benefits,
          { regionCode: o.region, caseId: o.case },
          body,
        ),
    }),
  );
}

/**
 * The action's body: the JSON with the step named on the command line as its `kind`. A `kind` in
 * the JSON too must be the same step (two different steps in one command is a mistake to show).
 */
function actionOf(kind: string, data: unknown): Parsed<ReturnType<typeof actionBody.parse>> {
  const fields = data !== null && typeof data === 'object' ? data : {};
  if ('kind' in fields && fields.kind !== kind)
    return {
      ok: false,
      problem: inputProblem([
        {
          path: 'kind',
          code: 'conflict',
          message: `the input's kind ${JSON.stringify(fields.kind)} is not the step ${kind}; leave it out`,
        },
      ]),
    };
  return parseInput(actionBody, Array.isArray(data) ? data : { ...fields, kind });
}

function registerAct(cases: Command): void {
  const act = actingOptions(
    cases
      .command('act')
      .argument(
        '<step>',
        'accept | refuse_acceptance | request_materials | complete_materials | note_investigation | suspend | resume | decide | serve | file_review | record_review_outcome',
      )
      .description(
        'one step of the determination (工伤认定); refused unless the case’s state allows it',
      )
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    who,
  );
  act.action((step: string, raw: unknown) =>
    actingAction(replies, {
      options: (r) => parseInput(caseStepCliOptions, r),
      body: (data) => actionOf(step, data),
      permissions: ['case:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) => {
        const { expectedVersion, ...command } = body;
        return actOnCase(
          db,
          actor,
          loadRuleBook().benefits,
          { regionCode: o.region, caseId: o.case, expectedVersion },
          commandOf(command),
        );
      },
    })(raw),
  );
}
