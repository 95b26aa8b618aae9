import type { FastifyInstance } from 'fastify';
import {
  approveReleaseBody,
  proposeReleaseBody,
  releaseListQuery,
  releaseListResponse,
  releaseParams,
  releaseResponse,
} from '../../../contract/benefits/payroll-release-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { listReleases } from '../../../usecases/benefits/payroll-by-hand-lists.ts';
import {
  approveRelease,
  proposeRelease,
  releaseSummary,
  releaseView,
} from '../../../usecases/benefits/payroll-release.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The release of failed payroll lines owed to no one (docs/benefits.md, "Release of failed lines
 * owed to no one"), scoped by the city: a handler proposes (fund:write), a supervisor approves
 * and applies (fund:approve), never the maker. The same use cases as `tongchou payroll release`.
 */
export function registerPayrollReleaseRoutes(app: FastifyInstance): void {
  registerPropose(app);
  registerList(app);
  registerShow(app);
  registerApprove(app);
}

const base = '/api/v1/regions/:regionCode/payroll-releases';
/** No release has this id: an example must not approve a real release. */
const example = 'prr_00000000000000000000';

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.payroll.release.propose',
      regionParam: 'regionCode',
      summary:
        'Propose the release of failed payroll lines owed to no one (after a death, a stop, a survivor’s end, a retirement): lines, amounts, expense accounts and reasons go to approval',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        body: proposeReleaseBody,
        response: { 200: releaseResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { lineIds: ['pln_00000000000000000000'] },
      }),
    },
    async (request) => {
      const out = await proposeRelease(
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
      return releaseSummary(out.value);
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
      action: 'benefits.payroll.release.list',
      regionParam: 'regionCode',
      summary:
        'The city’s releases of failed lines (冲回), newest first: status, day, lines, total, maker, approval, the ledger transaction',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        querystring: releaseListQuery,
        response: { 200: releaseListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '20' } }),
    },
    async (request) =>
      listReleases(app.deps.db, {
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
      url: `${base}/:releaseId`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.payroll.release.show',
      regionParam: 'regionCode',
      summary: 'A release of failed lines: status, lines, reasons, the ledger transaction',
      tags: ['benefits'],
      schema: { params: releaseParams, response: { 200: releaseResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, releaseId: example } }),
    },
    async (request) => {
      const out = await releaseView(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return releaseSummary({ release: out.value, replayed: false });
    },
  );
}

function registerApprove(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:releaseId/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'benefits.payroll.release.apply',
      regionParam: 'regionCode',
      summary:
        'Approve a proposed release (not its maker): the lines read again, the approval consumed against them, Dr 2102 / Cr 51xx posted once; a second call replays',
      tags: ['benefits'],
      schema: {
        params: releaseParams,
        body: approveReleaseBody,
        response: { 200: releaseResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode, releaseId: example }, body: {} }),
    },
    async (request) => {
      const out = await approveRelease(app.deps.db, request.actor!, {
        ...request.params,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return releaseSummary(out.value);
    },
  );
}
