import type { FastifyInstance } from 'fastify';
import {
  correctionApplyBody,
  correctionApplyResponse,
  correctionBody,
  correctionCaseParams,
  correctionDecisionBody,
  correctionDecisionResponse,
  correctionListResponse,
  correctionParams,
  correctionView,
  entitlementParams,
} from '../../../contract/benefits/correction-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  correctionOf,
  correctionsOfCase,
  proposeCorrection,
} from '../../../usecases/benefits/benefit-correction.ts';
import {
  applyCorrection,
  decideCorrection,
} from '../../../usecases/benefits/benefit-correction-apply.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * Correcting an entitlement recorded wrong (docs/benefits.md, "Correcting an entitlement"), scoped
 * by the city: the handler proposes (fund:write; the answer shows the plan per month), a supervisor
 * decides the approval (fund:approve, never the maker), the handler applies (fund:write). The same
 * use cases as `tongchou benefits correction propose|approve|apply|show`.
 */
export function registerCorrectionRoutes(app: FastifyInstance): void {
  registerPropose(app);
  registerDecision(app);
  registerApply(app);
  registerShow(app);
  registerCaseList(app);
}

const base = '/api/v1/regions/:regionCode/benefit-entitlements/:entitlementId/corrections';
/** No entitlement or correction has these ids: an example must not correct anything. */
const entitlementExample = (regionCode: string) => `ent_${regionCode}_0000000000000000`;
const correctionExample = 'bcr_00000000000000000000';

/** The correction of that entitlement in the city, or 404. */
async function correctionOrThrow(
  app: FastifyInstance,
  p: { regionCode: string; entitlementId: string; correctionId: string },
) {
  const found = await app.deps.db.withConnection((ex) =>
    correctionOf(ex, p.regionCode, p.correctionId),
  );
  if (found === null || found.entitlementId !== p.entitlementId)
    throw new ProblemError(
      'record.not_found',
      `no correction ${p.correctionId} of ${p.entitlementId}`,
    );
  return found;
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.correction.propose',
      regionParam: 'regionCode',
      summary:
        'Propose the correction of an entitlement recorded wrong (amount, start or end; reason and evidence): the answer shows, per month of the posted payroll runs, paid, due and the difference (arrears or overpayment), and the approval asked',
      tags: ['benefits'],
      schema: {
        params: entitlementParams,
        body: correctionBody,
        response: { 200: correctionView },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, entitlementId: entitlementExample(regionCode) },
        body: { amountFen: 465_000, reason: '本人工资录入错误', evidence: '缴费工资核定表第3页' },
      }),
    },
    async (request) => {
      const out = await proposeCorrection(app.deps.db, request.actor!, app.deps.rules.benefits, {
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

function registerDecision(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:correctionId/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'benefits.correction.approve',
      regionParam: 'regionCode',
      summary:
        'Decide the approval of a proposed correction (never its maker nor the maker’s role): the exact payload, plan included',
      tags: ['benefits'],
      schema: {
        params: correctionParams,
        body: correctionDecisionBody,
        response: { 200: correctionDecisionResponse },
      },
      example: ({ regionCode }) => ({
        params: {
          regionCode,
          entitlementId: entitlementExample(regionCode),
          correctionId: correctionExample,
        },
        body: { decision: 'approved' },
      }),
    },
    async (request) => {
      await correctionOrThrow(app, request.params);
      const out = await decideCorrection(app.deps.db, request.actor!, {
        ...request.params,
        decision: request.body.decision,
      });
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
      url: `${base}/:correctionId/apply`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.correction.apply',
      regionParam: 'regionCode',
      summary:
        'Apply an approved correction in one transaction: refused if the payroll or the entitlement changed since; the corrected entitlement replaces the wrong one, arrears are posted and paid as a benefit payment, an overpayment is recorded for recovery; a retry answers replayed',
      tags: ['benefits'],
      schema: {
        params: correctionParams,
        body: correctionApplyBody,
        response: { 200: correctionApplyResponse },
      },
      example: ({ regionCode }) => ({
        params: {
          regionCode,
          entitlementId: entitlementExample(regionCode),
          correctionId: correctionExample,
        },
        body: {},
      }),
    },
    async (request) => {
      await correctionOrThrow(app, request.params);
      const out = await applyCorrection(app.deps.db, request.actor!, app.deps.rules.benefits, {
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

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:correctionId`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.correction.show',
      regionParam: 'regionCode',
      summary: 'A correction with its plan (per month paid, due, difference) and what it wrote',
      tags: ['benefits'],
      schema: { params: correctionParams, response: { 200: correctionView } },
      example: ({ regionCode }) => ({
        params: {
          regionCode,
          entitlementId: entitlementExample(regionCode),
          correctionId: correctionExample,
        },
      }),
    },
    async (request) => correctionOrThrow(app, request.params),
  );
}

function registerCaseList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/benefit-corrections',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.correction.list',
      regionParam: 'regionCode',
      summary:
        "The corrections of a case's entitlements, newest first, each with its plan and its approval's state (the case page's list: waiting for the checker, to apply, applied)",
      tags: ['benefits'],
      schema: { params: correctionCaseParams, response: { 200: correctionListResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: `cas_${regionCode}_0000000000000000` },
      }),
    },
    async (request) => {
      const { regionCode, caseId } = request.params;
      const corrections = await app.deps.db.withConnection((ex) =>
        correctionsOfCase(ex, regionCode, caseId),
      );
      return { corrections };
    },
  );
}
