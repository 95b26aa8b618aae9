import type { IsoDate } from '../../kernel/dates.ts';
import { type Refusal, refuse } from '../../kernel/result.ts';
import { monthBounds } from './payroll-lines.ts';

/**
 * The social-security card (社会保障卡) bank account a periodic benefit is paid to (pure checks):
 * a worker's own items go to the worker's account, a survivor's pension (供养亲属抚恤金) to the
 * dependant's. Accounts are dated versions (the latest valid_from on or before a day is in force),
 * so the payroll can tell an account changed in the month it pays (docs/benefits.md, "Card
 * accounts"). The shape (bank name, 10–30 digits, a name) is checked by the contract's schema.
 */
export type CardAccountRefusalCode =
  | 'benefit.card_account_backdated'
  | 'benefit.card_account_name_mismatch';

/** Whose account: the worker's own, or a dependant's of a death case. */
export type Beneficiary =
  | { kind: 'worker'; workerId: string }
  | { kind: 'dependant'; dependantId: string };

/**
 * The first day an account may take effect on `today` (in China): the first day of the current
 * month. An earlier month may be paid already, to the account then in force; a new account dated
 * into it would say the money went where it did not. (A run of the current month computed
 * before the change keeps the account its lines copied: the payment file never changes.)
 */
export function earliestValidFrom(today: IsoDate): IsoDate {
  return monthBounds(today.slice(0, 7)).first;
}

/** Names compare after trimming and with inner white space removed (王 丽 = 王丽). */
function nameKey(name: string): string {
  return name.replace(/\s+/g, '');
}

/**
 * Why an account cannot be recorded (null: it can): dated before the current month, or held by
 * someone other than the beneficiary the register names (户名 must be the beneficiary's name: a
 * benefit is paid to its holder's own card, never to a relative's or an agent's).
 */
export function cardAccountRefusal(input: {
  validFrom: IsoDate;
  today: IsoDate;
  accountName: string;
  registerName: string;
}): Refusal<CardAccountRefusalCode> | null {
  const earliest = earliestValidFrom(input.today);
  if (input.validFrom < earliest)
    return refuse(
      'benefit.card_account_backdated',
      `an account takes effect from ${earliest} at the earliest (the current month): earlier months may be paid already`,
      { field: 'validFrom', earliest },
    );
  if (nameKey(input.accountName) !== nameKey(input.registerName))
    return refuse(
      'benefit.card_account_name_mismatch',
      'the account name (户名) is not the beneficiary’s name in the register',
      { field: 'accountName' },
    );
  return null;
}
