import { describe, expect, it } from 'vitest';
import { isProvinceCode, provinceOf } from './region-codes.ts';

describe('region codes', () => {
  it('recognises a province and finds the province of any region', () => {
    expect(isProvinceCode('330000')).toBe(true);
    expect(isProvinceCode('330100')).toBe(false);
    expect(isProvinceCode('33000')).toBe(false);
    expect(provinceOf('330106')).toBe('330000');
    expect(provinceOf('410000')).toBe('410000');
  });
});
