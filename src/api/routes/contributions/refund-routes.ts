import type { FastifyInstance } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  offsetBody,
  offsetResponse,
  refundBody,
  refundListResponse,
  refundResponse,
} from '../../../contract/contributions/refund-contract.ts';
import { employerParams } from '../../../contract/registry/employers-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { offsetOverpayment } from '../../../usecases/contributions/overpayment-offset.ts';
import {
  listRefunds,
  refundOverpayment,
} from '../../../usecases/contributions/overpayment-refund.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { registryExamples } from '../registry/registry-route-kit.ts';

/**
 * Refunds of overpaid contributions held in 2103 暂收款 (docs/contributions.md, "Refunds of
 * overpayments"): a city handler asks (no approvalId), a checker of another role approves through
 * the approvals routes, the same request with approvalId posts Dr 2103 / Cr 1001 once.
 */
export function registerRefundRoutes(app: FastifyInstance): void {
  registerRefund(app);
  registerOffset(app);
  registerRefundList(app);
}

function registerOffset(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/offsets',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.offset',
      regionParam: 'regionCode',
      summary:
        'Offset (part of) an employer’s overpayment held in 2103 against a later assessed month of it: without approvalId asks for approval; with it posts Dr 2103 / Cr 1131 once (at most the excess and the month’s outstanding)',
      tags: ['contributions'],
      schema: { params: regionParams, body: offsetBody, response: { 200: offsetResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          employerId: registryExamples.employerId(regionCode),
          clientKey: 'offset-example-0001',
          month: '2025-01',
          amountFen: 100,
          reason: '多缴抵缴',
          offsetOn: '2025-02-15',
        },
      }),
    },
    async (request) => {
      const out = await offsetOverpayment(app.deps.db, request.actor!, {
        ...request.body,
        city: request.params.regionCode,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerRefund(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/refunds',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.refund',
      regionParam: 'regionCode',
      summary:
        'Refund (part of) an employer’s overpayment held in 2103 to its bank account: without approvalId asks for approval of the exact refund; with it posts Dr 2103 / Cr 1001 once (clientKey: a retry replays)',
      tags: ['contributions'],
      schema: { params: regionParams, body: refundBody, response: { 200: refundResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          employerId: registryExamples.employerId(regionCode),
          clientKey: 'refund-example-0001',
          amountFen: 100,
          reason: '多缴退还',
          bankName: '中国工商银行',
          accountNumber: '6222020000000001',
          accountName: '示例单位',
          refundOn: '2025-01-15',
        },
      }),
    },
    async (request) => {
      const out = await refundOverpayment(app.deps.db, request.actor!, {
        ...request.body,
        city: request.params.regionCode,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerRefundList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/employers/:employerId/contribution-refunds',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.refund.list',
      regionParam: 'regionCode',
      summary: 'An employer’s overpayment held in 2103 (what can be refunded) and its refunds',
      tags: ['contributions'],
      schema: { params: employerParams, response: { 200: refundListResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
      }),
    },
    async (request) => listRefunds(app.deps.db, request.params),
  );
}
