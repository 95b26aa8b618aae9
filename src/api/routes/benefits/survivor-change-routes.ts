import type { FastifyInstance } from 'fastify';
import {
  dependantParams,
  survivorAgeingBody,
  survivorAgeingResponse,
  survivorCaseParams,
  survivorChangeApplyBody,
  survivorChangeApplyResponse,
  survivorChangeBody,
  survivorChangeDecisionBody,
  survivorChangeDecisionResponse,
  survivorChangeListResponse,
  survivorChangeParams,
  survivorChangeView,
} from '../../../contract/benefits/survivor-change-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { proposeAgeingOut } from '../../../usecases/benefits/benefit-survivor-ageing.ts';
import {
  proposeSurvivorChange,
  survivorChangeOf,
  survivorChangesOfCase,
} from '../../../usecases/benefits/benefit-survivor-change.ts';
import {
  applySurvivorChange,
  decideSurvivorChange,
} from '../../../usecases/benefits/benefit-survivor-change-apply.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * A survivor's pension ends, is suspended or resumes (docs/benefits.md, "Survivors' pensions
 * end"), scoped by the city: the handler proposes (fund:write; the answer shows the plan: ends,
 * the others recomputed under the cap, arrears, overpayment), a supervisor decides the approval
 * (fund:approve, never the maker), the handler applies (fund:write); the ageing-out job proposes a
 * month's ends. The same use cases as `tongchou benefits survivor …`.
 */
export function registerSurvivorChangeRoutes(app: FastifyInstance): void {
  registerPropose(app);
  registerDecision(app);
  registerApply(app);
  registerShow(app);
  registerCaseList(app);
  registerAgeing(app);
}

const base = '/api/v1/regions/:regionCode/survivor-changes';
/** No dependant or change has these ids: an example must not change anything. */
const dependantExample = (regionCode: string) => `dep_${regionCode}_0000000000000000`;
const changeExample = 'bsc_00000000000000000000';

async function changeOrThrow(app: FastifyInstance, p: { regionCode: string; changeId: string }) {
  const found = await app.deps.db.withConnection((ex) =>
    survivorChangeOf(ex, p.regionCode, p.changeId),
  );
  if (found === null)
    throw new ProblemError('record.not_found', `no survivor change ${p.changeId}`);
  return found;
}

function registerPropose(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/dependants/:dependantId/survivor-changes',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.survivor_change.propose',
      regionParam: 'regionCode',
      summary:
        "Propose that a survivor's pension ends (aged out, employed or enlisted, remarried, adopted, died), is suspended (imprisoned), resumes (released) or gets the 10 % of an orphan or a 孤寡老人 (orphan_or_sole_elder): the answer shows the plan — the month of the event paid whole, the others recomputed under the cap of 第三十九条, arrears and overpayment — and the approval asked",
      tags: ['benefits'],
      schema: {
        params: dependantParams,
        body: survivorChangeBody,
        response: { 200: survivorChangeView },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, dependantId: dependantExample(regionCode) },
        body: { kind: 'employed', eventOn: '2025-09-10', reason: '已就业', evidence: '劳动合同' },
      }),
    },
    async (request) => {
      const out = await proposeSurvivorChange(
        app.deps.db,
        request.actor!,
        app.deps.rules.benefits,
        {
          ...request.params,
          ...request.body,
          on: today(),
          policy: approvalPolicyOf(app.deps.config),
        },
      );
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
      url: `${base}/:changeId/approval`,
      access: { kind: 'permission', permission: 'fund:approve' },
      action: 'benefits.survivor_change.approve',
      regionParam: 'regionCode',
      summary:
        "Decide the approval of a proposed survivor's change (never its maker nor the maker's role): the exact payload, plan included",
      tags: ['benefits'],
      schema: {
        params: survivorChangeParams,
        body: survivorChangeDecisionBody,
        response: { 200: survivorChangeDecisionResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, changeId: changeExample },
        body: { decision: 'approved' },
      }),
    },
    async (request) => {
      await changeOrThrow(app, request.params);
      const out = await decideSurvivorChange(app.deps.db, request.actor!, {
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
      url: `${base}/:changeId/apply`,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.survivor_change.apply',
      regionParam: 'regionCode',
      summary:
        "Apply an approved survivor's change in one transaction: refused if the payroll or the pensions changed since; pensions ended and started as dated events, arrears posted and paid as a benefit payment, an overpayment recorded for recovery; a retry answers replayed",
      tags: ['benefits'],
      schema: {
        params: survivorChangeParams,
        body: survivorChangeApplyBody,
        response: { 200: survivorChangeApplyResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode, changeId: changeExample }, body: {} }),
    },
    async (request) => {
      await changeOrThrow(app, request.params);
      const out = await applySurvivorChange(app.deps.db, request.actor!, app.deps.rules.benefits, {
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
      url: `${base}/:changeId`,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.survivor_change.show',
      regionParam: 'regionCode',
      summary: "A survivor's change with its plan and what it wrote",
      tags: ['benefits'],
      schema: { params: survivorChangeParams, response: { 200: survivorChangeView } },
      example: ({ regionCode }) => ({ params: { regionCode, changeId: changeExample } }),
    },
    async (request) => changeOrThrow(app, request.params),
  );
}

function registerCaseList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/survivor-changes',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.survivor_change.list',
      regionParam: 'regionCode',
      summary:
        "The survivor's changes proposed for the dependants of a case, newest first, each with its plan and its approval's state (the case page's list: waiting for the checker, to apply, applied)",
      tags: ['benefits'],
      schema: { params: survivorCaseParams, response: { 200: survivorChangeListResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: `cas_${regionCode}_0000000000000000` },
      }),
    },
    async (request) => {
      const { regionCode, caseId } = request.params;
      const changes = await app.deps.db.withConnection((ex) =>
        survivorChangesOfCase(ex, regionCode, caseId),
      );
      return { changes };
    },
  );
}

function registerAgeing(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/survivor-ageing',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.survivor_change.ageing',
      regionParam: 'regionCode',
      summary:
        "The ageing-out job of a month: every dependant with an active survivor's pension reaching survivors.end_age (demo 18) that month, by the birth date of the ID number, gets a proposal (still under maker-checker); a second run proposes nothing new",
      tags: ['benefits'],
      schema: {
        params: regionParams,
        body: survivorAgeingBody,
        response: { 200: survivorAgeingResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, body: { month: '2025-09' } }),
    },
    async (request) => {
      const out = await proposeAgeingOut(app.deps.db, request.actor!, app.deps.rules.benefits, {
        ...request.params,
        month: request.body.month,
        on: today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
