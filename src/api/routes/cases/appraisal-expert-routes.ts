import type { FastifyInstance } from 'fastify';
import {
  expertBody,
  expertListResponse,
  expertParams,
  expertQuery,
  expertResponse,
} from '../../../contract/cases/appraisal-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import {
  addExpert,
  deactivateExpert,
  listExperts,
} from '../../../usecases/cases/appraisal-experts.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The committee's expert pool (医疗卫生专家库, 第二十四条第二款), under the committee's region code: a
 * city's code for the city's committee, the province's for the provincial committee.
 */
export function registerAppraisalExpertRoutes(app: FastifyInstance): void {
  const base = '/api/v1/regions/:regionCode/appraisal-experts';
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'appraisal:read' },
      action: 'appraisal.expert.list',
      regionParam: 'regionCode',
      summary: 'The committee’s expert pool, by specialty',
      tags: ['cases'],
      schema: {
        params: regionParams,
        querystring: expertQuery,
        response: { 200: expertListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => ({
      experts: await app.deps.db.withConnection((ex) =>
        listExperts(ex, {
          committeeCode: request.params.regionCode,
          specialty: request.query.specialty,
          activeOnly: request.query.active === 'true',
        }),
      ),
    }),
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'appraisal:write' },
      action: 'appraisal.expert.add',
      regionParam: 'regionCode',
      summary: 'Add an expert to the committee’s pool',
      tags: ['cases'],
      schema: { params: regionParams, body: expertBody, response: { 201: expertResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { name: '王医生', specialty: 'orthopaedics' },
      }),
    },
    async (request, reply) => {
      const out = await addExpert(app.deps.db, request.actor!, {
        committeeCode: request.params.regionCode,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:expertId/deactivate`,
      access: { kind: 'permission', permission: 'appraisal:write' },
      action: 'appraisal.expert.deactivate',
      regionParam: 'regionCode',
      summary: 'Take an expert out of the pool (kept: recorded draws name them)',
      tags: ['cases'],
      schema: { params: expertParams, response: { 200: expertResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, expertId: `exp_${regionCode}_${'0'.repeat(15)}1` },
      }),
    },
    async (request) => {
      const out = await deactivateExpert(app.deps.db, request.actor!, {
        committeeCode: request.params.regionCode,
        expertId: request.params.expertId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
