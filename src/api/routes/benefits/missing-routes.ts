import type { FastifyInstance } from 'fastify';
import {
  advanceBody,
  advanceResponse,
  declaredBody,
  declaredResponse,
  missingBody,
  missingParams,
  missingResponse,
  missingView,
  reappearedBody,
  reappearedResponse,
} from '../../../contract/benefits/missing-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { recordMissing } from '../../../usecases/benefits/benefit-missing.ts';
import { advanceMissingLumpSum } from '../../../usecases/benefits/benefit-missing-advance.ts';
import { declareMissingDead } from '../../../usecases/benefits/benefit-missing-declared.ts';
import { missingOf } from '../../../usecases/benefits/benefit-missing-read.ts';
import { recordReappearance } from '../../../usecases/benefits/benefit-missing-reappeared.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * 下落不明 (《工伤保险条例》第四十一条; docs/benefits.md, "Whereabouts unknown"), scoped by the city
 * like the stop of benefits: a handler asks and applies the event and the advance (fund:write: they
 * change what the fund pays); a supervisor approves the exact payload through the approvals routes
 * (fund:approve), never the maker. The same use cases as `tongchou benefits missing`.
 */
export function registerMissingRoutes(app: FastifyInstance): void {
  registerRecord(app);
  registerAdvance(app);
  registerDeclared(app);
  registerReappeared(app);
  registerShow(app);
}

/** No case has this id: an example must not record anyone missing. */
const caseExample = 'cas_330100_0000000000000000';

function registerRecord(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/missing',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.missing.apply',
      regionParam: 'regionCode',
      summary:
        'Record a worker missing after an accident on a business trip or in 抢险救灾 (第四十一条) with a second person’s approval: without approvalId everything is checked and computed and the approval asked; with the approved id the employer’s 3 months of wages are recorded, the survivors’ pensions start from the 4th month and the worker’s own items end',
      tags: ['benefits'],
      schema: { params: missingParams, body: missingBody, response: { 200: missingResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: caseExample },
        body: { reason: '出差途中事故，下落不明', monthlyWageFen: 600000, dependants: [] },
      }),
    },
    async (request) => {
      const out = await recordMissing(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...request.body,
        policy: approvalPolicyOf(app.deps.config),
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerAdvance(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/missing/advance',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.missing.advance',
      regionParam: 'regionCode',
      summary:
        'Advance 50 % of the 一次性工亡补助金 to a missing worker’s family in hardship (第四十一条), with a second person’s approval: posted Dr 5112 / Cr 2102 and paid through the decision’s payment routes, once',
      tags: ['benefits'],
      schema: { params: missingParams, body: advanceBody, response: { 200: advanceResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: caseExample },
        body: { reason: '配偶无业，生活困难' },
      }),
    },
    async (request) => {
      const { on, ...body } = request.body;
      const out = await advanceMissingLumpSum(app.deps.db, request.actor!, {
        ...request.params,
        ...body,
        on: on ?? today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerDeclared(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/missing/declared-death',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.missing.declared',
      regionParam: 'regionCode',
      summary:
        'A missing worker declared dead by a court (第四十一条 → 第三十九条), with a second person’s approval: the 丧葬补助金 and the 一次性工亡补助金 less the advance are posted Dr 5110 / 5112 / Cr 2102 and paid through the decision’s payment routes; the survivors’ pensions run on',
      tags: ['benefits'],
      schema: { params: missingParams, body: declaredBody, response: { 200: declaredResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: caseExample },
        body: { deadOn: '2025-03-10', reason: '人民法院宣告死亡判决书' },
      }),
    },
    async (request) => {
      const { on, ...body } = request.body;
      const out = await declareMissingDead(app.deps.db, request.actor!, {
        ...request.params,
        ...body,
        on: on ?? today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerReappeared(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/missing/reappeared',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.missing.reappeared',
      regionParam: 'regionCode',
      summary:
        'A missing worker reappeared (the province’s rule: 《河南省工伤保险条例》第三十二条; 浙江 a demo borrowed from it), with a second person’s approval: the survivors’ pensions end with the month he reappeared, months paid after it and the advance drawn become open overpayments for the recovery, and a letter goes to the 近亲属',
      tags: ['benefits'],
      schema: {
        params: missingParams,
        body: reappearedBody,
        response: { 200: reappearedResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: caseExample },
        body: { reappearedOn: '2025-07-15', evidence: '本人到派出所报到，公安机关出具证明' },
      }),
    },
    async (request) => {
      const { on, ...body } = request.body;
      const out = await recordReappearance(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        ...body,
        on: on ?? today(),
        policy: approvalPolicyOf(app.deps.config),
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
      url: '/api/v1/regions/:regionCode/cases/:caseId/missing',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.missing.show',
      regionParam: 'regionCode',
      summary:
        'A case’s missing event: the employer’s wage months, the survivors’ pensions, the items ended and the advance',
      tags: ['benefits'],
      schema: { params: missingParams, response: { 200: missingView } },
      example: ({ regionCode }) => ({ params: { regionCode, caseId: caseExample } }),
    },
    async (request) => {
      const { regionCode, caseId } = request.params;
      const found = await app.deps.db.withConnection((ex) => missingOf(ex, regionCode, caseId));
      if (found === null)
        throw new ProblemError('record.not_found', `no missing event on ${caseId}`);
      return found;
    },
  );
}
