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
