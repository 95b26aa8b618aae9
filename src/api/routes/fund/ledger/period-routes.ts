import type { FastifyInstance } from 'fastify';
import {
  ledgerParams,
  periodCloseBody,
  periodCloseRequestBody,
  periodCloseRequestResponse,
  periodCloseResponse,
  periodParams,
  periodsQuery,
  periodsResponse,
} from '../../../../contract/fund/ledger/ledger-contract.ts';
import { approvalPolicyOf } from '../../../../runtime/config.ts';
import { closePeriod, requestPeriodClose } from '../../../../usecases/fund/ledger/periods.ts';
import {
  listPeriods,
  segmentOfRegion,
} from '../../../../usecases/fund/overview/fund-overview-explorer.ts';
import { addRoute } from '../../../add-route.ts';
import { refusalError } from '../../../errors.ts';
import { EXAMPLE_YEAR } from '../fund-route-kit.ts';

function periodSegmentOf(regionCode: string, requested: string | undefined) {
  const s = segmentOfRegion(regionCode, requested, false);
  if (!s.ok) throw refusalError(s);
  return s.value;
}

/** Accounting periods: the list, and closing by maker-checker (request, then close). */
export function registerFundPeriodRoutes(app: FastifyInstance): void {
  registerPeriodList(app);
  registerPeriodCloseRequest(app);
  registerPeriodClose(app);
}

function registerPeriodList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/periods',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.periods',
      regionParam: 'regionCode',
      summary: 'Accounting periods of the region’s segment (open / closed, who closed, approval)',
      tags: ['fund'],
      schema: {
        params: ledgerParams,
        querystring: periodsQuery,
        response: { 200: periodsResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const out = await listPeriods(app.deps.db, { ...request.params, ...request.query });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerPeriodCloseRequest(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/periods/:period/close-request',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.period.request_close',
      regionParam: 'regionCode',
      summary: 'Maker: ask for approval to close a period (a different user approves it)',
      tags: ['fund'],
      schema: {
        params: periodParams,
        body: periodCloseRequestBody,
        response: { 201: periodCloseRequestResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, period: `${EXAMPLE_YEAR}-01` },
        body: {},
      }),
    },
    async (request, reply) => {
      const { regionCode, period } = request.params;
      const seg = periodSegmentOf(regionCode, request.body.segment);
      const out = await requestPeriodClose(app.deps.db, request.actor!, {
        segment: seg,
        period,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return { segment: seg, period, approvalId: out.value.approvalId };
    },
  );
}

function registerPeriodClose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/periods/:period/close',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.period.close',
      regionParam: 'regionCode',
      summary: 'Close a period by consuming its approved close request',
      tags: ['fund'],
      schema: {
        params: periodParams,
        body: periodCloseBody,
        response: { 200: periodCloseResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, period: `${EXAMPLE_YEAR}-01` },
        body: { approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const { regionCode, period } = request.params;
      const seg = periodSegmentOf(regionCode, request.body.segment);
      const out = await closePeriod(app.deps.db, request.actor!, {
        segment: seg,
        period,
        approvalId: request.body.approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
