/**
 * Reading back what a page kept in localStorage (an ask and its approval id, until it is applied):
 * another version of the page may have written it, so every field is checked, never cast. One set
 * of readers for the panels that keep asks (missing worker, stop, retirement, recoveries).
 */
export type Json = Record<string, unknown>;

export const objectOf = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : null;

export const textIn = (o: Json, k: string): string | null => {
  const v = o[k];
  return typeof v === 'string' ? v : null;
};

export const fenIn = (o: Json, k: string): number | null => {
  const v = o[k];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
};

/** The stored text parsed (null: nothing stored, or not JSON). */
export function parsedStored(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** The stored list's entries (none: nothing stored, not JSON, or not a list). */
export function storedEntries(text: string | null): unknown[] {
  const parsed = parsedStored(text);
  return Array.isArray(parsed) ? parsed : [];
}
