import type { FastifyInstance } from 'fastify';
import {
  arrearsQuery,
  arrearsResponse,
  assessmentBody,
  assessmentListQuery,
  assessmentListResponse,
  assessmentResponse,
  contributionRegionParams,
  reconciliationQuery,
  reconciliationResponse,
} from '../../../contract/contributions/assessment-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { listArrears } from '../../../usecases/contributions/arrears.ts';
import { assessCityMonth } from '../../../usecases/contributions/assessment.ts';
import { listAssessments } from '../../../usecases/contributions/assessment-read.ts';
import { reconcile } from '../../../usecases/contributions/reconciliation.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * Assessment (核定), arrears (欠费) and reconciliation (对账) of a city, or (reads) of the province
 * with the province code; scoped by the region like the fund routes. ADR 0010.
 */
export function registerAssessmentRoutes(app: FastifyInstance): void {
  registerAssess(app);
  registerAssessmentList(app);
  registerArrears(app);
  registerReconciliation(app);
}

function registerAssess(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/assessments',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.assessment',
      regionParam: 'regionCode',
      summary:
        'Assess a city-month (核定): without approvalId, asks for the approval of the run’s exact amounts; with the approved id, writes the new versions and posts the difference (Dr 1131 / Cr 4101)',
      tags: ['contributions'],
      schema: {
        params: contributionRegionParams,
        body: assessmentBody,
        response: { 200: assessmentResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, body: { month: '2025-01' } }),
    },
    async (request) => {
      const out = await assessCityMonth(app.deps.db, request.actor!, app.deps.rules.benefits, {
        city: request.params.regionCode,
        month: request.body.month,
        approvalId: request.body.approvalId,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerAssessmentList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/contributions/assessments',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.assessments.list',
      regionParam: 'regionCode',
      summary: 'Current assessments (latest version per employer-month) with the rate trail',
      tags: ['contributions'],
      schema: {
        params: contributionRegionParams,
        querystring: assessmentListQuery,
        response: { 200: assessmentListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { month: '2025-01' } }),
    },
    async (request) => ({
      assessments: await listAssessments(app.deps.db, {
        regionCode: request.params.regionCode,
        ...request.query,
      }),
    }),
  );
}

function registerArrears(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/contributions/arrears',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.arrears',
      regionParam: 'regionCode',
      summary:
        'Arrears (欠费) per employer and month with the late fee of 《社会保险法》第八十六条 for reference',
      tags: ['contributions'],
      schema: {
        params: contributionRegionParams,
        querystring: arrearsQuery,
        response: { 200: arrearsResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { on: '2025-03-01' } }),
    },
    async (request) => {
      const on = request.query.on ?? today();
      const out = await listArrears(app.deps.db, app.deps.rules.benefits, {
        regionCode: request.params.regionCode,
        employerId: request.query.employerId,
        on,
      });
      if (!out.ok) throw refusalError(out);
      return { on, arrears: out.value };
    },
  );
}

function registerReconciliation(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/contributions/reconciliation',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.reconciliation',
      regionParam: 'regionCode',
      summary:
        'Reconcile a city-month: assessed, collected, outstanding, overpaid, unmatched; checked against the ledger’s 1131 / 4101 / 2103',
      tags: ['contributions'],
      schema: {
        params: contributionRegionParams,
        querystring: reconciliationQuery,
        response: { 200: reconciliationResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { month: '2025-01' } }),
    },
    async (request) => {
      const out = await reconcile(app.deps.db, {
        city: request.params.regionCode,
        month: request.query.month,
      });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
