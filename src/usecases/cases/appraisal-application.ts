import { randomBytes } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { appraisalRecords } from '../../db/schema-appraisal.ts';
import {
  type ApplicantKind,
  type AppraisalFacts,
  type AppraisalKind,
  type AppraisalRefusal,
  checkInitialApplication,
  checkReAppraisal,
  checkReview,
  checkReviewBar,
} from '../../domain/cases/appraisal-procedure.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { DueBasis } from '../../rules/deadlines/period.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { appraisalPeriods } from './appraisal-periods.ts';
import { type AppraisalView, appraisalViewOf } from './appraisal-read.ts';
import { reviewBarFacts } from './appraisal-review-bar.ts';
import {
  type AppraisalRow,
  caseAppraisals,
  factsOf,
  lockCase,
  recordAppraisalChange,
} from './appraisal-store.ts';

/**
 * Receiving an application (劳动能力鉴定申请): the first appraisal (第二十三条), a re-appraisal by the
 * provincial committee (第二十六条) or a review (第二十八条). Each is a new appraisal row, received on
 * the day applied, its conclusion due 60 days later (第二十五条第二款, 第二十九条).
 */
export type ApplicationRefusal = AppraisalRefusal | 'record.not_found';

export type ApplicationInput = {
  regionCode: string;
  caseId: string;
  kind: AppraisalKind;
  appliedOn: IsoDate;
  applicantKind: ApplicantKind;
  /** The first appraisal: the day treatment stabilised (第二十一条), from the medical records. */
  treatmentStabilisedOn?: IsoDate | undefined;
  /** A re-appraisal or a review: the conclusion it revisits (the case's current one). */
  previousAppraisalId?: string | undefined;
};

export function newAppraisalId(regionCode: string): string {
  return `apr_${regionCode}_${randomBytes(8).toString('hex')}`;
}

export async function applyForAppraisal(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: ApplicationInput,
): Promise<Result<AppraisalView, ApplicationRefusal>> {
  return db.transaction(async (tx) => {
    const kase = await lockCase(tx, input.regionCode, input.caseId);
    if (!kase) return refuse('record.not_found', `case ${input.caseId} not found`);
    const rows = await caseAppraisals(tx, input.regionCode, input.caseId);
    const periods = await appraisalPeriods(tx, rules, input.regionCode, input.appliedOn);
    const checked = checkApplication(kase, rows.map(factsOf), input, actor, periods);
    if (!checked.ok) return checked;
    const barred = await checkReviewBarOf(tx, rules, kase, rows, input, checked.value);
    if (!barred.ok) return barred;
    const dueOn = periods.conclusionDueOn(input.appliedOn);
    if (!dueOn.ok) return dueOn;
    const flag = periods.noted(dueOn.value);
    const row = await insertAppraisal(tx, actor, input, {
      previousAppraisalId: checked.value?.id ?? null,
      dueOn: dueOn.value,
      dueProvisional: flag?.provisional ?? false,
      dueBasis: flag?.basis ?? null,
    });
    await recordAppraisalChange(tx, actor, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      appraisalId: row.id,
      kind: 'appraisal.received',
      occurredOn: row.appliedOn,
      data: {
        appraisalKind: row.kind,
        committeeLevel: row.committeeLevel,
        applicantKind: row.applicantKind,
        previousAppraisalId: row.previousAppraisalId,
        dueOn: row.dueOn,
        dueProvisional: row.dueProvisional,
      },
    });
    return ok(appraisalViewOf(row, null));
  });
}

function checkApplication(
  kase: Parameters<typeof checkInitialApplication>[0],
  facts: AppraisalFacts[],
  input: ApplicationInput,
  actor: Actor,
  periods: Awaited<ReturnType<typeof appraisalPeriods>>,
): Result<AppraisalFacts | null, ApplicationRefusal> {
  if (input.kind === 'initial')
    return checkInitialApplication(kase, facts, {
      appliedOn: input.appliedOn,
      applicantKind: input.applicantKind,
      treatmentStabilisedOn: input.treatmentStabilisedOn ?? null,
    });
  const previousAppraisalId = input.previousAppraisalId ?? '';
  if (input.kind === 're_appraisal')
    return checkReAppraisal(
      facts,
      {
        previousAppraisalId,
        appliedOn: input.appliedOn,
        applicantKind: input.applicantKind,
        byProvinceCommittee: actor.scopeKind === 'province',
      },
      periods.reAppraisalLastDayOn,
    );
  return checkReview(
    facts,
    { previousAppraisalId, appliedOn: input.appliedOn },
    periods.reviewEarliestOn,
  );
}

/**
 * A review (复查鉴定) in a province whose text ends the right to it with the employment
 * (`appraisal.review_bar`, 《浙江省工伤保险条例》第二十二条): refused once the worker has left as the text says.
 */
async function checkReviewBarOf(
  tx: Executor,
  rules: RuleSet,
  kase: { regionCode: string; id: string },
  rows: readonly AppraisalRow[],
  input: ApplicationInput,
  revisited: AppraisalFacts | null,
): Promise<Result<null, ApplicationRefusal>> {
  if (input.kind !== 'review' || revisited === null) return ok(null);
  const previous = rows.find((r) => r.id === revisited.id);
  if (previous === undefined) return ok(null);
  const facts = await reviewBarFacts(tx, rules, kase, previous, input.appliedOn);
  if (!facts.ok) return facts;
  return checkReviewBar(facts.value);
}

async function insertAppraisal(
  tx: Executor,
  actor: Actor,
  input: ApplicationInput,
  derived: {
    previousAppraisalId: string | null;
    dueOn: IsoDate;
    dueProvisional: boolean;
    dueBasis: DueBasis | null;
  },
): Promise<AppraisalRow> {
  const [row] = await tx.orm
    .insert(appraisalRecords)
    .values({
      regionCode: input.regionCode,
      id: newAppraisalId(input.regionCode),
      caseId: input.caseId,
      kind: input.kind,
      // 第二十六条: the provincial committee re-appraises; the city's committee does the rest.
      committeeLevel: input.kind === 're_appraisal' ? 'province' : 'city',
      status: 'received',
      previousAppraisalId: derived.previousAppraisalId,
      appliedOn: input.appliedOn,
      applicantKind: input.applicantKind,
      treatmentStabilisedOn:
        input.kind === 'initial' ? (input.treatmentStabilisedOn ?? null) : null,
      dueOn: derived.dueOn,
      dueProvisional: derived.dueProvisional,
      dueBasis: derived.dueBasis,
      createdBy: actor.userId,
    })
    .returning();
  if (!row) throw new Error('insert into appraisals returned no row');
  return row;
}
