import { invariant } from './assert.ts';

/**
 * Exact rationals on bigint, so that no rule code path ever touches a float.
 * Example: `roundToInteger(mul(fromDecimal('0.6'), fromInt(500_000)), 'half_up') === 300_000n`.
 */
export type Rational = { readonly num: bigint; readonly den: bigint };

/** Named rounding rules; the parameters choose one, the trace records it. */
export type RoundingRule = 'half_up' | 'half_even' | 'down' | 'up';

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

export function rational(num: bigint, den = 1n): Rational {
  invariant(den !== 0n, 'rational with zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export function fromInt(n: number | bigint): Rational {
  if (typeof n === 'number') invariant(Number.isSafeInteger(n), `not a safe integer: ${n}`);
  return { num: BigInt(n), den: 1n };
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string such as "0.6", "12", "-0.125" exactly. */
export function fromDecimal(text: string): Rational {
  const m = DECIMAL.exec(text.trim());
  invariant(m !== null, `not a decimal string: ${JSON.stringify(text)}`);
  const [, sign, whole, frac = ''] = m;
  const den = 10n ** BigInt(frac.length);
  const num = BigInt(`${whole}${frac}`) * (sign ? -1n : 1n);
  return rational(num, den);
}

export function isDecimalString(text: string): boolean {
  return DECIMAL.test(text.trim());
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}
export function sub(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}
export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}
export function div(a: Rational, b: Rational): Rational {
  invariant(b.num !== 0n, 'division by zero');
  return rational(a.num * b.den, a.den * b.num);
}
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
export function min(a: Rational, b: Rational): Rational {
  return compare(a, b) <= 0 ? a : b;
}
export function max(a: Rational, b: Rational): Rational {
  return compare(a, b) >= 0 ? a : b;
}

/** Rounds to an integer under a named rule. Negative values round symmetrically (half away from zero for half_up). */
export function roundToInteger(r: Rational, rule: RoundingRule): bigint {
  const negative = r.num < 0n;
  const n = negative ? -r.num : r.num;
  const q = n / r.den;
  const rem = n % r.den;
  let out = q;
  if (rem !== 0n) {
    const twice = rem * 2n;
    switch (rule) {
      case 'down':
        break;
      case 'up':
        out = q + 1n;
        break;
      case 'half_up':
        if (twice >= r.den) out = q + 1n;
        break;
      case 'half_even':
        if (twice > r.den || (twice === r.den && q % 2n === 1n)) out = q + 1n;
        break;
    }
  }
  return negative ? -out : out;
}

/** Renders a rational as a decimal string when its expansion is finite, else "num/den". */
export function toDecimalString(r: Rational): string {
  let den = r.den;
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos += 1;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives += 1;
  }
  if (den !== 1n) return `${r.num}/${r.den}`;
  const digits = Math.max(twos, fives);
  const scaled = (r.num * 10n ** BigInt(digits)) / r.den;
  const negative = scaled < 0n;
  const abs = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const frac = abs.slice(abs.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${frac}` : ''}`;
}
