import { todayInChina } from '../../../kernel/dates.ts';
import type { AlertLevel } from './fund-types.ts';

/**
 * A decimal ratio string as a percentage with two decimals, by string arithmetic only:
 * "0.0117" → "1.17%", "-0.0350" → "-3.50%", "1.0117" → "101.17%". Extra digits are truncated
 * (the API already rounds ratios to 4 decimals, half up). Anything else is returned unchanged.
 */
export function ratioToPercent(value: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (match === null) return value;
  const sign = match[1] ?? '';
  const whole = match[2] ?? '0';
  const frac = (match[3] ?? '').padEnd(4, '0').slice(0, 4);
  const hundredths = BigInt(whole + frac);
  const text = `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}%`;
  return hundredths === 0n ? text : `${sign}${text}`;
}

/** Tag colours of the months-of-expenditure alert levels. */
export const alertColors: Record<AlertLevel, string> = {
  below: 'red',
  watch_low: 'orange',
  normal: 'green',
  watch_high: 'gold',
  above: 'purple',
  no_expenditure: 'default',
  no_threshold: 'default',
};

/**
 * Integer fen → 万元 (10,000 yuan) rounded to 0.01 万元, for chart axes only (the exact amount is
 * shown in tooltips and tables). BigInt integer division: no binary float ever touches the fen.
 */
export function fenToWanYuan(fen: number): number {
  const hundredthsOfWan = (BigInt(fen) * 2n + (fen < 0 ? -10_000n : 10_000n)) / 20_000n;
  return Number(hundredthsOfWan) / 100;
}

/** Today's date in Beijing as YYYY-MM-DD (the fund's dates are Beijing dates): the kernel's rule. */
export function beijingToday(now: Date = new Date()): string {
  return todayInChina(now.getTime());
}
