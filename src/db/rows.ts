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

/** A text column holding one of a closed set of values (a CHECK constraint in the migration). */
export function oneOf<const T extends string>(row: Row, name: string, values: readonly T[]): T {
  const v = textOf(row, name);
  const found = values.find((x) => x === v);
  invariant(found !== undefined, `column ${name} holds ${v}, not one of ${values.join(', ')}`);
  return found;
}

export function oneOrNullOf<const T extends string>(
  row: Row,
  name: string,
  values: readonly T[],
): T | null {
  return column(row, name) === null ? null : oneOf(row, name, values);
}

/** A numeric/bigint aggregate that the driver may hand back as text (sum() over int8 is numeric). */
export function numberOf(row: Row, name: string): number {
  const v = column(row, name);
  const n = typeof v === 'string' ? Number(v) : v;
  invariant(typeof n === 'number' && Number.isSafeInteger(n), `column ${name} is not an integer`);
  return n;
}

/** A typed row mapper applied to every row of a raw result. */
export function rowsOf<T>(result: { rows: Row[] }, map: (row: Row) => T): T[] {
  return result.rows.map(map);
}

/** Column readers by column name: the typed shape of a hand-written query's rows. */
export type RowSpec = Record<string, (row: Row, name: string) => unknown>;
export type RowOf<S extends RowSpec> = { [K in keyof S]: ReturnType<S[K]> };

/** Reads one row by its spec; every column is checked by its reader. */
export function rowWith<S extends RowSpec>(row: Row, spec: S): RowOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(spec)) out[name] = read(row, name);
  // Safe: every key of the spec was just read (and its runtime type checked) by its own reader.
  return out as RowOf<S>;
}

/** A raw result with its rows read by a spec (the mapper of small hand-written queries and tests). */
export function withColumns<S extends RowSpec>(
  result: { rows: Row[]; rowCount: number },
  spec: S,
): { rows: RowOf<S>[]; rowCount: number } {
  return { rows: result.rows.map((row) => rowWith(row, spec)), rowCount: result.rowCount };
}

/** A reader of a text column restricted to `values` (for specs). */
export function oneOfReader<const T extends string>(values: readonly T[]) {
  return (row: Row, name: string): T => oneOf(row, name, values);
}
