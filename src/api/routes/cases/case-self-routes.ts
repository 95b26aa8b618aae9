import type { FastifyInstance } from 'fastify';
import { ownBenefitResponse } from '../../../contract/benefits/benefit-decision-contract.ts';
import { ownAppraisalsResponse } from '../../../contract/cases/appraisal-contract.ts';
import {
  casePageResponse,
  ownCaseLetterParams,
  ownCaseParams,
  ownListQuery,
  ownReportBody,
  reportResponse,
  workListResponse,
} from '../../../contract/cases/determination-contract.ts';
import { myBenefitDecision } from '../../../usecases/benefits/benefit-self.ts';
import { myCase, myCaseLetter, myCases, reportOwnCase } from '../../../usecases/cases/case-self.ts';
import { myCaseAppraisals } from '../../../usecases/cases/case-self-appraisals.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';
import { caseExample, sendPdf } from './determination-routes.ts';

/**
 * The portal (self-service): an employer or a worker reports, applies and follows its own cases.
 * No region in the path: the scope comes from the log-in (employer credit code, or the worker's
 * person row matched by ID number), and another's case is "not found".
 */
export function registerCaseSelfRoutes(app: FastifyInstance): void {
  registerOwnReport(app);
  registerOwnList(app);
  registerOwnCase(app);
  registerOwnLetter(app);
  registerOwnAppraisals(app);
  registerOwnBenefit(app);
}

const base = '/api/v1/my/cases';

function registerOwnReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'case:report' },
      action: 'cases.self.report',
      summary:
        'Report an accident (and apply for determination) for one’s own case: an employer names its worker, a worker its employer',
      tags: ['cases'],
      schema: { body: ownReportBody, response: { 201: reportResponse } },
      example: () => ({
        body: {
          caseType: 'accident',
          accidentDate: '2026-03-02',
          accidentPlace: '车间',
          accidentSummary: '搬运时扭伤',
          apply: true,
        },
      }),
    },
    async (request, reply) => {
      const out = await reportOwnCase(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.body,
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerOwnList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'case:report' },
      action: 'cases.self.list',
      summary: 'My cases (the employer’s or the worker’s own), nearest deadline first',
      tags: ['cases'],
      schema: { querystring: ownListQuery, response: { 200: workListResponse } },
      example: () => ({}),
    },
    async (request) =>
      app.deps.db.withConnection((ex) =>
        myCases(ex, request.actor!, { ...request.query, today: today() }),
      ),
  );
}

function registerOwnCase(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId`,
      access: { kind: 'permission', permission: 'case:report' },
      action: 'cases.self.show',
      summary: 'One of my cases: its status, deadlines, timeline and letters',
      tags: ['cases'],
      schema: { params: ownCaseParams, response: { 200: casePageResponse } },
      example: () => ({ params: { caseId: caseExample('330100') } }),
    },
    async (request) => {
      const page = await app.deps.db.withConnection((ex) =>
        myCase(ex, request.actor!, request.params.caseId),
      );
      if (!page) throw new ProblemError('case.not_found', `no case ${request.params.caseId}`);
      return page;
    },
  );
}

function registerOwnLetter(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId/letters/:letterId`,
      access: { kind: 'permission', permission: 'case:report' },
      action: 'cases.self.letter',
      summary: 'A letter issued on one of my cases (PDF as issued)',
      tags: ['cases'],
      schema: { params: ownCaseLetterParams },
      example: () => ({
        params: { caseId: caseExample('330100'), letterId: `ltr_330100_${'0'.repeat(15)}1` },
      }),
    },
    async (request, reply) => {
      const { caseId, letterId } = request.params;
      const letter = await app.deps.db.withConnection((ex) =>
        myCaseLetter(ex, request.actor!, caseId, letterId),
      );
      if (!letter) throw new ProblemError('case.not_found', `no letter ${letterId} on ${caseId}`);
      return sendPdf(reply, letter);
    },
  );
}

function registerOwnAppraisals(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId/appraisals`,
      access: { kind: 'permission', permission: 'case:report' },
      action: 'cases.self.appraisals',
      summary:
        'The appraisals of one of my cases (劳动能力鉴定): applied, due, concluded (grade, nursing level), and the conclusion in force',
      tags: ['cases'],
      schema: { params: ownCaseParams, response: { 200: ownAppraisalsResponse } },
      example: () => ({ params: { caseId: caseExample('330100') } }),
    },
    async (request) => {
      const out = await app.deps.db.withConnection((ex) =>
        myCaseAppraisals(ex, request.actor!, request.params.caseId),
      );
      if (!out) throw new ProblemError('case.not_found', `no case ${request.params.caseId}`);
      return out;
    },
  );
}

function registerOwnBenefit(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId/benefit-decision`,
      access: { kind: 'permission', permission: 'case:report' },
      action: 'cases.self.benefit_decision',
      summary:
        'The benefit decision of one of my cases once approved (items and amounts), its payments and the periodic entitlements',
      tags: ['cases'],
      schema: { params: ownCaseParams, response: { 200: ownBenefitResponse } },
      example: () => ({ params: { caseId: caseExample('330100') } }),
    },
    async (request) => {
      const out = await myBenefitDecision(app.deps.db, request.actor!, request.params.caseId);
      if (!out) throw new ProblemError('case.not_found', `no case ${request.params.caseId}`);
      return out;
    },
  );
}
