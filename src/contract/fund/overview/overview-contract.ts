import { z } from 'zod';
import { isoDate, regionParams } from '../../common.ts';
import { monthFlowResponse } from '../fund-params.ts';
import {
  alertResponse,
  indicatorContextResponse,
  monthsOfExpenditureResponse,
} from '../indicators/indicators-contract.ts';

export const overviewParams = regionParams;
export const overviewQuery = z.strictObject({ asOf: isoDate.optional() });

export const segmentOverviewResponse = z.object({
  segment: z.string(),
  kind: z.enum(['city', 'province', 'adjustment', 'province_total']),
  name: z.string(),
  nameEn: z.string(),
  balanceFen: z.number().int(),
  reserveFen: z.number().int(),
  incomeYtdFen: z.number().int(),
  expenditureYtdFen: z.number().int(),
  months: z.array(monthFlowResponse),
  monthsOfExpenditure: monthsOfExpenditureResponse,
  alert: alertResponse,
});

export const overviewResponse = indicatorContextResponse.extend({
  regionCode: z.string(),
  scope: z.enum(['city', 'province']),
  year: z.number().int(),
  /** The city itself, or the province as a whole (transfers between segments eliminated). */
  total: segmentOverviewResponse,
  /** For the province: the province segment, the adjustment fund and every city; else empty. */
  segments: z.array(segmentOverviewResponse),
});
