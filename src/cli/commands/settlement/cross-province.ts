import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  xpClearingCliOptions as clearingOptions,
  xpFilingCliOptions as filingOptions,
  xpAdvanceListCliOptions,
  xpAdvancePayCliOptions,
  xpAdvanceRequestCliOptions,
  xpFilingAddCliOptions,
  xpRevocationCliOptions,
} from '../../../contract/settlement/cross-province-contract.ts';
import type { Database } from '../../../db/client.ts';
import type { Actor } from '../../../identity/actor.ts';
import type { Permission } from '../../../identity/roles.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import { payrollActorOf } from '../../../usecases/benefits/payroll-actor.ts';
import {
  listAdvances,
  payAdvance,
  requestAdvance,
} from '../../../usecases/settlement/cross-province-advances.ts';
import {
  advanceBalanceFen,
  importClearing,
} from '../../../usecases/settlement/cross-province-clearing.ts';
import {
  listFilings,
  recordFiling,
  revokeFiling,
} from '../../../usecases/settlement/cross-province-filings.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_OK, EXIT_REFUSED } from '../../replies.ts';

/**
 * `tongchou settlement cross-province filings|advances|clearing` (docs/settlement-cross-province.md):
 * the same use cases as the API, with the same arguments. A step that writes names the user it acts
 * as (`--as`), who must hold the route's permission over the region: a city handler files and
 * revokes (settlement:write), a province fund manager asks for and pays an advance (fund:write);
 * the approval in between is decided by another user through the approvals routes, as for the API.
 */
const { print, inputRefused, answer } = cliReplies('settlement');

/**
 * The `--as` user as an actor holding `permission` over `regionCode` — the routes' policy
 * (payrollActorOf is the generic lookup despite its name); else the refusal printed and null.
 */
export async function cliActorOr(
  db: Database,
  username: string,
  permission: Permission,
  regionCode: string,
): Promise<Actor | null> {
  const actor = await payrollActorOf(db, { username, permission, regionCode });
  if (actor === null)
    answer({
      ok: false,
      code: 'auth.forbidden',
      message: `${username} is not an active user holding ${permission} over ${regionCode}`,
    });
  return actor;
}

export function registerCrossProvinceCommands(program: Command): void {
  const settlement =
    program.commands.find((c) => c.name() === 'settlement') ?? program.command('settlement');
  const cross = settlement
    .command('cross-province')
    .description(
      '跨省异地就医: filings (备案), advances (预付金) and the national clearing file (费用清算)',
    );
  // The group itself takes no option: `filings --region …` goes to its default `list`.
  const filings = cross.command('filings').description('Cross-province filings (备案) of a city');
  registerFilingList(filings);
  registerFilingAdd(filings);
  registerFilingRevoke(filings);
  const advances = cross
    .command('advances')
    .description('The province’s advances (预付金) to the national clearing system');
  registerAdvanceList(advances);
  registerAdvanceRequest(advances);
  registerAdvancePay(advances);
  registerClearing(cross);
}

function registerFilingList(filings: Command): void {
  filings
    .command('list', { isDefault: true })
    .description('(the default) List the cross-province filings of a city, or of one case')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--case <id>', 'one case')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(filingOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        print(await listFilings(db, { city: o.value.region, caseId: o.value.case, limit: 500 }));
        return EXIT_OK;
      }),
    );
}

function registerFilingAdd(filings: Command): void {
  filings
    .command('add')
    .description(
      'File (备案) that the worker of an accepted case is treated in another province; overlap refused',
    )
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--case <id>', 'the case')
    .requiredOption('--kind <kind>', 'the filing kind (docs/settlement-cross-province.md)')
    .requiredOption('--province <code>', 'the treating province (6 digits ending 0000)')
    .requiredOption('--from <YYYY-MM-DD>', 'the first day covered')
    .requiredOption('--as <username>', 'the city handler (settlement:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(xpFilingAddCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'settlement:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await recordFiling(db, actor, loadRuleBook().benefits, {
            city: o.value.region,
            caseId: o.value.case,
            kind: o.value.kind,
            province: o.value.province,
            fromDate: o.value.from,
          }),
        );
      }),
    );
}

