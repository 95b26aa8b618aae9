import type { FastifyInstance } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  xpAdvanceApprovalBody,
  xpAdvanceApprovalResponse,
  xpAdvanceBody,
  xpAdvanceListResponse,
  xpAdvanceResponse,
  xpClearingBody,
  xpClearingResponse,
  xpListQuery,
} from '../../../contract/settlement/cross-province-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  listAdvances,
  payAdvance,
  requestAdvance,
} from '../../../usecases/settlement/cross-province-advances.ts';
import {
  advanceBalanceFen,
  importClearing,
} from '../../../usecases/settlement/cross-province-clearing.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The province fund's side of cross-province care: advances (预付金, maker-checker) and the national
 * system's clearing files (费用清算). The region is the province; a city's code is refused.
 */
export function registerCrossProvinceFundRoutes(app: FastifyInstance): void {
  registerAdvanceList(app);
  registerAdvanceApproval(app);
  registerAdvancePayment(app);
  registerClearingImport(app);
}

const BASE = '/api/v1/regions/:regionCode/settlement/cross-province';

/** An example file (one row of a case that does not exist: refused with a row report). */
const EXAMPLE_CSV = Buffer.from(
  '结算流水号,身份证号码,工伤案件编号,就医省份,就医机构名称,费用类别,基金支付金额,结算日期\n' +
    'SH-0001,11010519491231002X,cas_none,310000,上海市第六人民医院,medical,1200.50,2025-07-10\n',
).toString('base64');

function registerAdvanceList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${BASE}/advances`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'settlement.cross_province.advances',
      regionParam: 'regionCode',
      summary: 'Advances (预付金) paid to the national clearing system, and what remains uncleared',
      tags: ['settlement'],
      schema: {
        params: regionParams,
        querystring: xpListQuery,
        response: { 200: xpAdvanceListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '10' } }),
    },
    async (request) => ({
      advances: await listAdvances(app.deps.db, {
        province: request.params.regionCode,
        limit: request.query.limit,
      }),
      advanceBalanceFen: await advanceBalanceFen(app.deps.db, request.params.regionCode),
    }),
  );
}

function registerAdvanceApproval(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/advances/approvals`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'settlement.cross_province.advance_request',
      regionParam: 'regionCode',
      summary: 'Maker: ask for approval of an advance (预付金) to the national clearing system',
      tags: ['settlement'],
      schema: {
        params: regionParams,
        body: xpAdvanceApprovalBody,
        response: { 200: xpAdvanceApprovalResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { advanceId: 'YF-2025-07', amountFen: 5_000_000, paidOn: '2025-07-01' },
      }),
    },
    async (request) => {
      const out = await requestAdvance(app.deps.db, request.actor!, {
        province: request.params.regionCode,
        ...request.body,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerAdvancePayment(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/advances`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'settlement.cross_province.advance',
      regionParam: 'regionCode',
      summary:
        'Pay an approved advance: Dr 1132 暂付款 / Cr 1003 (province); the approval must match the exact payload',
      tags: ['settlement'],
      schema: { params: regionParams, body: xpAdvanceBody, response: { 200: xpAdvanceResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          advanceId: 'YF-2025-07',
          amountFen: 5_000_000,
          paidOn: '2025-07-01',
          approvalId: `apr_${'0'.repeat(24)}`,
        },
      }),
    },
    async (request) => {
      const out = await payAdvance(app.deps.db, request.actor!, {
        province: request.params.regionCode,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerClearingImport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${BASE}/clearings`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'settlement.cross_province.clearing',
      regionParam: 'regionCode',
      summary:
        'Import the national clearing file (CSV, docs/settlement-cross-province.md): refused whole with a row report on any bad row; idempotent per file and per (treating province, serial)',
      tags: ['settlement'],
      schema: { params: regionParams, body: xpClearingBody, response: { 200: xpClearingResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { fileName: 'clearing.csv', contentBase64: EXAMPLE_CSV, clearedOn: '2025-07-31' },
      }),
    },
    async (request) => {
      const out = await importClearing(app.deps.db, request.actor!, {
        province: request.params.regionCode,
        fileName: request.body.fileName,
        bytes: Buffer.from(request.body.contentBase64, 'base64'),
        clearedOn: request.body.clearedOn,
        today: todayInChina(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
