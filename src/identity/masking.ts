import { isIsoDate } from '../kernel/dates.ts';
import { citizenIdCheckCharacter } from '../kernel/ids.ts';

/**
 * ID numbers are masked in every response, log and export unless the user holds pii:reveal:
 * 330102199001011234 → 330102********1234 (region kept for the handler, birth date hidden).
 */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length !== 18) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;
}

/**
 * Matches an unmasked 18-character ID number anywhere in a text (scan of responses and logs): a
 * province digit 1–9 first, and not the fraction digits of a decimal (a log line's responseTime
 * 0.060842000000320695 is not an ID number).
 */
export const UNMASKED_ID_NUMBER = /(?<![0-9.])[1-9][0-9]{16}[0-9Xx](?![0-9])/;

const UNMASKED_ID_NUMBERS = new RegExp(UNMASKED_ID_NUMBER.source, 'g');

/**
 * Masks every unmasked ID number in a text (a log line, an error detail, a user agent) the way
 * `maskIdNumber` does. The pattern is GB 11643's shape, loose on purpose (any 18 characters of 17
 * digits and a check digit or X): a masked money figure costs nothing, a missed ID number leaks.
 */
export function maskIdNumbersIn(text: string): string {
  return text.replace(UNMASKED_ID_NUMBERS, maskIdNumber);
}

/**
 * Whether a text holds a real 公民身份号码 in full: the loose shape above *and* a calendar birth date
 * *and* the GB 11643 check character. This is the leak detector of the test suite. The redactor
 * stays loose (over-masking costs nothing), but a detector that fires on any 18 digits flags random
 * hex identifiers (`usr_…`, `apr_…` hold 18 decimal digits in a row about once in 2 000) and made
 * the suite fail by chance. Every number the system stores passes GB 11643 (person registration
 * refuses the rest), so a number that fails the check character is not one of ours to leak.
 */
export function holdsIdNumber(text: string): boolean {
  for (const m of text.matchAll(UNMASKED_ID_NUMBERS)) {
    const id = m[0].toUpperCase();
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    if (isIsoDate(birth) && citizenIdCheckCharacter(id.slice(0, 17)) === id[17]) return true;
  }
  return false;
}

/**
 * A bank account number as staff without pii:reveal see it: every digit but the last four hidden
 * (6222020000001234 → ************1234), so a handler can confirm the card with its holder.
 */
export function maskAccountNumber(accountNumber: string): string {
  if (accountNumber.length <= 4) return '*'.repeat(accountNumber.length);
  return `${'*'.repeat(accountNumber.length - 4)}${accountNumber.slice(-4)}`;
}
