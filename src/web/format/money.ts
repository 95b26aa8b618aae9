import { formatYuan, formatYuanPlain } from '../../kernel/money.ts';

/**
 * Yuan typed by a person → integer fen, by string arithmetic only (never parseFloat × 100, which
 * turns 0.29 into 28.999999999999996). Accepts full-width digits and thousands commas; at most two
 * decimals; returns null for anything else.
 */
export function yuanToFen(input: string): number | null {
  const ascii = input
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF0E\u3002]/g, '.')
    .replace(/[,\uFF0C\s]/g, '');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(ascii);
  if (match === null) return null;
  const whole = match[1] ?? '0';
  const cents = (match[2] ?? '').padEnd(2, '0');
  const fen = BigInt(whole) * 100n + BigInt(cents);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(fen);
}

/** Integer fen → "78,000.00", exactly. */
export function fenToYuanText(fen: number): string {
  return formatYuan(fen);
}

/** Integer fen → the plain yuan string a form field shows back ("6000.5" stays "6000.50"). */
export function fenToYuanInput(fen: number): string {
  return formatYuanPlain(fen);
}
