/**
 * The path parameters of a request as text, read without a cast: the edge (policy, audit) runs
 * for every route, before validation (raw strings) or after it (a year may be a number by then).
 */
export function pathParams(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof params !== 'object' || params === null) return out;
  for (const [name, value] of Object.entries(params))
    if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
  return out;
}
