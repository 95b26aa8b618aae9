import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { employerEvents, employers } from '../../db/schema.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { type EmployerRow, type EmployerView, employerView, withinRegion } from './employers.ts';
import { rosterAt, type SpellView, type Viewer } from './workers.ts';

export type EmployerEventView = {
  seq: number;
  kind: 'registered' | 'status' | 'floating_grade';
  effectiveFrom: IsoDate;
  data: Record<string, string>;
  recordedBy: string;
  recordedAt: string;
};

export type EmployerPage = {
  employer: EmployerView;
  /** The roster on `date` (at most `rosterLimit` lines, by name). */
  roster: SpellView[];
  events: EmployerEventView[];
};

/** An employer in a region (a city, or the province), or null. */
export async function findEmployer(
  db: Database,
  regionCode: string,
  employerId: string,
): Promise<EmployerRow | null> {
  const [row] = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(employers)
      .where(and(withinRegion(employers.regionCode, regionCode), eq(employers.id, employerId))),
  );
  return row ?? null;
}

/** What the employer's page shows: the employer with its risk class on `date`, its roster that day, its events. */
export async function employerPage(
  db: Database,
  rules: RuleSet,
  viewer: Viewer,
  input: { employer: EmployerRow; date: IsoDate; rosterLimit: number },
): Promise<EmployerPage> {
  const { employer, date } = input;
  const events = await db.withConnection((ex) =>
    ex.orm
      .select()
      .from(employerEvents)
      .where(
        and(
          eq(employerEvents.regionCode, employer.regionCode),
          eq(employerEvents.employerId, employer.id),
        ),
      )
      .orderBy(asc(employerEvents.seq)),
  );
  return {
    employer: employerView(rules, employer, date),
    roster: await rosterAt(db, viewer, employer, date, input.rosterLimit),
    events: events.map((e) => ({
      seq: e.seq,
      kind: e.kind,
      effectiveFrom: e.effectiveFrom,
      data: e.data,
      recordedBy: e.recordedBy,
      recordedAt: e.recordedAt.toISOString(),
    })),
  };
}
