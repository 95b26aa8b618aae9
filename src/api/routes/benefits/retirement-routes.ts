import type { FastifyInstance } from 'fastify';
import {
  retirementBody,
  retirementParams,
  retirementResponse,
  retirementView,
} from '../../../contract/benefits/retirement-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import {
  recordRetirement,
  retirementOfWorker,
} from '../../../usecases/benefits/benefit-retirement.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * 退休 of a worker with a 伤残津贴 (《工伤保险条例》第三十五条第一款第（三）项; docs/benefits.md,
 * "Retirement"), scoped by the city like the stop: a handler asks and applies it (fund:write: it
 * changes what the fund pays); a supervisor approves the exact plan through the approvals routes
 * (fund:approve), never the maker. The same use case as `tongchou benefits retire`.
 */
export function registerRetirementRoutes(app: FastifyInstance): void {
  registerRecord(app);
  registerShow(app);
}

const url = '/api/v1/regions/:regionCode/workers/:workerId/retirement';
/** No worker has this id: an example must not retire anyone. */
const workerExample = 'wkr_0000000000000000';

function registerRecord(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.retirement.apply',
      regionParam: 'regionCode',
      summary:
        'Record a worker’s retirement (第三十五条第一款第（三）项) with a second person’s approval: without approvalId the plan is computed and its approval asked; with the approved id the fund’s 伤残津贴 ends with the month of retirement and the fund pays the difference to the basic pension from the next month. With personalAccount instead of pensionFen (《浙江省工伤保险条例》第二十六条第二款, no monthly pension) the allowance goes on net of the monthly offset until the balance is used up. A retirement dated before months already paid nets the 伤残津贴 paid against the successor owed: an open overpayment',
      tags: ['benefits'],
      schema: {
        params: retirementParams,
        body: retirementBody,
        response: { 200: retirementResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, workerId: workerExample },
        body: {
          retiredOn: '2025-07-15',
          pensionFen: 398_765,
          evidence: '杭社保养〔2025〕123号 基本养老金核定通知',
        },
      }),
    },
    async (request) => {
      const { pensionFen, personalAccount, ...body } = request.body;
      const out = await recordRetirement(app.deps.db, request.actor!, {
        ...request.params,
        ...body,
        // Exactly one is sent (the body's refinement): no monthly pension records 0.
        pensionFen: pensionFen ?? 0,
        personalAccount: personalAccount ?? null,
        policy: approvalPolicyOf(app.deps.config),
        today: today(),
        rules: app.deps.rules.benefits,
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
      url,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.retirement.show',
      regionParam: 'regionCode',
      summary: 'A worker’s recorded retirement with its plan (404: none recorded in the city)',
      tags: ['benefits'],
      schema: { params: retirementParams, response: { 200: retirementView } },
      example: ({ regionCode }) => ({ params: { regionCode, workerId: workerExample } }),
    },
    async (request) => {
      const { regionCode, workerId } = request.params;
      const found = await app.deps.db.withConnection((ex) =>
        retirementOfWorker(ex, regionCode, workerId),
      );
      if (found === null)
        throw new ProblemError('record.not_found', `no retirement recorded for ${workerId}`);
      return found;
    },
  );
}
