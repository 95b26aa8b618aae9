import type { FastifyInstance } from 'fastify';
import {
  contributionRateBody,
  contributionRateResponse,
} from '../../../contract/contributions/rate-contract.ts';
import { rateFromUnknown } from '../../../rules/contributions/rate.ts';
import { addRoute } from '../../add-route.ts';

/**
 * The public contribution rate calculator, declared as the benefit calculator's route is: public,
 * not audited (it changes nothing), no per-route rate limit. The body is validated by
 * `rateFromUnknown` itself (the same function as `tongchou contributions rate`), so the API and the
 * CLI answer the same bytes; the zod schema here documents it in OpenAPI.
 */
export function registerContributionRateRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/contributions/rate',
      access: { kind: 'public' },
      action: 'contributions.rate',
      summary:
        '工伤保险费率计算: risk class, base rate, floating multiplier and contribution of a payroll, with citations',
      tags: ['contributions'],
      schema: { body: contributionRateBody, response: { 200: contributionRateResponse } },
      skipValidation: true,
      example: () => ({
        body: {
          region: '330100',
          period: '2024-06',
          industry: { standard: 'GB/T 4754-2017', division: '47' },
          floatingGrade: 'up1',
          payrollFen: 123_456_789,
        },
      }),
    },
    async (request, reply) => {
      // A rate calculation changes nothing: it is not audited.
      request.audited = true;
      const out = rateFromUnknown(request.body, app.deps.rules.benefits);
      if (out.ok) return out.body;
      // requestId last: the rest of the bytes are the CLI's (docs/contributions.md).
      return reply
        .status(out.status)
        .type('application/problem+json')
        .send({ ...out.body, requestId: request.id });
    },
  );
}
