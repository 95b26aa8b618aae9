import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { calendarDays, calendarYears } from '../../db/schema-calendar.ts';
import { type Actor, systemActor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type InputProblem, parseInput } from '../../kernel/validation.ts';
import {
  type CalendarDayRecord,
  type CalendarYearRecord,
  calendarFileRecords,
  calendarFileSchema,
} from '../../rules/deadlines/calendar-file.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { recomputeProvisionalDues } from '../cases/provisional-dues.ts';

/**
 * Bundled calendar sync: inserts the years of the shipped file the database does not hold yet,
 * with their days, and leaves every year already there alone — except a year it loaded itself as
 * statutory-only that a newer release ships official (the notice came out): that one is replaced.
 * An administrator's import of a year therefore survives every restart, and a fresh database gets
 * the whole file. Idempotent: a second run changes nothing (and writes no audit event).
 */
export async function syncBundledCalendar(db: Database, file: unknown): Promise<number[]> {
  const parsed = parseInput(calendarFileSchema, file);
  // The bundled file is part of the release: a broken one is a build defect, not an input problem.
  if (!parsed.ok) throw new Error(`the bundled calendar file is invalid: ${parsed.message}`);
  const { years, days } = calendarFileRecords(parsed.value);
  return db.transaction(async (tx) => {
    const added: number[] = [];
    for (const y of years) if (await claimBundledYear(tx, y)) added.push(y.year);
    const fresh = days.filter((d) => added.includes(d.year));
    if (fresh.length > 0)
      await tx.orm.insert(calendarDays).values(fresh.map(dayRow)).onConflictDoNothing();
    if (added.length > 0) {
      const actor = systemActor('calendar-sync');
      // A year added or turned official: the provisional due dates that read it are counted again.
      const recomputed = await recomputeProvisionalDues(tx, actor);
      await appendAudit(
        tx,
        okEventOf(actor, 'calendar.sync', 'calendar/bundled', {
          years: added,
          days: fresh.length,
          recomputed,
        }),
      );
    }
    return added;
  });
}

/** True when the sync may write `y`: the database lacks it, or holds its own statutory-only copy. */
async function claimBundledYear(tx: Executor, y: CalendarYearRecord): Promise<boolean> {
  const row = yearRow(y, 'bundled', 'system');
  const inserted = await tx.orm
    .insert(calendarYears)
    .values(row)
    .onConflictDoNothing()
    .returning({ year: calendarYears.year });
  if (inserted.length > 0) return true;
  if (y.status !== 'official') return false;
  const upgraded = await tx.orm
    .update(calendarYears)
    .set({ ...row, recordedAt: sql`now()` })
    .where(
      and(
        eq(calendarYears.year, y.year),
        eq(calendarYears.origin, 'bundled'),
        eq(calendarYears.status, 'statutory-only'),
      ),
    )
    .returning({ year: calendarYears.year });
  if (upgraded.length === 0) return false;
  await tx.orm.delete(calendarDays).where(eq(calendarDays.year, y.year));
  return true;
}

function dayRow(d: CalendarDayRecord) {
  return { day: d.date, year: d.year, kind: d.kind, name: d.name };
}

function yearRow(y: CalendarYearRecord, origin: 'bundled' | 'import', by: string) {
  return {
    year: y.year,
    status: y.status,
    notice: y.notice,
    issuedOn: y.issuedOn,
    source: y.source,
    note: y.note,
    origin,
    recordedBy: by,
  };
}

export type CalendarImportReport = {
  years: { year: number; status: CalendarYearRecord['status']; replaced: boolean; days: number }[];
  /** Provisional due dates rewritten by the import (provisional-dues.ts). */
  recomputed: number;
};

/**
 * An administrator's calendar file (`tongchou calendar import FILE`, the bundled file's shape):
 * validated whole first, every problem reported and nothing changed when there is one. Each year
 * of the file then replaces that year in the database (facts and days), so a notice published
 * after the release turns a statutory-only year into an official one; other years are untouched.
 * One transaction, one audit event.
 */
export async function importCalendarFile(
  db: Database,
  actor: Actor,
  file: unknown,
): Promise<Result<CalendarImportReport, 'input.invalid'> & { problem?: InputProblem }> {
  const parsed = parseInput(calendarFileSchema, file);
  if (!parsed.ok) return parsed;
  const { years, days } = calendarFileRecords(parsed.value);
  if (years.length === 0) return ok({ years: [], recomputed: 0 });
  const report = await db.transaction(async (tx) => {
    const list = years.map((y) => y.year);
    const before = await tx.orm
      .select({ year: calendarYears.year })
      .from(calendarYears)
      .where(inArray(calendarYears.year, list))
      .for('update');
    const existing = new Set(before.map((r) => r.year));
    await tx.orm.delete(calendarDays).where(inArray(calendarDays.year, list));
    await writeYears(tx, years, actor.username);
    // A day named by another year's notice (New Year's Eve in the next year's notice) is replaced.
    if (days.length > 0) await insertDays(tx, days);
    const out: CalendarImportReport['years'] = years.map((y) => ({
      year: y.year,
      status: y.status,
      replaced: existing.has(y.year),
      days: days.filter((d) => d.year === y.year).length,
    }));
    // The notice is in: the running provisional due dates are counted again (docs/cases.md).
    const recomputed = await recomputeProvisionalDues(tx, actor);
    await appendAudit(
      tx,
      okEventOf(actor, 'calendar.import', 'calendar/import', { years: out, recomputed }),
    );
    return { years: out, recomputed };
  });
  return ok(report);
}

async function writeYears(tx: Executor, years: readonly CalendarYearRecord[], by: string) {
  for (const y of years) {
    const row = yearRow(y, 'import', by);
    await tx.orm
      .insert(calendarYears)
      .values(row)
      .onConflictDoUpdate({
        target: calendarYears.year,
        set: { ...row, recordedAt: sql`now()` },
      });
  }
}

async function insertDays(tx: Executor, days: readonly CalendarDayRecord[]) {
  await tx.orm
    .insert(calendarDays)
    .values(days.map(dayRow))
    .onConflictDoUpdate({
      target: calendarDays.day,
      set: {
        year: sql`excluded.year`,
        kind: sql`excluded.kind`,
        name: sql`excluded.name`,
      },
    });
}

export type CalendarYearView = {
  year: number;
  status: CalendarYearRecord['status'];
  notice: string | null;
  issuedOn: IsoDate | null;
  source: string | null;
  note: string | null;
  origin: 'bundled' | 'import';
  recordedBy: string;
  days: { date: IsoDate; kind: 'holiday' | 'workday'; name: string }[];
};

/** One year of the calendar as held (`tongchou calendar show YEAR`, GET /api/v1/calendar/{year}). */
export async function showCalendarYear(
  ex: Executor,
  year: number,
): Promise<Result<CalendarYearView, 'calendar.year_not_found'>> {
  const rows = await ex.orm.select().from(calendarYears).where(eq(calendarYears.year, year));
  const y = rows[0];
  if (y === undefined)
    return refuse('calendar.year_not_found', `the calendar holds nothing for ${year}`, { year });
  const days = await ex.orm
    .select({ date: calendarDays.day, kind: calendarDays.kind, name: calendarDays.name })
    .from(calendarDays)
    .where(eq(calendarDays.year, year))
    .orderBy(asc(calendarDays.day));
  return ok({
    year: y.year,
    status: y.status,
    notice: y.notice,
    issuedOn: y.issuedOn,
    source: y.source,
    note: y.note,
    origin: y.origin,
    recordedBy: y.recordedBy,
    days,
  });
}