function registerFilingRevoke(filings: Command): void {
  filings
    .command('revoke')
    .description('Revoke a filing from a day on (it still covers the days before)')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--filing <id>', 'the filing id xpf_<city>_…')
    .requiredOption('--on <YYYY-MM-DD>', 'the first day no longer covered')
    .requiredOption('--reason <text>', 'why')
    .requiredOption('--as <username>', 'the city handler (settlement:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(xpRevocationCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'settlement:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await revokeFiling(db, actor, {
            city: o.value.region,
            filingId: o.value.filing,
            on: o.value.on,
            reason: o.value.reason,
          }),
        );
      }),
    );
}

function registerAdvanceList(advances: Command): void {
  advances
    .command('list')
    .description('Advances paid, newest first, and what remains uncleared (advanceBalanceFen)')
    .requiredOption('--province <code>', 'the province (6 digits ending 0000)')
    .option('--limit <n>', 'at most this many (1-500, default 100)')
    .requiredOption('--as <username>', 'a user holding fund:read over the province')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(xpAdvanceListCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'fund:read', o.value.province);
        if (actor === null) return EXIT_REFUSED;
        const province = o.value.province;
        print({
          advances: await listAdvances(db, { province, limit: o.value.limit }),
          advanceBalanceFen: await advanceBalanceFen(db, province),
        });
        return EXIT_OK;
      }),
    );
}

/** The options an advance's request and payment share: the payload the checker approves. */
function advanceOptions(command: Command): Command {
  return command
    .requiredOption('--province <code>', 'the province (6 digits ending 0000)')
    .requiredOption('--advance-id <id>', 'the fund’s own reference of the advance')
    .requiredOption('--amount-fen <n>', 'the amount in fen (integer)')
    .requiredOption('--paid-on <YYYY-MM-DD>', 'the payment day (the posting’s effective date)')
    .requiredOption('--as <username>', 'the province fund manager (fund:write)');
}

function registerAdvanceRequest(advances: Command): void {
  advanceOptions(
    advances
      .command('request')
      .description('Maker: ask for approval of an advance (nothing is paid yet)'),
  ).action((opts: unknown) =>
    withDatabase(async ({ db, config }) => {
      const o = parseInput(xpAdvanceRequestCliOptions, opts);
      if (!o.ok) return inputRefused(o.problem);
      const { as, ...body } = o.value;
      const actor = await cliActorOr(db, as, 'fund:write', body.province);
      if (actor === null) return EXIT_REFUSED;
      return answer(await requestAdvance(db, actor, { ...body, policy: approvalPolicyOf(config) }));
    }),
  );
}

function registerAdvancePay(advances: Command): void {
  advanceOptions(
    advances
      .command('pay')
      .description(
        'Pay an approved advance: Dr 1132 / Cr 1003 (province), once; the approval must match the exact payload',
      ),
  )
    .requiredOption('--approval <id>', 'the approved approval the request asked for')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(xpAdvancePayCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const { as, approval, ...body } = o.value;
        const actor = await cliActorOr(db, as, 'fund:write', body.province);
        if (actor === null) return EXIT_REFUSED;
        return answer(await payAdvance(db, actor, { ...body, approvalId: approval }));
      }),
    );
}

function registerClearing(cross: Command): void {
  cross
    .command('clearing')
    .description(
      'Import the national clearing file (CSV): refused whole on any bad row; posts each new row across the city and the province segments',
    )
    .requiredOption('--province <code>', 'the province (6 digits ending 0000)')
    .requiredOption('--file <path>', 'the CSV file (UTF-8 or GBK)')
    .requiredOption('--cleared-on <date>', 'the clearing day: the postings’ effective date')
    .action((opts: unknown) =>
      withDatabase(async ({ db, actor }) => {
        const o = parseInput(clearingOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        return answer(
          await importClearing(db, actor, {
            province: o.value.province,
            fileName: basename(o.value.file),
            bytes: readFileSync(o.value.file),
            clearedOn: o.value.clearedOn,
            today: todayInChina(),
          }),
        );
      }),
    );
}
