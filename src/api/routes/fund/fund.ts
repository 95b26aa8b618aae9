import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fundOverview } from '../../../usecases/fund/overview/fund-overview.ts';
import {
  listPeriods,
  scopedBalances,
  scopedJournal,
  scopedTrialBalance,
  segmentOfRegion,
  transactionInRegion,
} from '../../../usecases/fund/overview/fund-overview-explorer.ts';
import { fundIndicators } from '../../../usecases/fund/indicators/indicators.ts';
import { closePeriod, requestPeriodClose } from '../../../usecases/fund/ledger/periods.ts';
import { addRoute } from '../../app.ts';
import { refusalError } from '../../errors.ts';
import { registerFundBudgetRoutes } from './budgets.ts';
import {
  approvalId,
  EXAMPLE_YEAR,
  isoDate,
  period,
  regionCode,
  regionParams,
  segment,
  today,
} from './fund-schemas.ts';
import { registerFundYearEndRoutes } from './year-end.ts';

/**
 * The fund area's HTTP API (issue 4 items 8–10; docs/fund-api.md): overview, indicators, ledger
 * explorer, periods, budgets, year-end run. Every route is under
 * /api/v1/regions/:regionCode/fund/…, so the policy answers 404 outside the caller's scope before a
 * handler runs; the province's own data lives under its code (330000). Handlers wrap use cases.
 */
export function registerFundRoutes(app: FastifyInstance): void {
  registerFundReadRoutes(app);
  registerFundPeriodRoutes(app);
  registerFundBudgetRoutes(app);
  registerFundYearEndRoutes(app);
}

function registerFundReadRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/overview',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.overview',
      regionParam: 'regionCode',
      summary:
        'Fund overview of a city, or of the province (330000: the whole province and each segment)',
      tags: ['fund'],
      schema: {
        params: regionParams,
        querystring: z.strictObject({ asOf: isoDate.optional() }),
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const { asOf } = request.query as { asOf?: string };
      const out = await fundOverview(app.deps.db, { regionCode, asOf, today: today() });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/indicators',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.indicators',
      regionParam: 'regionCode',
      summary: 'Months of expenditure and the alert, per city and for the province',
      tags: ['fund'],
      schema: {
        params: regionParams,
        querystring: z.strictObject({ asOf: isoDate.optional() }),
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { asOf: '2025-12-31' } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const { asOf } = request.query as { asOf?: string };
      const out = await fundIndicators(app.deps.db, { regionCode, asOf, today: today() });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/journal',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.journal',
      regionParam: 'regionCode',
      summary: 'Journal entries touching the region’s segment, newest first, paged by seq',
      tags: ['fund'],
      schema: {
        params: regionParams,
        querystring: z.strictObject({
          segment: segment.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          beforeSeq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
        }),
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '20' } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const q = request.query as { segment?: string; limit: number; beforeSeq?: number };
      const out = await scopedJournal(app.deps.db, { regionCode, ...q });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/transactions/:txId',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.transaction',
      regionParam: 'regionCode',
      summary: 'One transaction with its postings (404 unless it touches the region)',
      tags: ['fund'],
      schema: {
        params: z.strictObject({
          regionCode,
          // Ledger ids are client-chosen text of 1–200 characters (URL-encode them).
          txId: z.string().min(1).max(200),
        }),
      },
      example: ({ regionCode }) => ({
        params: { regionCode, txId: `demo-fund:${regionCode}:${EXAMPLE_YEAR}-01:contribution` },
      }),
    },
    async (request) => {
      const { regionCode, txId } = request.params as { regionCode: string; txId: string };
      const out = await transactionInRegion(app.deps.db, { regionCode, id: txId });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/trial-balance',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.trial_balance',
      regionParam: 'regionCode',
      summary:
        "Trial balance at a date: the region's segment, or (province) its adjustment fund or 'all'",
      tags: ['fund'],
      schema: {
        params: regionParams,
        querystring: z.strictObject({ asOf: isoDate, segment: segment.optional() }),
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { asOf: '2025-12-31' } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const q = request.query as { asOf: string; segment?: string };
      const out = await scopedTrialBalance(app.deps.db, { regionCode, ...q });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/balances',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.balances',
      regionParam: 'regionCode',
      summary: 'Current account balances (posted and pending apart) of the region’s segment',
      tags: ['fund'],
      schema: {
        params: regionParams,
        querystring: z.strictObject({ segment: segment.optional() }),
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const q = request.query as { segment?: string };
      const out = await scopedBalances(app.deps.db, { regionCode, ...q });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

const periodParams = z.strictObject({ regionCode, period });
/** Periods belong to a segment of the region: its own (default) or the province's adjustment fund. */
const periodSegment = z
  .string()
  .regex(/^\d{6}(-ADJ)?$/, 'a segment code such as 330100 or 330000-ADJ')
  .optional();

function periodSegmentOf(regionCode: string, requested: string | undefined) {
  const s = segmentOfRegion(regionCode, requested, false);
  if (!s.ok) throw refusalError(s);
  return s.value;
}

function registerFundPeriodRoutes(app: FastifyInstance): void {
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
        params: regionParams,
        querystring: z.strictObject({
          segment: periodSegment,
          year: z.coerce.number().int().min(2000).max(2100).optional(),
        }),
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const q = request.query as { segment?: string; year?: number };
      const out = await listPeriods(app.deps.db, { regionCode, ...q });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
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
      schema: { params: periodParams, body: z.strictObject({ segment: periodSegment }) },
      example: ({ regionCode }) => ({
        params: { regionCode, period: `${EXAMPLE_YEAR}-01` },
        body: {},
      }),
    },
    async (request, reply) => {
      const { regionCode, period } = request.params as { regionCode: string; period: string };
      const body = request.body as { segment?: string };
      const seg = periodSegmentOf(regionCode, body.segment);
      const out = await requestPeriodClose(app.deps.db, request.actor!, { segment: seg, period });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return reply.status(201).send({ segment: seg, period, approvalId: out.value.approvalId });
    },
  );
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
        body: z.strictObject({ segment: periodSegment, approvalId }),
      },
      example: ({ regionCode }) => ({
        params: { regionCode, period: `${EXAMPLE_YEAR}-01` },
        body: { approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const { regionCode, period } = request.params as { regionCode: string; period: string };
      const body = request.body as { segment?: string; approvalId: string };
      const seg = periodSegmentOf(regionCode, body.segment);
      const out = await closePeriod(app.deps.db, request.actor!, {
        segment: seg,
        period,
        approvalId: body.approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
