import type { FastifyInstance } from 'fastify';
import {
  deathFactsBody,
  deathFactsParams,
  deathFactsResponse,
  dependantRevealBody,
  dependantRevealParams,
  dependantRevealResponse,
} from '../../../contract/benefits/death-facts-contract.ts';
import { deathFactsOf, recordDeathFacts } from '../../../usecases/benefits/death-facts.ts';
import { revealDependantIdNumber } from '../../../usecases/benefits/dependant-reveal.ts';
import { survivorEvidenceOf } from '../../../usecases/benefits/survivor-evidence.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The death facts of a case (docs/benefits.md, "Death cases"): the case handler records them
 * (case:write, like the proposal they feed), anyone reading cases sees them, the dependants' ID
 * numbers masked for every reader; a full number only through the audited reveal route
 * (pii:reveal, as for persons). Scoped by the case's city like every city route.
 */
export function registerDeathFactsRoutes(app: FastifyInstance): void {
  registerRecord(app);
  registerShow(app);
  registerDependantReveal(app);
}

const url = '/api/v1/regions/:regionCode/cases/:caseId/death-facts';
/** No case has this id: the example must not record anything. */
const CASE_EXAMPLE = 'cas_330100_0000000000000000';

function registerRecord(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'PUT',
      url,
      access: { kind: 'permission', permission: 'case:write' },
      action: 'benefits.death_facts.record',
      regionParam: 'regionCode',
      summary:
        'Record the death facts of a case (死亡日期, 第三十九条 circumstance, 供养亲属): replaces earlier facts and supersedes an open proposal; refused once a decision is approved',
      tags: ['benefits'],
      schema: {
        params: deathFactsParams,
        body: deathFactsBody,
        response: { 200: deathFactsResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: CASE_EXAMPLE },
        body: { diedOn: '2025-07-10', circumstance: 'injury', dependants: [] },
      }),
    },
    async (request) => {
      const out = await recordDeathFacts(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return withEvidence(app, request.params.regionCode, out.value);
    },
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url,
      access: { kind: 'permission', permission: 'case:read' },
      action: 'benefits.death_facts.show',
      regionParam: 'regionCode',
      summary: 'The death facts of a case with its dependants (404: none recorded)',
      tags: ['benefits'],
      schema: { params: deathFactsParams, response: { 200: deathFactsResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, caseId: CASE_EXAMPLE } }),
    },
    async (request) => {
      const { regionCode, caseId } = request.params;
      const found = await app.deps.db.withConnection((ex) => deathFactsOf(ex, regionCode, caseId));
      if (found === null)
        throw new ProblemError('record.not_found', `no death facts recorded for ${caseId}`);
      return withEvidence(app, regionCode, found);
    },
  );
}

/** The facts with each dependant's survivors' papers, asked for and on file (no ID number). */
async function withEvidence<T extends { caseId: string; diedOn: string }>(
  app: FastifyInstance,
  regionCode: string,
  facts: T,
) {
  const survivorEvidence = await app.deps.db.withConnection((ex) =>
    survivorEvidenceOf(ex, app.deps.rules.benefits, {
      regionCode,
      caseId: facts.caseId,
      diedOn: facts.diedOn,
    }),
  );
  return { ...facts, survivorEvidence };
}

function registerDependantReveal(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/dependants/:dependantId/reveal',
      access: { kind: 'permission', permission: 'pii:reveal' },
      action: 'pii.reveal',
      regionParam: 'regionCode',
      summary:
        'Show one dependant’s (供养亲属) unmasked ID number; the reason is audited (pii.reveal), a miss too',
      tags: ['benefits'],
      schema: {
        params: dependantRevealParams,
        body: dependantRevealBody,
        response: { 200: dependantRevealResponse },
      },
      example: ({ regionCode }) => ({
        params: {
          regionCode,
          caseId: CASE_EXAMPLE,
          dependantId: `dep_${regionCode}_0000000000000000`,
        },
        body: { reason: '供养亲属抚恤金核对身份' },
      }),
    },
    async (request) => {
      const out = await revealDependantIdNumber(app.deps.db, request.actor!, {
        ...request.params,
        reason: request.body.reason,
      });
      // The use case audits the read and a miss alike.
      request.audited = true;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
