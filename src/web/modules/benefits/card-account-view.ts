import type { CardAccountBody } from '../../../contract/benefits/card-account-contract.ts';
import type { Problem } from '../../api/types.ts';

/**
 * The card-account panel's pure parts (docs/benefits.md "Card accounts"): the number it shows, the
 * body the form sends, and where the server's problems go on the form.
 */
export type CardAccountField = 'bankName' | 'accountNumber' | 'accountName' | 'validFrom';
export const CARD_ACCOUNT_FIELDS: readonly CardAccountField[] = [
  'bankName',
  'accountNumber',
  'accountName',
  'validFrom',
];

/**
 * The number the page shows: the full one only when the API sent it (a reader holding pii:reveal),
 * else the masked one the API always sends; the page never builds a number itself.
 */
export function shownAccountNumber(entry: {
  accountNumberMasked: string;
  accountNumber?: string | undefined;
}): string {
  return entry.accountNumber ?? entry.accountNumberMasked;
}

export type CardAccountInput = Record<CardAccountField, string>;

/**
 * The form's values → the route's body: texts trimmed, digits with the spaces a person types
 * between groups removed (the server takes 10–30 digits and no spaces); the rest is the server's
 * check, which names every problem at once.
 */
export function cardAccountBodyOf(input: CardAccountInput): CardAccountBody {
  const validFrom = input.validFrom.trim();
  return {
    bankName: input.bankName.trim(),
    accountNumber: input.accountNumber.replace(/[\s\u3000]/g, ''),
    accountName: input.accountName.trim(),
    ...(validFrom === '' ? {} : { validFrom }),
  };
}

/** The refusals that concern one field (docs/errors.md): shown under it. */
const FIELD_OF_CODE: Readonly<Record<string, CardAccountField>> = {
  'benefit.card_account_name_mismatch': 'accountName',
  'benefit.card_account_backdated': 'validFrom',
};

export type PlacedProblem = {
  fields: Partial<Record<CardAccountField, string>>;
  general: string | null;
};

const isField = (name: string): name is CardAccountField =>
  (CARD_ACCOUNT_FIELDS as readonly string[]).includes(name);

/**
 * The server's problem on the form: each schema problem under its field, a refusal that names a
 * field (户名, 起用日期) under it with the server's text, anything else above the form.
 */
export function placeCardAccountProblem(problem: Problem | null, fallback: string): PlacedProblem {
  if (problem === null) return { fields: {}, general: fallback };
  const fields: Partial<Record<CardAccountField, string>> = {};
  let general: string | null = null;
  for (const e of problem.errors ?? []) {
    const name = e.path.split('.')[0] ?? '';
    if (isField(name)) fields[name] = [fields[name], e.message].filter(Boolean).join('; ');
    else general = `${e.path}: ${e.message}`;
  }
  const detail = problem.detail ?? problem.title;
  const byCode = FIELD_OF_CODE[problem.code];
  if (byCode !== undefined) fields[byCode] = detail;
  else if ((problem.errors ?? []).length === 0) general = detail;
  return { fields, general };
}
