import type { FastifyInstance, FastifyReply } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  experienceDeriveBody,
  experienceDeriveResponse,
  experienceImportBody,
  experienceImportResponse,
  experienceListResponse,
  floatingLetterParams,
  floatingReviewApplyBody,
  floatingReviewListResponse,
  floatingReviewParams,
  floatingReviewResponse,
  floatingReviewRunBody,
} from '../../../contract/contributions/floating-review-contract.ts';
import { employerParams } from '../../../contract/registry/employers-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { deriveExperience } from '../../../usecases/contributions/experience-derive.ts';
import {
  importExperience,
  listExperience,
} from '../../../usecases/contributions/floating-experience.ts';
import { floatingReviewLetters } from '../../../usecases/contributions/floating-letters.ts';
import {
  getFloatingReview,
  listFloatingReviews,
  runFloatingReview,
} from '../../../usecases/contributions/floating-review.ts';
import { applyFloatingReview } from '../../../usecases/contributions/floating-review-apply.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { registryExamples, today } from '../registry/registry-route-kit.ts';

/**
 * 浮动费率评审 (docs/adr/0011-floating-rate-review.md): staff routes scoped like the register's (a
 * city, or the province code for all its cities). The approval a run asks for is decided through
 * the approvals routes by a checker of another role; applying names it.
 */
export function registerFloatingRoutes(app: FastifyInstance): void {
  registerExperienceImport(app);
  registerExperienceDerive(app);
  registerExperienceList(app);
  registerReviewRun(app);
  registerReviewList(app);
  registerReviewShow(app);
  registerReviewApply(app);
  registerReviewLetters(app);
}

const base = '/api/v1/regions/:regionCode/contributions';
const reviewExample = (regionCode: string) => `frv_${regionCode}_${'0'.repeat(15)}1`;

function registerExperienceImport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/experience`,
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.experience.import',
      regionParam: 'regionCode',
      summary:
        'Import employers’ yearly experience (CSV: credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount); a file with any bad row is refused whole, every row named',
      tags: ['contributions'],
      schema: {
        params: regionParams,
        body: experienceImportBody,
        response: { 200: experienceImportResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          csv: 'credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount\n',
        },
      }),
    },
    async (request) => {
      const out = await importExperience(app.deps.db, request.actor!, {
        regionCode: request.params.regionCode,
        csv: request.body.csv,
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerExperienceDerive(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/experience/derivations`,
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.experience.derive',
      regionParam: 'regionCode',
      summary:
        'Derive a city’s experience of a closed year from the system’s own records (collections, benefit payments, direct settlements, cases, spells) as source system rows; preview writes nothing',
      tags: ['contributions'],
      schema: {
        params: regionParams,
        body: experienceDeriveBody,
        response: { 200: experienceDeriveResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { year: 2025, preview: true },
      }),
    },
    async (request) => {
      const out = await deriveExperience(app.deps.db, request.actor!, {
        regionCode: request.params.regionCode,
        year: request.body.year,
        today: today(),
        write: !request.body.preview,
      });
      request.audited = out.ok && !request.body.preview;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerExperienceList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/employers/:employerId/experience',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.experience.list',
      regionParam: 'regionCode',
      summary:
        'An employer’s yearly experience (contributions, benefit costs, injuries, headcount)',
      tags: ['contributions'],
      schema: { params: employerParams, response: { 200: experienceListResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, employerId: registryExamples.employerId(regionCode) },
      }),
    },
    async (request) => ({ experience: await listExperience(app.deps.db, request.params) }),
  );
}

function registerReviewRun(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/floating-reviews`,
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.floating_review.run',
      regionParam: 'regionCode',
      summary:
        'Run a city’s floating-rate review for a year: every employer’s proposed grade (or why it is left out), stored, with an approval asked for the proposals’ exact hash',
      tags: ['contributions'],
      schema: {
        params: regionParams,
        body: floatingReviewRunBody,
        response: { 201: floatingReviewResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { year: 2026, effectiveFrom: '2026-07-01' },
      }),
    },
    async (request, reply) => {
      const out = await runFloatingReview(app.deps.db, request.actor!, app.deps.rules.benefits, {
        regionCode: request.params.regionCode,
        ...request.body,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerReviewList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/floating-reviews`,
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.floating_review.list',
      regionParam: 'regionCode',
      summary: 'The floating-rate reviews of a city (or the province’s cities), newest first',
      tags: ['contributions'],
      schema: { params: regionParams, response: { 200: floatingReviewListResponse } },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => ({ reviews: await listFloatingReviews(app.deps.db, request.params) }),
  );
}

function registerReviewShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/floating-reviews/:reviewId`,
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.floating_review.show',
      regionParam: 'regionCode',
      summary: 'One floating-rate review with every employer’s figures, grades and rule trail',
      tags: ['contributions'],
      schema: { params: floatingReviewParams, response: { 200: floatingReviewResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, reviewId: reviewExample(regionCode) },
      }),
    },
    async (request) => {
      const review = await getFloatingReview(app.deps.db, request.params);
      if (!review)
        throw new ProblemError('record.not_found', `review ${request.params.reviewId} not found`);
      return review;
    },
  );
}

function registerReviewApply(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/floating-reviews/:reviewId/apply`,
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.floating_review.apply',
      regionParam: 'regionCode',
      summary:
        'Apply an approved review: consumes the approval and changes every changed grade from the effective date (employer events, audit) in one transaction; again applies nothing',
      tags: ['contributions'],
      schema: {
        params: floatingReviewParams,
        body: floatingReviewApplyBody,
        response: { 200: floatingReviewResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, reviewId: reviewExample(regionCode) },
        body: { approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const out = await applyFloatingReview(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        approvalId: request.body.approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerReviewLetters(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/floating-reviews/:reviewId/letters`,
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.floating_review.letters',
      regionParam: 'regionCode',
      summary:
        'One PDF of every letter (浮动费率调整告知书) of an applied review: the city’s mailing',
      tags: ['contributions'],
      schema: { params: floatingReviewParams },
      example: ({ regionCode }) => ({
        params: { regionCode, reviewId: reviewExample(regionCode) },
      }),
    },
    async (request, reply) => {
      const out = await floatingReviewLetters(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return sendPdf(reply, out.value.combined);
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/floating-reviews/:reviewId/letters/:employerId`,
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.floating_review.letter',
      regionParam: 'regionCode',
      summary: 'The PDF letter to one employer whose grade the applied review changed',
      tags: ['contributions'],
      schema: { params: floatingLetterParams },
      example: ({ regionCode }) => ({
        params: {
          regionCode,
          reviewId: reviewExample(regionCode),
          employerId: registryExamples.employerId(regionCode),
        },
      }),
    },
    async (request, reply) => {
      const out = await floatingReviewLetters(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      const letter = out.value.letters[0];
      if (!letter)
        throw new ProblemError(
          'record.not_found',
          `the review changed no grade of employer ${request.params.employerId}: no letter`,
        );
      return sendPdf(reply, letter);
    },
  );
}

function sendPdf(reply: FastifyReply, file: { fileName: string; pdf: Buffer }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.pdf);
}
