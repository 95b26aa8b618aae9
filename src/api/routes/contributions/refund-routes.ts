import type { FastifyInstance } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  offsetBody,
  offsetResponse,
  refundBody,
  refundFailureBody,
  refundFailureResponse,
  refundFileBody,
  refundFileListResponse,
  refundFileParams,
  refundFileResponse,
  refundIdParams,
  refundListResponse,
  refundResponse,
  refundReturnBody,
  refundReturnResponse,
} from '../../../contract/contributions/refund-contract.ts';
import { employerParams } from '../../../contract/registry/employers-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { offsetOverpayment } from '../../../usecases/contributions/overpayment-offset.ts';
import {
  listRefunds,
  refundOverpayment,
} from '../../../usecases/contributions/overpayment-refund.ts';
import { recordRefundFailure } from '../../../usecases/contributions/refund-failure.ts';
import { issueRefundFile, readRefundFile } from '../../../usecases/contributions/refund-file.ts';
import { listRefundFiles } from '../../../usecases/contributions/refund-file-status.ts';
import { importRefundReturn } from '../../../usecases/contributions/refund-return.ts';
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
  registerRefundFailure(app);
  registerRefundFile(app);
  registerRefundFileRead(app);
  registerRefundFileList(app);
  registerRefundReturn(app);
}

const refundExample = (regionCode: string) => `crf_${regionCode}_0123456789abcdef`;

function registerRefundFailure(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/refunds/:refundId/failure',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.refund.failure',
      regionParam: 'regionCode',
      summary:
        'The bank reported a sent refund not paid: records the failure and posts Dr 1001 / Cr 2103 once (the money is held for the employer again); clientKey: a retry replays, a second failure of the refund is refused',
      tags: ['contributions'],
      schema: {
        params: refundIdParams,
        body: refundFailureBody,
        response: { 200: refundFailureResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, refundId: refundExample(regionCode) },
        body: { clientKey: 'refund-failure-0001', reason: '账户已销户', failedOn: '2025-01-17' },
      }),
    },
    async (request) => {
      const out = await recordRefundFailure(app.deps.db, request.actor!, {
        ...request.body,
        city: request.params.regionCode,
        refundId: request.params.refundId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerRefundFile(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/refund-files',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.refund.file',
      regionParam: 'regionCode',
      summary:
        'Issues the bank file of the city’s posted refunds of a day not yet sent (CSV after the payroll’s payment file); records its sha256 and the refunds it carries; the bytes at …/refund-files/:fileId/file.csv',
      tags: ['contributions'],
      schema: { params: regionParams, body: refundFileBody, response: { 200: refundFileResponse } },
      example: ({ regionCode }) => ({ params: { regionCode }, body: { day: '2025-01-15' } }),
    },
    async (request) => {
      const out = await issueRefundFile(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        day: request.body.day,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      const { text: _bytes, ...file } = out.value;
      return file;
    },
  );
}

function registerRefundFileRead(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/contributions/refund-files/:fileId/file.csv',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.refund.file.read',
      regionParam: 'regionCode',
      summary:
        'An issued refund file’s CSV: the same bytes every time (checked against the sha256 recorded at its issue, sent in x-content-sha256); each read audited',
      tags: ['contributions'],
      schema: { params: refundFileParams },
      example: ({ regionCode }) => ({
        params: { regionCode, fileId: `crfile_${regionCode}_0123456789abcdef` },
      }),
    },
    async (request, reply) => {
      const out = await readRefundFile(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        fileId: request.params.fileId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${out.value.fileId}.csv"`)
        .header('x-content-sha256', out.value.sha256)
        .send(out.value.text);
    },
  );
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

function registerRefundFileList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/contributions/refund-files',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.refund.file.list',
      regionParam: 'regionCode',
      summary:
        'The city’s refund files with the bank’s answers: per file paid, failed and outstanding counts and totals, and its status (sent, outstanding, confirmed, failed)',
      tags: ['contributions'],
      schema: { params: regionParams, response: { 200: refundFileListResponse } },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const out = await listRefundFiles(app.deps.db, { city: request.params.regionCode });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerRefundReturn(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/refund-files/:fileId/returns',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.refund.return',
      regionParam: 'regionCode',
      summary:
        'Imports the bank’s return file of a refund file (CSV text): paid refunds confirmed, failed ones reversed (Dr 1001 / Cr 2103) through the failure code; the same file twice writes nothing new; refused whole on a bad row with its row report',
      tags: ['contributions'],
      schema: {
        params: refundFileParams,
        body: refundReturnBody,
        response: { 200: refundReturnResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, fileId: `crfile_${regionCode}_0123456789abcdef` },
        body: { text: 'refund_id,status,bank_reference,paid_on,reason\n' },
      }),
    },
    async (request) => {
      const out = await importRefundReturn(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        fileId: request.params.fileId,
        text: request.body.text,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
