import type { FastifyInstance } from 'fastify';
import { emptyBody } from '../../../../contract/common.ts';
import {
  budgetApprovalResponse,
  budgetApproveBody,
  budgetParams,
  budgetResponse,
  budgetReturnBody,
  consolidationResponse,
} from '../../../../contract/fund/budgets/budgets-contract.ts';
import { approvalPolicyOf } from '../../../../runtime/config.ts';
import {
  approveBudgets,
  consolidateBudgets,
  returnBudget,
  submitBudget,
} from '../../../../usecases/fund/budgets/budgets.ts';
import { addRoute } from '../../../add-route.ts';
import { refusalError } from '../../../errors.ts';

/**
 * The budget's state changes. A city compiles and submits its own; the province (330000)
 * consolidates (maker → approval request), another user with fund:approve decides through
 * POST /api/v1/regions/330000/approvals/:id/decision, and the province approves by consuming that
 * approval.
 */
export function registerFundBudgetActionRoutes(app: FastifyInstance): void {
  registerBudgetSubmit(app);
  registerBudgetConsolidate(app);
  registerBudgetReturn(app);
  registerBudgetApprove(app);
}

function registerBudgetSubmit(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year/submit',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.budget.submit',
      regionParam: 'regionCode',
      summary: 'Draft → submitted: hand the budget to the province',
      tags: ['fund'],
      schema: { params: budgetParams, body: emptyBody, response: { 200: budgetResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2026' }, body: {} }),
    },
    async (request) => {
      const out = await submitBudget(app.deps.db, request.actor!, request.params);
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBudgetConsolidate(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year/consolidate',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.budget.consolidate',
      regionParam: 'regionCode',
      summary:
        'Province only (maker): consolidate every submitted budget of the year and request approval of exactly that payload',
      tags: ['fund'],
      schema: { params: budgetParams, body: emptyBody, response: { 200: consolidationResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2026' }, body: {} }),
    },
    async (request) => {
      const out = await consolidateBudgets(app.deps.db, request.actor!, {
        ...request.params,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBudgetReturn(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year/return',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.budget.return',
      regionParam: 'regionCode',
      summary: 'Submitted / consolidated → draft, with a reason',
      tags: ['fund'],
      schema: { params: budgetParams, body: budgetReturnBody, response: { 200: budgetResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, year: '2026' },
        body: { reason: '退回修改' },
      }),
    },
    async (request) => {
      const out = await returnBudget(app.deps.db, request.actor!, {
        ...request.params,
        reason: request.body.reason,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBudgetApprove(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year/approve',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.budget.approve',
      regionParam: 'regionCode',
      summary:
        'Province only: approve the consolidated budgets by consuming the approved approval (payload must still match)',
      tags: ['fund'],
      schema: {
        params: budgetParams,
        body: budgetApproveBody,
        response: { 200: budgetApprovalResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, year: '2026' },
        body: { approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const out = await approveBudgets(app.deps.db, request.actor!, {
        ...request.params,
        approvalId: request.body.approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
