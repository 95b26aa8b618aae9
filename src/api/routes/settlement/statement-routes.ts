import type { FastifyInstance } from 'fastify';
import {
  approveBody,
  declareBody,
  declareResponse,
  institutionParams,
  lineParams,
  monthResponse,
  monthsResponse,
  paidResponse,
  proposeResponse,
  queueResponse,
  reviewBody,
  reviewQueueQuery,
  reviewResponse,
  settlementParams,
  settlementResponse,
  statementDocumentParams,
  statementParams,
  statementResponse,
} from '../../../contract/settlement/statements.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  reviewLine,
  reviewQueue,
  settlementDetail,
} from '../../../usecases/settlement/settlement-review.ts';
import { declareMonthTotals } from '../../../usecases/settlement/statement-declare.ts';
import { statementFile } from '../../../usecases/settlement/statement-documents.ts';
import {
  approveStatementPayment,
  proposeStatementPayment,
} from '../../../usecases/settlement/statement-payment.ts';
import {
  institutionMonths,
  readMonth,
  readStatement,
} from '../../../usecases/settlement/statement-read.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The institution's month (issue 13): staff read with settlement:read in their scope, the
 * institution reads its own with bill:read and declares its totals with bill:submit; a city
 * handler reviews lines (settlement:write) and proposes the payment (fund:write); another person
 * approves it (fund:approve). Scope is the use cases' (an institution sees only itself; a city,
 * its settlements and the institutions it manages). No month of 1999 exists: the examples read
 * and refuse, never pay.
 */
export function registerStatementRoutes(app: FastifyInstance): void {
  registerQueue(app);
  registerSettlement(app);
  registerReview(app);
  registerMonths(app);
  registerMonth(app);
  registerStatement(app);
  registerStatementDocument(app);
  registerDeclare(app);
  registerPropose(app);
  registerApprove(app);
}

const base = '/api/v1/settlement';
const exampleInstitution = 'INST-330100-0001';
const exampleMonth = '1999-01';
const exampleSettlement = 'stl_0000000000000000';
const read = {
  kind: 'permission',
  permission: 'settlement:read',
  orPermission: 'bill:read',
} as const;

function registerQueue(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/review-queue`,
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.review.queue',
      summary:
        'The sampled settlements of a month waiting for manual review (人工审核), in your scope',
      tags: ['settlement'],
      schema: { querystring: reviewQueueQuery, response: { 200: queueResponse } },
      example: () => ({ query: { month: exampleMonth } }),
    },
    async (request) => ({
      entries: await reviewQueue(app.deps.db, request.actor!, request.query),
    }),
  );
}

function registerSettlement(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/settlements/:regionCode/:settlementId`,
      access: read,
      action: 'settlement.settlement.show',
      summary: 'A settlement with its lines, their adjudication and review',
      tags: ['settlement'],
      schema: { params: settlementParams, response: { 200: settlementResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, settlementId: exampleSettlement } }),
    },
    async (request) => {
      const out = await settlementDetail(app.deps.db, request.actor!, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerReview(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/settlements/:regionCode/:settlementId/lines/:lineNo/review`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.review',
      summary:
        'Accept a settled line, or deduct from it after review (Dr 2101 / Cr 51xx, once per line)',
      tags: ['settlement'],
      schema: { params: lineParams, body: reviewBody, response: { 200: reviewResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, settlementId: exampleSettlement, lineNo: '1' },
        body: { decision: 'deducted', deductedFen: 100, reason: '不合规收费' },
      }),
    },
    async (request) => {
      const body = request.body;
      const out = await reviewLine(app.deps.db, request.actor!, {
        ...request.params,
        ...body,
        on: body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerMonths(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/institutions/:institutionId/months`,
      access: read,
      action: 'settlement.months',
      summary:
        'The accounting months an institution has settlements in, with their statement status',
      tags: ['settlement'],
      schema: { params: institutionParams, response: { 200: monthsResponse } },
      example: () => ({ params: { institutionId: exampleInstitution } }),
    },
    async (request) => {
      const out = await institutionMonths(
        app.deps.db,
        request.actor!,
        request.params.institutionId,
      );
      if (!out.ok) throw refusalError(out);
      return { institutionId: request.params.institutionId, months: out.value };
    },
  );
}

