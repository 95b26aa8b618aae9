import type { FastifyInstance } from 'fastify';
import {
  indicatorsParams,
  indicatorsQuery,
  indicatorsResponse,
} from '../../../../contract/fund/indicators/indicators-contract.ts';
import { fundIndicators } from '../../../../usecases/fund/indicators/indicators.ts';
import { addRoute } from '../../../add-route.ts';
import { refusalError } from '../../../errors.ts';
import { today } from '../fund-route-kit.ts';

export function registerFundIndicatorRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/indicators',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.indicators',
      regionParam: 'regionCode',
      summary: 'Months of expenditure and the alert, per city and for the province',
      tags: ['fund'],
      schema: {
        params: indicatorsParams,
        querystring: indicatorsQuery,
        response: { 200: indicatorsResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { asOf: '2025-12-31' } }),
    },
    async (request) => {
      const out = await fundIndicators(
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
