import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { caseDetermination, type NextDueKind } from '../../db/schema-case-determination.ts';
import type { DeterminationState } from '../../domain/cases/index.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import type { DueBasis } from '../../rules/deadlines/period.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import type { DueFlag } from './case-clock.ts';
import { appendCaseEvent } from './case-events.ts';

export type CaseRow = typeof caseDetermination.$inferSelect;

/** The case's row, locked for the change (FOR UPDATE), or null when it is not in that city. */
export async function lockCase(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<CaseRow | null> {
  const rows = await tx.orm
    .select()
    .from(caseDetermination)
    .where(and(eq(caseDetermination.regionCode, regionCode), eq(caseDetermination.id, caseId)))
    .for('update');
  return rows[0] ?? null;
}

export function stateOf(row: CaseRow, lastOn: IsoDate): DeterminationState {
  return {
    status: row.status,
    lastOn,
    clear: row.clearCase,
    acceptanceDueOn: row.acceptanceDueOn,
    decisionDueOn: row.decisionDueOn,
    suspendedOn: row.suspendedOn,
    outcome: row.determinationOutcome,
    grounds: row.determinationGrounds,
    decidedOn: row.determinationDecidedOn,
    servedOn: row.servedOn,
    reviewChannel: row.reviewChannel,
  };
}

/** The one running deadline (the work list's and dashboard's column) of a state. */
export function nextDueOf(s: DeterminationState): { kind: NextDueKind; on: IsoDate } | null {
  if (s.status === 'applied' && s.acceptanceDueOn)
    return { kind: 'acceptance', on: s.acceptanceDueOn };
  if (s.status === 'accepted' && s.decisionDueOn) return { kind: 'decision', on: s.decisionDueOn };
  return null;
}

/** The columns a state writes (every state change goes through here, so next_due stays true). */
export function columnsOf(s: DeterminationState) {
  const next = nextDueOf(s);
  return {
    status: s.status,
    clearCase: s.clear,
    acceptanceDueOn: s.acceptanceDueOn,
    decisionDueOn: s.decisionDueOn,
    suspendedOn: s.suspendedOn,
    determinationOutcome: s.outcome,
    determinationGrounds: [...s.grounds],
    determinationDecidedOn: s.decidedOn,
    servedOn: s.servedOn,
    reviewChannel: s.reviewChannel,
    nextDueKind: next?.kind ?? null,
    nextDueOn: next?.on ?? null,
  };
}

/**
 * The provisional flag and basis of the running due date after a step: as the clock counted it
 * when it counted it now, else as the row holds it when the same date still runs, else not
 * provisional (a due date from before the flag existed, or none running).
 */
export function dueFlagColumns(
  row: CaseRow,
  s: DeterminationState,
  clock: { noted(on: IsoDate): DueFlag | undefined },
): { nextDueProvisional: boolean; nextDueBasis: DueBasis | null } {
  const next = nextDueOf(s);
  if (next === null) return { nextDueProvisional: false, nextDueBasis: null };
  const noted = clock.noted(next.on);
  if (noted) return { nextDueProvisional: noted.provisional, nextDueBasis: noted.basis };
  if (row.nextDueKind === next.kind && row.nextDueOn === next.on)
    return { nextDueProvisional: row.nextDueProvisional, nextDueBasis: row.nextDueBasis };
  return { nextDueProvisional: false, nextDueBasis: null };
}

export function caseObject(row: { regionCode: string; id: string }): string {
  return `case/${row.regionCode}/${row.id}`;
}

/** The timeline event and the audit event of one change, in the caller's transaction. */
export async function recordCaseChange(
  tx: Executor,
  actor: Actor,
  row: { regionCode: string; id: string },
  event: { kind: string; occurredOn: IsoDate; data: Record<string, unknown> },
): Promise<number> {
  const seq = await appendCaseEvent(tx, {
    regionCode: row.regionCode,
    caseId: row.id,
    kind: event.kind,
    occurredOn: event.occurredOn,
    data: event.data,
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(actor, `cases.${event.kind}`, caseObject(row), { seq, on: event.occurredOn }),
  );
  return seq;
}

/** The latest legal date on a case's timeline (commands may not be dated before it). */
export async function lastEventOn(
  tx: Executor,
  regionCode: string,
  caseId: string,
): Promise<IsoDate> {
  const on = await latestEventDate(tx, regionCode, caseId, null);
  if (on === null) throw new Error(`case ${regionCode}/${caseId} has no timeline`);
  return on;
}

/** The day of the case's latest event of one kind (determination.materials_completed, …), if any. */
export function lastEventOfKind(
  tx: Executor,
  regionCode: string,
  caseId: string,
  kind: string,
): Promise<IsoDate | null> {
  return latestEventDate(tx, regionCode, caseId, kind);
}

/** One query for both: the latest event's day, of any kind (kind null) or of one kind. */
async function latestEventDate(
  tx: Executor,
  regionCode: string,
  caseId: string,
  kind: string | null,
): Promise<IsoDate | null> {
  const r = await tx.query(
    `SELECT to_char(max(occurred_on), 'YYYY-MM-DD') AS on FROM case_events
      WHERE region_code = $1 AND case_id = $2 AND ($3::text IS NULL OR kind = $3)`,
    [regionCode, caseId, kind],
  );
  const on = r.rows[0]?.['on'];
  return typeof on === 'string' ? on : null;
}
