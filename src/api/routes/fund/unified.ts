import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { provinceOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import { ALLOCATION_ID } from '../../../domain/fund/pooling/unified-postings.ts';
import type { IsoDate } from '../../../kernel/dates.ts';
import { isProvinceCode } from '../../../usecases/fund/overview/fund-overview-explorer.ts';
import {
  allocateMonthFromBudget,
  allocateToCity,
  sweepCityMonth,
} from '../../../usecases/fund/pooling/unified-flows.ts';
import { addRoute } from '../../app.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { isoDate, period, regionCode, regionParams } from './fund-schemas.ts';

/**
 * The in-year flows of the unified mode (统收统支, docs/pooling.md §3.1) over HTTP: the province
 * sweeps a city's month of contribution income, allocates to a city (one allocation, or the month's
 * share of the city's approved budget). All province only: the province runs the pooled fund, a
 * city neither sweeps itself nor allocates to itself. Every call is idempotent by its business key
 * (city and month, or allocation id): a repeat answers `status: 'exists'` and posts nothing.
 */
const periodParams = z.strictObject({ regionCode, period });
const city = z.string().regex(/^\d{6}$/, 'a 6-digit city code such as 330100');
const cityBody = z.strictObject({ city });

/** Refuses a non-province path and a city of another province before the use case runs. */
function provinceAndCity(regionCode: string, cityCode: string, what: string): void {
  if (!isProvinceCode(regionCode))
    throw new ProblemError(
      'fund.province_only',
      `${what} is done by the province, not by ${regionCode}`,
      { regionCode },
    );
  if (provinceOfSegment(cityCode) !== regionCode)
    throw new ProblemError(
      'fund.segment_not_in_region',
      `${cityCode} is not a city of ${regionCode}`,
      { regionCode, city: cityCode },
    );
}

export function registerFundUnifiedRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/unified/sweeps/:period',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.unified.sweep',
      regionParam: 'regionCode',
      summary:
        "Province only: sweep a city's contribution income of the month to the province (归集), idempotent by city and month",
      tags: ['fund'],
      schema: { params: periodParams, body: cityBody },
      example: ({ regionCode }) => ({
        params: { regionCode, period: '2025-12' },
        body: { city: '330100' },
      }),
    },
    async (request) => {
      const p = request.params as { regionCode: string; period: string };
      const body = request.body as { city: string };
      provinceAndCity(p.regionCode, body.city, 'the monthly sweep');
      const out = await sweepCityMonth(app.deps.db, request.actor!, {
        city: body.city,
        period: p.period,
        params: app.deps.rules.pooling,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/unified/allocations',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.unified.allocate',
      regionParam: 'regionCode',
      summary:
        'Province only: allocate an amount to a city for its benefit payments (拨付), idempotent by allocationId',
      tags: ['fund'],
      schema: {
        params: regionParams,
        body: z.strictObject({
          allocationId: z
            .string()
            .regex(ALLOCATION_ID, '1–100 letters, digits or . _ : - (the idempotency key)'),
          city,
          effectiveDate: isoDate,
          amountFen: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
          memo: z.string().trim().min(1).max(200).optional(),
        }),
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          allocationId: 'alloc-330100-2025-12-extra',
          city: '330100',
          effectiveDate: '2025-12-10',
          amountFen: 5_000_000_00,
          memo: '2025-12 追加拨付 杭州',
        },
      }),
    },
    async (request) => {
      const { regionCode: region } = request.params as { regionCode: string };
      const body = request.body as {
        allocationId: string;
        city: string;
        effectiveDate: IsoDate;
        amountFen: number;
        memo?: string;
      };
      provinceAndCity(region, body.city, 'an allocation to a city');
      const out = await allocateToCity(app.deps.db, request.actor!, {
        allocationId: body.allocationId,
        city: body.city,
        effectiveDate: body.effectiveDate,
        amountFen: body.amountFen,
        memo: body.memo,
        params: app.deps.rules.pooling,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/unified/allocations/from-budget/:period',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.unified.allocate_from_budget',
      regionParam: 'regionCode',
      summary:
        "Province only: allocate the month's share of the city's approved budget (allocation budget:<city>:<YYYY-MM>)",
      tags: ['fund'],
      schema: { params: periodParams, body: cityBody },
      example: ({ regionCode }) => ({
        params: { regionCode, period: '2024-12' },
        body: { city: '330100' },
      }),
    },
    async (request) => {
      const p = request.params as { regionCode: string; period: string };
      const body = request.body as { city: string };
      provinceAndCity(p.regionCode, body.city, 'an allocation from the budget');
      const out = await allocateMonthFromBudget(app.deps.db, request.actor!, {
        city: body.city,
        period: p.period,
        params: app.deps.rules.pooling,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
