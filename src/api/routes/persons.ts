import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  getPerson,
  listPersons,
  registerPerson,
  revealIdNumber,
} from '../../usecases/registry/persons.ts';
import { addRoute } from '../app.ts';
import { ProblemError, refusalError } from '../errors.ts';

const regionParams = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit region code'),
});
const personParams = regionParams.extend({
  id: z.string().regex(/^per_[0-9a-z_]{1,40}$/, 'a person id such as per_330100_0001'),
});
const personView = z.object({
  regionCode: z.string(),
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
});

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function registerPersonRoutes(app: FastifyInstance): void {
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
        params: regionParams,
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.object({ persons: z.array(personView) }) },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const { limit } = request.query as { limit: number };
      return { persons: await listPersons(app.deps.db, regionCode, limit) };
    },
  );
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
      schema: { params: personParams, response: { 200: personView } },
      example: ({ regionCode }) => ({ params: { regionCode, id: `per_${regionCode}_0001` } }),
    },
    async (request) => {
      const { regionCode, id } = request.params as { regionCode: string; id: string };
      const p = await getPerson(app.deps.db, regionCode, id);
      if (!p) throw new ProblemError('record.not_found', `person ${id} not found`);
      return p;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/persons',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'persons.register',
      regionParam: 'regionCode',
      summary: 'Register an insured person (公民身份号码 checked by GB 11643)',
      tags: ['registry'],
      schema: {
        params: regionParams,
        body: z.strictObject({
          idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X'),
          name: z.string().trim().min(1).max(50),
        }),
        response: { 201: personView },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { idNumber: '11010519491231002X', name: '测试' },
      }),
    },
    async (request, reply) => {
      const { regionCode } = request.params as { regionCode: string };
      const body = request.body as { idNumber: string; name: string };
      const out = await registerPerson(app.deps.db, request.actor!, {
        regionCode,
        ...body,
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return reply.status(201).send(out.value);
    },
  );
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
        body: z.strictObject({
          reason: z.string().trim().min(4, 'say why you need it (at least 4 characters)').max(500),
        }),
        response: { 200: z.object({ idNumber: z.string() }) },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, id: `per_${regionCode}_0001` },
        body: { reason: '工伤认定核对身份' },
      }),
    },
    async (request) => {
      const { regionCode, id } = request.params as { regionCode: string; id: string };
      const { reason } = request.body as { reason: string };
      const out = await revealIdNumber(app.deps.db, request.actor!, { regionCode, id, reason });
      request.audited = true;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
