import type { FastifyInstance } from 'fastify';
import {
  applicationBody,
  appraisalListResponse,
  appraisalParams,
  appraisalResponse,
  caseAppraisalParams,
  caseAppraisalsResponse,
  conclusionBody,
  drawBody,
  drawVerifyResponse,
  extensionBody,
  serviceBody,
  workListQuery,
} from '../../../contract/cases/appraisal-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { applyForAppraisal } from '../../../usecases/cases/appraisal-application.ts';
import {
  concludeAppraisal,
  extendAppraisal,
  serveConclusion,
} from '../../../usecases/cases/appraisal-conclusion.ts';
import { drawAppraisalPanel, verifyAppraisalDraw } from '../../../usecases/cases/appraisal-draw.ts';
import {
  currentConclusion,
  getAppraisal,
  listAppraisals,
  listCaseAppraisals,
} from '../../../usecases/cases/appraisal-read.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';

/**
 * 劳动能力鉴定 (docs/cases.md, "Appraisal"): the committee's routes, scoped by the path's region (a
 * city's committee its city, the provincial committee every city). Appraisals live in the case's
 * city; a re-appraisal is refused unless the caller is the provincial committee.
 */
export function registerAppraisalRoutes(app: FastifyInstance): void {
  registerWorkList(app);
  registerShow(app);
  registerCaseAppraisals(app);
  registerApplication(app);
  registerDraw(app);
  registerDrawVerify(app);
  registerSteps(app);
}

const base = '/api/v1/regions/:regionCode/appraisals';
const one = `${base}/:appraisalId`;
const exampleId = (regionCode: string) => `apr_${regionCode}_${'0'.repeat(15)}1`;
const exampleCase = (regionCode: string) => `cas_${regionCode}_${'0'.repeat(15)}1`;
const read = { kind: 'permission', permission: 'appraisal:read' } as const;
const write = { kind: 'permission', permission: 'appraisal:write' } as const;

function registerWorkList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: read,
      action: 'appraisal.list',
      regionParam: 'regionCode',
      summary:
        'The committee’s work list: open appraisals by due date (or concluded, or all), by kind, due by a day',
      tags: ['cases'],
      schema: {
        params: regionParams,
        querystring: workListQuery,
        response: { 200: appraisalListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { state: 'open' } }),
    },
    async (request) => ({
      appraisals: await app.deps.db.withConnection((ex) =>
        listAppraisals(ex, { regionCode: request.params.regionCode, ...request.query }),
      ),
    }),
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: one,
      access: read,
      action: 'appraisal.show',
      regionParam: 'regionCode',
      summary: 'One appraisal with its panel draw (pool snapshot, recusals, seed, panel)',
      tags: ['cases'],
      schema: { params: appraisalParams, response: { 200: appraisalResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, appraisalId: exampleId(regionCode) } }),
    },
    async (request) => {
      const found = await app.deps.db.withConnection((ex) => getAppraisal(ex, request.params));
      if (!found)
        throw new ProblemError(
          'record.not_found',
          `appraisal ${request.params.appraisalId} not found`,
        );
      return found;
    },
  );
}

function registerCaseAppraisals(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/appraisals',
      access: read,
      action: 'appraisal.case_list',
      regionParam: 'regionCode',
      summary:
        'A case’s appraisals, oldest first, and its current conclusion (the latest concluded)',
      tags: ['cases'],
      schema: { params: caseAppraisalParams, response: { 200: caseAppraisalsResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, caseId: exampleCase(regionCode) } }),
    },
    async (request) => {
      const { regionCode, caseId } = request.params;
      return app.deps.db.withConnection(async (ex) => ({
        appraisals: await listCaseAppraisals(ex, { regionCode, caseId }),
        current: await currentConclusion(ex, regionCode, caseId),
      }));
    },
  );
}

