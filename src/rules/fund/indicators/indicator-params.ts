import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isIsoDate } from '../../../kernel/dates.ts';
import { isDecimalString } from '../../../kernel/rational.ts';
import { issuesToFieldErrors } from '../../../kernel/validation.ts';

/**
 * Dated, cited indicator thresholds from src/rules/values/pooling/indicators/<region>.yaml (same
 * shape as the pooling parameter files, with the unit `months`). Lookup: the region's file first,
 * then national 000000. A missing value is not an error: the indicator then says `no_threshold`.
 */
export const INDICATOR_PARAMS_DIR = fileURLToPath(
  new URL('../../values/pooling/indicators/', import.meta.url),
);

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');
const citation = z.strictObject({
  instrument: z.string().min(1),
  article: z.string().min(1),
  url: z.string().optional(),
  confidence: z.enum(['V', 'S', 'M']).optional(),
});
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

export function loadIndicatorParams(dir: string = INDICATOR_PARAMS_DIR): IndicatorParamSet {
  const problems: string[] = [];
  const regions = new Map<string, Map<string, Entry[]>>();
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const region = name.slice(0, -'.yaml'.length);
    if (!/^\d{6}$/.test(region)) {
      problems.push(`${name}: file names are 6-digit region codes`);
      continue;
    }
    const parsed = fileSchema.safeParse(parseYaml(readFileSync(join(dir, name), 'utf8')));
    if (!parsed.success) {
      for (const e of issuesToFieldErrors(parsed.error.issues))
        problems.push(`${name}: ${e.path}: ${e.message}`);
      continue;
    }
    const params = new Map<string, Entry[]>();
    for (const [path, p] of Object.entries(parsed.data.parameters)) {
      const values = [...p.values].sort((a, b) => (a.from < b.from ? -1 : 1));
      values.forEach((v, i) => {
        const next = values[i + 1];
        if (v.until !== undefined && v.until < v.from)
          problems.push(`${name}: ${path}: until before from`);
        if (next && (v.until === undefined || v.until >= next.from))
          problems.push(
            `${name}: ${path}: value from ${v.from} overlaps the one from ${next.from}`,
          );
        if (p.unit === 'months' && !isDecimalString(v.value))
          problems.push(`${name}: ${path}: a months value must be a decimal string`);
      });
      params.set(path, values);
    }
    regions.set(region, params);
  }
  if (problems.length > 0)
    throw new Error(`indicator parameters failed to load:\n  ${problems.join('\n  ')}`);
  return regions;
}

let cached: IndicatorParamSet | undefined;

export function defaultIndicatorParams(): IndicatorParamSet {
  cached ??= loadIndicatorParams();
  return cached;
}

export function lookupIndicatorParam(
  params: IndicatorParamSet,
  region: string,
  path: string,
  date: string,
): IndicatorParamValue | undefined {
  for (const r of [region, '000000']) {
    const hit = params
      .get(r)
      ?.get(path)
      ?.find((e) => e.from <= date && (e.until === undefined || date <= e.until));
    if (hit)
      return {
        path,
        region: r,
        from: hit.from,
        until: hit.until ?? null,
        status: hit.status,
        value: hit.value,
        citation: hit.citation,
        note: hit.note ?? null,
      };
  }
  return undefined;
}
