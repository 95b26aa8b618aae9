import type { Command } from 'commander';
import {
  applyBody,
  confirmBody,
  decisionApplyCliOptions,
  decisionApproveCliOptions,
  decisionProposeCliOptions,
  failBody,
  paymentConfirmCliOptions,
  proposeBody,
  reissueBody,
} from '../../../contract/benefits/benefit-decision-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { refuse } from '../../../kernel/result.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { decideApproval } from '../../../usecases/approvals/approvals.ts';
import {
  approveBenefitDecision,
  decisionRow,
} from '../../../usecases/benefits/benefit-decision-approve.ts';
import { proposeBenefitDecision } from '../../../usecases/benefits/benefit-decision-propose.ts';
import {
  confirmBenefitPayment,
  failBenefitPayment,
  reissueBenefitPayment,
} from '../../../usecases/benefits/benefit-payments.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { cliReplies } from '../../replies.ts';

/**
 * `tongchou benefits decision propose|approve|apply|pay|fail|reissue` (docs/benefits.md, "CLI"):
 * the benefit decision's maker-checker steps, each the use case its route calls, with the route's body from
 * `--input`. A city handler proposes (case:write); another person, a supervisor, approves the
 * proposal's approval (fund:approve, the approvals route's decision); the handler applies it
 * (fund:write: the lump sums posted payable once, a retry posts nothing) and records the bank's
 * confirmation of a payment (fund:write: Dr 2102 / Cr 1003), a failed or returned one (a confirmed
 * one reversed: Dr 1003 / Cr 2102) and its reissue. Exit 0 done, 2 invalid input, 3 refused.
 */
const replies = cliReplies('benefits');

export function registerDecisionSteps(decision: Command): void {
  registerPropose(decision);
  registerApprove(decision);
  registerApply(decision);
  registerPay(decision);
  registerFailAndReissue(decision);
}

function registerPropose(decision: Command): void {
  actingOptions(
    decision
      .command('propose')
      .description(
        'propose the decision: runs the public calculator, asks for the approval of the exact payload',
      )
      .requiredOption('--region <code>', 'the case’s city (6 digits)')
      .requiredOption('--case <id>', 'the case id cas_<city>_…'),
    'case:write: the city handler, the maker',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(decisionProposeCliOptions, raw),
      body: (data) => parseInput(proposeBody, data),
      permissions: ['case:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, config, actor }, o, body) =>
        proposeBenefitDecision(db, actor, loadRuleBook().benefits, {
          regionCode: o.region,
          caseId: o.case,
          enteredWages: body.enteredWages,
          wageEvidence: body.wageEvidence,
          employerArrangedWork: body.employerArrangedWork,
          on: body.on ?? todayInChina(),
          policy: approvalPolicyOf(config),
        }),
    }),
  );
}

function registerApprove(decision: Command): void {
  actingOptions(
    decision
      .command('approve')
      .description('the checker approves the proposal’s approval (never its maker)')
      .requiredOption('--region <code>', 'the decision’s city (6 digits)')
      .requiredOption('--decision <id>', 'the decision id bdc_<city>_…'),
    'fund:approve: a supervisor, the checker',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(decisionApproveCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:approve'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o) => {
        const row = await db.withConnection((ex) => decisionRow(ex, o.region, o.decision, false));
        if (row === null)
          return refuse('benefit.decision_not_found', `decision ${o.decision} not found`);
        return decideApproval(db, actor, {
          regionCode: o.region,
          id: row.approvalId,
          decision: 'approved',
        });
      },
    }),
  );
}

function registerApply(decision: Command): void {
  actingOptions(
    decision
      .command('apply')
      .description(
        'apply the approved decision: lump sums payable (Dr 51xx / Cr 2102), payments, letter; once',
      )
      .requiredOption('--region <code>', 'the decision’s city (6 digits)')
      .requiredOption('--decision <id>', 'the decision id bdc_<city>_…'),
    'fund:write: the city handler',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(decisionApplyCliOptions, raw),
      body: (data) => parseInput(applyBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        approveBenefitDecision(db, actor, {
          regionCode: o.region,
          decisionId: o.decision,
          approvalId: body.approvalId,
          on: body.on ?? todayInChina(),
        }),
    }),
  );
}

function registerPay(decision: Command): void {
  paymentStep(
    decision,
    'pay',
    'the bank confirmed a payment: the body {bankReference, paidOn}; Dr 2102 / Cr 1003',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(paymentConfirmCliOptions, raw),
      body: (data) => parseInput(confirmBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        confirmBenefitPayment(db, actor, { regionCode: o.region, paymentId: o.payment, ...body }),
    }),
  );
}

/** A step on one payment: `--region`, `--payment`, `--as` (fund:write), `--input`. */
function paymentStep(decision: Command, name: string, description: string): Command {
  return actingOptions(
    decision
      .command(name)
      .description(description)
      .requiredOption('--region <code>', 'the payment’s city (6 digits)')
      .requiredOption('--payment <id>', 'the payment id bpy_<city>_… (see `decision show`)'),
    'fund:write: the city handler',
  );
}

function registerFailAndReissue(decision: Command): void {
  paymentStep(
    decision,
    'fail',
    'the payment failed or came back: the body {reason, on?}; a confirmed one is reversed',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(paymentConfirmCliOptions, raw),
      body: (data) => parseInput(failBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        failBenefitPayment(db, actor, {
          regionCode: o.region,
          paymentId: o.payment,
          reason: body.reason,
          on: body.on ?? todayInChina(),
        }),
    }),
  );
  paymentStep(decision, 'reissue', 'a new attempt of a failed payment: the body {on?}').action(
    actingAction(replies, {
      options: (raw) => parseInput(paymentConfirmCliOptions, raw),
      body: (data) => parseInput(reissueBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o, body) =>
        reissueBenefitPayment(db, actor, {
          regionCode: o.region,
          paymentId: o.payment,
          on: body.on ?? todayInChina(),
        }),
    }),
  );
}
