import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, rowsOf, textOf, textOrNullOf } from '../../db/rows.ts';
import {
  constructionProjects,
  projectReceivables,
  projectWorkers,
  workers,
} from '../../db/schema.ts';
import { projectReceivableTransaction } from '../../domain/contributions/project-postings.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { maskIdNumber } from '../../identity/masking.ts';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import type { Fen } from '../../kernel/money.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { projectContribution } from '../../rules/contributions/project.ts';
import type {
  ContributionRefusalCode,
  IndustryStandard,
} from '../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
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
  | LedgerRefusalCode
  | 'record.not_found'
  | 'employer.cancelled'
  | 'project.invalid_dates'
  | 'project.workers_invalid'
  | 'project.key_conflict';

type ProjectRow = typeof constructionProjects.$inferSelect;
type NewProjectRow = typeof constructionProjects.$inferInsert;

/** What the project owes and paid in the ledger's terms (0026: receivable and matched payments). */
export type ProjectMoney = {
  /** The ledger transaction of the receivable, null when nothing was posted (0 fen, or before 0026). */
  receivableTransactionId: string | null;
  /** Posted as owed (Dr 1131): the contribution, or 0 when nothing was posted. */
  receivableFen: number;
  /** Applied to the receivable by posted collection records. */
  paidFen: number;
  outstandingFen: number;
  /** Paid beyond the receivable (held in 2103 暂收款). */
  overpaidFen: number;
};

export type ProjectView = Omit<ProjectRow, 'createdAt' | 'registeredBy'> &
  ProjectMoney & {
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
  /** The day of registration: the receivable's effective date (its ledger period must be open). */
  registeredOn: IsoDate;
  /**
   * The client's idempotency key: the project id is derived from it (with the city and employer),
   * so a retried registration finds the project it made instead of registering and charging twice.
   */
  clientKey: string;
};

/** The project id a client key names: the same key for the same employer is the same project. */
export function projectIdOf(regionCode: string, employerId: string, clientKey: string): string {
  const hex = createHash('sha256')
    .update(`${regionCode}|${employerId}|${clientKey}`)
    .digest('hex')
    .slice(0, 16);
  return `prj_${regionCode}_${hex}`;
}

/**
 * The project a client key already registered: the same registration again is answered with it;
 * other details under the same key are refused (the key names one registration).
 */
async function registeredWithKey(
  ex: Executor,
  input: ProjectRegistration,
  projectId: string,
): Promise<Result<ProjectRow | null, 'project.key_conflict'>> {
  const [row] = await ex.orm
    .select()
    .from(constructionProjects)
    .where(
      and(
        eq(constructionProjects.regionCode, input.regionCode),
        eq(constructionProjects.id, projectId),
      ),
    );
  if (row === undefined) return ok(null);
  const same =
    row.employerId === input.employerId &&
    row.name === input.name &&
    row.siteAddress === input.siteAddress &&
    row.contractValueFen === input.contractValueFen &&
    row.industryStandard === input.industry.standard &&
    row.industryDivision === input.industry.division &&
    row.startDate === input.startDate &&
    row.endDate === input.endDate;
  if (same) return ok(row);
  return refuse(
    'project.key_conflict',
    `clientKey ${input.clientKey} already registered project ${projectId} with other details; use a new key for a new project`,
    { projectId },
  );
}

const NOTHING_POSTED: ProjectMoney = {
  receivableTransactionId: null,
  receivableFen: 0,
  paidFen: 0,
  outstandingFen: 0,
  overpaidFen: 0,
};

function viewOf(row: ProjectRow, workerCount: number, money: ProjectMoney): ProjectView {
  const { createdAt, ...rest } = row;
  return { ...rest, ...money, registeredAt: createdAt.toISOString(), workerCount };
}

type Planned = { values: NewProjectRow; request: TransactionRequest | null };

/**
 * The project row and its receivable's ledger request, the employer locked (share) and checked;
 * run once to build the request and again inside the write transaction (the employer may have been
 * cancelled in between).
 */
async function planRegistration(
  ex: Executor,
  actor: Actor,
  rules: RuleSet,
  input: ProjectRegistration & { projectId: string },
): Promise<Result<Planned, ProjectRefusal>> {
  const employer = await lockEmployer(ex, input.regionCode, input.employerId, 'share');
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
  const projectId = input.projectId;
  const values: NewProjectRow = {
    regionCode: employer.regionCode,
    id: projectId,
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
  };
  const request = projectReceivableTransaction(
    {
      regionCode: employer.regionCode,
      projectId,
      projectName: input.name,
      contributionFen: due.value.amountFen,
      registeredOn: input.registeredOn,
    },
    rules.snapshotId,
  );
  return ok({ values, request });
}

/** Writes the project, its receivable row and the audit event (the ledger writes the posting). */
async function writeProject(tx: Executor, actor: Actor, planned: Planned): Promise<ProjectView> {
  const [row] = await tx.orm.insert(constructionProjects).values(planned.values).returning();
  if (!row) throw new Error('project insert returned nothing');
  const request = planned.request;
  let money = NOTHING_POSTED;
  if (request !== null) {
    await tx.orm.insert(projectReceivables).values({
      regionCode: row.regionCode,
      projectId: row.id,
      transactionId: request.id,
      amountFen: row.contributionFen,
      effectiveDate: request.effectiveDate,
      postedBy: actor.username,
    });
    money = {
      ...NOTHING_POSTED,
      receivableTransactionId: request.id,
      receivableFen: row.contributionFen,
      outstandingFen: row.contributionFen,
    };
  }
  await appendAudit(
    tx,
    okEventOf(actor, 'registry.project.register', `project/${row.regionCode}/${row.id}`, {
      employer: row.employerId,
      contractValueFen: row.contractValueFen,
      contributionFen: row.contributionFen,
      transactionId: request?.id ?? null,
    }),
  );
  return viewOf(row, 0, money);
}

