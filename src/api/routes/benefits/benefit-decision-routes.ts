import type { FastifyInstance } from 'fastify';
import {
  applyBody,
  applyResponse,
  caseParams,
  confirmBody,
  decisionParams,
  failBody,
  panelResponse,
  paymentParams,
  paymentResponse,
  proposeBody,
  proposeResponse,
  recomputationResponse,
  reissueBody,
} from '../../../contract/benefits/benefit-decision-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { approveBenefitDecision } from '../../../usecases/benefits/benefit-decision-approve.ts';
import { proposeBenefitDecision } from '../../../usecases/benefits/benefit-decision-propose.ts';
import {
  benefitPanel,
  recomputeBenefitDecision,
} from '../../../usecases/benefits/benefit-decision-read.ts';
import {
  confirmBenefitPayment,
  failBenefitPayment,
  reissueBenefitPayment,
} from '../../../usecases/benefits/benefit-payments.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The benefit decision of a case (ADR 0014): the panel's read, the handler's proposal (case:write),
 * the application of the approved decision and the payments' outcomes (fund:write: they move
 * money); the supervisor approves through the approvals routes (fund:approve). Scoped by the
 * case's city like every city route.
 */
export function registerBenefitDecisionRoutes(app: FastifyInstance): void {
  registerPanel(app);
  registerPropose(app);
  registerApply(app);
  registerRecomputation(app);
  registerPaymentRoutes(app);
}

const CASE_EXAMPLE = 'cas_330100_0000000000000000';
const DECISION_EXAMPLE = 'bdc_330100_0000000000000000';
const PAYMENT_EXAMPLE = 'bpy_330100_0000000000000000';

function registerPanel(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/benefit-decision',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'benefits.decision.show',
      regionParam: 'regionCode',
      summary:
        'The case’s benefit decision: wage months and their source, items with the calculator’s trace, approval, payments and their ledger transactions, entitlements',
      tags: ['benefits'],
      schema: { params: caseParams, response: { 200: panelResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, caseId: CASE_EXAMPLE } }),
    },
    async (request) => {
      const out = await benefitPanel(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/benefit-decision',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'benefits.decision.propose',
      regionParam: 'regionCode',
      summary:
        'Propose the benefit decision (工伤保险待遇核定): runs the public calculator on the case and asks for the approval of the exact payload; supersedes an open proposal',
      tags: ['benefits'],
      schema: { params: caseParams, body: proposeBody, response: { 200: proposeResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: CASE_EXAMPLE },
        body: { enteredWages: [], wageEvidence: null },
      }),
    },
    async (request) => {
      const out = await proposeBenefitDecision(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        {
          ...request.params,
          enteredWages: request.body.enteredWages,
          wageEvidence: request.body.wageEvidence,
          employerArrangedWork: request.body.employerArrangedWork,
          on: request.body.on ?? today(),
          policy: approvalPolicyOf(app.deps.config),
        },
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerApply(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/benefit-decisions/:decisionId/apply',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.decision.approve',
      regionParam: 'regionCode',
      summary:
        'Apply the approved decision: consumes the approval, posts the lump sums payable (Dr 51xx / Cr 2102), issues the payments, the entitlements and the 核定通知书; a retry posts nothing',
      tags: ['benefits'],
      schema: { params: decisionParams, body: applyBody, response: { 200: applyResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, decisionId: DECISION_EXAMPLE },
        body: {},
      }),
    },
    async (request) => {
      const out = await approveBenefitDecision(app.deps.db, request.actor!, {
        ...request.params,
        approvalId: request.body.approvalId,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerRecomputation(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/benefit-decisions/:decisionId/recomputation',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'benefits.decision.recompute',
      regionParam: 'regionCode',
      summary:
        'Recompute a decision from its stored input and pinned parameter snapshot (not the live parameters): the figures must be the same',
      tags: ['benefits'],
      schema: { params: decisionParams, response: { 200: recomputationResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, decisionId: DECISION_EXAMPLE } }),
    },
    async (request) => {
      const out = await recomputeBenefitDecision(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerPaymentRoutes(app: FastifyInstance): void {
  const base = '/api/v1/regions/:regionCode/benefit-payments/:paymentId';
  const spec = (suffix: string, action: string, summary: string) => ({
    method: 'POST' as const,
    url: `${base}/${suffix}`,
    access: { kind: 'permission' as const, permission: 'fund:write' as const },
    action,
    regionParam: 'regionCode',
    summary,
    tags: ['benefits'],
  });
  const params = (regionCode: string) => ({ regionCode, paymentId: PAYMENT_EXAMPLE });
  addRoute(
    app,
    {
      ...spec(
        'confirmation',
        'benefits.payment_confirmed',
        'The bank confirmed the payment: Dr 2102 / Cr 1003 with its reference',
      ),
      schema: { params: paymentParams, body: confirmBody, response: { 200: paymentResponse } },
      example: ({ regionCode }) => ({
        params: params(regionCode),
        body: { bankReference: 'BK-1', paidOn: '2025-07-15' },
      }),
    },
    async (request) => {
      const out = await confirmBenefitPayment(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      ...spec(
        'failure',
        'benefits.payment_failed',
        'The payment failed (a returned transfer is reversed: Dr 1003 / Cr 2102); reissue it',
      ),
      schema: { params: paymentParams, body: failBody, response: { 200: paymentResponse } },
      example: ({ regionCode }) => ({
        params: params(regionCode),
        body: { reason: 'account closed' },
      }),
    },
    async (request) => {
      const out = await failBenefitPayment(app.deps.db, request.actor!, {
        ...request.params,
        reason: request.body.reason,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      ...spec(
        'reissue',
        'benefits.payment_reissued',
        'Reissue a failed payment as a new attempt of the same lump sum',
      ),
      schema: { params: paymentParams, body: reissueBody, response: { 200: paymentResponse } },
      example: ({ regionCode }) => ({ params: params(regionCode), body: {} }),
    },
    async (request) => {
      const out = await reissueBenefitPayment(app.deps.db, request.actor!, {
        ...request.params,
        on: request.body.on ?? today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
