import type { FastifyInstance } from 'fastify';
import {
  indexationListResponse,
  indexationParams,
  indexationQuery,
  indexationResponse,
  proposeIndexationBody,
} from '../../../contract/benefits/indexation-contract.ts';
import { emptyBody, regionParams } from '../../../contract/common.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { applyIndexation, approveIndexation } from '../../../usecases/benefits/indexation-apply.ts';
import { listIndexationBatches } from '../../../usecases/benefits/indexation-list.ts';
import { proposeIndexation } from '../../../usecases/benefits/indexation-propose.ts';
import { indexationView } from '../../../usecases/benefits/indexation-read.ts';
import { indexationWorkbook } from '../../../usecases/benefits/indexation-report.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * 待遇调整 (indexation, docs/benefits.md "Indexation"), scoped by the city like the payroll: a
 * handler proposes the city's batch of a year and applies it once approved (fund:write: it changes
 * what the fund pays); a supervisor approves it (fund:approve), never the maker (the approvals'
 * trigger). The same use cases as `tongchou benefits indexation`.
 */
export function registerIndexationRoutes(app: FastifyInstance): void {
  registerList(app);
  registerPropose(app);
  registerShow(app);
  registerApprove(app);
  registerApply(app);
  registerReport(app);
}

const base = '/api/v1/regions/:regionCode/indexation-batches';
/** A year no batch exists for: an example must not act on the batch the propose example made. */
const batchExample = (regionCode: string) => `idx_${regionCode}_2011`;

async function viewOrThrow(
  app: FastifyInstance,
  input: {
    regionCode: string;
    batchId: string;
    after?: string | undefined;
    limit?: number | undefined;
  },
) {
  const out = await indexationView(app.deps.db, input);
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
      action: 'benefits.indexation.list',
      regionParam: 'regionCode',
      summary:
        'The city’s indexation batches, newest year first: status, monthly totals before and after, skipped counts and the approval’s state',
      tags: ['benefits'],
      schema: { params: regionParams, response: { 200: indexationListResponse } },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => ({
      items: await listIndexationBatches(app.deps.db, { regionCode: request.params.regionCode }),
    }),
  );
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.indexation.propose',
      regionParam: 'regionCode',
      summary:
        'Propose the city’s indexation batch of a year (one per city and year): the before/after line of every entitlement the adjustment changes, and an approval of its exact payload',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        body: proposeIndexationBody,
        response: { 200: indexationResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, body: { year: 2025 } }),
    },
    async (request) => {
      const out = await proposeIndexation(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { regionCode: request.params.regionCode, year: request.body.year },
        { policy: approvalPolicyOf(app.deps.config) },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return viewOrThrow(app, {
        regionCode: request.params.regionCode,
        batchId: out.value.batchId,
      });
    },
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:batchId`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.indexation.show',
      regionParam: 'regionCode',
      summary:
        'An indexation batch: status, the approved payload (totals by item and payer) and one page of its before/after report',
      tags: ['benefits'],
      schema: {
        params: indexationParams,
        querystring: indexationQuery,
        response: { 200: indexationResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, batchId: batchExample(regionCode) },
        query: { limit: '100' },
      }),
    },
    async (request) => viewOrThrow(app, { ...request.params, ...request.query }),
  );
}

function registerApprove(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:batchId/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'benefits.indexation.approve',
      regionParam: 'regionCode',
      summary:
        'Approve a proposed batch (not its maker): the decision on the approval bound to its payload',
      tags: ['benefits'],
      schema: { params: indexationParams, body: emptyBody, response: { 200: indexationResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, batchId: batchExample(regionCode) },
        body: {},
      }),
    },
    async (request) => {
      const out = await approveIndexation(app.deps.db, request.actor!, request.params);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return viewOrThrow(app, request.params);
    },
  );
}

function registerApply(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:batchId/apply`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.indexation.apply',
      regionParam: 'regionCode',
      summary:
        'Apply an approved batch once: the stored lines are read back and the register witnessed again, and must give the approved payload; each old entitlement ends the day before the effective date and its successor starts with the new amount',
      tags: ['benefits'],
      schema: { params: indexationParams, body: emptyBody, response: { 200: indexationResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, batchId: batchExample(regionCode) },
        body: {},
      }),
    },
    async (request) => {
      const out = await applyIndexation(app.deps.db, request.actor!, request.params);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return viewOrThrow(app, request.params);
    },
  );
}

function registerReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:batchId/report.xlsx`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.indexation.report',
      regionParam: 'regionCode',
      summary:
        'The before/after report of a batch as an Excel workbook (.xlsx): totals, skipped counts, every line in fen',
      tags: ['benefits'],
      schema: { params: indexationParams },
      example: ({ regionCode }) => ({ params: { regionCode, batchId: batchExample(regionCode) } }),
    },
    async (request, reply) => {
      const out = await indexationWorkbook(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${out.value.fileName}"`)
        .send(out.value.bytes);
    },
  );
}
