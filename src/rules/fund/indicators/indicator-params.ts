import { z } from 'zod';
import { isIsoDate } from '../../../kernel/dates.ts';
import { isDecimalString } from '../../../kernel/rational.ts';
import { buildRegionFiles, findInForce } from '../../parameters/region-files.ts';
import { citationSchema } from '../../parameters/schema.ts';
import type { RuleDocument } from '../../rule-document.ts';

/**
 * Dated, cited indicator thresholds from src/rules/values/pooling/indicators/<region>.yaml (same
 * shape as the pooling parameter files, with the unit `months`). Lookup: the region's file first,
 * then national 000000. A missing value is not an error: the indicator then says `no_threshold`.
 */

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');
// The one citation schema of every rule family, so a quote (and wholeArticle) passes through.
const citation = citationSchema;
const valueEntry = z.strictObject({
  from: isoDate,
  until: isoDate.optional(),
  status: z.enum(['legislated', 'projected', 'demo']),
  value: z
    .string()
    .refine((s) => isDecimalString(s) || /^[a-z_]+$/.test(s), 'a decimal string or a word'),
  citation,
  note: z.string().optional(),
});
const fileSchema = z.strictObject({
  parameters: z.record(
    z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/),
    z.strictObject({
      description: z.string().min(1),
      unit: z.enum(['months', 'text']),
      values: z.array(valueEntry).min(1),
    }),
  ),
});

type Entry = z.output<typeof valueEntry>;
export type IndicatorParamSet = ReadonlyMap<string, ReadonlyMap<string, readonly Entry[]>>;

export type IndicatorParamValue = {
  path: string;
  region: string;
  from: string;
  until: string | null;
  status: 'legislated' | 'projected' | 'demo';
  value: string;
  citation: z.output<typeof citation>;
  note: string | null;
};

/** Builds the indicator family from its `<6-digit region>.yaml` documents; throws one error listing every problem. */
export function buildIndicatorParams(docs: readonly RuleDocument[]): IndicatorParamSet {
  return buildRegionFiles(docs, fileSchema, 'indicator', (unit, v) =>
    unit === 'months' && !isDecimalString(v.value)
      ? 'a months value must be a decimal string'
      : undefined,
  );
}

export function lookupIndicatorParam(
  params: IndicatorParamSet,
  region: string,
  path: string,
  date: string,
): IndicatorParamValue | undefined {
  const hit = findInForce(params, region, path, date);
  if (hit === undefined) return undefined;
  const { entry } = hit;
  return {
    path,
    region: hit.region,
    from: entry.from,
    until: entry.until ?? null,
    status: entry.status,
    value: entry.value,
    citation: entry.citation,
    note: entry.note ?? null,
  };
}
