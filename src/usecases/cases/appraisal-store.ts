import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appraisalRecords } from '../../db/schema-appraisal.ts';
import { cases } from '../../db/schema-cases.ts';
import type { AppraisalFacts, CaseFacts } from '../../domain/cases/appraisal-procedure.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from './case-events.ts';

/**
 * Reads and writes shared by the appraisal use cases: the case and its appraisals as the domain's
 * facts, locked in the order every writer takes (the case row, then its appraisals), and the one
 * way a change is recorded (an audit event and a case event in the caller's transaction).
 */
export type AppraisalRow = typeof appraisalRecords.$inferSelect;

export function factsOf(row: AppraisalRow): AppraisalFacts {
  invariant(row.dueOn !== null, `appraisal ${row.id} has no due date`);
  return {
    id: row.id,
    kind: row.kind,
    committeeLevel: row.committeeLevel,
    status: row.status,
    appliedOn: row.appliedOn,
    dueOn: row.dueOn,
    extendedDueOn: row.extendedDueOn,
    concludedOn: row.concludedOn,
    servedOn: row.servedOn,
    createdAt: row.createdAt,
  };
}

/** The case (locked FOR UPDATE: one appraisal action of a case at a time) or null. */
export async function lockCase(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<(CaseFacts & { regionCode: string; id: string }) | null> {
  const [row] = await tx.orm
    .select({
      regionCode: cases.regionCode,
      id: cases.id,
      accidentDate: cases.accidentDate,
      determinationOutcome: cases.determinationOutcome,
      determinationDecidedOn: cases.determinationDecidedOn,
    })
    .from(cases)
    .where(and(eq(cases.regionCode, regionCode), eq(cases.id, caseId)))
    .for('update');
  return row ?? null;
}

export async function caseAppraisals(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<AppraisalRow[]> {
  return ex.orm
    .select()
    .from(appraisalRecords)
    .where(and(eq(appraisalRecords.regionCode, regionCode), eq(appraisalRecords.caseId, caseId)))
    .orderBy(appraisalRecords.appliedOn, appraisalRecords.createdAt);
}

/** One appraisal by its id, its case locked first; null when either is missing. */
export async function lockAppraisal(
  tx: Executor,
  regionCode: string,
  appraisalId: string,
): Promise<{ row: AppraisalRow; all: AppraisalRow[] } | null> {
  const [head] = await tx.orm
    .select({ caseId: appraisalRecords.caseId })
    .from(appraisalRecords)
    .where(and(eq(appraisalRecords.regionCode, regionCode), eq(appraisalRecords.id, appraisalId)));
  if (!head) return null;
  await lockCase(tx, regionCode, head.caseId);
  const all = await caseAppraisals(tx, regionCode, head.caseId);
  const row = all.find((a) => a.id === appraisalId);
  invariant(row !== undefined, `appraisal ${appraisalId} vanished under the case lock`);
  return { row, all };
}

/** Updates an appraisal's procedure columns and bumps its version (the case lock is held). */
export async function updateAppraisal(
  tx: Executor,
  row: AppraisalRow,
  set: Partial<typeof appraisalRecords.$inferInsert>,
): Promise<void> {
  const done = await tx.orm
    .update(appraisalRecords)
    .set({ ...set, version: row.version + 1, updatedAt: sql`now()` })
    .where(
      and(
        eq(appraisalRecords.regionCode, row.regionCode),
        eq(appraisalRecords.id, row.id),
        eq(appraisalRecords.version, row.version),
      ),
    )
    .returning({ id: appraisalRecords.id });
  invariant(done.length === 1, `appraisal ${row.id} changed under the case lock`);
}

/** The audit event and the case's timeline event of one appraisal change. */
export async function recordAppraisalChange(
  tx: Executor,
  actor: Actor,
  change: {
    regionCode: string;
    caseId: string;
    appraisalId: string;
    kind: string;
    occurredOn: IsoDate;
    data: Record<string, unknown>;
  },
): Promise<void> {
  await appendCaseEvent(tx, {
    regionCode: change.regionCode,
    caseId: change.caseId,
    kind: change.kind,
    occurredOn: change.occurredOn,
    data: { appraisalId: change.appraisalId, ...change.data },
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, change.kind, `appraisal:${change.regionCode}/${change.appraisalId}`, {
      caseId: change.caseId,
      ...change.data,
    }),
  );
}
