import type { FastifyInstance } from 'fastify';
import { spellResponse } from '../../../contract/registry/employers-contract.ts';
import {
  hireBody,
  leaveBody,
  ownSpellParams,
  rosterQuery,
  rosterResponse,
} from '../../../contract/registry/workers-contract.ts';
import { endSpell, hireWorker, rosterAt } from '../../../usecases/registry/workers.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { ownEmployer, registryExamples, today } from './registry-route-kit.ts';

/**
 * An employer's self-service (the employer role): its own roster, 增员 and 减员. The employer is
 * the one the user's scope names (its credit code); a user of any other scope has none (404).
 */
export function registerEmployerSelfRoutes(app: FastifyInstance): void {
  registerOwnRoster(app);
  registerOwnHire(app);
  registerOwnLeave(app);
}

function registerOwnRoster(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/roster',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'registry.own.roster',
      summary: 'Your employer’s roster on a date (ID numbers masked)',
      tags: ['registry'],
      schema: { querystring: rosterQuery, response: { 200: rosterResponse } },
      example: () => ({}),
    },
    async (request) => {
      const employer = await ownEmployer(app, request.actor!);
      const date = request.query.date ?? today();
      return {
        employerId: employer.id,
        date,
        roster: await rosterAt(app.deps.db, request.actor!, employer, date, request.query.limit),
      };
    },
  );
}

function registerOwnHire(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/employer/spells',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.own.hire',
      summary: '增员 at your employer (公民身份号码 checked by GB 11643)',
      tags: ['registry'],
      schema: { body: hireBody, response: { 201: spellResponse } },
      example: () => ({
        body: { idNumber: registryExamples.idNumber, name: '测试职工', startDate: '2025-02-01' },
      }),
    },
    async (request, reply) => {
      const employer = await ownEmployer(app, request.actor!);
      const out = await hireWorker(app.deps.db, request.actor!, {
        regionCode: employer.regionCode,
        employerId: employer.id,
        ...request.body,
        today: today(),
        perHourMax: app.deps.config.PERSON_REGISTRATIONS_PER_HOUR,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerOwnLeave(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/employer/spells/:spellId/leave',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.own.leave',
      summary: '减员 at your employer: the spell ends on the given date',
      tags: ['registry'],
      schema: { params: ownSpellParams, body: leaveBody, response: { 200: spellResponse } },
      example: () => ({
        params: { spellId: registryExamples.spellId('330100', 3) },
        body: { endDate: '2025-06-30' },
      }),
    },
    async (request) => {
      const employer = await ownEmployer(app, request.actor!);
      const out = await endSpell(app.deps.db, request.actor!, {
        regionCode: employer.regionCode,
        employerId: employer.id,
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
