import type { Database, Executor } from '../../db/client.ts';
import {
  type AppraisalRefusal,
  type ConclusionInput,
  checkCommittee,
  checkConclusion,
  checkExtension,
  checkService,
} from '../../domain/cases/appraisal-procedure.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { makeContext, readNumber } from '../../rules/context.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { LetterRenderer } from '../letters/issue-letter.ts';
import { issueConclusionLetter } from './appraisal-letter.ts';
import { appraisalPeriods } from './appraisal-periods.ts';
import { type AppraisalView, getAppraisal } from './appraisal-read.ts';
import {
  type AppraisalRow,
  factsOf,
  lockAppraisal,
  recordAppraisalChange,
  updateAppraisal,
} from './appraisal-store.ts';

/**
 * The committee's decisions on an appraisal after its panel: extending the period (第二十五条第二款),
 * the conclusion, and its service (送达) to the applicant, from which a re-appraisal's 15 days run.
 */
export type ConclusionRefusal = AppraisalRefusal | 'record.not_found' | 'rules.parameter_missing';

type Key = { regionCode: string; appraisalId: string };

async function withAppraisal(
  db: Database,
  actor: Actor,
  key: Key,
  act: (tx: Executor, row: AppraisalRow) => Promise<Result<null, ConclusionRefusal>>,
): Promise<Result<AppraisalView, ConclusionRefusal>> {
  return db.transaction(async (tx) => {
    const found = await lockAppraisal(tx, key.regionCode, key.appraisalId);
    if (!found) return refuse('record.not_found', `appraisal ${key.appraisalId} not found`);
    const committee = checkCommittee(found.row, actor.scopeKind === 'province');
    if (!committee.ok) return committee;
    const done = await act(tx, found.row);
    if (!done.ok) return done;
    const view = await getAppraisal(tx, key);
    if (!view) throw new Error(`appraisal ${key.appraisalId} vanished in its transaction`);
    return ok(view);
  });
}

/** 第二十五条第二款 "必要时…可以延长30日": once, before the 60 days run out, with its reason. */
export async function extendAppraisal(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: Key & { extendedOn: IsoDate; reason: string },
): Promise<Result<AppraisalView, ConclusionRefusal>> {
  return withAppraisal(db, actor, input, async (tx, row) => {
    const checked = checkExtension(factsOf(row), input.extendedOn);
    if (!checked.ok) return checked;
    const periods = await appraisalPeriods(tx, rules, row.regionCode, input.extendedOn);
    const counted = periods.extendedDueOn(factsOf(row).dueOn);
    if (!counted.ok) return counted;
    const extendedDueOn = counted.value;
    const flag = periods.noted(extendedDueOn);
    await updateAppraisal(tx, row, {
      extendedDueOn,
      extensionReason: input.reason,
      extendedDueProvisional: flag?.provisional ?? false,
      extendedDueBasis: flag?.basis ?? null,
    });
    await recordAppraisalChange(tx, actor, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      appraisalId: row.id,
      kind: 'appraisal.extended',
      occurredOn: input.extendedOn,
      data: {
        dueOn: row.dueOn,
        extendedDueOn,
        extendedDueProvisional: flag?.provisional ?? false,
        reason: input.reason,
      },
    });
    return ok(null);
  });
}

/** The parameter 停工留薪期延长 at most (第三十三条第二款 "但延长不得超过12个月"), in force on `date`. */
function extensionMaxMonths(
  rules: RuleSet,
  regionCode: string,
  date: IsoDate,
): Result<number, 'rules.parameter_missing'> {
  const ctx = makeContext(rules, regionCode, {}, false);
  const r = readNumber(ctx, 'stop_work.extension_max_months', date);
  return r.ok ? ok(Number(toDecimalString(r.value))) : r;
}

/**
 * The conclusion (第二十五条第一款 "根据专家组的鉴定意见作出…鉴定结论"): the 0016 conclusion columns, a case
 * event, the audit event and the numbered 劳动能力鉴定结论书, all in one transaction.
 */
export async function concludeAppraisal(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: Key & ConclusionInput,
  render?: LetterRenderer,
): Promise<Result<AppraisalView, ConclusionRefusal>> {
  const max = extensionMaxMonths(rules, input.regionCode, input.concludedOn);
  if (!max.ok) return max;
  return withAppraisal(db, actor, input, async (tx, row) => {
    const checked = checkConclusion(factsOf(row), input, max.value);
    if (!checked.ok) return checked;
    const set = {
      status: 'concluded' as const,
      concludedOn: input.concludedOn,
      conclusion: input.conclusion,
      disabilityGrade: input.disabilityGrade,
      nursingLevel: input.nursingLevel,
      stopWorkExtensionMonths: input.stopWorkExtensionMonths,
      gradingClauses: [...input.gradingClauses],
    };
    const letter = await issueConclusionLetter(tx, actor, row, input, render);
    await updateAppraisal(tx, row, { ...set, conclusionLetterId: letter.id });
    await recordAppraisalChange(tx, actor, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      appraisalId: row.id,
      kind: 'appraisal.concluded',
      occurredOn: input.concludedOn,
      data: {
        appraisalKind: row.kind,
        committeeLevel: row.committeeLevel,
        ...set,
        final: row.committeeLevel === 'province',
        letterId: letter.id,
        documentNumber: letter.documentNumber,
      },
    });
    return ok(null);
  });
}

/** 送达: the day the applicant received the conclusion (第二十五条第二款 "应当及时送达"). */
export async function serveConclusion(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: Key & { servedOn: IsoDate },
): Promise<Result<AppraisalView, ConclusionRefusal>> {
  return withAppraisal(db, actor, input, async (tx, row) => {
    const checked = checkService(factsOf(row), input.servedOn);
    if (!checked.ok) return checked;
    const periods = await appraisalPeriods(tx, rules, row.regionCode, input.servedOn);
    const lastDay = periods.reAppraisalLastDayOn(input.servedOn);
    if (!lastDay.ok) return lastDay;
    await updateAppraisal(tx, row, { servedOn: input.servedOn });
    await recordAppraisalChange(tx, actor, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      appraisalId: row.id,
      kind: 'appraisal.served',
      occurredOn: input.servedOn,
      data: {
        // The last day to apply for a re-appraisal (第二十六条), unless the conclusion is final.
        reAppraisalLastDayOn: row.committeeLevel === 'city' ? lastDay.value : null,
        reAppraisalLastDayProvisional:
          row.committeeLevel === 'city' && periods.noted(lastDay.value)?.provisional === true,
      },
    });
    return ok(null);
  });
}