function registerMonth(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/institutions/:institutionId/months/:month`,
      access: read,
      action: 'settlement.month',
      summary: "An institution's month: its settlements and the lines not paid whole",
      tags: ['settlement'],
      schema: { params: statementParams, response: { 200: monthResponse } },
      example: () => ({ params: { institutionId: exampleInstitution, month: exampleMonth } }),
    },
    async (request) => {
      const out = await readMonth(app.deps.db, request.actor!, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerStatement(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/institutions/:institutionId/months/:month/statement`,
      access: read,
      action: 'settlement.statement.show',
      summary:
        'The monthly statement: totals, reconciliation with the declared totals, deductions, guarantee, payable',
      tags: ['settlement'],
      schema: { params: statementParams, response: { 200: statementResponse } },
      example: () => ({ params: { institutionId: exampleInstitution, month: exampleMonth } }),
    },
    async (request) => {
      const out = await readStatement(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        request.params,
      );
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerDeclare(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'PUT',
      url: `${base}/institutions/:institutionId/months/:month/declared`,
      access: { kind: 'permission', permission: 'bill:submit' },
      action: 'settlement.declare',
      summary:
        "The institution's own totals for the month (总额对账), optionally per serial (明细对账); again until paid",
      tags: ['settlement'],
      schema: { params: statementParams, body: declareBody, response: { 200: declareResponse } },
      example: () => ({
        params: { institutionId: exampleInstitution, month: exampleMonth },
        body: { settlementCount: 0, fundFen: 0 },
      }),
    },
    async (request) => {
      const out = await declareMonthTotals(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/institutions/:institutionId/months/:month/payment-proposal`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'settlement.statement.propose',
      summary:
        'Propose the payment of a reconciled statement: asks an approval bound to its amounts',
      tags: ['settlement'],
      schema: { params: statementParams, response: { 200: proposeResponse } },
      example: () => ({ params: { institutionId: exampleInstitution, month: exampleMonth } }),
    },
    async (request) => {
      const out = await proposeStatementPayment(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        request.params,
        approvalPolicyOf(app.deps.config),
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerApprove(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/institutions/:institutionId/months/:month/payment-approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'settlement.statement.approve',
      summary:
        'Approve the proposed payment (not its maker): Dr 2101 / Cr 1003 per segment, posted once',
      tags: ['settlement'],
      schema: { params: statementParams, body: approveBody, response: { 200: paidResponse } },
      example: () => ({
        params: { institutionId: exampleInstitution, month: exampleMonth },
        body: {},
      }),
    },
    async (request) => {
      const out = await approveStatementPayment(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        {
          ...request.params,
          on: request.body.on ?? today(),
        },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function registerStatementDocument(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/institutions/:institutionId/months/:month/statement-document/:format`,
      access: read,
      action: 'settlement.statement.document',
      summary:
        'The monthly statement (月结算单) as PDF or xlsx: totals, settlements, rejections, deductions, guarantee, payable',
      tags: ['settlement'],
      schema: { params: statementDocumentParams },
      example: () => ({
        params: { institutionId: exampleInstitution, month: exampleMonth, format: 'xlsx' },
      }),
    },
    async (request, reply) => {
      const out = await statementFile(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        request.params,
      );
      if (!out.ok) throw refusalError(out);
      return reply
        .type(request.params.format === 'pdf' ? 'application/pdf' : XLSX)
        .header('content-disposition', `attachment; filename="${out.value.fileName}"`)
        .send(out.value.bytes);
    },
  );
}
