import type { FastifyInstance } from 'fastify';
import {
  personListParams,
  personListQuery,
  personListResponse,
  personParams,
  personRegisterBody,
  personResponse,
  personRevealBody,
  personRevealResponse,
} from '../../../contract/registry/persons-contract.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import {
  getPerson,
  listPersons,
  registerPerson,
  revealIdNumber,
} from '../../../usecases/registry/persons.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';

export function registerPersonRoutes(app: FastifyInstance): void {
  registerPersonList(app);
  registerPersonShow(app);
  registerPersonRegister(app);
  registerPersonReveal(app);
}

function registerPersonList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/persons',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'persons.list',
      regionParam: 'regionCode',
      summary: 'Insured persons of a city (ID numbers masked)',
      tags: ['registry'],
      schema: {
        params: personListParams,
        querystring: personListQuery,
        response: { 200: personListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => ({
      persons: await listPersons(
        app.deps.db,
        request.actor!,
        request.params.regionCode,
        request.query.limit,
      ),
    }),
  );
}

function registerPersonShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/persons/:id',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'persons.show',
      regionParam: 'regionCode',
      summary: 'One insured person (ID number masked)',
      tags: ['registry'],
      schema: { params: personParams, response: { 200: personResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, id: `per_${regionCode}_0001` } }),
    },
    async (request) => {
      const { regionCode, id } = request.params;
      const p = await getPerson(app.deps.db, request.actor!, regionCode, id);
      if (!p) throw new ProblemError('record.not_found', `person ${id} not found`);
      return p;
    },
  );
}

function registerPersonRegister(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/persons',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'persons.register',
      regionParam: 'regionCode',
      summary:
        'Register an insured person (公民身份号码 checked by GB 11643); the answer is the same whether the number was known or not',
      tags: ['registry'],
      schema: {
        params: personListParams,
        body: personRegisterBody,
        response: { 201: personResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { idNumber: '11010519491231002X', name: '测试' },
      }),
    },
    async (request, reply) => {
      const out = await registerPerson(app.deps.db, request.actor!, {
        regionCode: request.params.regionCode,
        ...request.body,
        today: todayInChina(),
        perHourMax: app.deps.config.PERSON_REGISTRATIONS_PER_HOUR,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerPersonReveal(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/persons/:id/reveal',
      access: { kind: 'permission', permission: 'pii:reveal' },
      action: 'pii.reveal',
      regionParam: 'regionCode',
      summary: 'Show one unmasked ID number; the reason is audited',
      tags: ['registry'],
      schema: {
        params: personParams,
        body: personRevealBody,
        response: { 200: personRevealResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, id: `per_${regionCode}_0001` },
        body: { reason: '工伤认定核对身份' },
      }),
    },
    async (request) => {
      const { regionCode, id } = request.params;
      const out = await revealIdNumber(app.deps.db, request.actor!, {
        regionCode,
        id,
        reason: request.body.reason,
      });
      request.audited = true;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
