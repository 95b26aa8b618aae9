import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  actionBody,
  actionResponse,
  applicationBody,
  bulkAcceptBody,
  bulkResponse,
  caseLetterParams,
  casePageResponse,
  caseParams,
  dashboardResponse,
  reportBody,
  reportResponse,
  workListQuery,
  workListResponse,
} from '../../../contract/cases/determination-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { caseLetter, casePage } from '../../../usecases/cases/case-page.ts';
import { deadlineDashboard, workList } from '../../../usecases/cases/case-reads.ts';
import { applyForDetermination, reportCase } from '../../../usecases/cases/case-report.ts';
import { actOnCase, bulkAct } from '../../../usecases/cases/determination-actions.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { registryExamples, today } from '../registry/registry-route-kit.ts';
import { commandOf } from './case-route-kit.ts';

/**
 * The determination officer's and city handler's case routes (docs/cases.md "Determination"). The
 * path's city is checked by the policy before the handler runs; every use case reads the case by
 * (city, id), so another city's case is "not found".
 */
export function registerDeterminationRoutes(app: FastifyInstance): void {
  registerReport(app);
  registerApply(app);
  registerAction(app);
  registerBulkAccept(app);
  registerWorkList(app);
  registerDashboard(app);
  registerCasePage(app);
  registerCaseLetter(app);
}

const base = '/api/v1/regions/:regionCode/cases';
export const caseExample = (regionCode: string) => `cas_${regionCode}_${'0'.repeat(15)}1`;

function registerReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'case:write' },
      action: 'cases.report',
      regionParam: 'regionCode',
      summary:
        'Record an accident report (and, with `application`, the application for determination, 《工伤保险条例》第十七条)',
      tags: ['cases'],
      schema: { params: regionParams, body: reportBody, response: { 201: reportResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          workerId: registryExamples.workerId(regionCode),
          employerId: registryExamples.employerId(regionCode),
          caseType: 'accident',
          accidentDate: '2026-03-02',
          reportedOn: '2026-03-03',
          reporterKind: 'handler',
          accidentPlace: '车间',
          accidentSummary: '搬运时扭伤',
        },
      }),
    },
    async (request, reply) => {
      const { application, ...report } = request.body;
      const out = await reportCase(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { ...report, regionCode: request.params.regionCode },
        application,
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerApply(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:caseId/application`,
      access: { kind: 'permission', permission: 'case:write' },
      action: 'cases.apply',
      regionParam: 'regionCode',
      summary:
        'The application for determination of a reported case: applicant type, date, an approved extension of the employer’s 30 days; records a late employer’s window (第十七条第四款)',
      tags: ['cases'],
      schema: { params: caseParams, body: applicationBody, response: { 200: reportResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: caseExample(regionCode) },
        body: { applicantType: 'employer', appliedOn: '2026-03-05' },
      }),
    },
    async (request) => {
      const out = await applyForDetermination(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        request.params,
        request.body,
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerAction(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:caseId/actions`,
      access: { kind: 'permission', permission: 'case:write' },
      action: 'cases.act',
      regionParam: 'regionCode',
      summary:
        'One step of the determination: accept / refuse / request materials / complete / note / suspend / resume / decide / serve / review filed / review outcome; refused unless the case’s state allows it',
      tags: ['cases'],
      schema: { params: caseParams, body: actionBody, response: { 200: actionResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: caseExample(regionCode) },
        body: { kind: 'accept', on: '2026-03-10', clear: false },
      }),
    },
    async (request) => {
      const { expectedVersion, ...command } = request.body;
      const out = await actOnCase(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        { ...request.params, expectedVersion },
        commandOf(command),
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBulkAccept(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/bulk/accept`,
      access: { kind: 'permission', permission: 'case:write' },
      action: 'cases.bulk_accept',
      regionParam: 'regionCode',
      summary:
        'Accept several applications (up to 100): each case validated and changed on its own, a result per case',
      tags: ['cases'],
      schema: { params: regionParams, body: bulkAcceptBody, response: { 200: bulkResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { on: '2026-03-10', clear: false, cases: [{ caseId: caseExample(regionCode) }] },
      }),
    },
    async (request) => {
      const { on, clear, cases } = request.body;
      const results = await bulkAct(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        request.params.regionCode,
        cases,
        {
          kind: 'accept',
          on,
          clear,
        },
      );
      request.audited = results.some((r) => r.ok);
      return { results };
    },
  );
}

function registerWorkList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'case:read' },
      action: 'cases.list',
      regionParam: 'regionCode',
      summary:
        'The work list: a city’s cases, nearest deadline first, filtered by status, deadline kind, overdue / due within N days, employer and accident dates; keyset pages (`after`)',
      tags: ['cases'],
      schema: {
        params: regionParams,
        querystring: workListQuery,
        response: { 200: workListResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        query: { status: 'applied,accepted' },
      }),
    },
    async (request) => {
      const { status, ...filters } = request.query;
      return app.deps.db.withConnection((ex) =>
        workList(ex, {
          ...filters,
          statuses: status,
          regionCode: request.params.regionCode,
          today: today(),
        }),
      );
    },
  );
}

function registerDashboard(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/dashboard`,
      access: { kind: 'permission', permission: 'case:read' },
      action: 'cases.dashboard',
      regionParam: 'regionCode',
      summary:
        'The deadline dashboard: per city and running clock (acceptance, decision), cases overdue, due today and due within 7 days',
      tags: ['cases'],
      schema: { params: regionParams, response: { 200: dashboardResponse } },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const day = today();
      const rows = await app.deps.db.withConnection((ex) =>
        deadlineDashboard(ex, request.params.regionCode, day),
      );
      return { today: day, rows };
    },
  );
}

function registerCasePage(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId`,
      access: { kind: 'permission', permission: 'case:read' },
      action: 'cases.show',
      regionParam: 'regionCode',
      summary:
        'The case page: facts, deadlines, the actions its state allows, the timeline and letters',
      tags: ['cases'],
      schema: { params: caseParams, response: { 200: casePageResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, caseId: caseExample(regionCode) } }),
    },
    async (request) => {
      const page = await app.deps.db.withConnection((ex) =>
        casePage(ex, request.params.regionCode, request.params.caseId),
      );
      if (!page) throw new ProblemError('case.not_found', `no case ${request.params.caseId}`);
      return page;
    },
  );
}

function registerCaseLetter(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId/letters/:letterId`,
      access: { kind: 'permission', permission: 'case:read' },
      action: 'cases.letter',
      regionParam: 'regionCode',
      summary: 'A letter issued on the case: the stored PDF exactly as issued',
      tags: ['cases'],
      schema: { params: caseLetterParams },
      example: ({ regionCode }) => ({
        params: {
          regionCode,
          caseId: caseExample(regionCode),
          letterId: `ltr_${regionCode}_${'0'.repeat(15)}1`,
        },
      }),
    },
    async (request, reply) => {
      const { regionCode, caseId, letterId } = request.params;
      const letter = await app.deps.db.withConnection((ex) =>
        caseLetter(ex, regionCode, caseId, letterId),
      );
      if (!letter) throw new ProblemError('case.not_found', `no letter ${letterId} on ${caseId}`);
      return sendPdf(reply, letter);
    },
  );
}

export function sendPdf(reply: FastifyReply, file: { fileName: string; pdf: Buffer }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.pdf);
}
