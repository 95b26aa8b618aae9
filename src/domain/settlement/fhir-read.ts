/**
 * Small readers of untyped JSON for the FHIR mapping: the domain has no zod, and a body that
 * passed the R4 schema is still `unknown` to the compiler. Each reader narrows without a cast and
 * records a problem with its field path when the value is not there or not of its kind.
 */

/** One problem of a FHIR resource: a FHIRPath-like field path and what is wrong. */
export type FhirIssue = { readonly path: string; readonly message: string };

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function listAt(record: JsonRecord | undefined, key: string): readonly unknown[] {
  const value = record?.[key];
  return Array.isArray(value) ? value : [];
}

export function recordAt(record: JsonRecord | undefined, key: string): JsonRecord | undefined {
  const value = record?.[key];
  return isRecord(value) ? value : undefined;
}

export function textAt(record: JsonRecord | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberAt(record: JsonRecord | undefined, key: string): number | undefined {
  const value = record?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The records of a list, with their index (non-records are skipped: the schema reports them). */
export function recordsAt(
  record: JsonRecord | undefined,
  key: string,
): Array<{ index: number; value: JsonRecord }> {
  return listAt(record, key).flatMap((value, index) => (isRecord(value) ? [{ index, value }] : []));
}

/** The `value` of the first Identifier in `identifiers` whose system is `system`. */
export function identifierValue(
  identifiers: readonly unknown[],
  system: string,
): string | undefined {
  for (const id of identifiers)
    if (isRecord(id) && id['system'] === system && typeof id['value'] === 'string')
      return id['value'];
  return undefined;
}

/** The first Coding of a CodeableConcept with `system`. */
export function codingOf(
  concept: JsonRecord | undefined,
  system: string,
): { code: string; display: string | undefined } | undefined {
  for (const c of listAt(concept, 'coding'))
    if (isRecord(c) && c['system'] === system && typeof c['code'] === 'string') {
      const display = c['display'];
      return { code: c['code'], display: typeof display === 'string' ? display : undefined };
    }
  return undefined;
}

/**
 * A JSON decimal as an exact integer count of 10^-scale units (1.5 at scale 3 → 1500), or a reason
 * it is not one. JSON numbers arrive as doubles; the shortest text of a double is the decimal the
 * sender wrote whenever that decimal has at most 15 significant digits, so it is read from there.
 */
export function scaledInteger(value: number, scale: number): number | string {
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return 'is not a plain decimal';
  const [whole = '', fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length > scale) return `has more than ${scale} decimals`;
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  const scaled = text.startsWith('-') ? -digits : digits;
  if (scaled > BigInt(Number.MAX_SAFE_INTEGER) || -scaled > BigInt(Number.MAX_SAFE_INTEGER))
    return 'is too large';
  return Number(scaled);
}

/** Fen as a FHIR Money value (12345 → 123.45), built from its digits so it is exact. */
export function yuanOf(fen: number): number {
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return Number(`${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`);
}

/** The date part of a FHIR date or dateTime, as written (Beijing dates are sent as such). */
export function datePart(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value);
  return m?.[1];
}
