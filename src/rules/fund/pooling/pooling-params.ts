import { z } from 'zod';
import { invariant } from '../../../kernel/assert.ts';
import { isIsoDate } from '../../../kernel/dates.ts';
import { isDecimalString } from '../../../kernel/rational.ts';
import { buildRegionFiles, findInForce } from '../../parameters/region-files.ts';
import { citationSchema } from '../../parameters/schema.ts';
import type { RuleDocument } from '../../rule-document.ts';
import type { AdjustmentFundSettleInput } from './pooling-settle.ts';
import { type UnifiedRules, unifiedRulesSchema } from './pooling-unified.ts';

/**
 * Dated, cited pooling / reserve / prevention parameters from src/rules/values/pooling/<region>.yaml
 * (same YAML shape as the benefit parameter files), read by the runtime's one rule-file loader.
 * Lookup: the region's file first, then national 000000.
 */

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');
const scalar = z.union([
  z.string().refine((s) => isDecimalString(s) || /^[a-z_]+$/.test(s), 'a decimal string or a word'),
  z.number().int('write non-integers as quoted decimal strings'),
]);
// The one citation schema of every rule family, so a quote (and wholeArticle) passes through.
const citation = citationSchema;
const valueEntry = z.strictObject({
  from: isoDate,
  until: isoDate.optional(),
  status: z.enum(['legislated', 'projected', 'demo']),
  value: z.union([scalar, z.record(z.string(), z.unknown())]),
  citation,
  note: z.string().optional(),
});
const fileSchema = z.strictObject({
  parameters: z.record(
    z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/),
    z.strictObject({
      description: z.string().min(1),
      unit: z.enum(['ratio', 'text', 'table', 'fen']),
      values: z.array(valueEntry).min(1),
    }),
  ),
});

export type PoolingParamStatus = 'legislated' | 'projected' | 'demo';
export type PoolingCitation = z.output<typeof citation>;

/** One value read, with what the trace and the report need: where it came from and how sure. */
export type PoolingParamValue<T = unknown> = {
  path: string;
  region: string;
  from: string;
  status: PoolingParamStatus;
  value: T;
  citation: PoolingCitation;
};

type Entry = z.output<typeof valueEntry>;
export type PoolingParamSet = ReadonlyMap<string, ReadonlyMap<string, readonly Entry[]>>;

/** Builds the pooling family from its `<6-digit region>.yaml` documents; throws one error listing every problem by file and path. */
export function buildPoolingParams(docs: readonly RuleDocument[]): PoolingParamSet {
  return buildRegionFiles(docs, fileSchema, 'pooling');
}

/** The value of `path` in force on `date` for `region` (falling back to national 000000), or undefined. */
export function lookupPoolingParam(
  params: PoolingParamSet,
  region: string,
  path: string,
  date: string,
): PoolingParamValue | undefined {
  const hit = findInForce(params, region, path, date);
  if (hit === undefined) return undefined;
  const { entry } = hit;
  return {
    path,
    region: hit.region,
    from: entry.from,
    status: entry.status,
    value: entry.value,
    citation: entry.citation,
  };
}

/** Like lookupPoolingParam, but a missing value is a configuration error naming region, path and date. */
export function requirePoolingParam(
  params: PoolingParamSet,
  region: string,
  path: string,
  date: string,
): PoolingParamValue {
  const v = lookupPoolingParam(params, region, path, date);
  invariant(
    v !== undefined,
    `no pooling parameter ${path} for ${region} on ${date} (src/rules/values/pooling/)`,
  );
  return v;
}

function ratio(v: PoolingParamValue): PoolingParamValue<string> {
  invariant(
    typeof v.value === 'string' && isDecimalString(v.value),
    `${v.path} is not a decimal ratio`,
  );
  return v as PoolingParamValue<string>;
}

export type PoolingMode = 'adjustment_fund' | 'unified';

export function poolingModeAt(
  params: PoolingParamSet,
  province: string,
  date: string,
): PoolingParamValue<PoolingMode> {
  const v = requirePoolingParam(params, province, 'pooling.mode', date);
  invariant(
    v.value === 'adjustment_fund' || v.value === 'unified',
    `pooling.mode ${String(v.value)} unknown`,
  );
  return v as PoolingParamValue<PoolingMode>;
}

/** The three ratios of the adjustment-fund year-end run in force on `date`, with their provenance. */
export function adjustmentFundRulesAt(
  params: PoolingParamSet,
  province: string,
  date: string,
): { rules: AdjustmentFundSettleInput['rules']; used: PoolingParamValue<string>[] } {
  const get = (p: string) => ratio(requirePoolingParam(params, province, p, date));
  const used = [
    get('adjustment_fund.remittance_rate'),
    get('adjustment_fund.reserve_rate'),
    get('adjustment_fund.policy_gap_coverage_share'),
  ] as const;
  return {
    rules: {
      remittanceRate: used[0].value,
      reserveRate: used[1].value,
      policyGapCoverageShare: used[2].value,
    },
    used: [...used],
  };
}

/** The unified-mode gap-sharing table in force on `date`. */
export function unifiedRulesAt(
  params: PoolingParamSet,
  province: string,
  date: string,
): { rules: UnifiedRules; used: PoolingParamValue[] } {
  const v = requirePoolingParam(params, province, 'unified.gap_sharing', date);
  const parsed = unifiedRulesSchema.safeParse(v.value);
  invariant(parsed.success, `unified.gap_sharing of ${province} on ${date} is malformed`);
  return { rules: parsed.data, used: [v] };
}

/** Ratio parameter in force (e.g. 'reserve.total_ratio'). */
export function ratioAt(
  params: PoolingParamSet,
  region: string,
  path: string,
  date: string,
): PoolingParamValue<string> {
  return ratio(requirePoolingParam(params, region, path, date));
}

/** True when any value used is a placeholder: results built on it must say so. */
export function usesDemoValues(used: readonly PoolingParamValue[]): boolean {
  return used.some((u) => u.status === 'demo');
}
