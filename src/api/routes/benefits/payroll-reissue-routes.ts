import type { FastifyInstance } from 'fastify';
import {
  proposeReissueBody,
  reissueBatchListQuery,
  reissueBatchListResponse,
  reissueBatchParams,
  reissueBatchResponse,
  reissueFileQuery,
  reissueReturnBody,
  reissueReturnResponse,
} from '../../../contract/benefits/payroll-reissue-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { listReissueBatches } from '../../../usecases/benefits/payroll-by-hand-lists.ts';
import {
  approveReissue,
  proposeReissue,
} from '../../../usecases/benefits/payroll-reissue-batch.ts';
import {
  importReissueReturn,
  issueReissueFile,
  reissueBatchSummary,
  reissueBatchView,
} from '../../../usecases/benefits/payroll-reissue-batch-bank.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The reissue of failed payroll lines by hand (docs/benefits.md, "Reissue by hand"), scoped by the
 * city: a handler proposes a batch, downloads its payment file and imports the bank's return
 * (fund:write); a supervisor approves it (fund:approve), never the maker. The same use cases as
 * `tongchou payroll reissue`.
 */
export function registerPayrollReissueRoutes(app: FastifyInstance): void {
  registerPropose(app);
  registerList(app);
  registerShow(app);
  registerApprove(app);
  registerFile(app);
  registerReturn(app);
}

const base = '/api/v1/regions/:regionCode/payroll-reissues';
/** No batch has this id: an example must not approve a real batch. */
const example = 'prb_00000000000000000000';

async function summaryOrThrow(app: FastifyInstance, regionCode: string, batchId: string) {
  const out = await reissueBatchView(app.deps.db, { regionCode, batchId });
  if (!out.ok) throw refusalError(out);
  return reissueBatchSummary(out.value);
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.reissue.propose',
      regionParam: 'regionCode',
      summary:
        'Propose the reissue by hand of failed payroll lines (立即补发): the next run’s rules decide each line, the lines, amounts and card accounts go to approval',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        body: proposeReissueBody,
        response: { 200: reissueBatchResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { lineIds: ['pln_00000000000000000000'] },
      }),
    },
    async (request) => {
      const out = await proposeReissue(
        app.deps.db,
        request.actor!,
        {
          regionCode: request.params.regionCode,
          lineIds: request.body.lineIds,
          on: request.body.on ?? today(),
        },
        { policy: approvalPolicyOf(app.deps.config) },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return summaryOrThrow(app, out.value.batch.regionCode, out.value.batch.id);
    },
  );
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.reissue.list',
      regionParam: 'regionCode',
      summary:
        'The city’s reissue batches (补发批次), newest first: status, day, lines, total, maker, approval, file and the bank’s answers',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        querystring: reissueBatchListQuery,
        response: { 200: reissueBatchListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '20' } }),
    },
    async (request) =>
      listReissueBatches(app.deps.db, {
        regionCode: request.params.regionCode,
        status: request.query.status ?? null,
        after: request.query.after ?? null,
        limit: request.query.limit,
      }),
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:batchId`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.reissue.show',
      regionParam: 'regionCode',
      summary: 'A reissue batch: status, lines, and its own reconciliation figures',
      tags: ['benefits'],
      schema: { params: reissueBatchParams, response: { 200: reissueBatchResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, batchId: example } }),
    },
    async (request) => summaryOrThrow(app, request.params.regionCode, request.params.batchId),
  );
}

function registerApprove(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:batchId/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'benefits.payroll.reissue.apply',
      regionParam: 'regionCode',
      summary:
        'Approve a proposed reissue batch (not its maker): the approval is decided and consumed against the payload rebuilt now, the lines written once; a second call replays',
      tags: ['benefits'],
      schema: { params: reissueBatchParams, response: { 200: reissueBatchResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, batchId: example } }),
    },
    async (request) => {
      const out = await approveReissue(app.deps.db, request.actor!, request.params);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return summaryOrThrow(app, request.params.regionCode, request.params.batchId);
    },
  );
}

function registerFile(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:batchId/payment-file.csv`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.reissue.file',
      regionParam: 'regionCode',
      summary:
        'The payment file of an approved reissue batch: CSV, or with ?format=fixed-gbk the fixed-width GBK text — the run’s layouts',
      tags: ['benefits'],
      schema: { params: reissueBatchParams, querystring: reissueFileQuery },
      example: ({ regionCode }) => ({ params: { regionCode, batchId: example }, query: {} }),
    },
    async (request, reply) => {
      const format = request.query.format ?? 'csv';
      const out = await issueReissueFile(app.deps.db, request.actor!, {
        ...request.params,
        format,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=gbk')
        .header(
          'content-disposition',
          `attachment; filename="${out.value.batchId}.${format === 'csv' ? 'csv' : 'txt'}"`,
        )
        .header('x-content-sha256', out.value.sha256)
        .send(Buffer.from(out.value.bytes));
    },
  );
}

function registerReturn(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:batchId/bank-return`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.reissue.return',
      regionParam: 'regionCode',
      summary:
        'Import the bank’s return file of a reissue batch (the payroll’s layout): confirmations post Dr 2102 / Cr 1003, failures are recorded and can be reissued again',
      tags: ['benefits'],
      schema: {
        params: reissueBatchParams,
        body: reissueReturnBody,
        response: { 200: reissueReturnResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, batchId: example },
        body: { text: 'line_id,status,bank_reference,paid_on,reason\n' },
      }),
    },
    async (request) => {
      const out = await importReissueReturn(app.deps.db, request.actor!, {
        ...request.params,
        text: request.body.text,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
