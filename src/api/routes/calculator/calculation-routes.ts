import type { FastifyInstance } from 'fastify';
import {
  calculationBody,
  calculationResponse,
} from '../../../contract/calculator/calculator-contract.ts';
import { calculateFromUnknown } from '../../../rules/calculator/index.ts';
import { addRoute } from '../../add-route.ts';

/**
 * The public benefit calculator. The body is validated by the calculator itself (the same
 * `calculateFromUnknown` as `tongchou calc`), so the API and the CLI give the same result and the
 * same problem for the same body; the zod schema here documents it in OpenAPI.
 */
export function registerCalculationRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/calculations',
      access: { kind: 'public' },
      action: 'calculations.compute',
      summary:
        '工伤待遇计算器: compute every benefit of a case with citations and an explanation trace',
      tags: ['rules'],
      schema: { body: calculationBody, response: { 200: calculationResponse } },
      skipValidation: true,
      example: () => ({
        body: {
          region: '330000',
          kind: 'disability',
          injuryDate: '2025-03-01',
          decisionDate: '2025-09-01',
          monthlyWagesFen: [600_000],
          disabilityGrade: 7,
        },
      }),
    },
    async (request, reply) => {
      // A calculation changes nothing: it is not audited.
      request.audited = true;
      const out = calculateFromUnknown(request.body, app.deps.rules.benefits);
      if (out.ok) return out.body;
      return reply
        .status(out.status)
        .type('application/problem+json')
        .send({ ...out.body, requestId: request.id });
    },
  );
}
