import type { Command } from 'commander';
import {
  applicationBody,
  appraisalReceiveCliOptions,
  appraisalStepCliOptions,
  conclusionBody,
  drawBody,
  expertAddCliOptions,
  expertBody,
  expertDeactivateCliOptions,
  expertListCliOptions,
  extensionBody,
  serviceBody,
} from '../../../contract/cases/appraisal-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { applyForAppraisal } from '../../../usecases/cases/appraisal-application.ts';
import {
  concludeAppraisal,
  extendAppraisal,
  serveConclusion,
} from '../../../usecases/cases/appraisal-conclusion.ts';
import { drawAppraisalPanel } from '../../../usecases/cases/appraisal-draw.ts';
import {
  addExpert,
  deactivateExpert,
  listExperts,
} from '../../../usecases/cases/appraisal-experts.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies } from '../../replies.ts';

/**
 * `tongchou appraisal receive|draw|extend|conclude|serve` and `appraisal experts list|add|deactivate`
 * (docs/cases.md, "Command line"): the committee's steps, each the use case its route calls
 * (appraisal-routes.ts, appraisal-expert-routes.ts) with the route's body from `--input`. The
 * `--as` user must hold appraisal:write over the region (a city's committee its city, the
 * provincial committee every city). Exit codes: 0 done, 2 invalid input, 3 refused.
 */
const replies = cliReplies('appraisal');
const who = 'appraisal:write: a member of the appraisal committee';
const write = ['appraisal:write'] as const;

export function registerAppraisalSteps(appraisal: Command): void {
  registerReceive(appraisal);
  registerDraw(appraisal);
  registerExtend(appraisal);
  registerConclude(appraisal);
  registerServe(appraisal);
  registerExperts(appraisal);
}

/** A step on one appraisal: `--region`, `--appraisal`, `--as`, `--input`. */
function appraisalStep(appraisal: Command, name: string, description: string): Command {
  return actingOptions(
    appraisal
      .command(name)
      .description(description)
      .requiredOption('--region <code>', 'the appraisal’s city (6 digits)')
      .requiredOption('--appraisal <id>', 'the appraisal id apr_<city>_…'),
    who,
  );
}

function registerReceive(appraisal: Command): void {
  actingOptions(
    appraisal
      .command('receive')
      .alias('apply')
      .description(
        'receive an application: initial (treatment stabilised), re_appraisal (provincial committee), review',
      )
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    who,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(appraisalReceiveCliOptions, raw),
      body: (data) => parseInput(applicationBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        applyForAppraisal(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          caseId: o.case,
          ...body,
        }),
    }),
  );
}

function registerDraw(appraisal: Command): void {
  appraisalStep(appraisal, 'draw', 'draw the panel of 3 or 5 experts (seeded, recorded)').action(
    actingAction(replies, {
      options: (raw) => parseInput(appraisalStepCliOptions, raw),
      body: (data) => parseInput(drawBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        drawAppraisalPanel(db, actor, { regionCode: o.region, appraisalId: o.appraisal, ...body }),
    }),
  );
}

function registerExtend(appraisal: Command): void {
  appraisalStep(appraisal, 'extend', 'extend the 60 days by 30, once, with the reason').action(
    actingAction(replies, {
      options: (raw) => parseInput(appraisalStepCliOptions, raw),
      body: (data) => parseInput(extensionBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        extendAppraisal(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          appraisalId: o.appraisal,
          ...body,
        }),
    }),
  );
}

function registerConclude(appraisal: Command): void {
  appraisalStep(
    appraisal,
    'conclude',
    'record the conclusion (grade, nursing, 停工留薪期 extension, clauses); issues the letter',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(appraisalStepCliOptions, raw),
      body: (data) => parseInput(conclusionBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        concludeAppraisal(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          appraisalId: o.appraisal,
          ...body,
        }),
    }),
  );
}

function registerServe(appraisal: Command): void {
  appraisalStep(appraisal, 'serve', 'record the day the conclusion was served (送达)').action(
    actingAction(replies, {
      options: (raw) => parseInput(appraisalStepCliOptions, raw),
      body: (data) => parseInput(serviceBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        serveConclusion(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          appraisalId: o.appraisal,
          ...body,
        }),
    }),
  );
}

function registerExperts(appraisal: Command): void {
  const experts = appraisal
    .command('experts')
    .description('the committee’s expert pool (医疗卫生专家库), under its region code');
  experts
    .command('list')
    .description('the pool, by specialty (read as the system)')
    .requiredOption('--region <code>', 'the committee: a city code, or the province code')
    .option('--specialty <s>', 'one specialty (orthopaedics, …)')
    .option('--active', 'only experts still in the pool')
    .action((raw: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(expertListCliOptions, raw);
        if (!o.ok) return replies.inputRefused(o.problem);
        const rows = await db.withConnection((ex) =>
          listExperts(ex, {
            committeeCode: o.value.region,
            specialty: o.value.specialty,
            activeOnly: o.value.active === true,
          }),
        );
        return replies.answer({ ok: true, value: { experts: rows } });
      }),
    );
  registerExpertWrites(experts);
}

function registerExpertWrites(experts: Command): void {
  actingOptions(
    experts
      .command('add')
      .description('add an expert: the body {name, specialty}')
      .requiredOption('--region <code>', 'the committee: a city code, or the province code'),
    who,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(expertAddCliOptions, raw),
      body: (data) => parseInput(expertBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) => addExpert(db, actor, { committeeCode: o.region, ...body }),
    }),
  );
  actingOptions(
    experts
      .command('deactivate')
      .description('take an expert out of the pool (kept: recorded draws name them)')
      .requiredOption('--region <code>', 'the committee: a city code, or the province code')
      .requiredOption('--expert <id>', 'the expert id exp_<region>_…'),
    who,
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(expertDeactivateCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: write,
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        deactivateExpert(db, actor, { committeeCode: o.region, expertId: o.expert }),
    }),
  );
}
