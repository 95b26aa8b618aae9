import type { FastifyInstance } from 'fastify';
import {
  approveRunBody,
  bankReturnBody,
  bankReturnResponse,
  paymentFileQuery,
  payrollRunListResponse,
  payrollRunParams,
  payrollRunResponse,
  payrollRunsQuery,
  recomputeRunBody,
  reconciliationReportParams,
  startRunBody,
} from '../../../contract/benefits/payroll-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { approvePayrollRun } from '../../../usecases/benefits/payroll-approve.ts';
import { issueFixedWidthFile, issuePaymentFile } from '../../../usecases/benefits/payroll-file.ts';
import { listPayrollRuns } from '../../../usecases/benefits/payroll-list.ts';
import { payrollRunView } from '../../../usecases/benefits/payroll-read.ts';
import { payrollReconciliationReport } from '../../../usecases/benefits/payroll-reconciliation-report.ts';
import { importBankReturn } from '../../../usecases/benefits/payroll-return.ts';
import { recomputePayrollRun, startPayrollRun } from '../../../usecases/benefits/payroll-run.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The monthly payroll (docs/benefits.md, "Monthly payroll"), scoped by the city like every city
 * route: a handler starts a run, downloads its payment file and imports the bank's return
 * (fund:write: they move money); a supervisor approves it (fund:approve), never the maker (the
 * approvals' trigger). The same use cases as `tongchou payroll`.
 */
export function registerPayrollRoutes(app: FastifyInstance): void {
  registerList(app);
  registerStart(app);
  registerShow(app);
  registerRecompute(app);
  registerApprove(app);
  registerFile(app);
  registerReturn(app);
  registerReconciliationReport(app);
}

/** No run of that month exists: an example must not approve the run the start example made. */
const runExample = (regionCode: string) => `prl_${regionCode}_199901`;
const base = '/api/v1/regions/:regionCode/payroll-runs';

async function viewOrThrow(app: FastifyInstance, regionCode: string, runId: string) {
  const out = await payrollRunView(app.deps.db, { regionCode, runId });
  if (!out.ok) throw refusalError(out);
  return out.value;
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.list',
      regionParam: 'regionCode',
      summary: 'The city’s payroll runs, newest month first (optionally one year’s)',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        querystring: payrollRunsQuery,
        response: { 200: payrollRunListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { year: '2025' } }),
    },
    async (request) => ({
      items: await listPayrollRuns(app.deps.db, {
        regionCode: request.params.regionCode,
        year: request.query.year,
      }),
    }),
  );
}

function registerStart(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.run',
      regionParam: 'regionCode',
      summary:
        'Start, resume or answer the payroll run of the city and month (idempotent by city and month); computed, it asks for the approval of its totals',
      tags: ['benefits'],
      schema: { params: regionParams, body: startRunBody, response: { 200: payrollRunResponse } },
      example: ({ regionCode }) => ({ params: { regionCode }, body: { month: '2025-09' } }),
    },
    async (request) => {
      const out = await startPayrollRun(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { regionCode: request.params.regionCode, month: request.body.month },
        { policy: approvalPolicyOf(app.deps.config) },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return viewOrThrow(app, out.value.regionCode, out.value.id);
    },
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:runId`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.show',
      regionParam: 'regionCode',
      summary: 'A payroll run: status, totals by kind, anomalies, reconciliation figures',
      tags: ['benefits'],
      schema: { params: payrollRunParams, response: { 200: payrollRunResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, runId: runExample(regionCode) } }),
    },
    async (request) => viewOrThrow(app, request.params.regionCode, request.params.runId),
  );
}

function registerRecompute(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:runId/recompute`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.recompute',
      regionParam: 'regionCode',
      summary:
        'Compute a computed, unapproved run again (an event since changed what its month owes): its draft lines are discarded and a new approval is asked for the new totals',
      tags: ['benefits'],
      schema: {
        params: payrollRunParams,
        body: recomputeRunBody,
        response: { 200: payrollRunResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, runId: runExample(regionCode) },
        body: { reason: '职工死亡已登记' },
      }),
    },
    async (request) => {
      const out = await recomputePayrollRun(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { ...request.params, reason: request.body.reason },
        { policy: approvalPolicyOf(app.deps.config) },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return viewOrThrow(app, request.params.regionCode, request.params.runId);
    },
  );
}

