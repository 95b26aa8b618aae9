import { and, asc, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appraisalDraws, appraisalExperts, appraisalRecords } from '../../db/schema-appraisal.ts';
import { effectiveDueOn, latestConcluded } from '../../domain/cases/appraisal-procedure.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { withinRegion } from '../registry/employers.ts';
import { type AppraisalRow, caseAppraisals, factsOf } from './appraisal-store.ts';

/** What the routes, the CLI and the web show of an appraisal. */
export type DrawView = {
  committeeCode: string;
  specialty: string;
  algorithm: string;
  seed: number;
  panelSize: number;
  poolIds: string[];
  recusals: Array<{ expertId: string; reason: string }>;
  drawnIds: string[];
  drawnBy: string;
  drawnAt: string;
  /** The drawn experts with their names, in drawn order. */
  panel: Array<{ id: string; name: string; specialty: string }>;
};

export type AppraisalView = {
  regionCode: string;
  id: string;
  caseId: string;
  kind: AppraisalRow['kind'];
  committeeLevel: AppraisalRow['committeeLevel'];
  status: AppraisalRow['status'];
  previousAppraisalId: string | null;
  appliedOn: string;
  applicantKind: AppraisalRow['applicantKind'];
  treatmentStabilisedOn: string | null;
  dueOn: string | null;
  extendedDueOn: string | null;
  /** The due dates rest on a year without its holiday notice (暂定). */
  dueProvisional: boolean;
  extendedDueProvisional: boolean;
  extensionReason: string | null;
  /** The day the conclusion is due now: the extended one once extended. */
  effectiveDueOn: string | null;
  concludedOn: string | null;
  conclusion: AppraisalRow['conclusion'];
  disabilityGrade: number | null;
  nursingLevel: AppraisalRow['nursingLevel'];
  stopWorkExtensionMonths: number | null;
  gradingClauses: string[];
  servedOn: string | null;
  conclusionLetterId: string | null;
  draw: DrawView | null;
};

export function appraisalViewOf(row: AppraisalRow, draw: DrawView | null): AppraisalView {
  return {
    regionCode: row.regionCode,
    id: row.id,
    caseId: row.caseId,
    kind: row.kind,
    committeeLevel: row.committeeLevel,
    status: row.status,
    previousAppraisalId: row.previousAppraisalId,
    appliedOn: row.appliedOn,
    applicantKind: row.applicantKind,
    treatmentStabilisedOn: row.treatmentStabilisedOn,
    dueOn: row.dueOn,
    extendedDueOn: row.extendedDueOn,
    dueProvisional: row.dueProvisional,
    extendedDueProvisional: row.extendedDueProvisional,
    extensionReason: row.extensionReason,
    effectiveDueOn: row.dueOn === null ? null : effectiveDueOn({ ...row, dueOn: row.dueOn }),
    concludedOn: row.concludedOn,
    conclusion: row.conclusion,
    disabilityGrade: row.disabilityGrade,
    nursingLevel: row.nursingLevel,
    stopWorkExtensionMonths: row.stopWorkExtensionMonths,
    gradingClauses: row.gradingClauses,
    servedOn: row.servedOn,
    conclusionLetterId: row.conclusionLetterId,
    draw,
  };
}

export async function drawOf(
  ex: Executor,
  regionCode: string,
  appraisalId: string,
): Promise<DrawView | null> {
  const [d] = await ex.orm
    .select()
    .from(appraisalDraws)
    .where(
      and(eq(appraisalDraws.regionCode, regionCode), eq(appraisalDraws.appraisalId, appraisalId)),
    );
  if (!d) return null;
  const experts = await ex.orm
    .select({
      id: appraisalExperts.id,
      name: appraisalExperts.name,
      specialty: appraisalExperts.specialty,
    })
    .from(appraisalExperts)
    .where(
      and(
        eq(appraisalExperts.committeeCode, d.committeeCode),
        inArray(appraisalExperts.id, d.drawnIds),
      ),
    );
  const byId = new Map(experts.map((e) => [e.id, e]));
  return {
    committeeCode: d.committeeCode,
    specialty: d.specialty,
    algorithm: d.algorithm,
    seed: d.seed,
    panelSize: d.panelSize,
    poolIds: d.poolIds,
    recusals: d.recusals,
    drawnIds: d.drawnIds,
    drawnBy: d.drawnBy,
    drawnAt: d.drawnAt,
    panel: d.drawnIds.map((id) => byId.get(id) ?? { id, name: id, specialty: d.specialty }),
  };
}

