import { and, eq, ne, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appraisalRecords } from '../../db/schema-appraisal.ts';
import { caseDetermination } from '../../db/schema-case-determination.ts';
import type { Actor } from '../../identity/actor.ts';
import { type IsoDate, yearOf } from '../../kernel/dates.ts';
import type { WorkCalendar } from '../../rules/deadlines/calendar.ts';
import { type DueBasis, provisionalPeriodEnd } from '../../rules/deadlines/period.ts';
import { loadWorkCalendar } from '../calendar/load-work-calendar.ts';
import { type AppraisalRow, recordAppraisalChange, updateAppraisal } from './appraisal-store.ts';
import { lastEventOn, lockCase, recordCaseChange } from './case-store.ts';

/**
 * When the calendar changes (an administrator's import or the start-up sync of a newer bundled
 * file, typically a statutory-only year turned official by the State Council's notice), every
 * running provisional due date — a case's acceptance or decision clock, an open appraisal's
 * conclusion or extended period — is counted again from its stored basis, in the caller's
 * transaction. A changed date or a cleared flag is written with a case event `deadline.recomputed`
 * {kind, from, to, provisional}; the flag stays where an unknown year is still read.
 * The event is dated on the case's latest legal date: the recount is not a legal act and must not
 * move the earliest day a later command may carry. Returns the number of due dates rewritten.
 */
export async function recomputeProvisionalDues(tx: Executor, actor: Actor): Promise<number> {
  const caseKeys = await tx.orm
    .select({ regionCode: caseDetermination.regionCode, id: caseDetermination.id })
    .from(caseDetermination)
    .where(eq(caseDetermination.nextDueProvisional, true))
    .orderBy(caseDetermination.regionCode, caseDetermination.id);
  const appraisalKeys = await tx.orm
    .select({ regionCode: appraisalRecords.regionCode, id: appraisalRecords.id })
    .from(appraisalRecords)
    .where(
      and(
        ne(appraisalRecords.status, 'concluded'),
        or(
          eq(appraisalRecords.dueProvisional, true),
          eq(appraisalRecords.extendedDueProvisional, true),
        ),
      ),
    )
    .orderBy(appraisalRecords.regionCode, appraisalRecords.id);
  if (caseKeys.length === 0 && appraisalKeys.length === 0) return 0;
  const calendars = new Map<number, WorkCalendar>();
  const recount = async (basis: DueBasis) => {
    const year = yearOf(basis.start);
    let calendar = calendars.get(year);
    if (!calendar) {
      // A case period is at most a year (plus the holiday roll): two years past the start suffice.
      calendar = await loadWorkCalendar(tx, year, year + 2);
      calendars.set(year, calendar);
    }
    return provisionalPeriodEnd(calendar, basis.start, basis);
  };
  let changed = 0;
  for (const key of caseKeys) if (await recomputeCase(tx, actor, key, recount)) changed++;
  for (const key of appraisalKeys) changed += await recomputeAppraisal(tx, actor, key, recount);
  return changed;
}

type Recount = (basis: DueBasis) => Promise<{ due: IsoDate; provisional: boolean }>;
type Key = { regionCode: string; id: string };

async function recomputeCase(
  tx: Executor,
  actor: Actor,
  key: Key,
  recount: Recount,
): Promise<boolean> {
  const row = await lockCase(tx, key.regionCode, key.id);
  if (!row?.nextDueProvisional || !row.nextDueBasis || !row.nextDueOn || !row.nextDueKind)
    return false;
  const end = await recount(row.nextDueBasis);
  if (end.due === row.nextDueOn && end.provisional) return false;
  const dueColumn = row.nextDueKind === 'acceptance' ? 'acceptanceDueOn' : 'decisionDueOn';
  await tx.orm
    .update(caseDetermination)
    .set({
      nextDueOn: end.due,
      [dueColumn]: end.due,
      nextDueProvisional: end.provisional,
      nextDueBasis: end.provisional ? row.nextDueBasis : null,
      version: row.version + 1,
      updatedAt: new Date(),
    })
    .where(and(eq(caseDetermination.regionCode, row.regionCode), eq(caseDetermination.id, row.id)));
  await recordCaseChange(tx, actor, row, {
    kind: 'deadline.recomputed',
    occurredOn: await lastEventOn(tx, row.regionCode, row.id),
    data: { kind: row.nextDueKind, from: row.nextDueOn, to: end.due, provisional: end.provisional },
  });
  return true;
}

/** The conclusion period, then the extension counted on from the (new) conclusion due date. */
async function recomputeAppraisal(
  tx: Executor,
  actor: Actor,
  key: Key,
  recount: Recount,
): Promise<number> {
  const unlocked = await tx.orm
    .select({ caseId: appraisalRecords.caseId })
    .from(appraisalRecords)
    .where(and(eq(appraisalRecords.regionCode, key.regionCode), eq(appraisalRecords.id, key.id)));
  const caseId = unlocked[0]?.caseId;
  if (caseId === undefined) return 0;
  // Every appraisal writer locks the case row first, then the appraisal: the same order here.
  await lockCase(tx, key.regionCode, caseId);
  const [row] = await tx.orm
    .select()
    .from(appraisalRecords)
    .where(and(eq(appraisalRecords.regionCode, key.regionCode), eq(appraisalRecords.id, key.id)))
    .for('update');
  if (!row || row.status === 'concluded' || row.dueOn === null) return 0;
  const due =
    row.dueProvisional && row.dueBasis
      ? await recount(row.dueBasis)
      : { due: row.dueOn, provisional: false };
  const extendedBasis =
    row.extendedDueBasis && (row.extendedDueProvisional || due.due !== row.dueOn)
      ? { ...row.extendedDueBasis, start: due.due }
      : null;
  const extended = extendedBasis ? await recount(extendedBasis) : null;
  const changes: { kind: string; from: IsoDate; to: IsoDate; provisional: boolean }[] = [];
  if (row.dueProvisional && (due.due !== row.dueOn || !due.provisional))
    changes.push({
      kind: 'appraisal.conclusion',
      from: row.dueOn,
      to: due.due,
      provisional: due.provisional,
    });
  if (
    extended &&
    row.extendedDueOn !== null &&
    (extended.due !== row.extendedDueOn || !extended.provisional)
  )
    changes.push({
      kind: 'appraisal.extension',
      from: row.extendedDueOn,
      to: extended.due,
      provisional: extended.provisional,
    });
  if (changes.length === 0) return 0;
  await updateAppraisal(tx, row, {
    dueOn: due.due,
    dueProvisional: due.provisional,
    dueBasis: due.provisional ? row.dueBasis : null,
    ...(extended && extendedBasis
      ? {
          extendedDueOn: extended.due,
          extendedDueProvisional: extended.provisional,
          extendedDueBasis: extended.provisional ? extendedBasis : null,
        }
      : {}),
  });
  await recordChanges(tx, actor, row, changes);
  return changes.length;
}

async function recordChanges(
  tx: Executor,
  actor: Actor,
  row: AppraisalRow,
  changes: readonly { kind: string; from: IsoDate; to: IsoDate; provisional: boolean }[],
): Promise<void> {
  const occurredOn = await lastEventOn(tx, row.regionCode, row.caseId);
  for (const c of changes)
    await recordAppraisalChange(tx, actor, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      appraisalId: row.id,
      kind: 'deadline.recomputed',
      occurredOn,
      data: { kind: c.kind, from: c.from, to: c.to, provisional: c.provisional },
    });
}
