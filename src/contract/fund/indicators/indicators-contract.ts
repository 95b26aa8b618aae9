import { z } from 'zod';
import { citationSchema } from '../../../rules/parameters/schema.ts';
import { isoDate, regionParams } from '../../common.ts';

export const indicatorsParams = regionParams;
export const indicatorsQuery = z.strictObject({ asOf: isoDate.optional() });

/** A citation as the rule files give it, quote included: the one schema of src/rules. */
export const citationResponse = citationSchema;

const paramStatus = z.enum(['legislated', 'projected', 'demo']);

/** A dated, cited indicator parameter as the rule files give it. */
export const indicatorParamResponse = z.object({
  path: z.string(),
  region: z.string(),
  from: z.string(),
  until: z.string().nullable(),
  status: paramStatus,
  value: z.string(),
  citation: citationResponse,
  note: z.string().nullable(),
});

export const thresholdResponse = z.object({
  name: z.enum(['alert_below', 'watch_below', 'watch_above', 'alert_above']),
  months: z.string(),
  status: paramStatus,
  from: z.string(),
  citation: citationResponse,
  note: z.string().nullable(),
});

export const monthsOfExpenditureResponse = z.object({
  balanceFen: z.number().int(),
  expenditure12Fen: z.number().int(),
  windowFrom: z.string(),
  windowTo: z.string(),
  /** Shown value ("14.23"), null when nothing was spent in the window. */
  months: z.string().nullable(),
  /** The exact value: a finite decimal or "num/den". */
  monthsExact: z.string().nullable(),
  rounding: z.object({ places: z.number().int(), rule: z.string() }),
});

export const alertResponse = z.object({
  level: z.enum([
    'below',
    'watch_low',
    'normal',
    'watch_high',
    'above',
    'no_expenditure',
    'no_threshold',
  ]),
  message: z.string(),
  demoThreshold: z.boolean(),
});

/** What the indicators and the overview share: the date, the denominator and the thresholds. */
export const indicatorContextResponse = z.object({
  asOf: z.string(),
  denominator: z.object({
    value: z.enum(['own_expenditure', 'benefits_only']),
    param: indicatorParamResponse.nullable(),
  }),
  thresholds: z.array(thresholdResponse),
});

const segmentIndicatorResponse = z.object({
  segment: z.string(),
  name: z.string(),
  nameEn: z.string(),
  monthsOfExpenditure: monthsOfExpenditureResponse,
  alert: alertResponse,
});

export const indicatorsResponse = indicatorContextResponse.extend({
  regionCode: z.string(),
  scope: z.enum(['city', 'province']),
  province: segmentIndicatorResponse.nullable(),
  cities: z.array(segmentIndicatorResponse),
});
