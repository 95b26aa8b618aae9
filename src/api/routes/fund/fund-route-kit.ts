/** Today's date (UTC) for the fund reads that default to it. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The demo year the seed fills (examples of the generated route tests point at it). */
export const EXAMPLE_YEAR = '2025';
