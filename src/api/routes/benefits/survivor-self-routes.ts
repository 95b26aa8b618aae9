import type { FastifyInstance } from 'fastify';
import { ownSurvivorBenefitsResponse } from '../../../contract/benefits/benefit-decision-contract.ts';
import { ownCaseLetterParams } from '../../../contract/cases/determination-contract.ts';
import {
  mySurvivorBenefits,
  mySurvivorLetter,
} from '../../../usecases/benefits/benefit-survivor-self.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { caseExample, sendPdf } from '../cases/determination-routes.ts';

/**
 * The survivor's own view (portal, issue 12): a 供养亲属's log-in reads her pensions, her monthly
 * payments and the letters that concern her, on every case that records her by ID number. Under
 * the portal's prefix; no region or dependant id in the path (the log-in is the scope), and a
 * letter that is not hers is "not found", like any record outside one's scope. Reads are audited
 * at the edge as every portal read is.
 */
export function registerSurvivorSelfRoutes(app: FastifyInstance): void {
  registerOwnSurvivorBenefits(app);
  registerOwnSurvivorLetter(app);
}

const base = '/api/v1/my/survivor-benefits';

function registerOwnSurvivorBenefits(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'self:read' },
      action: 'benefits.self.survivor',
      summary:
        'My survivor’s benefits (供养亲属抚恤金): per case that records me as a dependant, my entitlements, my monthly payments and the letters that concern me',
      tags: ['benefits'],
      schema: { response: { 200: ownSurvivorBenefitsResponse } },
      example: () => ({}),
    },
    async (request) => {
      const out = await app.deps.db.withConnection((ex) => mySurvivorBenefits(ex, request.actor!));
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerOwnSurvivorLetter(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:caseId/letters/:letterId`,
      access: { kind: 'permission', permission: 'self:read' },
      action: 'benefits.self.survivor_letter',
      summary:
        'A letter that concerns me as a survivor (the death decision’s 工伤保险待遇核定通知书, a later decision that pays me), PDF as issued',
      tags: ['benefits'],
      schema: { params: ownCaseLetterParams },
      example: () => ({
        params: { caseId: caseExample('330100'), letterId: `ltr_330100_${'0'.repeat(15)}1` },
      }),
    },
    async (request, reply) => {
      const { caseId, letterId } = request.params;
      const letter = await app.deps.db.withConnection((ex) =>
        mySurvivorLetter(ex, request.actor!, caseId, letterId),
      );
      if (!letter) throw new ProblemError('case.not_found', `no letter ${letterId} on ${caseId}`);
      return sendPdf(reply, letter);
    },
  );
}
