import { describe, expect, it } from 'vitest';
import { addDays, isIsoDate, toDayNumber } from './dates.ts';
import {
  checkCitizenId,
  checkCreditCode,
  checkOrganisationCode,
  citizenIdCheckCharacter,
  citizenIdFacts,
  upgradeCitizenId15,
} from './ids.ts';

const TODAY = '2026-11-28';

describe('公民身份号码 (GB 11643, domain-spec §9.1 vectors)', () => {
  it('accepts the valid vectors and computes their check characters', () => {
    expect(checkCitizenId('11010519491231002X', TODAY)).toEqual({
      valid: true,
      normalised: '11010519491231002X',
    });
    expect(checkCitizenId('11010519491231002x', TODAY).valid).toBe(true);
    expect(checkCitizenId('440524188001010014', TODAY).valid).toBe(true);
    expect(citizenIdCheckCharacter('11010519491231002')).toBe('X');
    expect(citizenIdCheckCharacter('44052418800101001')).toBe('4');
  });
  it('rejects the invalid vector and malformed numbers with a reason', () => {
    expect(checkCitizenId('110105194912310021', TODAY)).toEqual({
      valid: false,
      reason: 'check_character',
    });
    expect(checkCitizenId('1101051949123100', TODAY)).toEqual({ valid: false, reason: 'length' });
    expect(checkCitizenId('11010519491231A02X', TODAY)).toEqual({
      valid: false,
      reason: 'charset',
    });
    expect(checkCitizenId('110105194902300027', TODAY)).toEqual({
      valid: false,
      reason: 'birth_date',
    });
    expect(checkCitizenId('000105194912310021', TODAY)).toEqual({
      valid: false,
      reason: 'province',
    });
    expect(checkCitizenId('110105203001010019', TODAY)).toEqual({
      valid: false,
      reason: 'birth_date_in_future',
    });
  });
  it('upgrades a 15-digit number', () => {
    const upgraded = upgradeCitizenId15('110105491231002');
    expect(upgraded).toBe('11010519491231002X');
    expect(upgradeCitizenId15('12345')).toBeNull();
  });
});

describe('统一社会信用代码 (GB 32100, domain-spec §9.2 vectors)', () => {
  it.each([
    '91350100M000100Y43',
    '91350200776049653A',
    '91440101MA5CJQ4N59',
    '913502000728319549',
    '123502001549897397',
    '9135021359498494XQ',
    '91350213678251743X',
  ])('accepts %s', (code) => {
    expect(checkCreditCode(code)).toEqual({ valid: true, normalised: code });
  });
  it('rejects the special-cased invalid vector (computed check is 9) and bad shapes', () => {
    expect(checkCreditCode('91350203M0001QAY9B')).toEqual({
      valid: false,
      reason: 'check_character',
    });
    // With the computed check 9 the same code is valid, which confirms the spec's note.
    expect(checkCreditCode('91350203M0001QAY99').valid).toBe(true);
    expect(checkCreditCode('9135010').valid).toBe(false);
    expect(checkCreditCode('91350100M000100YI3')).toEqual({ valid: false, reason: 'charset' });
  });
  it('checks embedded organisation codes', () => {
    for (const code of ['M000100Y4', '776049653', '072831954', '678251743']) {
      expect(checkOrganisationCode(code)).toBe(true);
    }
    expect(checkOrganisationCode('776049654')).toBe(false);
  });
});

/** Every string that differs from `code` in exactly one character, drawn from `alphabet`. */
function singleSubstitutions(code: string, alphabet: string): { at: number; text: string }[] {
  const out: { at: number; text: string }[] = [];
  for (let at = 0; at < code.length; at++)
    for (const ch of alphabet)
      if (ch !== code[at]) out.push({ at, text: `${code.slice(0, at)}${ch}${code.slice(at + 1)}` });
  return out;
}

describe('every single-character substitution is detected', () => {
  const idVectors = ['11010519491231002X', '440524188001010014', '330102199001011234'];
  it.each(idVectors)('公民身份号码 %s: each of the 18 positions × every other digit or X', (id) => {
    expect(checkCitizenId(id, TODAY).valid).toBe(true);
    const variants = singleSubstitutions(id, '0123456789X');
    expect(variants).toHaveLength(18 * 10);
    const accepted = variants.filter((v) => checkCitizenId(v.text, TODAY).valid);
    expect(accepted).toEqual([]);
    // Lower case in the variants too: a lower-case x anywhere but the end is still refused.
    expect(checkCitizenId(`${id.slice(0, 3)}x${id.slice(4)}`, TODAY).valid).toBe(false);
  });
  const creditVectors = ['91350100M000100Y43', '91440101MA5CJQ4N59', '9135021359498494XQ'];
  it.each(creditVectors)(
    '统一社会信用代码 %s: each of the 18 positions × the 30 other characters',
    (code) => {
      const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
      const variants = singleSubstitutions(code, charset);
      expect(variants).toHaveLength(18 * 30);
      const accepted = variants.filter((v) => checkCreditCode(v.text).valid);
      expect(accepted).toEqual([]);
      const refusedByCheck = variants.filter((v) => {
        const r = checkCreditCode(v.text);
        return !r.valid && r.reason === 'check_character';
      });
      // MOD 31 with weights prime to 31: the check character alone catches every substitution.
      expect(refusedByCheck).toHaveLength(variants.length);
    },
  );
  it('lower-case input is accepted and normalised to upper case', () => {
    expect(checkCitizenId('11010519491231002x', TODAY)).toEqual({
      valid: true,
      normalised: '11010519491231002X',
    });
    expect(checkCreditCode('91440101ma5cjq4n59')).toEqual({
      valid: true,
      normalised: '91440101MA5CJQ4N59',
    });
  });
});

describe('what a 公民身份号码 says: birth date and sex (GB 11643 §4.1)', () => {
  it('reads the birth date from characters 7–14 and the sex from the parity of character 17', () => {
    expect(citizenIdFacts('11010519491231002X')).toEqual({
      birthDate: '1949-12-31',
      sex: 'female',
    });
    expect(citizenIdFacts('440524188001010014')).toEqual({ birthDate: '1880-01-01', sex: 'male' });
    expect(citizenIdFacts('330102199001011234')).toEqual({ birthDate: '1990-01-01', sex: 'male' });
  });
});

describe('dates', () => {
  it('validates and shifts calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2011-01-01', -1)).toBe('2010-12-31');
    expect(toDayNumber('1970-01-02')).toBe(1);
  });
});
