import type { FastifyInstance } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  xpFilingBody,
  xpFilingListQuery,
  xpFilingListResponse,
  xpFilingParams,
  xpFilingResponse,
  xpRevocationBody,
} from '../../../contract/settlement/cross-province-contract.ts';
import {
  listFilings,
  recordFiling,
  revokeFiling,
} from '../../../usecases/settlement/cross-province-filings.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { registerCrossProvinceFundRoutes } from './cross-province-fund-routes.ts';

/**
 * Cross-province care (跨省异地就医, docs/settlement-cross-province.md): a city's filings (备案) here;
 * the province's advances (预付金) and clearing files (费用清算) in cross-province-fund-routes.ts.
 */
export function registerCrossProvinceRoutes(app: FastifyInstance): void {
  registerFilingList(app);
  registerFiling(app);
  registerRevocation(app);
  registerCrossProvinceFundRoutes(app);
}

const BASE = '/api/v1/regions/:regionCode/settlement/cross-province';

function registerFilingList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${BASE}/filings`,
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.cross_province.filings',
      regionParam: 'regionCode',
      summary: 'Cross-province filings (备案) of a city, or of one case (caseId)',
      tags: ['settlement'],
      schema: {
        params: regionParams,
        querystring: xpFilingListQuery,
        response: { 200: xpFilingListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '10' } }),
    },
    async (request) => ({
      filings: await listFilings(app.deps.db, {
        city: request.params.regionCode,
        caseId: request.query.caseId,
        limit: request.query.limit,
      }),
    }),
  );
}

function registerFiling(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/filings`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.cross_province.file',
      regionParam: 'regionCode',
      summary:
        'File (备案) that the worker of an accepted case is treated in another province: validity from the dated parameter of its kind; overlap refused',
      tags: ['settlement'],
      schema: { params: regionParams, body: xpFilingBody, response: { 200: xpFilingResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          caseId: `cas_${regionCode}_${'0'.repeat(16)}`,
          kind: 'referral',
          province: '310000',
          fromDate: '2025-06-01',
        },
      }),
    },
    async (request) => {
      const out = await recordFiling(app.deps.db, request.actor!, app.deps.rules.benefits, {
        city: request.params.regionCode,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return { filing: out.value };
    },
  );
}

function registerRevocation(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/filings/:filingId/revocation`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.cross_province.revoke',
      regionParam: 'regionCode',
      summary: 'Revoke a cross-province filing from a day on (it covers the days before)',
      tags: ['settlement'],
      schema: {
        params: xpFilingParams,
        body: xpRevocationBody,
        response: { 200: xpFilingResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, filingId: `xpf_${regionCode}_${'0'.repeat(16)}` },
        body: { on: '2025-07-01', reason: '返回参保地治疗' },
      }),
    },
    async (request) => {
      const out = await revokeFiling(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        filingId: request.params.filingId,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return { filing: out.value };
    },
  );
}
