import type { FastifyInstance } from 'fastify';
import {
  employerGradeBody,
  employerGradeResponse,
  employerListParams,
  employerListQuery,
  employerListResponse,
  employerPageQuery,
  employerPageResponse,
  employerParams,
  employerRegisterBody,
  employerResponse,
  employerStatusBody,
} from '../../../contract/registry/employers-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { employerPage, findEmployer } from '../../../usecases/registry/employer-page.ts';
import {
  changeEmployerStatus,
  registerEmployer,
  searchEmployers,
} from '../../../usecases/registry/employers.ts';
import { setFloatingGrade } from '../../../usecases/registry/floating-grade.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { registryExamples, today } from './registry-route-kit.ts';

/** Employers (参保单位) of a city, or of the province with the province code. */
export function registerEmployerRoutes(app: FastifyInstance): void {
  registerEmployerList(app);
  registerEmployerRegister(app);
  registerEmployerPage(app);
  registerEmployerStatus(app);
  registerEmployerGrade(app);
}

function registerEmployerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/employers',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'registry.employers.list',
      regionParam: 'regionCode',
      summary:
        'Search employers by name prefix or exact credit code, in a city or (province code) the whole province',
      tags: ['registry'],
      schema: {
        params: employerListParams,
        querystring: employerListQuery,
        response: { 200: employerListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { namePrefix: '杭州' } }),
    },
    async (request) => {
      const { date, ...search } = request.query;
      return {
        employers: await searchEmployers(
          app.deps.db,
          app.deps.rules.benefits,
          { regionCode: request.params.regionCode, ...search },
          date ?? today(),
        ),
      };
    },
  );
}

function registerEmployerRegister(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/employers',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.employer.register',
      regionParam: 'regionCode',
      summary:
        'Register an employer (参保登记): credit code checked by GB 32100, the division must have a risk class in force',
      tags: ['registry'],
      schema: {
        params: employerListParams,
        body: employerRegisterBody,
        response: { 201: employerResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          creditCode: '91350100M000100Y43',
          name: '示例登记有限公司',
          address: '示例路1号',
          industry: { standard: 'GB/T 4754-2017', division: '34' },
          category: 'sme',
          registeredOn: '2025-01-01',
        },
      }),
    },
    async (request, reply) => {
      const out = await registerEmployer(app.deps.db, request.actor!, app.deps.rules.benefits, {
        regionCode: request.params.regionCode,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerEmployerPage(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/employers/:employerId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'registry.employer.show',
      regionParam: 'regionCode',
      summary:
        'One employer: its risk class on a date, its roster that day (ID numbers masked), its events',
      tags: ['registry'],
      schema: {
        params: employerParams,
        querystring: employerPageQuery,
        response: { 200: employerPageResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
      }),
    },
    async (request) => {
      const { regionCode, employerId } = request.params;
      const employer = await findEmployer(app.deps.db, regionCode, employerId);
      if (!employer) throw new ProblemError('record.not_found', `employer ${employerId} not found`);
      return employerPage(app.deps.db, app.deps.rules.benefits, request.actor!, {
        employer,
        date: request.query.date ?? today(),
        rosterLimit: request.query.rosterLimit,
      });
    },
  );
}

function registerEmployerStatus(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/employers/:employerId/status',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.employer.status',
      regionParam: 'regionCode',
      summary:
        'Change an employer’s status from a date (暂停 suspended, 恢复 registered, 注销 cancelled)',
      tags: ['registry'],
      schema: {
        params: employerParams,
        body: employerStatusBody,
        response: { 200: employerResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
        body: { status: 'suspended', effectiveFrom: '2025-03-01', reason: '停产整顿' },
      }),
    },
    async (request) => {
      const out = await changeEmployerStatus(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerEmployerGrade(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/employers/:employerId/floating-grade',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'registry.employer.floating_grade',
      regionParam: 'regionCode',
      summary:
        'Change an employer’s floating grade (浮动费率档次) from a date, with a second person’s approval: without approvalId the change is checked and its approval asked; with the approved id it is applied. Class 1 floats upward only',
      tags: ['registry'],
      schema: {
        params: employerParams,
        body: employerGradeBody,
        response: { 200: employerGradeResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
        body: { grade: 'up1', effectiveFrom: '2025-01-01', reason: '2024年度浮动费率评估' },
      }),
    },
    async (request) => {
      const out = await setFloatingGrade(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
