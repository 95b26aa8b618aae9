import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { constructionProjects, projectWorkers, workers } from '../../db/schema.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import type { Fen } from '../../kernel/money.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { projectContribution } from '../../rules/contributions/project.ts';
import type {
  ContributionRefusalCode,
  IndustryStandard,
} from '../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { lockEmployer, withinRegion } from './employers.ts';
import { findOrRegisterWorker } from './workers.ts';

/**
 * 按项目参保: a construction project registered by its general contractor's city, its one-off
 * contribution computed by the rules (contract value × labour share × class base rate, dated
 * parameters) and stored with its formula and citations, and the workers it covers by list. A
 * project is never updated (0013's trigger); a changed contract is registered again.
 */
export type ProjectRefusal =
  | ContributionRefusalCode
  | 'record.not_found'
  | 'employer.cancelled'
  | 'project.invalid_dates'
  | 'project.workers_invalid';

type ProjectRow = typeof constructionProjects.$inferSelect;

export type ProjectView = Omit<ProjectRow, 'createdAt' | 'registeredBy'> & {
  registeredBy: string;
  registeredAt: string;
  workerCount: number;
};

export type ProjectRegistration = {
  regionCode: string;
  employerId: string;
  name: string;
  siteAddress: string;
  contractValueFen: Fen;
  industry: { standard: IndustryStandard; division: string };
  startDate: IsoDate;
  endDate: IsoDate;
};

function viewOf(row: ProjectRow, workerCount: number): ProjectView {
  const { createdAt, ...rest } = row;
  return { ...rest, registeredAt: createdAt.toISOString(), workerCount };
}

export async function registerProject(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: ProjectRegistration,
): Promise<Result<ProjectView, ProjectRefusal>> {
  if (input.endDate < input.startDate)
    return refuse(
      'project.invalid_dates',
      `endDate ${input.endDate} is before startDate ${input.startDate}; give the planned completion date`,
    );
  return db.transaction(async (tx) => {
    const employer = await lockEmployer(tx, input.regionCode, input.employerId, 'share');
    if (!employer) return refuse('record.not_found', `employer ${input.employerId} not found`);
    if (employer.status === 'cancelled')
      return refuse('employer.cancelled', 'the employer is cancelled (注销): no new project');
    const due = projectContribution(rules, {
      region: employer.regionCode,
      contractValueFen: input.contractValueFen,
      industry: input.industry,
      date: input.startDate,
    });
    if (!due.ok) return due;
    const [row] = await tx.orm
      .insert(constructionProjects)
      .values({
        regionCode: employer.regionCode,
        id: `prj_${employer.regionCode}_${randomBytes(8).toString('hex')}`,
        employerId: employer.id,
        name: input.name,
        siteAddress: input.siteAddress,
        contractValueFen: input.contractValueFen,
        industryStandard: input.industry.standard,
        industryDivision: input.industry.division,
        startDate: input.startDate,
        endDate: input.endDate,
        riskClass: due.value.riskClass,
        labourShare: due.value.labourShare,
        baseRate: due.value.baseRate,
        contributionFen: due.value.amountFen,
        formula: due.value.formula,
        citations: due.value.citations,
        registeredBy: actor.userId,
      })
      .returning();
    if (!row) throw new Error('project insert returned nothing');
    await appendAudit(
      tx,
      okEventOf(actor, 'registry.project.register', `project/${row.regionCode}/${row.id}`, {
        employer: row.employerId,
        contractValueFen: row.contractValueFen,
        contributionFen: row.contributionFen,
      }),
    );
    return ok(viewOf(row, 0));
  });
}

export type ProjectWorkerInput = { idNumber: string; name: string };
export type ListProblem = { index: number; field: 'idNumber' | 'name'; message: string };

/** Every problem of the list at once (the list is refused whole), nothing read from the store. */
function listProblems(list: readonly ProjectWorkerInput[], today: IsoDate): ListProblem[] {
  const problems: ListProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach((w, index) => {
    const check = checkCitizenId(w.idNumber, today);
    if (!check.valid)
      problems.push({
        index,
        field: 'idNumber',
        message: `not a valid 公民身份号码 (${check.reason}); check the 18 characters`,
      });
    else {
      const first = seen.get(check.normalised);
      if (first !== undefined)
        problems.push({ index, field: 'idNumber', message: `the same number as entry ${first}` });
      else seen.set(check.normalised, index);
    }
    if (w.name.trim() === '' || w.name.trim().length > 50)
      problems.push({ index, field: 'name', message: 'a name of 1 to 50 characters' });
  });
  return problems;
}

