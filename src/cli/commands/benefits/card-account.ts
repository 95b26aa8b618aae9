import type { Command } from 'commander';
import {
  cardAccountBody,
  cardAccountCliOptions,
} from '../../../contract/benefits/card-account-contract.ts';
import { emptyBody } from '../../../contract/common.ts';
import type { Beneficiary } from '../../../domain/benefits/card-account.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { parseInput } from '../../../kernel/validation.ts';
import { cardAccountsOf, setCardAccount } from '../../../usecases/benefits/card-accounts.ts';
import { actingAction, actingOptions } from '../../acting.ts';
import { cliReplies } from '../../replies.ts';

const replies = cliReplies('card-account');

/**
 * `tongchou benefits card-account set|show` (docs/benefits.md, "Card accounts"): the same use
 * cases as PUT and GET /regions/:regionCode/{workers/:workerId|dependants/:dependantId}/card-account.
 * `set` takes the route's body as JSON (`--input FILE`, `-` for standard input) and acts as a
 * handler holding fund:write; `show` as a reader holding fund:read (numbers masked without
 * pii:reveal, the read audited). Exit 0 done, 2 bad input, 3 refused.
 */
export function registerCardAccountCommands(benefits: Command): void {
  const card = benefits
    .command('card-account')
    .description('社会保障卡 the bank account a worker’s or a dependant’s benefits are paid to');
  const who = (c: Command) =>
    c
      .requiredOption('--region <code>', 'the city (6 digits)')
      .option('--worker <id>', 'the worker wkr_…')
      .option('--dependant <id>', 'the dependant (供养亲属) dep_<city>_…');
  actingOptions(
    who(card.command('set').description('record the account from a date (body: --input JSON)')),
    'fund:write: a city handler',
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(cardAccountCliOptions, raw),
      body: (data) => parseInput(cardAccountBody, data),
      permissions: ['fund:write'],
      owner: (o) => ({ regionCode: o.region }),
      run: async ({ db, actor }, o, body) => {
        const today = todayInChina();
        const { validFrom, ...account } = body;
        return setCardAccount(db, actor, {
          regionCode: o.region,
          beneficiary: beneficiaryOf(o),
          ...account,
          validFrom: validFrom ?? today,
          today,
        });
      },
    }),
  );
  actingOptions(
    who(card.command('show').description('the accounts, the one in force today first')),
    'fund:read',
    false,
  ).action(
    actingAction(replies, {
      options: (raw) => parseInput(cardAccountCliOptions, raw),
      body: (data) => parseInput(emptyBody, data),
      permissions: ['fund:read'],
      owner: (o) => ({ regionCode: o.region }),
      run: ({ db, actor }, o) =>
        cardAccountsOf(db, actor, {
          regionCode: o.region,
          beneficiary: beneficiaryOf(o),
          on: todayInChina(),
        }),
    }),
  );
}

/** The options' one beneficiary (the schema refuses none or both). */
function beneficiaryOf(o: { worker?: string | undefined; dependant?: string | undefined }) {
  const b: Beneficiary =
    o.dependant !== undefined
      ? { kind: 'dependant', dependantId: o.dependant }
      : { kind: 'worker', workerId: o.worker ?? '' };
  return b;
}
