import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  declareBody,
  reviewBody,
  reviewDecideCliOptions,
  reviewQueueCliOptions,
  reviewShowCliOptions,
  statementApproveCliOptions,
  statementDeclareCliOptions,
  statementMonthsCliOptions,
  statementProposeCliOptions,
  statementShowCliOptions,
} from '../../../contract/settlement/statements.ts';
import type { Database } from '../../../db/client.ts';
import type { Actor } from '../../../identity/actor.ts';
import type { Owner } from '../../../identity/policy.ts';
import type { Permission } from '../../../identity/roles.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { inputProblem, parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { userActorOf } from '../../../usecases/identity/user-actor.ts';
import {
  reviewLine,
  reviewQueue,
  settlementDetail,
} from '../../../usecases/settlement/settlement-review.ts';
import { declareMonthTotals } from '../../../usecases/settlement/statement-declare.ts';
import {
  approveStatementPayment,
  proposeStatementPayment,
} from '../../../usecases/settlement/statement-payment.ts';
import { institutionMonths, readStatement } from '../../../usecases/settlement/statement-read.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_REFUSED } from '../../replies.ts';

/**
 * `tongchou settlement statement months|show|declare|propose|approve` and `settlement review
 * queue|show|decide` (docs/settlement-statements.md, "Command line"): the use cases the routes of
 * statement-routes.ts call, with the same arguments. Each step names the user it acts as (`--as`),
 * who must hold the route's permission: the institution declares (bill:submit), a city handler
 * reviews (settlement:write) and proposes (fund:write), another person approves (fund:approve).
 * Reading without `--as` acts as the system (province scope), as `settlement institution list`.
 * Exit codes: 0 done, 2 invalid input, 3 refused (the problem on stdout).
 */
const { inputRefused, answer } = cliReplies('settlement');

const readPermissions: readonly Permission[] = ['settlement:read', 'bill:read'];

/** The `--as` user holding one of `permissions` over `owner`, or null once the refusal is printed. */
async function actorOr(
  db: Database,
  username: string,
  permissions: readonly Permission[],
  owner: Owner,
): Promise<Actor | null> {
  const actor = await userActorOf(db, { username, permissions, owner });
  if (actor === null) {
    const over = owner.institutionId ?? owner.regionCode ?? 'the scope';
    answer({
      ok: false,
      code: 'auth.forbidden',
      message: `${username} is not an active user holding ${permissions.join(' or ')} over ${over}`,
    });
  }
  return actor;
}

export function registerStatementCommands(settlement: Command): void {
  const statement = settlement
    .command('statement')
    .description('月结算单 an institution’s monthly statement: read, declare, pay (maker-checker)');
  registerMonths(statement);
  registerShow(statement);
  registerDeclare(statement);
  registerPropose(statement);
  registerApprove(statement);
  registerReviewCommands(settlement);
}

function registerMonths(statement: Command): void {
  statement
    .command('months')
    .description('the accounting months the institution has settlements in, with their status')
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .option('--as <username>', 'read as this user (settlement:read or bill:read)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, actor: system }) => {
        const o = parseInput(statementMonthsCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { institution, as } = o.value;
        const actor =
          as === undefined
            ? system
            : await actorOr(db, as, readPermissions, { institutionId: institution });
        if (actor === null) return EXIT_REFUSED;
        const out = await institutionMonths(db, actor, institution);
        return answer(
          out.ok ? { ok: true, value: { institutionId: institution, months: out.value } } : out,
        );
      }),
    );
}

function registerShow(statement: Command): void {
  statement
    .command('show')
    .description('the statement: totals, reconciliation, deductions, guarantee, payable, status')
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .requiredOption('--month <YYYY-MM>', 'the accounting month')
    .option('--as <username>', 'read as this user (settlement:read or bill:read)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, actor: system }) => {
        const o = parseInput(statementShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { institution, month, as } = o.value;
        const actor =
          as === undefined
            ? system
            : await actorOr(db, as, readPermissions, { institutionId: institution });
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await readStatement(db, actor, loadRuleBook().benefits, {
            institutionId: institution,
            month,
          }),
        );
      }),
    );
}

/** The declared detail file (JSON), or the problem naming `detail` when it cannot be read. */
function readDetail(path: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (path === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (err) {
    inputRefused(
      inputProblem([
        { path: 'detail', code: 'unreadable', message: `not a readable JSON file: ${String(err)}` },
      ]),
    );
    return { ok: false };
  }
}

function registerDeclare(statement: Command): void {
  statement
    .command('declare')
    .description(
      "the institution's own totals (总额对账), optionally per serial (明细对账); again until paid",
    )
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .requiredOption('--month <YYYY-MM>', 'the accounting month')
    .requiredOption('--as <username>', "the institution's user (bill:submit)")
    .requiredOption('--settlement-count <n>', 'settlements less reversals')
    .requiredOption('--fund-fen <fen>', 'the fund share, reversals netted (fen)')
    .option('--detail <file>', 'JSON: [{"serial": "…", "fundFen": 123}, …]')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(statementDeclareCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { institution, month, as, detail, ...totals } = o.value;
        const read = readDetail(detail);
        if (!read.ok) return undefined;
        const body = parseInput(
          declareBody,
          read.value === undefined ? totals : { ...totals, detail: read.value },
        );
        if (!body.ok) return inputRefused(body.problem);
        const actor = await actorOr(db, as, ['bill:submit'], { institutionId: institution });
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await declareMonthTotals(db, actor, { institutionId: institution, month, ...body.value }),
        );
      }),
    );
}

