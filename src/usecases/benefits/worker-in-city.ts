import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { benefitEntitlements, cases } from '../../db/schema.ts';

/**
 * Whether a city knows a worker for benefits: a case or an entitlement of theirs there. Workers are
 * the province's (one per 公民身份号码), so a city's handler acts on a worker only through this: a
 * worker another city handles alone is answered 404 (benefit.worker_not_found), as any record
 * outside the caller's scope.
 */
export async function workerKnownInCity(
  ex: Executor,
  regionCode: string,
  workerId: string,
): Promise<boolean> {
  const inCases = await ex.orm
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.regionCode, regionCode), eq(cases.workerId, workerId)))
    .limit(1);
  if (inCases.length > 0) return true;
  const inEntitlements = await ex.orm
    .select({ id: benefitEntitlements.id })
    .from(benefitEntitlements)
    .where(
      and(
        eq(benefitEntitlements.regionCode, regionCode),
        eq(benefitEntitlements.workerId, workerId),
      ),
    )
    .limit(1);
  return inEntitlements.length > 0;
}
