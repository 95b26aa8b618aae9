import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  referralDecideCliOptions,
  referralListCliOptions,
  travelClaimCliOptions,
  travelTripsFile,
} from '../../../contract/settlement/referral-contract.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { loadRuleBook } from '../../../runtime/rule-files.ts';
import {
  decideReferral,
  listReferrals,
  recordTravelClaim,
} from '../../../usecases/settlement/referral-consent.ts';
import { withDatabase } from '../../io.ts';
import { cliReplies, EXIT_OK, EXIT_REFUSED } from '../../replies.ts';
import { cliActorOr } from './cross-province.ts';

/**
 * `tongchou settlement referrals list|decide|travel-claim` (docs/settlement-messages.md, 2301–2303
 * and the travel claims): the same use cases as the routes, as the `--as` city handler.
 */
const { print, inputRefused, answer } = cliReplies('settlement');

export function registerReferralCommands(program: Command): void {
  const settlement =
    program.commands.find((c) => c.name() === 'settlement') ?? program.command('settlement');
  const referrals = settlement
    .command('referrals')
    .description('转诊转院: a city’s referrals out of the city or county, consent, travel claims');
  referrals
    .command('list', { isDefault: true })
    .description('(the default) The city’s referrals, pending first')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .option('--status <status>', 'pending, approved, refused or cancelled')
    .requiredOption('--as <username>', 'a user holding settlement:read over the city')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(referralListCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'settlement:read', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        print(await listReferrals(db, actor, { city: o.value.region, status: o.value.status }));
        return EXIT_OK;
      }),
    );
  registerDecide(referrals);
  registerTravelClaim(referrals);
}

function registerDecide(referrals: Command): void {
  referrals
    .command('decide')
    .description('Approve or refuse a pending referral (经办机构同意)')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--referral <id>', 'the referral id ref_…')
    .requiredOption('--decision <decision>', 'approved or refused')
    .option('--note <text>', 'the decision note (审核意见)')
    .requiredOption('--as <username>', 'the city handler (settlement:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(referralDecideCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const actor = await cliActorOr(db, o.value.as, 'settlement:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await decideReferral(db, actor, {
            city: o.value.region,
            referralId: o.value.referral,
            decision: o.value.decision,
            note: o.value.note,
          }),
        );
      }),
    );
}

function registerTravelClaim(referrals: Command): void {
  referrals
    .command('travel-claim')
    .description('Compute and record the travel and lodging of an approved referral')
    .requiredOption('--region <code>', 'the city (6 digits)')
    .requiredOption('--referral <id>', 'the referral id ref_…')
    .requiredOption('--claim-key <key>', 'the claim’s own key (a rerun with it is a replay)')
    .requiredOption('--trips-file <path>', 'a JSON array of trips (the route’s `trips`)')
    .requiredOption('--as <username>', 'the city handler (settlement:write)')
    .action((opts: unknown) =>
      withDatabase(async ({ db }) => {
        const o = parseInput(travelClaimCliOptions, opts);
        if (!o.ok) return inputRefused(o.problem);
        const file = readJson(o.value.tripsFile);
        if (file === undefined)
          return answer({
            ok: false,
            code: 'input.invalid',
            message: `${o.value.tripsFile} is not a readable JSON file`,
          });
        const trips = parseInput(travelTripsFile, file);
        if (!trips.ok) return inputRefused(trips.problem);
        const actor = await cliActorOr(db, o.value.as, 'settlement:write', o.value.region);
        if (actor === null) return EXIT_REFUSED;
        return answer(
          await recordTravelClaim(db, actor, loadRuleBook().benefits, {
            city: o.value.region,
            referralId: o.value.referral,
            claimKey: o.value.claimKey,
            trips: trips.value,
          }),
        );
      }),
    );
}

/** The file's JSON, or undefined when it cannot be read or parsed (answered as invalid input). */
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
