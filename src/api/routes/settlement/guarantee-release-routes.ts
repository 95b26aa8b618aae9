import type { FastifyInstance } from 'fastify';
import {
  releaseActionBody,
  releaseListParams,
  releaseListResponse,
  releasePaidResponse,
  releaseParams,
  releaseProposedResponse,
  releaseResponse,
} from '../../../contract/settlement/guarantee-releases.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  approveGuaranteeRelease,
  listGuaranteeReleases,
  proposeGuaranteeRelease,
  readGuaranteeRelease,
} from '../../../usecases/settlement/guarantee-release.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The year-end release of an institution's retained guarantee (issue 13): staff read with
 * settlement:read in their scope and the institution reads its own with bill:read; a city handler
 * proposes (fund:write); another person approves (fund:approve). Scope is the use case's. The
 * examples use 1999, before any rule: they are refused, never paid.
 */
export function registerGuaranteeReleaseRoutes(app: FastifyInstance): void {
  registerList(app);
  registerRead(app);
  registerPropose(app);
  registerApprove(app);
}

const base = '/api/v1/settlement/institutions/:institutionId/guarantee-releases';
const example = { institutionId: 'INST-330100-0001', year: '1999' };
const read = {
  kind: 'permission',
  permission: 'settlement:read',
  orPermission: 'bill:read',
} as const;

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: read,
      action: 'settlement.guarantee.list',
      summary: "An institution's guarantee releases (proposed or paid), latest year first",
      tags: ['settlement'],
      schema: { params: releaseListParams, response: { 200: releaseListResponse } },
      example: () => ({ params: { institutionId: example.institutionId } }),
    },
    async (request) => {
      const { institutionId } = request.params;
      const out = await listGuaranteeReleases(app.deps.db, request.actor!, institutionId);
      if (!out.ok) throw refusalError(out);
      return { institutionId, releases: out.value };
    },
  );
}

function registerRead(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:year`,
      access: read,
      action: 'settlement.guarantee.show',
      summary:
        "A year's guarantee release as computed now: retained per segment, later deductions, months unpaid",
      tags: ['settlement'],
      schema: { params: releaseParams, response: { 200: releaseResponse } },
      example: () => ({ params: example }),
    },
    async (request) => {
      const out = await readGuaranteeRelease(
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

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:year/proposal`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'settlement.guarantee.propose',
      summary: "Propose the release of a year's guarantee: asks an approval bound to its amounts",
      tags: ['settlement'],
      schema: {
        params: releaseParams,
        body: releaseActionBody,
        response: { 200: releaseProposedResponse },
      },
      example: () => ({ params: example, body: {} }),
    },
    async (request) => {
      const out = await proposeGuaranteeRelease(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { ...request.params, on: request.body.on ?? today() },
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
      url: `${base}/:year/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'settlement.guarantee.approve',
      summary: 'Approve the proposed release (not its maker): Dr 2101 / Cr 1003 per segment, once',
      tags: ['settlement'],
      schema: {
        params: releaseParams,
        body: releaseActionBody,
        response: { 200: releasePaidResponse },
      },
      example: () => ({ params: example, body: {} }),
    },
    async (request) => {
      const out = await approveGuaranteeRelease(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { ...request.params, on: request.body.on ?? today() },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