function registerApprove(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:runId/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'benefits.payroll.approve',
      regionParam: 'regionCode',
      summary:
        'Approve a computed run (not its maker): the approval bound to its totals is decided and consumed, Dr 51xx / Cr 2102 posted once',
      tags: ['benefits'],
      schema: {
        params: payrollRunParams,
        body: approveRunBody,
        response: { 200: payrollRunResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, runId: runExample(regionCode) },
        body: {},
      }),
    },
    async (request) => {
      const out = await approvePayrollRun(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return viewOrThrow(app, request.params.regionCode, request.params.runId);
    },
  );
}

function registerFile(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:runId/payment-file.csv`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.file',
      regionParam: 'regionCode',
      summary:
        'The payment file of an approved run: CSV, or with ?format=fixed-gbk the fixed-width GBK text (docs/benefits.md); the first download stores the run’s sha256, later ones are the same bytes',
      tags: ['benefits'],
      schema: { params: payrollRunParams, querystring: paymentFileQuery },
      example: ({ regionCode }) => ({
        params: { regionCode, runId: runExample(regionCode) },
        query: { format: 'fixed-gbk' },
      }),
    },
    async (request, reply) => {
      if (request.query.format === 'fixed-gbk') {
        // Collected as bytes and sent once the issue is recorded (a refusal discards them).
        const parts: Uint8Array[] = [];
        const out = await issueFixedWidthFile(app.deps.db, request.actor!, request.params, (c) => {
          parts.push(c);
        });
        request.audited = out.ok;
        if (!out.ok) throw refusalError(out);
        return reply
          .type('text/plain; charset=gbk')
          .header('content-disposition', `attachment; filename="${out.value.runId}.txt"`)
          .header('x-content-sha256', out.value.sha256)
          .send(Buffer.concat(parts));
      }
      // Collected here (the CLI streams to disk): one response body, sent once the hash is stored.
      const chunks: string[] = [];
      const out = await issuePaymentFile(app.deps.db, request.actor!, request.params, (c) => {
        chunks.push(c);
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${out.value.runId}.csv"`)
        .header('x-content-sha256', out.value.sha256)
        .send(chunks.join(''));
    },
  );
}

function registerReturn(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:runId/bank-return`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.return',
      regionParam: 'regionCode',
      summary:
        'Import the bank’s return file: confirmations post Dr 2102 / Cr 1003 per file and day, failures are recorded with their reason; a re-import posts nothing',
      tags: ['benefits'],
      schema: {
        params: payrollRunParams,
        body: bankReturnBody,
        response: { 200: bankReturnResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, runId: runExample(regionCode) },
        body: { text: 'line_id,status,bank_reference,paid_on,reason\n' },
      }),
    },
    async (request) => {
      const out = await importBankReturn(app.deps.db, request.actor!, {
        ...request.params,
        text: request.body.text,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function registerReconciliationReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:runId/reconciliation-report/:format`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.reconciliation',
      regionParam: 'regionCode',
      summary:
        'A run’s reconciliation report (对账报告) as xlsx or PDF: sent, confirmed, failed, outstanding, held, reissued — lines and fen per kind and in total — beside the run’s 2102 balance in the ledger',
      tags: ['benefits'],
      schema: { params: reconciliationReportParams },
      example: ({ regionCode }) => ({
        params: { regionCode, runId: runExample(regionCode), format: 'xlsx' },
      }),
    },
    async (request, reply) => {
      const out = await payrollReconciliationReport(app.deps.db, request.actor!, request.params);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return reply
        .type(request.params.format === 'pdf' ? 'application/pdf' : XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${out.value.fileName}"`)
        .header('x-content-sha256', out.value.sha256)
        .send(out.value.bytes);
    },
  );
}