function registerPropose(statement: Command): void {
  statement
    .command('propose')
    .description('propose the payment of a reconciled statement: asks an approval (the maker)')
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .requiredOption('--month <YYYY-MM>', 'the accounting month')
    .requiredOption('--as <username>', 'the maker (fund:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db, config }) => {
        const o = parseInput(statementProposeCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { institution, month, as } = o.value;
        const actor = await actorOr(db, as, ['fund:write'], { institutionId: institution });
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await proposeStatementPayment(
            db,
            actor,
            loadRuleBook().benefits,
            { institutionId: institution, month },
            approvalPolicyOf(config),
          ),
        );
      }),
    );
}

function registerApprove(statement: Command): void {
  statement
    .command('approve')
    .description('approve the proposed payment (not its maker): Dr 2101 / Cr 1003, posted once')
    .requiredOption('--institution <id>', 'INST-<city>-<4 digits>')
    .requiredOption('--month <YYYY-MM>', 'the accounting month')
    .requiredOption('--as <username>', 'the checker (fund:approve)')
    .option('--on <YYYY-MM-DD>', 'the payment day (default today)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(statementApproveCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { institution, month, as, on } = o.value;
        const actor = await actorOr(db, as, ['fund:approve'], { institutionId: institution });
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await approveStatementPayment(db, actor, loadRuleBook().benefits, {
            institutionId: institution,
            month,
            on: on ?? todayInChina(),
          }),
        );
      }),
    );
}

function registerReviewCommands(settlement: Command): void {
  const review = settlement
    .command('review')
    .description('人工审核 the manual review of sampled settlements: queue, lines, decisions');
  registerQueue(review);
  registerReviewShow(review);
  registerDecide(review);
}

function registerQueue(review: Command): void {
  review
    .command('queue')
    .description('the sampled settlements of a month waiting for review, in the user’s scope')
    .requiredOption('--month <YYYY-MM>', 'the accounting month')
    .option('--institution <id>', 'only this institution’s settlements')
    .requiredOption('--as <username>', 'a reviewer (settlement:read); the scope is the user’s')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(reviewQueueCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { month, institution, as } = o.value;
        const actor = await actorOr(
          db,
          as,
          ['settlement:read'],
          institution === undefined ? {} : { institutionId: institution },
        );
        if (actor === null) return EXIT_REFUSED;
        const entries = await reviewQueue(db, actor, { month, institutionId: institution });
        return answer({ ok: true, value: { entries } });
      }),
    );
}

function registerReviewShow(review: Command): void {
  review
    .command('show')
    .description('a settlement with its lines, their adjudication and review')
    .requiredOption('--region <code>', 'the settlement’s city (6 digits)')
    .requiredOption('--settlement <id>', 'stl_…')
    .requiredOption('--as <username>', 'read as this user (settlement:read or bill:read)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(reviewShowCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { region, settlement, as } = o.value;
        const actor = await actorOr(db, as, readPermissions, { regionCode: region });
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await settlementDetail(db, actor, { regionCode: region, settlementId: settlement }),
        );
      }),
    );
}

/** The options that make the route's body, those not given left out (the body is strict). */
function reviewBodyOf(o: {
  decision: string;
  deductedFen?: number | undefined;
  reason?: string | undefined;
  on?: string | undefined;
}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function registerDecide(review: Command): void {
  review
    .command('decide')
    .description('accept a line, or deduct from it (Dr 2101 / Cr 51xx, once per line)')
    .requiredOption('--region <code>', 'the settlement’s city (6 digits)')
    .requiredOption('--settlement <id>', 'stl_…')
    .requiredOption('--line <n>', 'the line number')
    .requiredOption('--decision <d>', 'accepted or deducted')
    .option('--deducted-fen <fen>', 'for a deduction: the amount (fen)')
    .option('--reason <text>', 'for a deduction: the reason the institution will read')
    .option('--on <YYYY-MM-DD>', 'the deduction’s effective date (default today)')
    .requiredOption('--as <username>', 'the reviewer (settlement:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(reviewDecideCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { region, settlement, line, as, ...rest } = o.value;
        const body = parseInput(reviewBody, reviewBodyOf(rest));
        if (!body.ok) return inputRefused(body.problem);
        const actor = await actorOr(db, as, ['settlement:write'], { regionCode: region });
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await reviewLine(db, actor, {
            regionCode: region,
            settlementId: settlement,
            lineNo: line,
            ...body.value,
            on: body.value.on ?? todayInChina(),
          }),
        );
      }),
    );
}
