import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_LINE_FEN } from '../../../domain/fund/budgets/budget.ts';
import { budgetExecutionReport } from '../../../usecases/fund/budgets/budget-execution.ts';
import { renderBudgetExecutionXlsx } from '../../../usecases/fund/budgets/budget-export.ts';
import {
  approveBudgets,
  consolidateBudgets,
  getBudget,
  listBudgets,
  returnBudget,
  saveBudgetLines,
  submitBudget,
} from '../../../usecases/fund/budgets/budgets.ts';
import { addRoute } from '../../app.ts';
import { refusalError } from '../../errors.ts';
import { approvalId, EXAMPLE_YEAR, regionParams, today, yearParams } from './fund-schemas.ts';

/**
 * Budget routes (issue 4 item 8; docs/budgets.md, docs/fund-api.md). A city compiles and submits
 * its own; the province (330000) consolidates (maker → approval request), another user with
 * fund:approve decides through POST /api/v1/regions/330000/approvals/:id/decision, and the province
 * approves by consuming that approval.
 */
type YearParams = { regionCode: string; year: number };

const budgetLine = z.strictObject({
  account: z.string().regex(/^[45]\d{3}$/, 'an income (4xxx) or expense (5xxx) chart code'),
  amountFen: z.number().int('integer fen').min(0).max(MAX_LINE_FEN),
});
const throughQuery = z.strictObject({
  through: z.coerce.number().int().min(1).max(12).optional(),
});

export function registerFundBudgetRoutes(app: FastifyInstance): void {
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
        params: regionParams,
        querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) }),
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const { regionCode } = request.params as { regionCode: string };
      const { year } = request.query as { year: number };
      return { year, budgets: await listBudgets(app.deps.db, { regionCode, year }) };
    },
  );
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
      schema: { params: yearParams },
      example: ({ regionCode }) => ({ params: { regionCode, year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const p = request.params as YearParams;
      const out = await getBudget(app.deps.db, p);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
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
      schema: {
        params: yearParams,
        body: z.strictObject({
          lines: z.array(budgetLine).max(100),
          expectedVersion: z.number().int().min(1).max(1_000_000).optional(),
        }),
      },
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
      const p = request.params as YearParams;
      const body = request.body as {
        lines: { account: string; amountFen: number }[];
        expectedVersion?: number;
      };
      const out = await saveBudgetLines(app.deps.db, request.actor!, { ...p, ...body });
      request.audited = out.ok && out.value.changed;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  for (const [verb, summary, run] of [
    [
      'submit',
      'Draft → submitted: hand the budget to the province',
      (actor: Parameters<typeof submitBudget>[1], p: YearParams) =>
        submitBudget(app.deps.db, actor, p),
    ],
    [
      'consolidate',
      'Province only (maker): consolidate every submitted budget of the year and request approval of exactly that payload',
      (actor: Parameters<typeof submitBudget>[1], p: YearParams) =>
        consolidateBudgets(app.deps.db, actor, p),
    ],
  ] as const) {
    addRoute(
      app,
      {
        method: 'POST',
        url: `/api/v1/regions/:regionCode/fund/budgets/:year/${verb}`,
        access: { kind: 'permission', permission: 'fund:write' },
        action: `fund.budget.${verb}`,
        regionParam: 'regionCode',
        summary,
        tags: ['fund'],
        schema: { params: yearParams, body: z.strictObject({}) },
        example: ({ regionCode }) => ({ params: { regionCode, year: '2026' }, body: {} }),
      },
      async (request) => {
        const out = await run(request.actor!, request.params as YearParams);
        request.audited = out.ok;
        if (!out.ok) throw refusalError(out);
        return out.value;
      },
    );
  }
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
      schema: {
        params: yearParams,
        body: z.strictObject({
          reason: z.string().trim().min(2, 'say why (at least 2 characters)').max(500),
        }),
      },
      example: ({ regionCode }) => ({
        params: { regionCode, year: '2026' },
        body: { reason: '退回修改' },
      }),
    },
    async (request) => {
      const p = request.params as YearParams;
      const { reason } = request.body as { reason: string };
      const out = await returnBudget(app.deps.db, request.actor!, { ...p, reason });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
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
      schema: { params: yearParams, body: z.strictObject({ approvalId }) },
      example: ({ regionCode }) => ({
        params: { regionCode, year: '2026' },
        body: { approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const p = request.params as YearParams;
      const body = request.body as { approvalId: string };
      const out = await approveBudgets(app.deps.db, request.actor!, { ...p, ...body });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
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
      schema: { params: yearParams, querystring: throughQuery },
      example: ({ regionCode }) => ({ params: { regionCode, year: EXAMPLE_YEAR } }),
    },
    async (request) => {
      const p = request.params as YearParams;
      const { through } = request.query as { through?: number };
      const out = await budgetExecutionReport(app.deps.db, {
        ...p,
        throughMonth: through,
        today: today(),
      });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
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
      schema: { params: yearParams, querystring: throughQuery },
      example: ({ regionCode }) => ({ params: { regionCode, year: EXAMPLE_YEAR } }),
    },
    async (request, reply) => {
      const p = request.params as YearParams;
      const { through } = request.query as { through?: number };
      const out = await budgetExecutionReport(app.deps.db, {
        ...p,
        throughMonth: through,
        today: today(),
      });
      if (!out.ok) throw refusalError(out);
      const xlsx = await renderBudgetExecutionXlsx(out.value);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="budget-${p.regionCode}-${p.year}.xlsx"`,
        )
        .send(xlsx);
    },
  );
}
