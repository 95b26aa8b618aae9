import type { FastifyInstance } from 'fastify';
import { registerFundBudgetActionRoutes } from './budgets/budget-action-routes.ts';
import {
  registerFundBudgetExecutionRoutes,
  registerFundBudgetRoutes,
} from './budgets/budget-routes.ts';
import { registerFundIndicatorRoutes } from './indicators/indicator-routes.ts';
import { registerFundLedgerRoutes } from './ledger/ledger-routes.ts';
import { registerFundPeriodRoutes } from './ledger/period-routes.ts';
import { registerFundOverviewRoutes } from './overview/overview-routes.ts';
import { registerFundUnifiedRoutes } from './pooling/unified-routes.ts';
import { registerFundYearEndRoutes } from './pooling/year-end-routes.ts';

/**
 * The fund area's HTTP API (issue 4 items 8–10; docs/fund-api.md): overview, indicators, ledger
 * explorer, periods, budgets, year-end run, unified-mode flows. Every route is under
 * /api/v1/regions/:regionCode/fund/…, so the policy answers 404 outside the caller's scope before a
 * handler runs; the province's own data lives under its code (330000). Handlers wrap use cases.
 */
export function registerFundRoutes(app: FastifyInstance): void {
  registerFundOverviewRoutes(app);
  registerFundIndicatorRoutes(app);
  registerFundLedgerRoutes(app);
  registerFundPeriodRoutes(app);
  registerFundBudgetRoutes(app);
  registerFundBudgetActionRoutes(app);
  registerFundBudgetExecutionRoutes(app);
  registerFundYearEndRoutes(app);
  registerFundUnifiedRoutes(app);
}