export type ProjectWorkersAdded = { added: number; alreadyListed: number };

/** Adds workers to a project's list (registering a number not yet known), all or nothing. */
export async function addProjectWorkers(
  db: Database,
  actor: Actor,
  input: {
    regionCode: string;
    projectId: string;
    workers: readonly ProjectWorkerInput[];
    today: IsoDate;
  },
): Promise<Result<ProjectWorkersAdded, ProjectRefusal>> {
  const problems = listProblems(input.workers, input.today);
  if (problems.length > 0)
    return refuse(
      'project.workers_invalid',
      `${problems.length} problem(s) in the list; nothing was added — correct the entries named and send the whole list again`,
      { problems },
    );
  return db.transaction(async (tx) => {
    const [project] = await tx.orm
      .select()
      .from(constructionProjects)
      .where(
        and(
          withinRegion(constructionProjects.regionCode, input.regionCode),
          eq(constructionProjects.id, input.projectId),
        ),
      );
    if (!project) return refuse('record.not_found', `project ${input.projectId} not found`);
    let added = 0;
    for (const w of input.workers) {
      const idNumber = w.idNumber.trim().toUpperCase();
      const workerId = await findOrRegisterWorker(tx, actor, { idNumber, name: w.name.trim() });
      const inserted = await tx.orm
        .insert(projectWorkers)
        .values({
          regionCode: project.regionCode,
          projectId: project.id,
          workerId,
          workerName: w.name.trim(),
          addedOn: input.today,
          addedBy: actor.userId,
        })
        .onConflictDoNothing()
        .returning({ workerId: projectWorkers.workerId });
      added += inserted.length;
    }
    const outcome = { added, alreadyListed: input.workers.length - added };
    await appendAudit(
      tx,
      okEventOf(actor, 'registry.project.workers', `project/${project.regionCode}/${project.id}`, {
        ...outcome,
      }),
    );
    return ok(outcome);
  });
}

export type ProjectWorkerView = {
  workerId: string;
  workerName: string;
  idNumberMasked: string;
  addedOn: IsoDate;
};

export type ProjectPage = { project: ProjectView; workers: ProjectWorkerView[] };

/** One project of a region (a city its own, the province code any) with its list, numbers masked. */
export async function getProject(
  db: Database,
  input: { regionCode: string; projectId: string },
): Promise<ProjectPage | null> {
  return db.withConnection(async (ex) => {
    const [project] = await ex.orm
      .select()
      .from(constructionProjects)
      .where(
        and(
          withinRegion(constructionProjects.regionCode, input.regionCode),
          eq(constructionProjects.id, input.projectId),
        ),
      );
    if (!project) return null;
    const rows = await ex.orm
      .select({ line: projectWorkers, idNumber: workers.idNumber })
      .from(projectWorkers)
      .innerJoin(workers, eq(workers.id, projectWorkers.workerId))
      .where(
        and(
          eq(projectWorkers.regionCode, project.regionCode),
          eq(projectWorkers.projectId, project.id),
        ),
      )
      .orderBy(asc(projectWorkers.workerName), asc(projectWorkers.workerId));
    return {
      project: viewOf(project, rows.length),
      workers: rows.map((r) => ({
        workerId: r.line.workerId,
        workerName: r.line.workerName,
        idNumberMasked: maskIdNumber(r.idNumber),
        addedOn: r.line.addedOn,
      })),
    };
  });
}

/** The projects of an employer, newest first, each with its worker count. */
export async function listProjects(
  db: Database,
  input: { regionCode: string; employerId: string },
): Promise<ProjectView[]> {
  return db.withConnection(async (ex) => {
    const rows = await ex.orm
      .select()
      .from(constructionProjects)
      .where(
        and(
          withinRegion(constructionProjects.regionCode, input.regionCode),
          eq(constructionProjects.employerId, input.employerId),
        ),
      )
      .orderBy(desc(constructionProjects.startDate), desc(constructionProjects.id));
    if (rows.length === 0) return [];
    const counts = await ex.orm
      .select({ projectId: projectWorkers.projectId, n: count() })
      .from(projectWorkers)
      .where(
        and(
          withinRegion(projectWorkers.regionCode, input.regionCode),
          inArray(
            projectWorkers.projectId,
            rows.map((r) => r.id),
          ),
        ),
      )
      .groupBy(projectWorkers.projectId);
    const n = new Map(counts.map((c) => [c.projectId, c.n]));
    return rows.map((row) => viewOf(row, n.get(row.id) ?? 0));
  });
}
