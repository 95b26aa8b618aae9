import { invariant } from './assert.ts';
import { fromInt, type Rational, type RoundingRule, roundToInteger } from './rational.ts';

/** An amount of money in integer fen (分). Never a float. */
export type Fen = number;

export function assertFen(value: number, what = 'amount'): asserts value is Fen {
  invariant(Number.isSafeInteger(value), `${what} is not an integer number of fen: ${value}`);
}

export function fenToRational(fen: Fen): Rational {
  assertFen(fen);
  return fromInt(fen);
}

/** Applies a named rounding rule once to an exact amount, giving fen. */
export function roundFen(exact: Rational, rule: RoundingRule): Fen {
  const out = Number(roundToInteger(exact, rule));
  assertFen(out, 'rounded amount');
  return out;
}

/** "6,000.00" — yuan with two decimals and thousands separators, exact from fen. */
export function formatYuan(fen: Fen): string {
  assertFen(fen);
  const negative = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/**
 * "6000.00" — yuan with two decimals and no separators, exact from fen: what a CSV cell or a form
 * field holds (the generator writes millions of them, so no locale formatting here).
 */
export function formatYuanPlain(fen: Fen): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Splits `total` fen in proportion to `weights` by the largest-remainder method; ties go to the
 * earlier index (callers order their inputs, e.g. by city code). Σ result = total exactly.
 */
export function allocateLargestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  invariant(total >= 0n, 'allocation of a negative total');
  const sum = weights.reduce((a, w) => {
    invariant(w >= 0n, 'negative weight');
    return a + w;
  }, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const floors = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: total * w - floors[i]! * sum }));
  let left = total - floors.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i] = floors[i]! + 1n;
    left -= 1n;
  }
  return floors;
}
