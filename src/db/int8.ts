import { customType } from 'drizzle-orm/pg-core';
import { invariant } from '../kernel/assert.ts';

/**
 * int8 as a safe JS number, the same rule for Drizzle as for raw queries (client.ts parses int8 with
 * it): drizzle's node-postgres session installs its own type parsers per query, so an int8 there
 * arrives as text, and `bigint(…, { mode: 'number' })` would round anything beyond 2^53 silently.
 * Beyond 2^53 is a broken invariant (fen amounts are far below it), not silent loss.
 */
export function int8Value(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  invariant(
    typeof n === 'number' && Number.isSafeInteger(n),
    `int8 value ${String(value)} exceeds the safe integer range`,
  );
  return n;
}

/** An int8 column read as a safe integer (see int8Value). */
export const int8 = customType<{ data: number; driverData: string | number }>({
  dataType: () => 'bigint',
  fromDriver: int8Value,
});
