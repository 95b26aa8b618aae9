import type { FastifyInstance } from 'fastify';
import { registerApprovalRoutes } from './approvals/approval-routes.ts';
import { registerAuditRoutes } from './audit/audit-routes.ts';
import { registerCalculationRoutes } from './calculator/calculation-routes.ts';
import { registerCaseSelfRoutes } from './cases/case-self-routes.ts';
import { registerDeterminationRoutes } from './cases/determination-routes.ts';
import { registerAssessmentRoutes } from './contributions/assessment-routes.ts';
import { registerCollectionRoutes } from './contributions/collection-routes.ts';
import { registerContributionSelfRoutes } from './contributions/contribution-self-routes.ts';
import { registerDeclarationRoutes } from './contributions/declaration-routes.ts';
import { registerFloatingRoutes } from './contributions/floating-routes.ts';
import { registerContributionRateRoutes } from './contributions/rate-routes.ts';
import { registerFundRoutes } from './fund/fund-routes.ts';
import { registerAuthRoutes } from './identity/auth-routes.ts';
import { registerEmployerRoutes } from './registry/employer-routes.ts';
import { registerEmployerSelfRoutes } from './registry/employer-self-routes.ts';
import { registerPersonRoutes } from './registry/person-routes.ts';
import { registerProjectRoutes } from './registry/project-routes.ts';
import { registerRegionRoutes } from './registry/region-routes.ts';
import { registerSpellRoutes } from './registry/spell-routes.ts';
import { registerSystemRoutes } from './system/system-routes.ts';

/** Every area registers its routes here; each route's spec joins the route table. */
export function registerRoutes(app: FastifyInstance): void {
  registerSystemRoutes(app);
  registerAuthRoutes(app);
  registerRegionRoutes(app);
  registerPersonRoutes(app);
  registerEmployerRoutes(app);
  registerSpellRoutes(app);
  registerProjectRoutes(app);
  registerEmployerSelfRoutes(app);
  registerAuditRoutes(app);
  registerApprovalRoutes(app);
  registerCalculationRoutes(app);
  registerContributionRateRoutes(app);
  registerFloatingRoutes(app);
  registerDeclarationRoutes(app);
  registerFundRoutes(app);
  registerAssessmentRoutes(app);
  registerCollectionRoutes(app);
  registerContributionSelfRoutes(app);
  registerDeterminationRoutes(app);
  registerCaseSelfRoutes(app);
}