function registerApplication(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/appraisals',
      access: write,
      action: 'appraisal.receive',
      regionParam: 'regionCode',
      summary:
        'Receive an application: a first appraisal (recognised or deemed case, treatment stabilised), a re-appraisal (provincial committee, within 15 days of receipt) or a review (one year after the conclusion)',
      tags: ['cases'],
      schema: {
        params: caseAppraisalParams,
        body: applicationBody,
        response: { 201: appraisalResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: exampleCase(regionCode) },
        body: {
          kind: 'initial',
          appliedOn: '2026-03-02',
          applicantKind: 'worker',
          treatmentStabilisedOn: '2026-02-20',
        },
      }),
    },
    async (request, reply) => {
      const out = await applyForAppraisal(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerDraw(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${one}/draw`,
      access: write,
      action: 'appraisal.draw',
      regionParam: 'regionCode',
      summary:
        'Draw the panel of 3 or 5 experts at random (seed from crypto randomness, recorded with the pool snapshot and the recusals)',
      tags: ['cases'],
      schema: { params: appraisalParams, body: drawBody, response: { 200: appraisalResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, appraisalId: exampleId(regionCode) },
        body: { specialty: 'orthopaedics', panelSize: 3, recusals: [], drawnOn: '2026-03-05' },
      }),
    },
    async (request) => {
      const out = await drawAppraisalPanel(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerDrawVerify(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${one}/draw/verify`,
      access: read,
      action: 'appraisal.draw_verify',
      regionParam: 'regionCode',
      summary:
        'Replay the recorded draw from its seed: the same panel, or why the record does not stand',
      tags: ['cases'],
      schema: { params: appraisalParams, response: { 200: drawVerifyResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, appraisalId: exampleId(regionCode) } }),
    },
    async (request) => {
      const out = await verifyAppraisalDraw(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return {
        reproduced: true as const,
        seed: out.value.draw.seed,
        drawnIds: [...out.value.draw.drawnIds],
      };
    },
  );
}

function registerSteps(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${one}/extension`,
      access: write,
      action: 'appraisal.extend',
      regionParam: 'regionCode',
      summary: 'Extend the 60 days by 30, once, before they run out, with the reason',
      tags: ['cases'],
      schema: {
        params: appraisalParams,
        body: extensionBody,
        response: { 200: appraisalResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, appraisalId: exampleId(regionCode) },
        body: { extendedOn: '2026-04-20', reason: '需委托医疗机构协助诊断' },
      }),
    },
    async (request) => {
      const out = await extendAppraisal(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  registerConclusion(app);
  registerService(app);
}

function registerConclusion(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${one}/conclusion`,
      access: write,
      action: 'appraisal.conclude',
      regionParam: 'regionCode',
      summary:
        'Record the conclusion (grade 1–10 or none, nursing level, 停工留薪期 extension, GB/T 16180-2014 clauses) by the due date; issues the numbered 劳动能力鉴定结论书',
      tags: ['cases'],
      schema: {
        params: appraisalParams,
        body: conclusionBody,
        response: { 200: appraisalResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, appraisalId: exampleId(regionCode) },
        body: {
          concludedOn: '2026-04-20',
          conclusion: 'graded',
          disabilityGrade: 7,
          nursingLevel: null,
          stopWorkExtensionMonths: null,
          gradingClauses: ['5.7.2(12)'],
        },
      }),
    },
    async (request) => {
      const out = await concludeAppraisal(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerService(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${one}/service`,
      access: write,
      action: 'appraisal.serve',
      regionParam: 'regionCode',
      summary:
        'Record the day the conclusion was served (送达): the re-appraisal’s 15 days run from it',
      tags: ['cases'],
      schema: { params: appraisalParams, body: serviceBody, response: { 200: appraisalResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, appraisalId: exampleId(regionCode) },
        body: { servedOn: '2026-04-22' },
      }),
    },
    async (request) => {
      const out = await serveConclusion(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
