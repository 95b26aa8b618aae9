import type { FastifyInstance } from 'fastify';
import {
  budgetListParams,
  budgetListQuery,
  budgetListResponse,
  budgetParams,
  budgetResponse,
  budgetSaveBody,
  budgetSaveResponse,
  executionQuery,
  executionResponse,
} from '../../../../contract/fund/budgets/budgets-contract.ts';
import { budgetExecutionReport } from '../../../../usecases/fund/budgets/budget-execution.ts';
import { renderBudgetExecutionXlsx } from '../../../../usecases/fund/budgets/budget-export.ts';
import {
  getBudget,
  listBudgets,
  saveBudgetLines,
} from '../../../../usecases/fund/budgets/budgets.ts';
import { addRoute } from '../../../add-route.ts';
import { refusalError } from '../../../errors.ts';
import { EXAMPLE_YEAR, today } from '../fund-route-kit.ts';

/**
 * Budget routes (issue 4 item 8; docs/budgets.md, docs/fund-api.md): reading, compiling and the
 * execution report. The state changes (submit, consolidate, return, approve) are in
 * budget-action-routes.ts.
 */
export function registerFundBudgetRoutes(app: FastifyInstance): void {
  registerBudgetList(app);
  registerBudgetShow(app);
  registerBudgetSave(app);
}

/** The execution report and its Excel export come after the actions (route table order). */
export function registerFundBudgetExecutionRoutes(app: FastifyInstance): void {
  registerBudgetExecution(app);
  registerBudgetExecutionXlsx(app);
}

function registerBudgetList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/budgets',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.budget.list',
      regionParam: 'regionCode',
      summary: "A year's budgets in scope (the province: every segment; a city: its own)",
      tags: ['fund'],
      schema: {
        params: budgetListParams,
        querystring: budgetListQuery,
        response: { 200: budgetListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const { year } = request.query;
      const budgets = await listBudgets(app.deps.db, { ...request.params, year });
      return { year, budgets };
    },
  );
}

function registerBudgetShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.budget.show',
      regionParam: 'regionCode',
      summary: 'One budget with its lines and status',
      tags: ['fund'],
      schema: { params: budgetParams, response: { 200: budgetResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const out = await getBudget(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBudgetSave(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'PUT',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.budget.save',
      regionParam: 'regionCode',
      summary: 'Create the draft or replace its lines (draft only)',
      tags: ['fund'],
      schema: { params: budgetParams, body: budgetSaveBody, response: { 200: budgetSaveResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, year: '2026' },
        body: {
          lines: [
            { account: '4101', amountFen: 120_000_000 },
            { account: '5101', amountFen: 60_000_000 },
          ],
        },
      }),
    },
    async (request) => {
      const out = await saveBudgetLines(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok && out.value.changed;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBudgetExecution(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year/execution',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.budget.execution',
      regionParam: 'regionCode',
      summary: 'Monthly execution and variance per line (the province: its segment and every city)',
      tags: ['fund'],
      schema: {
        params: budgetParams,
        querystring: executionQuery,
        response: { 200: executionResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode, year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const out = await budgetExecutionReport(app.deps.db, {
        ...request.params,
        throughMonth: request.query.through,
        today: today(),
      });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBudgetExecutionXlsx(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/budgets/:year/execution.xlsx',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.budget.export',
      regionParam: 'regionCode',
      summary: 'The budget with its execution as an Excel workbook (.xlsx)',
      tags: ['fund'],
      schema: { params: budgetParams, querystring: executionQuery },
      example: ({ regionCode }) => ({ params: { regionCode, year: EXAMPLE_YEAR } }),
    },
    async (request, reply) => {
      const { regionCode, year } = request.params;
      const out = await budgetExecutionReport(app.deps.db, {
        regionCode,
        year,
        throughMonth: request.query.through,
        today: today(),
      });
      if (!out.ok) throw refusalError(out);
      const xlsx = await renderBudgetExecutionXlsx(out.value);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="budget-${regionCode}-${year}.xlsx"`)
        .send(xlsx);
    },
  );
}
