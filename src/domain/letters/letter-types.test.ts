import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  agencyShortName,
  chineseDate,
  documentNumber,
  LETTER_TYPE_INFO,
  LETTER_TYPES,
} from './letter-types.ts';

describe('发文字号', () => {
  it('is 代字〔year〕N号: 六角括号, no leading zeros, no 第', () => {
    expect(documentNumber('杭人社', 'determination_decision', 2026, 12)).toBe(
      '杭人社工认〔2026〕12号',
    );
    expect(documentNumber('甬人社', 'benefit_decision', 2027, 1)).toBe('甬人社工待〔2027〕1号');
  });

  it('refuses a number that is not a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN])
      expect(() => documentNumber('杭人社', 'appraisal_conclusion', 2026, n)).toThrow();
  });

  test.prop([
    fc.constantFrom(...LETTER_TYPES),
    fc.integer({ min: 1990, max: 2100 }),
    fc.integer({ min: 1, max: 1e6 }),
  ])('reads back to its type, year and number', (type, year, n) => {
    const m = /^杭人社(.+)〔(\d{4})〕([1-9]\d*)号$/.exec(documentNumber('杭人社', type, year, n));
    expect(m?.[1]).toBe(LETTER_TYPE_INFO[type].fragment);
    expect(Number(m?.[2])).toBe(year);
    expect(Number(m?.[3])).toBe(n);
  });

  it('gives every type its own fragment (no two series print alike)', () => {
    const fragments = LETTER_TYPES.map((t) => LETTER_TYPE_INFO[t].fragment);
    expect(new Set(fragments).size).toBe(LETTER_TYPES.length);
  });
});

describe('agency short name and date', () => {
  it('takes the city’s first character unless the city is listed', () => {
    expect(agencyShortName('330100', '杭州市')).toBe('杭人社');
    expect(agencyShortName('330200', '宁波市')).toBe('甬人社');
    expect(agencyShortName('331000', '台州市')).toBe('台人社');
  });

  it('writes 成文日期 in Arabic numerals without leading zeros', () => {
    expect(chineseDate('2026-12-06')).toBe('2026年12月6日');
    expect(chineseDate('2027-01-31')).toBe('2027年1月31日');
    expect(() => chineseDate('2026-1-6')).toThrow();
  });
});
