import type { z } from 'zod';
import { issuesToFieldErrors } from '../../kernel/validation.ts';
import type { RuleDocument } from '../rule-document.ts';
import { isRegionCode } from './build.ts';

/** A dated value of a one-file-per-region family (pooling, indicators). */
export type DatedEntry = { readonly from: string; readonly until?: string | undefined };

/** region → parameter path → its values sorted by `from`. */
export type RegionFileSet<E> = ReadonlyMap<string, ReadonlyMap<string, readonly E[]>>;

type FileShape<E, U> = { parameters: Record<string, { unit: U; values: E[] }> };

/**
 * Builds a family laid out as `<region>.yaml` files: validates each file with `schema`, sorts each
 * parameter's values by date and refuses reversed or overlapping ranges; `checkValue` adds the
 * family's own checks. Throws one error listing every problem as `file: path: message`.
 */
export function buildRegionFiles<E extends DatedEntry, U>(
  docs: readonly RuleDocument[],
  schema: z.ZodType<FileShape<E, U>>,
  family: string,
  checkValue: (unit: U, value: E) => string | undefined = () => undefined,
): RegionFileSet<E> {
  const problems: string[] = [];
  const regions = new Map<string, Map<string, E[]>>();
  for (const doc of [...docs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const { name } = doc;
    const region = name.slice(0, -'.yaml'.length);
    if (!isRegionCode(region)) {
      problems.push(`${name}: file names are 6-digit region codes`);
      continue;
    }
    if (!doc.content.ok) {
      problems.push(`${name}: (yaml): ${doc.content.message}`);
      continue;
    }
    const parsed = schema.safeParse(doc.content.data);
    if (!parsed.success) {
      for (const e of issuesToFieldErrors(parsed.error.issues))
        problems.push(`${name}: ${e.path}: ${e.message}`);
      continue;
    }
    const params = new Map<string, E[]>();
    for (const [path, p] of Object.entries(parsed.data.parameters)) {
      const values = [...p.values].sort((a, b) => (a.from < b.from ? -1 : 1));
      problems.push(...rangeProblems(values).map((m) => `${name}: ${path}: ${m}`));
      for (const v of values) {
        const problem = checkValue(p.unit, v);
        if (problem !== undefined) problems.push(`${name}: ${path}: ${problem}`);
      }
      params.set(path, values);
    }
    regions.set(region, params);
  }
  if (problems.length > 0)
    throw new Error(`${family} parameters failed to load:\n  ${problems.join('\n  ')}`);
  return regions;
}

/** Reversed and overlapping date ranges of values already sorted by `from`. */
function rangeProblems(values: readonly DatedEntry[]): string[] {
  const problems: string[] = [];
  values.forEach((v, i) => {
    const next = values[i + 1];
    if (v.until !== undefined && v.until < v.from) problems.push('until before from');
    if (next && (v.until === undefined || v.until >= next.from))
      problems.push(`value from ${v.from} overlaps the one from ${next.from}`);
  });
  return problems;
}

/** The value in force on `date` for `region`, falling back to national 000000. */
export function findInForce<E extends DatedEntry>(
  set: RegionFileSet<E>,
  region: string,
  path: string,
  date: string,
): { region: string; entry: E } | undefined {
  for (const r of [region, '000000']) {
    const entry = set
      .get(r)
      ?.get(path)
      ?.find((e) => e.from <= date && (e.until === undefined || date <= e.until));
    if (entry !== undefined) return { region: r, entry };
  }
  return undefined;
}
