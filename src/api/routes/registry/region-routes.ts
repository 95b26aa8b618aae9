import type { FastifyInstance } from 'fastify';
import {
  cityResponse,
  regionShowParams,
  regionsResponse,
} from '../../../contract/registry/regions-contract.ts';
import { visibleRegion } from '../../../identity/policy.ts';
import { listRegions } from '../../../usecases/registry/regions.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError } from '../../errors.ts';
import { today } from './registry-route-kit.ts';

export function registerRegionRoutes(app: FastifyInstance): void {
  registerRegionList(app);
  registerRegionShow(app);
}

function registerRegionList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions',
      access: { kind: 'permission', permission: 'region:read' },
      action: 'regions.list',
      summary:
        'The province and the cities in your scope, with insured employers and workers counted from the register',
      tags: ['registry'],
      schema: { response: { 200: regionsResponse } },
    },
    async (request) => listRegions(app.deps.db, visibleRegion(request.actor!), today()),
  );
}

function registerRegionShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode',
      access: { kind: 'permission', permission: 'region:read' },
      action: 'regions.show',
      regionParam: 'regionCode',
      summary: 'One city (404 outside your scope)',
      tags: ['registry'],
      schema: { params: regionShowParams, response: { 200: cityResponse } },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const { regionCode } = request.params;
      const all = await listRegions(app.deps.db, regionCode, today());
      const found = all.cities.find((c) => c.code === regionCode);
      if (!found) throw new ProblemError('record.not_found', `region ${regionCode} not found`);
      return found;
    },
  );
}
