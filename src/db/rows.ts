import { invariant } from '../kernel/assert.ts';

/**
 * Typed readers for rows of hand-written SQL (the measured hot paths that do not go through
 * Drizzle). A row arrives as `Record<string, unknown>`; each reader checks the column's runtime type
 * and crashes on a mismatch (a schema and a query that disagree are a programmer error, not input).
 * A mapper built from these replaces `query<{…}>` type arguments, which are casts in disguise.
 */
export type Row = Record<string, unknown>;

function column(row: Row, name: string): unknown {
  invariant(name in row, `query row has no column ${name}`);
  return row[name];
}

export function textOf(row: Row, name: string): string {
  const v = column(row, name);
  invariant(typeof v === 'string', `column ${name} is not text`);
  return v;
}

export function textOrNullOf(row: Row, name: string): string | null {
  const v = column(row, name);
  invariant(v === null || typeof v === 'string', `column ${name} is not text or null`);
  return v;
}

/** int2/int4/int8 (int8 is parsed to a safe integer by the client) and numeric-free counts. */
export function intOf(row: Row, name: string): number {
  const v = column(row, name);
  invariant(typeof v === 'number' && Number.isSafeInteger(v), `column ${name} is not an integer`);
  return v;
}

export function intOrNullOf(row: Row, name: string): number | null {
  const v = column(row, name);
  if (v === null) return null;
  invariant(typeof v === 'number' && Number.isSafeInteger(v), `column ${name} is not an integer`);
  return v;
}

export function boolOf(row: Row, name: string): boolean {
  const v = column(row, name);
  invariant(typeof v === 'boolean', `column ${name} is not boolean`);
  return v;
}

export function dateOf(row: Row, name: string): Date {
  const v = column(row, name);
  invariant(v instanceof Date, `column ${name} is not a timestamp`);
  return v;
}

export function dateOrNullOf(row: Row, name: string): Date | null {
  const v = column(row, name);
  invariant(v === null || v instanceof Date, `column ${name} is not a timestamp or null`);
  return v;
}

/** jsonb: the caller validates the shape (zod) or owns it (written by the same module). */
export function jsonOf(row: Row, name: string): unknown {
  return column(row, name);
}

export function textArrayOf(row: Row, name: string): string[] {
  const v = column(row, name);
  invariant(
    Array.isArray(v) && v.every((x) => typeof x === 'string'),
    `column ${name} is not text[]`,
  );
  return v;
}
