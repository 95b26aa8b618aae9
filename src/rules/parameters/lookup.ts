import type { IsoDate } from '../../kernel/dates.ts';
import { provinceOf } from '../../kernel/region-codes.ts';
import type { ParameterDefinition, ResolvedParameter, RuleSet } from './model.ts';

/** Province code of a region ("330106" → "330000"), then national. */
export function regionChain(region: string): string[] {
  const province = provinceOf(region);
  const chain = [region];
  if (province !== region) chain.push(province);
  if (region !== '000000') chain.push('000000');
  return chain;
}

/** The value of one definition in force on `date`, or undefined (gap or outside its dates). */
export function valueAt(def: ParameterDefinition, date: IsoDate) {
  // Values are sorted by `from`; scanning back finds the latest start not after `date`.
  for (let i = def.values.length - 1; i >= 0; i--) {
    const v = def.values[i]!;
    if (v.from <= date) return v.until === undefined || date <= v.until ? v : undefined;
  }
  return undefined;
}

/**
 * The parameter `path` for `region` on `date`, falling back region → province → national when the
 * nearer level has no value that day. Memoised per (region, date) because a calculation reads the
 * same few dates many times and benchmarks replay the same cases.
 */
export function lookup(
  rules: RuleSet,
  region: string,
  path: string,
  date: IsoDate,
): ResolvedParameter | null {
  return lookupIn(memoFor(rules, region, date), rules, region, path, date);
}

type Memo = Map<string, ResolvedParameter | null>;

/** Dates memoised per region before the memo is dropped: a long-running server sees unbounded distinct dates. */
const MEMO_DATES_PER_REGION = 20_000;
const MEMO_REGIONS = 5_000;

/** The memo of one (region, date); callers reading several parameters on one date keep it. */
export function memoFor(rules: RuleSet, region: string, date: IsoDate): Memo {
  let byDate = rules.cache.get(region);
  if (byDate === undefined) {
    if (rules.cache.size > MEMO_REGIONS) rules.cache.clear();
    byDate = new Map();
    rules.cache.set(region, byDate);
  }
  let memo = byDate.get(date);
  if (memo === undefined) {
    if (byDate.size > MEMO_DATES_PER_REGION) byDate.clear();
    memo = new Map();
    byDate.set(date, memo);
  }
  return memo;
}

export function lookupIn(
  memo: Memo,
  rules: RuleSet,
  region: string,
  path: string,
  date: IsoDate,
): ResolvedParameter | null {
  const hit = memo.get(path);
  if (hit !== undefined) return hit;
  let found: ResolvedParameter | null = null;
  for (const r of regionChain(region)) {
    const def = rules.regions.get(r)?.get(path);
    if (def === undefined) continue;
    const value = valueAt(def, date);
    if (value !== undefined) {
      found = { path, region: r, unit: def.unit, value };
      break;
    }
  }
  memo.set(path, found);
  return found;
}

/** Every value of `path` applying on `date` in one region's own definition (0, 1, or more = overlap). */
export function valuesApplying(def: ParameterDefinition, date: IsoDate) {
  return def.values.filter((v) => v.from <= date && (v.until === undefined || date <= v.until));
}
