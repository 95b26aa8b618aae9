import type { FastifyInstance } from 'fastify';
import {
  allocationBody,
  allocationParams,
  allocationResponse,
  cityBody,
  sweepParams,
  sweepResponse,
} from '../../../../contract/fund/pooling/unified-contract.ts';
import { isProvinceCode, provinceOf } from '../../../../kernel/region-codes.ts';
import {
  allocateMonthFromBudget,
  allocateToCity,
  sweepCityMonth,
} from '../../../../usecases/fund/pooling/unified-flows.ts';
import { addRoute } from '../../../add-route.ts';
import { ProblemError, refusalError } from '../../../errors.ts';

/**
 * The in-year flows of the unified mode (统收统支, docs/pooling.md §3.1) over HTTP: the province
 * sweeps a city's month of contribution income, allocates to a city (one allocation, or the month's
 * share of the city's approved budget). All province only: the province runs the pooled fund, a
 * city neither sweeps itself nor allocates to itself. Each names the approved approval of exactly
 * this movement (POST /api/v1/regions/:regionCode/approvals, then another role's decision) and
 * consumes it with its postings: a repeat is refused (`approval.already_used`).
 */
export function registerFundUnifiedRoutes(app: FastifyInstance): void {
  registerSweep(app);
  registerAllocation(app);
  registerAllocationFromBudget(app);
}

/** Refuses a non-province path and a city of another province before the use case runs. */
function provinceAndCity(regionCode: string, cityCode: string, what: string): void {
  if (!isProvinceCode(regionCode))
    throw new ProblemError(
      'fund.province_only',
      `${what} is done by the province, not by ${regionCode}`,
      { regionCode },
    );
  if (provinceOf(cityCode) !== regionCode)
    throw new ProblemError(
      'fund.segment_not_in_region',
      `${cityCode} is not a city of ${regionCode}`,
      { regionCode, city: cityCode },
    );
}

function registerSweep(app: FastifyInstance): void {
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
      schema: { params: sweepParams, body: cityBody, response: { 200: sweepResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, period: '2025-12' },
        body: { city: '330100', approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const { regionCode, period } = request.params;
      const { city, approvalId } = request.body;
      provinceAndCity(regionCode, city, 'the monthly sweep');
      const out = await sweepCityMonth(app.deps.db, request.actor!, {
        city,
        period,
        params: app.deps.rules.pooling,
        approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerAllocation(app: FastifyInstance): void {
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
        params: allocationParams,
        body: allocationBody,
        response: { 200: allocationResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          allocationId: 'alloc-330100-2025-12-extra',
          city: '330100',
          effectiveDate: '2025-12-10',
          amountFen: 5_000_000_00,
          memo: '2025-12 追加拨付 杭州',
          approvalId: `apr_${'0'.repeat(24)}`,
        },
      }),
    },
    async (request) => {
      const body = request.body;
      provinceAndCity(request.params.regionCode, body.city, 'an allocation to a city');
      const out = await allocateToCity(app.deps.db, request.actor!, {
        allocationId: body.allocationId,
        city: body.city,
        effectiveDate: body.effectiveDate,
        amountFen: body.amountFen,
        memo: body.memo,
        params: app.deps.rules.pooling,
        approvalId: body.approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerAllocationFromBudget(app: FastifyInstance): void {
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
      schema: { params: sweepParams, body: cityBody, response: { 200: allocationResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, period: '2024-12' },
        body: { city: '330100', approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const { regionCode, period } = request.params;
      const { city, approvalId } = request.body;
      provinceAndCity(regionCode, city, 'an allocation from the budget');
      const out = await allocateMonthFromBudget(app.deps.db, request.actor!, {
        city,
        period,
        params: app.deps.rules.pooling,
        approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
