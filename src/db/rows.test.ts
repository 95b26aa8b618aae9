import { describe, expect, it } from 'vitest';
import { dateOrNullOf, intOf, intOrNullOf, textArrayOf, textOf, textOrNullOf } from './rows.ts';

describe('typed row readers', () => {
  const row = { a: 'x', n: 3, z: null, arr: ['p', 'q'], t: null };
  it('read a column of the declared type', () => {
    expect(textOf(row, 'a')).toBe('x');
    expect(intOf(row, 'n')).toBe(3);
    expect(intOrNullOf(row, 'z')).toBeNull();
    expect(textOrNullOf(row, 'z')).toBeNull();
    expect(textArrayOf(row, 'arr')).toEqual(['p', 'q']);
    expect(dateOrNullOf(row, 't')).toBeNull();
  });
  it('crash on a missing column or a column of another type', () => {
    expect(() => textOf(row, 'n')).toThrow(/column n is not text/);
    expect(() => intOf(row, 'a')).toThrow(/column a is not an integer/);
    expect(() => textOf(row, 'missing')).toThrow(/no column missing/);
  });
});
