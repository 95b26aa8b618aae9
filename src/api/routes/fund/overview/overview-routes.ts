import type { FastifyInstance } from 'fastify';
import {
  overviewParams,
  overviewQuery,
  overviewResponse,
} from '../../../../contract/fund/overview/overview-contract.ts';
import { fundOverview } from '../../../../usecases/fund/overview/fund-overview.ts';
import { addRoute } from '../../../add-route.ts';
import { refusalError } from '../../../errors.ts';
import { today } from '../fund-route-kit.ts';

export function registerFundOverviewRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/overview',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.overview',
      regionParam: 'regionCode',
      summary:
        'Fund overview of a city, or of the province (330000: the whole province and each segment)',
      tags: ['fund'],
      schema: {
        params: overviewParams,
        querystring: overviewQuery,
        response: { 200: overviewResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const out = await fundOverview(
        app.deps.db,
        {
          regionCode: request.params.regionCode,
          asOf: request.query.asOf,
          today: today(),
        },
        app.deps.rules.indicators,
      );
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
