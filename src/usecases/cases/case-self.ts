import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { employmentSpells } from '../../db/schema.ts';
import type { ApplicantType } from '../../domain/cases/index.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { isOwnIndexationNotice } from '../benefits/indexation-notice.ts';
import { letterPdf } from '../letters/issue-letter.ts';
import {
  type CasePage,
  caseLetter,
  casePage,
  regionOfCaseId,
  selfOwns,
  selfScopeOf,
} from './case-page.ts';
import { type WorkListItem, workList } from './case-reads.ts';
import { type ReportRefusal, type ReportResult, reportCase } from './case-report.ts';

/** An employer's or worker's own cases (portal "my cases"), nearest deadline first. */
export async function myCases(
  ex: Executor,
  actor: Actor,
  page: { today: IsoDate; after?: string | undefined; limit?: number | undefined },
): Promise<{ items: WorkListItem[]; next: string | null }> {
  const scope = await selfScopeOf(ex, actor);
  if (!scope) return { items: [], next: null };
  return workList(ex, {
    regionCode: null,
    ...('employerId' in scope ? { employerId: scope.employerId } : { workerIds: scope.workerIds }),
    ...page,
  });
}

/** One of the reader's own cases, or null (another's case is "not found", never "forbidden"). */
export async function myCase(ex: Executor, actor: Actor, caseId: string): Promise<CasePage | null> {
  const region = regionOfCaseId(caseId);
  const scope = await selfScopeOf(ex, actor);
  if (!region || !scope) return null;
  const page = await casePage(ex, region, caseId);
  return page && selfOwns(scope, page.facts) ? page : null;
}

export type OwnReport = {
  /** The worker's case: a worker user names only its employer; an employer names its worker. */
  workerId?: string | undefined;
  employerId?: string | undefined;
  caseType: 'accident' | 'occupational_disease';
  accidentDate: IsoDate;
  accidentPlace: string;
  accidentSummary: string;
  /** Apply for determination with the report (the usual way); a relative applies for the worker. */
  apply: boolean;
  applicantType?: 'worker' | 'relative' | undefined;
  today: IsoDate;
};

type Parties = {
  regionCode: string;
  workerId: string;
  employerId: string;
  applicant: ApplicantType;
};

/** The report's parties from the reader's scope, never from what the reader claims. */
async function partiesOf(
  ex: Executor,
  actor: Actor,
  r: OwnReport,
): Promise<Result<Parties, ReportRefusal>> {
  const scope = await selfScopeOf(ex, actor);
  if (scope && 'employerId' in scope) {
    // An employer reports only for a worker on its own roster (an employment spell there).
    if (!r.workerId || !(await employs(ex, scope, r.workerId)))
      return refuse('case.worker_not_found', 'name a worker on your roster');
    return ok({
      regionCode: scope.regionCode,
      workerId: r.workerId,
      employerId: scope.employerId,
      applicant: 'employer',
    });
  }
  const workerId = scope?.workerIds[0];
  if (!workerId) return refuse('case.worker_not_found', 'your log-in is not a registered worker');
  const regionCode = r.employerId ? /^emp_([0-9]{6})_/.exec(r.employerId)?.[1] : undefined;
  if (!regionCode || !r.employerId)
    return refuse('case.employer_not_found', 'name the employer you worked for');
  const applicant = r.applicantType ?? 'worker';
  return ok({ regionCode, workerId, employerId: r.employerId, applicant });
}

/** The portal's report (and application) by the employer or the worker for its own case. */
export async function reportOwnCase(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  r: OwnReport,
): Promise<Result<ReportResult, ReportRefusal>> {
  const found = await db.withConnection((ex) => partiesOf(ex, actor, r));
  if (!found.ok) return found;
  const parties = found.value;
  const reporterKind =
    parties.applicant === 'relative'
      ? 'relative'
      : parties.applicant === 'employer'
        ? 'employer'
        : 'worker';
  return reportCase(
    db,
    actor,
    rules,
    {
      regionCode: parties.regionCode,
      workerId: parties.workerId,
      employerId: parties.employerId,
      caseType: r.caseType,
      accidentDate: r.accidentDate,
      reportedOn: r.today,
      reporterKind,
      accidentPlace: r.accidentPlace,
      accidentSummary: r.accidentSummary,
    },
    r.apply ? { applicantType: parties.applicant, appliedOn: r.today } : undefined,
  );
}

async function employs(
  ex: Executor,
  employer: { regionCode: string; employerId: string },
  workerId: string,
): Promise<boolean> {
  const rows = await ex.orm
    .select({ id: employmentSpells.id })
    .from(employmentSpells)
    .where(
      and(
        eq(employmentSpells.regionCode, employer.regionCode),
        eq(employmentSpells.employerId, employer.employerId),
        eq(employmentSpells.workerId, workerId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** A letter of one of the reader's own cases (the portal's download), or null. */
export async function myCaseLetter(ex: Executor, actor: Actor, caseId: string, letterId: string) {
  const page = await myCase(ex, actor, caseId);
  if (!page) return null;
  const regionCode = page.facts.regionCode;
  const own = await caseLetter(ex, regionCode, caseId, letterId);
  if (own) return own;
  // The notice of an indexation batch that adjusted the worker's items of this case: a notice of
  // the rule to everyone it concerns (no case of its own), listed in the case's benefit view.
  const notice = await isOwnIndexationNotice(ex, {
    regionCode,
    caseId,
    letterId,
    dependantIds: null,
  });
  return notice ? letterPdf(ex, { regionCode, letterId }) : null;
}
