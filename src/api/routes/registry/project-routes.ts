import type { FastifyInstance } from 'fastify';
import { employerParams } from '../../../contract/registry/employers-contract.ts';
import {
  projectListResponse,
  projectPageResponse,
  projectParams,
  projectRegisterBody,
  projectResponse,
  projectWorkersBody,
  projectWorkersResponse,
} from '../../../contract/registry/projects-contract.ts';
import {
  addProjectWorkers,
  getProject,
  listProjects,
  registerProject,
} from '../../../usecases/registry/projects.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { registryExamples, today } from './registry-route-kit.ts';

/** 按项目参保: construction projects of an employer (a city, or the province code). */
export function registerProjectRoutes(app: FastifyInstance): void {
  registerProjectRegister(app);
  registerProjectList(app);
  registerProjectShow(app);
  registerProjectWorkers(app);
}

const projectExample = (regionCode: string) => `prj_${regionCode}_${'0'.repeat(15)}1`;

function registerProjectRegister(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/employers/:employerId/projects',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.project.register',
      regionParam: 'regionCode',
      summary:
        '按项目参保: register a construction project; its one-off contribution = contract value × labour share × class base rate (dated parameters), rounded once, posted as a receivable of the city (Dr 1131 / Cr 4101, today; the ledger period must be open)',
      tags: ['registry'],
      schema: {
        params: employerParams,
        body: projectRegisterBody,
        response: { 201: projectResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
        body: {
          name: '示例住宅项目一期',
          siteAddress: '示例路8号地块',
          contractValueFen: 12_345_678_900,
          industry: { standard: 'GB/T 4754-2017', division: '47' },
          startDate: '2025-03-01',
          endDate: '2026-06-30',
          clientKey: 'example-project-0001',
        },
      }),
    },
    async (request, reply) => {
      const out = await registerProject(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
        registeredOn: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerProjectList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/employers/:employerId/projects',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'registry.project.list',
      regionParam: 'regionCode',
      summary: 'The construction projects an employer registered (按项目参保), newest first',
      tags: ['registry'],
      schema: { params: employerParams, response: { 200: projectListResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
      }),
    },
    async (request) => ({ projects: await listProjects(app.deps.db, request.params) }),
  );
}

function registerProjectShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/projects/:projectId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'registry.project.show',
      regionParam: 'regionCode',
      summary: 'One construction project with the workers it covers (ID numbers masked)',
      tags: ['registry'],
      schema: { params: projectParams, response: { 200: projectPageResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, projectId: projectExample(regionCode) },
      }),
    },
    async (request) => {
      const page = await getProject(app.deps.db, request.params);
      if (!page)
        throw new ProblemError('record.not_found', `project ${request.params.projectId} not found`);
      return page;
    },
  );
}

function registerProjectWorkers(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/projects/:projectId/workers',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.project.workers',
      regionParam: 'regionCode',
      summary:
        'Add workers to a project’s list (公民身份号码 checked by GB 11643); a list with any bad entry is refused whole, every problem named',
      tags: ['registry'],
      schema: {
        params: projectParams,
        body: projectWorkersBody,
        response: { 200: projectWorkersResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, projectId: projectExample(regionCode) },
        body: { workers: [{ idNumber: registryExamples.idNumber, name: '测试职工' }] },
      }),
    },
    async (request) => {
      const out = await addProjectWorkers(app.deps.db, request.actor!, {
        ...request.params,
        workers: request.body.workers,
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
