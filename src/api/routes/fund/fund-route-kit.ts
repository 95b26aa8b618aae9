import { todayInChina } from '../../../kernel/dates.ts';
/** Today's date in China, for the fund reads that default to it. */
export function today(): string {
  return todayInChina();
}

/** The demo year the seed fills (examples of the generated route tests point at it). */
export const EXAMPLE_YEAR = '2025';
