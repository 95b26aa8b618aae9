import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { benefitParameterSnapshots } from '../../db/schema.ts';
import { ruleSetFromSnapshot } from '../../domain/benefits/parameter-snapshot.ts';
import { type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';

/**
 * The rule set a benefit decision was proposed with, rebuilt from its stored snapshot: everything
 * the decision fixes later (its recomputation, the start month of its entitlements at approval) is
 * read from it, never from the rules loaded today, which may have changed since the proposal.
 */
export async function snapshotRules(
  ex: Executor,
  snapshotId: string,
): Promise<Result<RuleSet, 'benefit.snapshot_invalid'>> {
  const [row] = await ex.orm
    .select({ content: benefitParameterSnapshots.content })
    .from(benefitParameterSnapshots)
    .where(eq(benefitParameterSnapshots.snapshotId, snapshotId));
  if (row === undefined)
    return refuse('benefit.snapshot_invalid', `snapshot ${snapshotId} is not stored`);
  return ruleSetFromSnapshot(snapshotId, row.content);
}
