import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { period } from '../../../contract/common.ts';
import {
  arrearsQuery,
  arrearsResponse,
  assessmentListResponse,
  collectionListResponse,
} from '../../../contract/contributions/assessment-contract.ts';
import { listArrears } from '../../../usecases/contributions/arrears.ts';
import { listAssessments } from '../../../usecases/contributions/assessment-read.ts';
import { listCollectionRecords } from '../../../usecases/contributions/collections.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { ownEmployer, today } from '../registry/registry-route-kit.ts';

/**
 * The employer role's own contributions: what it was assessed, what the tax bureau collected from
 * it, what it owes. The employer is the one the user's scope names; anyone else has none (404).
 */
export function registerContributionSelfRoutes(app: FastifyInstance): void {
  registerOwnAssessments(app);
  registerOwnCollections(app);
  registerOwnArrears(app);
}

const ownAssessmentsQuery = z.strictObject({ month: period.optional() });

function registerOwnAssessments(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/contributions/assessments',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.assessments',
      summary: 'Your employer’s assessments (核定) with the rate trail',
      tags: ['contributions'],
      schema: { querystring: ownAssessmentsQuery, response: { 200: assessmentListResponse } },
      example: () => ({}),
    },
    async (request) => {
      const e = await ownEmployer(app, request.actor!);
      return {
        assessments: await listAssessments(app.deps.db, {
          regionCode: e.regionCode,
          employerId: e.id,
          month: request.query.month,
        }),
      };
    },
  );
}

function registerOwnCollections(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/contributions/collections',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.collections',
      summary: 'What the tax bureau collected from your employer (matched to its assessments)',
      tags: ['contributions'],
      schema: { response: { 200: collectionListResponse } },
      example: () => ({}),
    },
    async (request) => {
      const e = await ownEmployer(app, request.actor!);
      return {
        records: await listCollectionRecords(app.deps.db, {
          regionCode: e.regionCode,
          employerId: e.id,
          limit: 1000,
        }),
      };
    },
  );
}

function registerOwnArrears(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/contributions/arrears',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.arrears',
      summary:
        'What your employer owes per month, with the late fee (《社会保险法》第八十六条) for reference',
      tags: ['contributions'],
      schema: {
        querystring: arrearsQuery.omit({ employerId: true }),
        response: { 200: arrearsResponse },
      },
      example: () => ({}),
    },
    async (request) => {
      const e = await ownEmployer(app, request.actor!);
      const on = request.query.on ?? today();
      const out = await listArrears(app.deps.db, app.deps.rules.benefits, {
        regionCode: e.regionCode,
        employerId: e.id,
        on,
      });
      if (!out.ok) throw refusalError(out);
      return { on, arrears: out.value };
    },
  );
}
