import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { employers, workers } from '../../db/schema.ts';
import { caseDetermination } from '../../db/schema-case-determination.ts';
import {
  type ApplicantType,
  applicationTiming,
  applyDetermination,
  type CaseStatus,
  type DeterminationRefusalCode,
  type ReporterKind,
} from '../../domain/cases/index.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { type CaseClock, loadCaseClock } from './case-clock.ts';
import {
  type CaseRow,
  columnsOf,
  dueFlagColumns,
  lastEventOn,
  lockCase,
  recordCaseChange,
  stateOf,
} from './case-store.ts';

export type CaseReport = {
  regionCode: string;
  workerId: string;
  employerId: string;
  caseType: 'accident' | 'occupational_disease';
  accidentDate: IsoDate;
  reportedOn: IsoDate;
  reporterKind: ReporterKind;
  accidentPlace: string;
  accidentSummary: string;
};

export type CaseApplication = {
  applicantType: ApplicantType;
  appliedOn: IsoDate;
  /** 第十七条第一款 "经报社会保险行政部门同意，申请时限可以适当延长": the approved new last day. */
  employerExtension?: { extendedTo: IsoDate; approvalRef: string } | undefined;
};

export type ReportRefusal =
  | 'case.worker_not_found'
  | 'case.employer_not_found'
  | 'case.report_before_accident'
  | 'case.not_found'
  | 'case.version_conflict'
  | 'case.application_before_accident'
  | 'case.extension_before_deadline'
  | DeterminationRefusalCode;

export type ReportResult = { regionCode: string; caseId: string; status: CaseStatus };

/** An accident report (and, when given, the application with it): a new case in its city. */
export async function reportCase(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  report: CaseReport,
  application?: CaseApplication,
): Promise<Result<ReportResult, ReportRefusal>> {
  return db
    .transaction(async (tx) => {
      const refusal = await checkReport(tx, report);
      if (refusal) return refusal;
      const id = `cas_${report.regionCode}_${randomBytes(8).toString('hex')}`;
      await tx.orm.insert(caseDetermination).values({
        ...report,
        id,
        employerRegionCode: report.regionCode,
        status: 'reported',
        version: 1,
        createdBy: actor.userId,
        applicationLate: false,
        clearCase: false,
        determinationGrounds: [],
      });
      const row = { regionCode: report.regionCode, id };
      await recordCaseChange(tx, actor, row, {
        kind: 'determination.reported',
        occurredOn: report.reportedOn,
        data: { reporterKind: report.reporterKind, caseType: report.caseType },
      });
      if (!application)
        return ok({ regionCode: report.regionCode, caseId: id, status: 'reported' as const });
      const applied = await applyInTx(tx, actor, rules, { ...row, caseId: id }, application);
      if (!applied.ok) throw new RollbackRefusal(applied);
      return applied;
    })
    .catch(unwrapRollback);
}

/** A refusal found after the first writes: thrown to roll the transaction back, then returned. */
class RollbackRefusal extends Error {
  constructor(readonly refusal: Result<never, ReportRefusal>) {
    super('rolled back');
  }
}

function unwrapRollback(err: unknown): Result<ReportResult, ReportRefusal> {
  if (err instanceof RollbackRefusal) return err.refusal;
  throw err;
}

async function checkReport(
  tx: Executor,
  r: CaseReport,
): Promise<Result<never, ReportRefusal> | null> {
  if (r.reportedOn < r.accidentDate)
    return refuse('case.report_before_accident', `reported ${r.reportedOn} before the accident`);
  const worker = await tx.orm
    .select({ id: workers.id })
    .from(workers)
    .where(eq(workers.id, r.workerId));
  if (worker.length === 0) return refuse('case.worker_not_found', `no worker ${r.workerId}`);
  const employer = await tx.orm
    .select({ id: employers.id })
    .from(employers)
    .where(and(eq(employers.regionCode, r.regionCode), eq(employers.id, r.employerId)));
  if (employer.length === 0)
    return refuse('case.employer_not_found', `no employer ${r.employerId} in ${r.regionCode}`);
  return null;
}

/** The application for determination of a reported case (第十七条). */
export async function applyForDetermination(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  target: { regionCode: string; caseId: string },
  application: CaseApplication,
): Promise<Result<ReportResult, ReportRefusal>> {
  return db.transaction((tx) => applyInTx(tx, actor, rules, target, application));
}

async function applyInTx(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  target: { regionCode: string; caseId: string },
  application: CaseApplication,
): Promise<Result<ReportResult, ReportRefusal>> {
  const row = await lockCase(tx, target.regionCode, target.caseId);
  if (!row) return refuse('case.not_found', `no case ${target.caseId} in ${target.regionCode}`);
  if (application.appliedOn < row.accidentDate)
    return refuse('case.application_before_accident', 'the application predates the accident');
  const clock = await loadCaseClock(tx, rules, row.regionCode, application.appliedOn);
  const deadlines = deadlinesOf(row, clock, application);
  if (!deadlines.ok) return deadlines;
  const lastOn = await lastEventOn(tx, row.regionCode, row.id);
  const step = applyDetermination(
    stateOf(row, lastOn),
    { kind: 'apply', on: application.appliedOn },
    clock,
  );
  if (!step.ok) return step;
  const timing = applicationTiming(
    application.applicantType,
    application.appliedOn,
    deadlines.value,
  );
  await tx.orm
    .update(caseDetermination)
    .set({
      ...columnsOf(step.value.state),
      ...dueFlagColumns(row, step.value.state, clock),
      applicantType: application.applicantType,
      appliedOn: application.appliedOn,
      employerApplicationDueOn: deadlines.value.employerDueOn,
      workerApplicationDueOn: deadlines.value.workerDueOn,
      employerExtensionTo: application.employerExtension?.extendedTo ?? null,
      employerExtensionRef: application.employerExtension?.approvalRef ?? null,
      applicationLate: timing.late,
      employerLiableFrom: timing.employerLiableFrom,
      employerLiableUntil: timing.employerLiableUntil,
      version: row.version + 1,
      updatedAt: new Date(),
    })
    .where(and(eq(caseDetermination.regionCode, row.regionCode), eq(caseDetermination.id, row.id)));
  await recordCaseChange(tx, actor, row, {
    kind: step.value.event.kind,
    occurredOn: application.appliedOn,
    data: { applicantType: application.applicantType, ...timing },
  });
  return ok({ regionCode: row.regionCode, caseId: row.id, status: step.value.state.status });
}

function deadlinesOf(row: CaseRow, clock: CaseClock, application: CaseApplication) {
  const statutory = clock.dueOf('application.employer', row.accidentDate);
  const extension = application.employerExtension;
  if (extension && extension.extendedTo <= statutory)
    return refuse(
      'case.extension_before_deadline',
      `an extension ends after the statutory last day ${statutory}`,
    );
  return ok({
    employerDueOn: extension?.extendedTo ?? statutory,
    workerDueOn: clock.dueOf('application.worker', row.accidentDate),
  });
}
