import type { Command } from 'commander';
import {
  retireApproveCliOptions,
  retireCliOptions,
  retirementShowCliOptions,
} from '../../../contract/benefits/retirement-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { invariant } from '../../../kernel/assert.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { decideApproval, getApproval } from '../../../usecases/approvals/approvals.ts';
import {
  RETIREMENT_ACTION,
  recordRetirement,
  retirementOfWorker,
} from '../../../usecases/benefits/benefit-retirement.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('benefits');
const noBody = (data: unknown) => parseInput(emptyBody, data);

/**
 * `tongchou benefits retire|retire-approve|retirement-show` (docs/benefits.md, "Retirement"): the
 * same use case as the API, through the acting skeleton (src/cli/acting.ts). A handler
 * (fund:write, `--as`) runs `retire` twice: without `--approval` the plan is computed and its
 * approval asked; a supervisor approves it (`retire-approve`, or the approvals page; fund:approve,
 * never the maker); the second call with `--approval <id>` applies it, once. Exit codes as
 * `calc`: 0 done, 2 invalid input, 3 refused.
 */
export function registerRetirementCommands(program: Command): void {
  const benefits = program.commands.find((c) => c.name() === 'benefits');
  invariant(benefits !== undefined, 'register the benefits command before its retirement');
  actingOptions(
    benefits
      .command('retire')
      .description(
        '退休 (条例 第三十五条第一款第（三）项): 伤残津贴 ends, the fund pays the difference',
      )
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--worker <id>', 'the worker wkr_…')
      .requiredOption(
        '--retired-on <date>',
        'the day 办理退休手续 was done (its month is paid whole)',
      )
      .option('--pension-fen <fen>', 'the monthly basic pension, in fen')
      .option(
        '--account-balance-fen <fen>',
        'no monthly pension (浙江 第二十六条第二款): the personal pension account’s balance, in fen',
      )
      .option(
        '--monthly-offset-fen <fen>',
        'no monthly pension: the monthly offset from the personal account, in fen',
      )
      .requiredOption('--evidence <text>', 'the pension office’s notice (文号), what it says')
      .option('--approval <id>', 'the approved approval apr_… (apply)'),
    'the maker: a city handler, fund:write',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(retireCliOptions, raw),
      body: noBody,
      permissions: ['fund:write'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, config, actor }, v) =>
        recordRetirement(db, actor, {
          regionCode: v.region,
          workerId: v.worker,
          retiredOn: v.retiredOn,
          pensionFen: v.pensionFen ?? 0,
          personalAccount:
            v.accountBalanceFen === undefined || v.monthlyOffsetFen === undefined
              ? null
              : { balanceFen: v.accountBalanceFen, monthlyOffsetFen: v.monthlyOffsetFen },
          evidence: v.evidence,
          approvalId: v.approval,
          policy: approvalPolicyOf(config),
          today: todayInChina(),
          rules: loadRuleBook().benefits,
        }),
    }),
  );
  registerApprove(benefits);
  registerShow(benefits);
}

function registerApprove(benefits: Command): void {
  actingOptions(
    benefits
      .command('retire-approve')
      .description('approve a retirement asked by another user (fund:approve)')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--approval <id>', 'the approval apr_… the maker was given'),
    'the checker: a supervisor, fund:approve',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(retireApproveCliOptions, raw),
      body: noBody,
      permissions: ['fund:approve'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db, actor }, v) => {
        const held = await getApproval(db, { regionCode: v.region, id: v.approval });
        if (held === null || held.action !== RETIREMENT_ACTION)
          return {
            ok: false,
            code: 'approval.not_found',
            message: `no retirement approval ${v.approval} in ${v.region}`,
          };
        return decideApproval(db, actor, {
          regionCode: v.region,
          id: v.approval,
          decision: 'approved',
        });
      },
    }),
  );
}

function registerShow(benefits: Command): void {
  actingOptions(
    benefits
      .command('retirement-show')
      .description('a worker’s recorded retirement and its plan')
      .requiredOption('--region <code>', 'the city (6 digits)')
      .requiredOption('--worker <id>', 'the worker wkr_…'),
    'a reader: fund:read',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(retirementShowCliOptions, raw),
      body: noBody,
      permissions: ['fund:read'],
      owner: (v) => ({ regionCode: v.region }),
      run: async ({ db }, v) => {
        const found = await db.withConnection((ex) => retirementOfWorker(ex, v.region, v.worker));
        return found === null
          ? { ok: false, code: 'record.not_found', message: `no retirement of ${v.worker}` }
          : { ok: true, value: found };
      },
    }),
  );
}
