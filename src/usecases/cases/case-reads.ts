import { and, eq, gt, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { employers, regions, workers } from '../../db/schema.ts';
import {
  caseDetermination,
  caseDueCounts,
  type NextDueKind,
} from '../../db/schema-case-determination.ts';
import type { CaseStatus } from '../../domain/cases/index.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';

/** The work list's filters (every one optional) and its keyset page. */
export type WorkListQuery = {
  /** A city, or a province code for all its cities; null for a self-service reader (scoped by
   * employer or workers instead). */
  regionCode: string | null;
  statuses?: readonly CaseStatus[] | undefined;
  dueKind?: NextDueKind | undefined;
  overdue?: boolean | undefined;
  dueWithinDays?: number | undefined;
  employerId?: string | undefined;
  workerIds?: readonly string[] | undefined;
  accidentFrom?: IsoDate | undefined;
  accidentTo?: IsoDate | undefined;
  /** The cursor a previous page returned. */
  after?: string | undefined;
  limit?: number | undefined;
  today: IsoDate;
};

export type WorkListItem = {
  regionCode: string;
  caseId: string;
  status: CaseStatus;
  caseType: 'accident' | 'occupational_disease';
  accidentDate: IsoDate;
  workerId: string;
  workerName: string;
  workerIdNumber: string;
  employerId: string;
  employerName: string;
  nextDueKind: NextDueKind | null;
  nextDueOn: IsoDate | null;
  /** The due date rests on a year without its holiday notice (暂定). */
  nextDueProvisional: boolean;
  overdue: boolean;
  version: number;
};

export const WORK_LIST_LIMIT_MAX = 100;
/** Cases without a running clock sort after every due date (the index uses the same sentinel). */
const NO_DUE = '9999-12-31';
const dueKey = sql<string>`coalesce(${caseDetermination.nextDueOn}, DATE '9999-12-31')`;

/**
 * A region filter: a city's own code, or every city of a province (3300xx…). The province is a
 * range of codes (six digits, regions_code_check), so an index leading on region_code bounds it.
 */
export function regionFilter(
  regionCode: string,
  column: AnyPgColumn = caseDetermination.regionCode,
): SQL {
  const prefix = regionCode.slice(0, 2);
  return regionCode.endsWith('0000')
    ? sql`${column} BETWEEN ${`${prefix}0000`} AND ${`${prefix}9999`}`
    : eq(column, regionCode);
}

function filtersOf(q: WorkListQuery): SQL[] {
  const f: (SQL | undefined)[] = [q.regionCode === null ? undefined : regionFilter(q.regionCode)];
  if (q.statuses && q.statuses.length > 0)
    f.push(inArray(caseDetermination.status, [...q.statuses]));
  // A clock kind implies a running clock (cases_next_due_paired), i.e. a sort key before the
  // sentinel: said on the key too, so a status without clocks reads an empty index range.
  if (q.dueKind) f.push(eq(caseDetermination.nextDueKind, q.dueKind), lt(dueKey, NO_DUE));
  // On the sort key rather than next_due_on (the same rows: a case without a clock sorts at
  // 9999-12-31), so the work-list indexes bound the scan instead of filtering it.
  if (q.overdue) f.push(lt(dueKey, q.today));
  if (q.dueWithinDays !== undefined) f.push(lte(dueKey, addDays(q.today, q.dueWithinDays)));
  if (q.employerId) f.push(eq(caseDetermination.employerId, q.employerId));
  if (q.workerIds) f.push(inArray(caseDetermination.workerId, [...q.workerIds, '']));
  if (q.accidentFrom) f.push(gte(caseDetermination.accidentDate, q.accidentFrom));
  if (q.accidentTo) f.push(lte(caseDetermination.accidentDate, q.accidentTo));
  if (q.after) {
    const [due = NO_DUE, id = ''] = q.after.split('|');
    f.push(or(gt(dueKey, due), and(eq(dueKey, due), gt(caseDetermination.id, id))));
  }
  return f.filter((x): x is SQL => x !== undefined);
}

/**
 * The first `n` cases in work-list order of each group, merged by the outer query: of each status
 * when several are asked, and of each city when a province is. A group is read from
 * cases_work_list_idx (region, status, due, id) or cases_work_due_idx (region, due, id).
 * Without it, with several statuses in one city, the planner walks cases_work_due_idx through every
 * running case of the city to find e.g. decided ones (EXPLAIN at 1 M cases: 48 775 rows removed by
 * the filter, 80 ms); and the province, all cities in one range, no index orders by due date: a
 * scan and sort of every case (EXPLAIN at 1 M: 1 M rows, 0.9–2.4 s). Grouped, it reads at most n
 * rows per group. The filters hold inside too, so the union holds the overall first n.
 */
function firstOfEachGroup(q: WorkListQuery, n: number): SQL | undefined {
  const statuses = q.statuses ?? [];
  const byStatus = statuses.length >= 2;
  // Not by city with an employer or workers: each city's due-date walk would read the city through
  // for a handful of cases (at 1 M: 0.4–0.65 s); one plan over the province is faster (≈0.3 s).
  const byCity = q.regionCode?.endsWith('0000') === true && !q.employerId && !q.workerIds;
  if (q.regionCode === null || (!byCity && !byStatus)) return undefined;
  if (q.regionCode.endsWith('0000') && !byCity) return undefined;
  // Every region the province's range holds (its cities), so exactly the cases regionFilter keeps.
  const cities = byCity
    ? sql`SELECT ${regions.code} AS code FROM ${regions} WHERE ${regionFilter(q.regionCode, regions.code)}`
    : sql`SELECT ${q.regionCode}::char(6) AS code`;
  const list = sql.join(
    statuses.map((st) => sql`${st}`),
    sql`, `,
  );
  const wanted = byStatus
    ? sql`unnest(ARRAY[${list}]::text[]) AS wanted(status)`
    : sql`(VALUES (NULL::text)) AS wanted(status)`;
  const inner = filtersOf({ ...q, regionCode: null, statuses: byStatus ? undefined : q.statuses });
  return sql`(${caseDetermination.regionCode}, ${caseDetermination.id}) IN (
    SELECT first.region_code, first.id FROM (${cities}) AS city CROSS JOIN ${wanted}
    CROSS JOIN LATERAL (SELECT ${caseDetermination.regionCode} AS region_code, ${caseDetermination.id} AS id
      FROM ${caseDetermination}
      WHERE ${and(
        ...inner,
        sql`${caseDetermination.regionCode} = city.code`,
        byStatus ? sql`${caseDetermination.status} = wanted.status` : undefined,
      )}
      ORDER BY ${dueKey}, ${caseDetermination.id} LIMIT ${n}) AS first)`;
}

/**
 * The work list: a city's cases, the nearest deadline first, in keyset pages (the cursor is the
 * last row's due date and id, so page N costs what page 1 costs on the work-list index).
 */
export async function workList(
  ex: Executor,
  q: WorkListQuery,
): Promise<{ items: WorkListItem[]; next: string | null }> {
  const limit = Math.min(q.limit ?? 50, WORK_LIST_LIMIT_MAX);
  const rows = await ex.orm
    .select({
      regionCode: caseDetermination.regionCode,
      caseId: caseDetermination.id,
      status: caseDetermination.status,
      caseType: caseDetermination.caseType,
      accidentDate: caseDetermination.accidentDate,
      workerId: caseDetermination.workerId,
      workerName: workers.name,
      idNumber: workers.idNumber,
      employerId: caseDetermination.employerId,
      employerName: employers.name,
      nextDueKind: caseDetermination.nextDueKind,
      nextDueOn: caseDetermination.nextDueOn,
      nextDueProvisional: caseDetermination.nextDueProvisional,
      version: caseDetermination.version,
    })
    .from(caseDetermination)
    .innerJoin(workers, eq(workers.id, caseDetermination.workerId))
    .innerJoin(
      employers,
      and(
        eq(employers.regionCode, caseDetermination.employerRegionCode),
        eq(employers.id, caseDetermination.employerId),
      ),
    )
    .where(and(...filtersOf(q), firstOfEachGroup(q, limit + 1)))
    .orderBy(dueKey, caseDetermination.id)
    .limit(limit + 1);
  // Always masked, whoever reads: a full number is shown only by the audited reveal route
  // (persons …/reveal), never in a list.
  const items = rows.slice(0, limit).map(({ idNumber, ...r }) => ({
    ...r,
    workerIdNumber: maskIdNumber(idNumber),
    overdue: r.nextDueOn !== null && r.nextDueOn < q.today,
  }));
  const last = items.at(-1);
  const next = rows.length > limit && last ? `${last.nextDueOn ?? NO_DUE}|${last.caseId}` : null;
  return { items, next };
}

export type DashboardRow = {
  regionCode: string;
  dueKind: NextDueKind;
  overdue: number;
  dueToday: number;
  dueWithin7Days: number;
  running: number;
};

/**
 * The deadline dashboard: per city and running clock, how many cases are over, due today or due
 * within a week. Sums case_due_counts (0025: per city, kind and due day, kept exact by triggers on
 * cases) rather than counting cases: the province's half a million running cases at 1 M are a few
 * thousand day rows. Groups whose days have all dropped to zero are left out, as counting would.
 */
export async function deadlineDashboard(
  ex: Executor,
  regionCode: string,
  today: IsoDate,
): Promise<DashboardRow[]> {
  const soon = addDays(today, 7);
  const c = caseDueCounts;
  return ex.orm
    .select({
      regionCode: c.regionCode,
      dueKind: c.dueKind,
      overdue: sql<number>`coalesce(sum(${c.cases}) FILTER (WHERE ${c.dueOn} < ${today}), 0)::int`,
      dueToday: sql<number>`coalesce(sum(${c.cases}) FILTER (WHERE ${c.dueOn} = ${today}), 0)::int`,
      dueWithin7Days: sql<number>`coalesce(sum(${c.cases}) FILTER (WHERE ${c.dueOn} > ${today} AND ${c.dueOn} <= ${soon}), 0)::int`,
      running: sql<number>`sum(${c.cases})::int`,
    })
    .from(c)
    .where(regionFilter(regionCode, c.regionCode))
    .groupBy(c.regionCode, c.dueKind)
    .having(sql`sum(${c.cases}) > 0`)
    .orderBy(c.regionCode, c.dueKind);
}