/** The view of a project already registered (a replay answers with it). */
async function storedView(ex: Executor, row: ProjectRow): Promise<ProjectView> {
  const money = await moneyOf(ex, row.regionCode, [row.id]);
  const [workerCount] = await ex.orm
    .select({ n: count() })
    .from(projectWorkers)
    .where(
      and(eq(projectWorkers.regionCode, row.regionCode), eq(projectWorkers.projectId, row.id)),
    );
  return viewOf(row, workerCount?.n ?? 0, money.get(row.id) ?? NOTHING_POSTED);
}

/**
 * Registers a project and, in the same database transaction, posts its one-off contribution as a
 * receivable of the contractor's city (Dr 1131 / Cr 4101, effective the registration day). A ledger
 * refusal (the period not open or closed) refuses the registration: nothing is stored. The client
 * key makes it idempotent: the same registration again (a retry after a lost answer, a double
 * click, two at once — serialised by an advisory lock on the key) answers with the project it
 * made and posts nothing; other details under a used key are refused (`project.key_conflict`).
 */
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
  const withId = {
    ...input,
    projectId: projectIdOf(input.regionCode, input.employerId, input.clientKey),
  };
  const known = await db.withConnection(
    async (ex): Promise<Result<ProjectView | null, 'project.key_conflict'>> => {
      const found = await registeredWithKey(ex, input, withId.projectId);
      if (!found.ok) return found;
      return ok(found.value === null ? null : await storedView(ex, found.value));
    },
  );
  if (!known.ok) return known;
  if (known.value !== null) return ok(known.value);
  const first = await db.transaction((tx) => planRegistration(tx, actor, rules, withId));
  if (!first.ok) return first;
  const written: { view: ProjectView | null } = { view: null };
  // Inside the write: the key locked, then checked again (a concurrent twin may have committed).
  const writeOnce = async (tx: Executor): Promise<Refusal<ProjectRefusal> | null> => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [withId.projectId]);
    const again = await registeredWithKey(tx, input, withId.projectId);
    if (!again.ok) return again;
    if (again.value !== null) {
      written.view = await storedView(tx, again.value);
      return null;
    }
    const now = await planRegistration(tx, actor, rules, withId);
    if (!now.ok) return now;
    written.view = await writeProject(tx, actor, now.value);
    return null;
  };
  const request = first.value.request;
  const done =
    request === null
      ? await db.transaction(async (tx) => {
          const refusal = await writeOnce(tx);
          return refusal ?? ok([]);
        })
      : await postTransactions<ProjectRefusal>(db, actor, [request], {
          auditAction: 'registry.project.receivable',
          guard: writeOnce,
        });
  if (!done.ok) return done;
  invariant(written.view !== null, `project ${withId.projectId} registered without its row`);
  return ok(written.view);
}

/**
 * Receivable and payments of the given projects of one city. Hand-written SQL (one statement, two
 * grouped sub-queries over 0026's columns), read through the typed row mappers.
 */
async function moneyOf(
  ex: Executor,
  regionCode: string,
  projectIds: readonly string[],
): Promise<Map<string, ProjectMoney>> {
  const r = await ex.query(
    `SELECT p.id, r.transaction_id, coalesce(r.amount_fen, 0)::int8 AS receivable,
            coalesce(c.applied, 0)::int8 AS applied, coalesce(c.overpaid, 0)::int8 AS overpaid
       FROM unnest($2::text[]) AS p(id)
       LEFT JOIN project_receivables r ON r.region_code = $1 AND r.project_id = p.id
       LEFT JOIN (SELECT project_id, sum(applied_fen) AS applied, sum(overpaid_fen) AS overpaid
                    FROM collection_records
                   WHERE region_code = $1 AND project_id = ANY($2::text[]) AND posting_id IS NOT NULL
                   GROUP BY project_id) c ON c.project_id = p.id`,
    [regionCode, projectIds],
  );
  return new Map(
    rowsOf(r, (row) => {
      const receivableFen = intOf(row, 'receivable');
      const paidFen = intOf(row, 'applied');
      const money: ProjectMoney = {
        receivableTransactionId: textOrNullOf(row, 'transaction_id'),
        receivableFen,
        paidFen,
        outstandingFen: receivableFen - paidFen,
        overpaidFen: intOf(row, 'overpaid'),
      };
      return [textOf(row, 'id'), money] as const;
    }),
  );
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
    const money = await moneyOf(ex, project.regionCode, [project.id]);
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
      project: viewOf(project, rows.length, money.get(project.id) ?? NOTHING_POSTED),
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
    const money = await moneyOf(
      ex,
      rows[0]?.regionCode ?? input.regionCode,
      rows.map((r) => r.id),
    );
    return rows.map((row) => viewOf(row, n.get(row.id) ?? 0, money.get(row.id) ?? NOTHING_POSTED));
  });
}
