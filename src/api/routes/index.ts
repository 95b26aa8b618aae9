import type { FastifyInstance } from 'fastify';
import { registerApprovalRoutes } from './approvals.ts';
import { registerAuditRoutes } from './audit.ts';
import { registerAuthRoutes } from './auth.ts';
import { registerCalculationRoutes } from './calculations.ts';
import { registerFundRoutes } from './fund/fund.ts';
import { registerFundUnifiedRoutes } from './fund/unified.ts';
import { registerPersonRoutes } from './persons.ts';
import { registerRegionRoutes } from './regions.ts';
import { registerSystemRoutes } from './system.ts';

/** Every area registers its routes here; each route's spec joins the route table. */
export function registerRoutes(app: FastifyInstance): void {
  registerSystemRoutes(app);
  registerAuthRoutes(app);
  registerRegionRoutes(app);
  registerPersonRoutes(app);
  registerAuditRoutes(app);
  registerApprovalRoutes(app);
  registerCalculationRoutes(app);
  registerFundRoutes(app);
  registerFundUnifiedRoutes(app);
}
