import { z } from 'zod';
import { isIsoDate } from '../../kernel/dates.ts';
import { isDecimalString } from '../../kernel/rational.ts';
import { KEY_SETS } from './model.ts';

const isoDate = z.string().refine(isIsoDate, 'must be a calendar date written YYYY-MM-DD');

/** Numbers in YAML must be integers or quoted decimal strings: a YAML float would be binary. */
const rawScalar = z.union([
  z
    .string()
    .refine((s) => isDecimalString(s) || /^[a-z_]+$/.test(s), 'must be a decimal string or a word'),
  z.number().int('write non-integers as quoted decimal strings ("0.6") so they stay exact'),
  z.null(),
]);

export const citationSchema = z.strictObject({
  instrument: z.string().min(1),
  article: z.string().min(1),
  url: z.url().optional(),
  confidence: z.enum(['V', 'S', 'M']).optional(),
  /**
   * The sentence(s) the value rests on, copied verbatim from the text under ../shared/docs/law/
   * (a test finds each one there). Required for every instrument held there.
   */
  quote: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /**
   * True when the value or its note says the text lacks something: `quote` must then be the whole
   * article, every paragraph, so a reader sees that nothing was missed.
   */
  wholeArticle: z.literal(true).optional(),
});

const valueSchema = z.strictObject({
  from: isoDate,
  until: isoDate.optional(),
  status: z.enum(['legislated', 'projected', 'demo']),
  // Optional here on purpose: the check reports a missing citation by file and key, which reads
  // better than a schema error and lets overlays be checked the same way.
  citation: citationSchema.optional(),
  note: z.string().optional(),
  nullReason: z.string().optional(),
  value: z.union([rawScalar, z.record(z.string(), rawScalar)]),
});

const gapSchema = z.strictObject({
  from: isoDate,
  until: isoDate,
  reason: z.string().min(10),
  /** What would be needed to fill the gap, one entry each (a refusal may list them). */
  missing: z.array(z.string().min(1)).min(1).optional(),
});

export const parameterSchema = z.strictObject({
  description: z.string().min(1),
  unit: z.enum([
    'ratio',
    'months',
    'times',
    'fen',
    'years',
    'days',
    'workdays',
    'minutes',
    'rounding_rule',
    'risk_class',
    'text',
  ]),
  keys: z
    .enum(Object.keys(KEY_SETS) as [keyof typeof KEY_SETS, ...(keyof typeof KEY_SETS)[]])
    .optional(),
  values: z.array(valueSchema).min(1),
  gaps: z.array(gapSchema).optional(),
});

export const parameterFileSchema = z.strictObject({
  parameters: z.record(
    z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'dotted lower-case path'),
    parameterSchema,
  ),
});

export type ParameterFileInput = z.infer<typeof parameterFileSchema>;
export type ParameterInput = z.infer<typeof parameterSchema>;
export type ParameterValueInput = z.infer<typeof valueSchema>;
