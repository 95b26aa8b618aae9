import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { visibleRegion } from '../../identity/policy.ts';
import { listRegions } from '../../usecases/registry/regions.ts';
import { addRoute } from '../app.ts';
import { ProblemError } from '../errors.ts';

const city = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  insuredEmployers: z.number().int(),
  insuredWorkers: z.number().int(),
});

export function registerRegionRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions',
      access: { kind: 'permission', permission: 'region:read' },
      action: 'regions.list',
      summary: 'The province and the cities in your scope',
      tags: ['registry'],
      schema: {
        response: {
          200: z.object({
            province: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }),
            cities: z.array(city),
          }),
        },
      },
    },
    async (request) => listRegions(app.deps.db, visibleRegion(request.actor!)),
  );
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
      schema: {
        params: z.strictObject({ regionCode: z.string().regex(/^\d{6}$/) }),
        response: { 200: city },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const all = await listRegions(app.deps.db, regionCode);
      const found = all.cities.find((c) => c.code === regionCode);
      if (!found) throw new ProblemError('record.not_found', `region ${regionCode} not found`);
      return found;
    },
  );
}
