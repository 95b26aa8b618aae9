import type { FastifyInstance } from 'fastify';
import { spellResponse } from '../../../contract/registry/employers-contract.ts';
import {
  hireBody,
  hireParams,
  leaveBody,
  spellParams,
  workerParams,
  workerResponse,
  workerSearchBody,
  workerSearchParams,
} from '../../../contract/registry/workers-contract.ts';
import {
  endSpell,
  findWorkerByIdNumber,
  getWorker,
  hireWorker,
} from '../../../usecases/registry/workers.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { registryExamples, today } from './registry-route-kit.ts';

/** 增员 / 减员 by staff of the employer's city (or the province), and one worker's spells. */
export function registerSpellRoutes(app: FastifyInstance): void {
  registerHire(app);
  registerLeave(app);
  registerWorkerShow(app);
  registerWorkerSearch(app);
}

function registerHire(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/employers/:employerId/spells',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.spell.hire',
      regionParam: 'regionCode',
      summary:
        '增员: the worker (公民身份号码 checked by GB 11643; sex and birth date, if given, must agree with it) starts at the employer; the answer is the same whether the number was known or not',
      tags: ['registry'],
      schema: { params: hireParams, body: hireBody, response: { 201: spellResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
        body: { idNumber: registryExamples.idNumber, name: '测试职工', startDate: '2025-02-01' },
      }),
    },
    async (request, reply) => {
      const out = await hireWorker(app.deps.db, request.actor!, {
        ...request.params,
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

function registerLeave(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/spells/:spellId/leave',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.spell.leave',
      regionParam: 'regionCode',
      summary: '减员: the spell ends on the given date (the last day employed)',
      tags: ['registry'],
      schema: { params: spellParams, body: leaveBody, response: { 200: spellResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, spellId: registryExamples.spellId(regionCode) },
        body: { endDate: '2025-06-30' },
      }),
    },
    async (request) => {
      const out = await endSpell(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerWorkerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/workers/:workerId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'registry.worker.show',
      regionParam: 'regionCode',
      summary:
        'One worker (ID number masked) with the spells at employers of the region: a city its own, the province code all',
      tags: ['registry'],
      schema: { params: workerParams, response: { 200: workerResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, workerId: registryExamples.workerId(regionCode) },
      }),
    },
    async (request) => {
      const found = await getWorker(app.deps.db, request.actor!, request.params);
      if (!found)
        throw new ProblemError('record.not_found', `worker ${request.params.workerId} not found`);
      return found;
    },
  );
}

function registerWorkerSearch(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/workers/search',
      access: { kind: 'permission', permission: 'pii:reveal' },
      action: 'registry.worker.search',
      regionParam: 'regionCode',
      summary:
        'The worker holding a full 公民身份号码, with its spells in the region (404 when none): holders of pii:reveal only, each question audited, since a full number answers whether it is known',
      tags: ['registry'],
      schema: {
        params: workerSearchParams,
        body: workerSearchBody,
        response: { 200: workerResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { idNumber: registryExamples.idNumber },
      }),
    },
    async (request) => {
      const found = await findWorkerByIdNumber(app.deps.db, request.actor!, {
        regionCode: request.params.regionCode,
        idNumber: request.body.idNumber,
      });
      if (!found) throw new ProblemError('record.not_found', 'no worker with that ID number here');
      return found;
    },
  );
}
