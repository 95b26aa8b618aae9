/**
 * Identifier checks (pure). 公民身份号码 per GB 11643-1999 (ISO 7064 MOD 11-2) and 统一社会信用代码
 * per GB 32100-2015 (MOD 31), with the embedded organisation code of GB 11714. See
 * ../shared/docs/domain-spec.md §9 for the algorithms and the test vectors used in ids.test.ts.
 */
import { isIsoDate } from './dates.ts';

export type IdCheckFailure =
  | 'length'
  | 'charset'
  | 'birth_date'
  | 'birth_date_in_future'
  | 'province'
  | 'check_character'
  | 'organisation_code';

export type IdCheck =
  | { valid: true; normalised: string }
  | { valid: false; reason: IdCheckFailure };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';
/** Province prefixes of GB/T 2260 plus 81/82/83 (港澳台 residence permits) and 9x (2023 foreign permanent residents). */
const ID_PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
  '91',
  '92',
  '93',
  '94',
  '95',
  '96',
  '97',
  '98',
  '99',
]);

/** The MOD 11-2 check character for the first 17 digits of a 公民身份号码. */
export function citizenIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/**
 * Validates an 18-character 公民身份号码 (lower-case x accepted and upper-cased). `today` bounds the
 * birth date; pass it explicitly so the check stays pure.
 */
export function checkCitizenId(input: string, today: string): IdCheck {
  const id = input.trim().toUpperCase();
  if (id.length !== 18) return { valid: false, reason: 'length' };
  if (!/^\d{17}[\dX]$/.test(id)) return { valid: false, reason: 'charset' };
  if (!ID_PROVINCES.has(id.slice(0, 2))) return { valid: false, reason: 'province' };
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDate(birth)) return { valid: false, reason: 'birth_date' };
  if (birth > today) return { valid: false, reason: 'birth_date_in_future' };
  if (citizenIdCheckCharacter(id.slice(0, 17)) !== id[17])
    return { valid: false, reason: 'check_character' };
  return { valid: true, normalised: id };
}

export type Sex = 'male' | 'female';

/**
 * What a valid 公民身份号码 says about its holder (GB 11643-1999 §4.1): the birth date (characters
 * 7–14) and the sex (character 17, the 顺序码's last digit: odd for men, even for women). Pass a
 * number `checkCitizenId` accepted.
 */
export function citizenIdFacts(normalised: string): { birthDate: string; sex: Sex } {
  const id = normalised;
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Converts a legacy 15-digit number (pre-1999, YYMMDD births in the 1900s) to 18 characters. */
export function upgradeCitizenId15(id15: string): string | null {
  if (!/^\d{15}$/.test(id15)) return null;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** The GB 32100 check character for the first 17 characters, or null if a character is outside the charset. */
export function creditCodeCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** The GB 11714 check character of an 8-character organisation-code body ([0-9A-Z]). */
export function organisationCodeCheckCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body[i]!, 36) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 11 ? '0' : c === 10 ? 'X' : String(c);
}

/** GB 11714 organisation code (9 characters: 8 body + check). */
export function checkOrganisationCode(code: string): boolean {
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(code)) return false;
  return code[8] === organisationCodeCheckCharacter(code.slice(0, 8));
}

/**
 * Validates an 18-character 统一社会信用代码. The embedded organisation code (characters 9–17) is
 * checked too; the one public validator's whitelist of a bad code is deliberately not copied.
 */
export function checkCreditCode(input: string): IdCheck {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { valid: false, reason: 'length' };
  if (![...code].every((ch) => USCC_CHARSET.includes(ch)))
    return { valid: false, reason: 'charset' };
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) {
    return { valid: false, reason: 'check_character' };
  }
  if (!checkOrganisationCode(code.slice(8, 17)))
    return { valid: false, reason: 'organisation_code' };
  return { valid: true, normalised: code };
}
