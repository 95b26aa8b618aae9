import type { FastifyInstance } from 'fastify';
import { ecardCodeBody, ecardCodeResponse } from '../../../contract/settlement/ecard-contract.ts';
import { issueEcardCode } from '../../../usecases/settlement/ecard-code.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The worker's electronic card code (电子社保卡二维码), under the portal's /api/v1/my/ like the
 * other self-service routes: always the log-in's own worker. A POST because every call issues a
 * new code (and audits it); the answer is never cached.
 */
export function registerEcardRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/my/ecard-code',
      access: { kind: 'permission', permission: 'self:read' },
      action: 'settlement.ecard.issue',
      summary:
        'A short-lived electronic card code of one’s own (our stand-in for the national e-card), read by 1101 读卡',
      tags: ['settlement'],
      schema: { body: ecardCodeBody, response: { 200: ecardCodeResponse } },
      example: () => ({ body: {} }),
    },
    async (request, reply) => {
      const out = await issueEcardCode(app.deps.db, app.deps.rules.benefits, request.actor!);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.header('cache-control', 'no-store');
      return out.value;
    },
  );
}
