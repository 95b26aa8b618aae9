import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { caseDependants } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumbersIn } from '../../identity/masking.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';

/**
 * Shows one dependant's (供养亲属) unmasked ID number to a user holding pii:reveal, as
 * `revealIdNumber` does for persons: every other read of the death facts masks it. The read and
 * its reason are audited (action pii.reveal) in the same transaction, a miss as refused; the
 * number itself never enters the audit trail (a number typed into the reason is masked too).
 * Replaced dependants of the case (an earlier recording) can be revealed as well: the decision
 * approved on them may still pay them.
 */
export type DependantRevealRequest = {
  regionCode: string;
  caseId: string;
  dependantId: string;
  reason: string;
};

export async function revealDependantIdNumber(
  db: Database,
  actor: Actor,
  input: DependantRevealRequest,
): Promise<Result<{ idNumber: string }, 'record.not_found'>> {
  return db.transaction(async (tx) => {
    const [found] = await tx.orm
      .select({ idNumber: caseDependants.idNumber })
      .from(caseDependants)
      .where(
        and(
          eq(caseDependants.regionCode, input.regionCode),
          eq(caseDependants.caseId, input.caseId),
          eq(caseDependants.id, input.dependantId),
        ),
      );
    const object = `case/${input.regionCode}/${input.caseId}/dependant/${input.dependantId}`;
    await appendAudit(tx, {
      ...okEventOf(actor, 'pii.reveal', object, {
        reason: maskIdNumbersIn(input.reason),
        field: 'id_number',
      }),
      result: found ? 'ok' : 'refused',
    });
    if (!found)
      return refuse(
        'record.not_found',
        `dependant ${input.dependantId} not found in case ${input.caseId} of ${input.regionCode}`,
      );
    return ok({ idNumber: found.idNumber });
  });
}
