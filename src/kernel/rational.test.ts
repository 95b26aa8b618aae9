import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder } from './money.ts';
import { fromDecimal, fromInt, mul, roundToInteger, toDecimalString } from './rational.ts';

describe('rational', () => {
  it('rounds half-up exactly where a float would not', () => {
    // 1.005 * 100 is 100.49999999999999 in floating point; exactly it is 100.5 → 101.
    expect(roundToInteger(mul(fromDecimal('1.005'), fromInt(100)), 'half_up')).toBe(101n);
    expect(roundToInteger(fromDecimal('-2.5'), 'half_up')).toBe(-3n);
    expect(roundToInteger(fromDecimal('2.5'), 'half_even')).toBe(2n);
    expect(roundToInteger(fromDecimal('3.5'), 'half_even')).toBe(4n);
    expect(roundToInteger(fromDecimal('2.1'), 'up')).toBe(3n);
    expect(roundToInteger(fromDecimal('2.9'), 'down')).toBe(2n);
  });
  it('renders decimals', () => {
    expect(toDecimalString(fromDecimal('0.125'))).toBe('0.125');
    expect(toDecimalString(fromInt(7))).toBe('7');
    expect(toDecimalString(mul(fromInt(1), { num: 1n, den: 3n }))).toBe('1/3');
  });
  it('splits by largest remainder, ties to the earlier index', () => {
    expect(allocateLargestRemainder(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateLargestRemainder(10n, [5n, 3n, 2n])).toEqual([5n, 3n, 2n]);
    expect(allocateLargestRemainder(0n, [0n, 0n])).toEqual([0n, 0n]);
  });
});