/** One appraisal of a city with its draw; null when there is none (or it is another city's). */
export async function getAppraisal(
  ex: Executor,
  key: { regionCode: string; appraisalId: string },
): Promise<AppraisalView | null> {
  const [row] = await ex.orm
    .select()
    .from(appraisalRecords)
    .where(
      and(
        eq(appraisalRecords.regionCode, key.regionCode),
        eq(appraisalRecords.id, key.appraisalId),
      ),
    );
  if (!row) return null;
  return appraisalViewOf(row, await drawOf(ex, row.regionCode, row.id));
}

/** A case's appraisals, oldest first (the case page's panel). */
export async function listCaseAppraisals(
  ex: Executor,
  key: { regionCode: string; caseId: string },
): Promise<AppraisalView[]> {
  const rows = await caseAppraisals(ex, key.regionCode, key.caseId);
  const out: AppraisalView[] = [];
  for (const row of rows) out.push(appraisalViewOf(row, await drawOf(ex, row.regionCode, row.id)));
  return out;
}

export type CurrentConclusion = {
  appraisalId: string;
  kind: AppraisalRow['kind'];
  committeeLevel: AppraisalRow['committeeLevel'];
  concludedOn: IsoDate;
  conclusion: 'graded' | 'not_graded';
  disabilityGrade: number | null;
  nursingLevel: AppraisalRow['nursingLevel'];
  stopWorkExtensionMonths: number | null;
  gradingClauses: string[];
  servedOn: IsoDate | null;
};

/**
 * The case's current conclusion: its latest concluded appraisal (a re-appraisal's or a review's
 * replaces the one it revisited), or null before any. The benefit decision reads it.
 */
export async function currentConclusion(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<CurrentConclusion | null> {
  const rows = await caseAppraisals(ex, regionCode, caseId);
  const concluded = rows.filter((r) => r.status === 'concluded' && r.dueOn !== null);
  const latest = latestConcluded(concluded.map((r) => ({ ...factsOf(r), row: r })));
  if (latest === null) return null;
  const r = latest.row;
  return {
    appraisalId: r.id,
    kind: r.kind,
    committeeLevel: r.committeeLevel,
    concludedOn: r.concludedOn!,
    conclusion: r.conclusion!,
    disabilityGrade: r.disabilityGrade,
    nursingLevel: r.nursingLevel,
    stopWorkExtensionMonths: r.stopWorkExtensionMonths,
    gradingClauses: r.gradingClauses,
    servedOn: r.servedOn,
  };
}

export type WorkListFilter = {
  /** A city, or the province's code for all its cities. */
  regionCode: string;
  state?: 'open' | 'concluded' | 'all' | undefined;
  kind?: AppraisalRow['kind'] | undefined;
  /** Open appraisals due on or before this day (the near-deadline view). */
  dueBy?: IsoDate | undefined;
  limit?: number | undefined;
};

export const WORK_LIST_LIMIT_MAX = 500;

/** The committee's work list: open appraisals first by due date, then the concluded, newest first. */
export async function listAppraisals(ex: Executor, f: WorkListFilter): Promise<AppraisalView[]> {
  const due = sql`coalesce(${appraisalRecords.extendedDueOn}, ${appraisalRecords.dueOn})`;
  const where: SQL[] = [withinRegion(appraisalRecords.regionCode, f.regionCode)];
  const state = f.state ?? 'open';
  if (state === 'open') where.push(ne(appraisalRecords.status, 'concluded'));
  if (state === 'concluded') where.push(eq(appraisalRecords.status, 'concluded'));
  if (f.kind) where.push(eq(appraisalRecords.kind, f.kind));
  if (f.dueBy) where.push(sql`${due} <= ${f.dueBy}`);
  const rows = await ex.orm
    .select()
    .from(appraisalRecords)
    .where(and(...where))
    .orderBy(
      asc(sql`${appraisalRecords.status} = 'concluded'`),
      asc(due),
      desc(appraisalRecords.concludedOn),
      asc(appraisalRecords.id),
    )
    .limit(Math.min(f.limit ?? 100, WORK_LIST_LIMIT_MAX));
  return rows.map((r) => appraisalViewOf(r, null));
}
