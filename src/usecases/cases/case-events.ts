import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { caseEvents, cases } from '../../db/schema-cases.ts';
import type { IsoDate } from '../../kernel/dates.ts';

/**
 * The case's timeline (case_events), shared by every part of a case: determination, materials,
 * appraisal, benefit decision, letters. Event kinds are dotted, the part first
 * (`determination.accepted`, `appraisal.concluded`, `benefit.decision_approved`, `letter.issued`).
 */
export type CaseEventInput = {
  regionCode: string;
  caseId: string;
  kind: string;
  /** The legal date of the event (the day it happened or takes effect). */
  occurredOn: IsoDate;
  data: Record<string, unknown>;
  /** The acting user's id (or a system name such as 'seed'). */
  recordedBy: string;
};

export type CaseEvent = CaseEventInput & { seq: number; recordedAt: string };

/**
 * Appends one event to a case's timeline inside the caller's transaction. The case row is locked
 * first (FOR UPDATE), so concurrent appenders of one case queue and the sequence has no gaps and no
 * duplicates; callers that also change the case row hold the same lock already.
 */
export async function appendCaseEvent(tx: Executor, input: CaseEventInput): Promise<number> {
  const locked = await tx.orm
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.regionCode, input.regionCode), eq(cases.id, input.caseId)))
    .for('update');
  if (locked.length === 0)
    throw new Error(`appendCaseEvent: case ${input.regionCode}/${input.caseId} does not exist`);
  const last = await tx.orm
    .select({ seq: caseEvents.seq })
    .from(caseEvents)
    .where(and(eq(caseEvents.regionCode, input.regionCode), eq(caseEvents.caseId, input.caseId)))
    .orderBy(desc(caseEvents.seq))
    .limit(1);
  const seq = (last[0]?.seq ?? 0) + 1;
  await tx.orm.insert(caseEvents).values({
    regionCode: input.regionCode,
    caseId: input.caseId,
    seq,
    kind: input.kind,
    occurredOn: input.occurredOn,
    data: input.data,
    recordedBy: input.recordedBy,
  });
  return seq;
}

/** A case's timeline in order (the case page shows it whole). */
export async function caseTimeline(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<CaseEvent[]> {
  const rows = await ex.orm
    .select({
      regionCode: caseEvents.regionCode,
      caseId: caseEvents.caseId,
      seq: caseEvents.seq,
      kind: caseEvents.kind,
      occurredOn: caseEvents.occurredOn,
      data: caseEvents.data,
      recordedBy: caseEvents.recordedBy,
      recordedAt: sql<string>`to_char(${caseEvents.recordedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
    })
    .from(caseEvents)
    .where(and(eq(caseEvents.regionCode, regionCode), eq(caseEvents.caseId, caseId)))
    .orderBy(caseEvents.seq);
  return rows;
}
