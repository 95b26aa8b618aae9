import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * The appraisal procedure (劳动能力鉴定, 《工伤保险条例》第二十一条至第二十九条) as pure checks: each action
 * of the use cases asks one of these first, and the state only moves the way they allow:
 *
 *   received ──draw──▶ panel_drawn ──conclude──▶ concluded ──serve──▶ (served_on recorded)
 *       └──────extend (once, before the due date)──────┘
 *
 * A re-appraisal (再次鉴定, 第二十六条) or a review (复查鉴定, 第二十八条) is a new appraisal whose
 * `previousAppraisalId` names the conclusion it starts from.
 */
export type AppraisalStatus = 'received' | 'panel_drawn' | 'concluded';
export type AppraisalKind = 'initial' | 're_appraisal' | 'review';
export type CommitteeLevel = 'city' | 'province';
/**
 * Who applied. 第二十三条: "由用人单位、工伤职工或者其近亲属…提出申请"; 第二十八条 adds for a review "所在单位或者
 * 经办机构" (the agency).
 */
export type ApplicantKind = 'employer' | 'worker' | 'relative' | 'agency';
export type NursingLevel = 'full' | 'major' | 'partial';
export type ConclusionKind = 'graded' | 'not_graded';

export type AppraisalFacts = {
  id: string;
  kind: AppraisalKind;
  committeeLevel: CommitteeLevel;
  status: AppraisalStatus;
  appliedOn: IsoDate;
  dueOn: IsoDate;
  extendedDueOn: IsoDate | null;
  concludedOn: IsoDate | null;
  servedOn: IsoDate | null;
  /** For ordering conclusions made on one day: the row's creation instant. */
  createdAt: string;
};

export type CaseFacts = {
  accidentDate: IsoDate;
  determinationOutcome: 'recognised' | 'deemed' | 'not_recognised' | null;
  determinationDecidedOn: IsoDate | null;
};

/** A period's day could not be counted: no parameter in force, or a year the calendar lacks. */
export type PeriodRefusal = 'rules.parameter_missing';

export type AppraisalRefusal =
  | PeriodRefusal
  | 'appraisal.case_not_recognised'
  | 'appraisal.applied_before_determination'
  | 'appraisal.treatment_not_stable'
  | 'appraisal.applicant_not_allowed'
  | 'appraisal.already_open'
  | 'appraisal.initial_exists'
  | 'appraisal.nothing_to_revisit'
  | 'appraisal.not_latest'
  | 'appraisal.conclusion_final'
  | 'appraisal.not_served'
  | 'appraisal.reappraisal_late'
  | 'appraisal.review_too_early'
  | 'appraisal.review_relation_ended'
  | 'appraisal.province_committee_only'
  | 'appraisal.not_received'
  | 'appraisal.not_drawn'
  | 'appraisal.already_concluded'
  | 'appraisal.not_concluded'
  | 'appraisal.already_served'
  | 'appraisal.already_extended'
  | 'appraisal.extension_after_due'
  | 'appraisal.date_out_of_order'
  | 'appraisal.conclusion_overdue'
  | 'appraisal.grade_mismatch'
  | 'appraisal.nursing_without_grade'
  | 'appraisal.clause_required'
  | 'appraisal.extension_too_long'
  | 'appraisal.extension_not_positive';

/** The day a conclusion is due: the extended day once extended (第二十五条第二款), else the first. */
export function effectiveDueOn(a: Pick<AppraisalFacts, 'dueOn' | 'extendedDueOn'>): IsoDate {
  return a.extendedDueOn ?? a.dueOn;
}

/** The case's current conclusion: the latest concluded appraisal (by day, then by creation). */
export function latestConcluded<T extends AppraisalFacts>(appraisals: readonly T[]): T | null {
  let latest: T | null = null;
  for (const a of appraisals) {
    if (a.status !== 'concluded' || a.concludedOn === null) continue;
    if (
      latest === null ||
      a.concludedOn > latest.concludedOn! ||
      (a.concludedOn === latest.concludedOn && a.createdAt > latest.createdAt)
    )
      latest = a;
  }
  return latest;
}

function openOne(appraisals: readonly AppraisalFacts[]): AppraisalFacts | undefined {
  return appraisals.find((a) => a.status !== 'concluded');
}

/**
 * The first appraisal: only of a case recognised (第十四条) or deemed (第十五条) a work injury —
 * 第二十三条 asks the applicant for "工伤认定决定" —, once treatment has stabilised (第二十一条: "经治疗伤情相对
 * 稳定后"), by the employer, the worker or a relative (第二十三条), and while no other is open.
 */
export function checkInitialApplication(
  kase: CaseFacts,
  appraisals: readonly AppraisalFacts[],
  input: {
    appliedOn: IsoDate;
    treatmentStabilisedOn: IsoDate | null;
    applicantKind: ApplicantKind;
  },
): Result<null, AppraisalRefusal> {
  const { determinationOutcome: outcome, determinationDecidedOn: decidedOn } = kase;
  if (outcome !== 'recognised' && outcome !== 'deemed')
    return refuse(
      'appraisal.case_not_recognised',
      `an appraisal needs the case recognised or deemed a work injury; its outcome is ${outcome ?? 'not yet decided'}`,
      { determinationOutcome: outcome },
    );
  if (decidedOn !== null && input.appliedOn < decidedOn)
    return refuse(
      'appraisal.applied_before_determination',
      `applied on ${input.appliedOn}, before the determination of ${decidedOn}`,
      { decidedOn },
    );
  const stable = input.treatmentStabilisedOn;
  if (stable === null || stable > input.appliedOn || stable < kase.accidentDate)
    return refuse(
      'appraisal.treatment_not_stable',
      `the day treatment stabilised (${stable ?? 'not given'}) must lie between the accident (${kase.accidentDate}) and the application (${input.appliedOn})`,
      { accidentDate: kase.accidentDate },
    );
  if (input.applicantKind === 'agency')
    return refuse(
      'appraisal.applicant_not_allowed',
      'the first appraisal is applied for by the employer, the worker or a relative (第二十三条)',
    );
  const open = openOne(appraisals);
  if (open)
    return refuse('appraisal.already_open', `appraisal ${open.id} of this case is still open`, {
      appraisalId: open.id,
    });
  if (appraisals.some((a) => a.kind === 'initial'))
    return refuse(
      'appraisal.initial_exists',
      'the case has its first appraisal: apply for a re-appraisal or a review instead',
    );
  return ok(null);
}

/** What a re-appraisal or a review starts from: the case's latest conclusion, none open. */
function checkRevisit(
  appraisals: readonly AppraisalFacts[],
  previousId: string,
  appliedOn: IsoDate,
): Result<AppraisalFacts, AppraisalRefusal> {
  const open = openOne(appraisals);
  if (open)
    return refuse('appraisal.already_open', `appraisal ${open.id} of this case is still open`, {
      appraisalId: open.id,
    });
  const latest = latestConcluded(appraisals);
  if (latest === null)
    return refuse('appraisal.nothing_to_revisit', 'the case has no concluded appraisal yet');
  if (latest.id !== previousId)
    return refuse(
      'appraisal.not_latest',
      `appraisal ${previousId} is not the case's current conclusion (${latest.id} is)`,
      { latestAppraisalId: latest.id },
    );
  if (appliedOn < latest.concludedOn!)
    return refuse(
      'appraisal.date_out_of_order',
      `applied on ${appliedOn}, before the conclusion of ${latest.concludedOn}`,
    );
  return ok(latest);
}

/**
 * 再次鉴定, 第二十六条: "申请鉴定的单位或者个人对设区的市级劳动能力鉴定委员会作出的鉴定结论不服的，可以在收到该鉴定结论之日起
 * 15日内向省、自治区、直辖市劳动能力鉴定委员会提出再次鉴定申请。省、自治区、直辖市劳动能力鉴定委员会作出的劳动能力鉴定结论为最终
 * 结论。" `lastDayOn` is the 15th day after receipt as the deadline calendar counts it.
 */
export function checkReAppraisal(
  appraisals: readonly AppraisalFacts[],
  input: {
    previousAppraisalId: string;
    appliedOn: IsoDate;
    applicantKind: ApplicantKind;
    byProvinceCommittee: boolean;
  },
  lastDayOf: (servedOn: IsoDate) => Result<IsoDate, PeriodRefusal>,
): Result<AppraisalFacts, AppraisalRefusal> {
  if (!input.byProvinceCommittee)
    return refuse(
      'appraisal.province_committee_only',
      'a re-appraisal is received and concluded by the provincial committee (第二十六条)',
    );
  if (input.applicantKind === 'agency')
    return refuse(
      'appraisal.applicant_not_allowed',
      'a re-appraisal is applied for by the unit or person who applied for the appraisal (第二十六条)',
    );
  const base = checkRevisit(appraisals, input.previousAppraisalId, input.appliedOn);
  if (!base.ok) return base;
  const previous = base.value;
  if (previous.committeeLevel === 'province')
    return refuse(
      'appraisal.conclusion_final',
      'the provincial committee’s conclusion is final (第二十六条): no re-appraisal of it',
    );
  if (previous.servedOn === null)
    return refuse(
      'appraisal.not_served',
      'the conclusion’s service (送达) is not recorded: the 15 days run from its receipt',
    );
  const counted = lastDayOf(previous.servedOn);
  if (!counted.ok) return counted;
  const lastDay = counted.value;
  if (input.appliedOn > lastDay)
    return refuse(
      'appraisal.reappraisal_late',
      `the 15 days from receipt of the conclusion (${previous.servedOn}) ran out on ${lastDay}`,
      { servedOn: previous.servedOn, ranOutOn: lastDay },
    );
  return ok(previous);
}

/**
 * 复查鉴定, 第二十八条: "自劳动能力鉴定结论作出之日起1年后，工伤职工或者其近亲属、所在单位或者经办机构认为伤残情况发生变化的，
 * 可以申请劳动能力复查鉴定。" `earliestOf` gives the first day after the year from the conclusion.
 */
export function checkReview(
  appraisals: readonly AppraisalFacts[],
  input: { previousAppraisalId: string; appliedOn: IsoDate },
  earliestOf: (concludedOn: IsoDate) => Result<IsoDate, PeriodRefusal>,
): Result<AppraisalFacts, AppraisalRefusal> {
  const base = checkRevisit(appraisals, input.previousAppraisalId, input.appliedOn);
  if (!base.ok) return base;
  const counted = earliestOf(base.value.concludedOn!);
  if (!counted.ok) return counted;
  const earliest = counted.value;
  if (input.appliedOn < earliest)
    return refuse(
      'appraisal.review_too_early',
      `a review may be applied for from ${earliest}, one year after the conclusion of ${base.value.concludedOn}`,
      { concludedOn: base.value.concludedOn, earliestOn: earliest },
    );
  return ok(base.value);
}

/**
 * What became of the worker's employment, for a province whose text ends the right to a review with
 * it (`relation_ended`: 《浙江省工伤保险条例》第二十二条, values/330000/appraisal.yaml):
 * - `grade`: the grade of the conclusion the review revisits, null when 未构成伤残等级;
 * - `separationApprovedOn`: the case's approved separation (一次性工伤医疗补助金 and 一次性伤残就业补助金
 *   decided and the fund's grant paid), on or before the application;
 * - `employmentEndedOn`: the register's spell with the case's employer ended (减员) on or before the
 *   application, with no later spell with that employer open.
 */
export type ReviewBarFacts = {
  bar: 'none' | 'relation_ended';
  citation: string;
  grade: number | null;
  separationApprovedOn: IsoDate | null;
  employmentEndedOn: IsoDate | null;
};

/**
 * 第二十二条's items: "（二）五级至十级工伤职工，依法与用人单位解除或者终止劳动关系，且按照规定已经享受工伤保险待遇的" — a
 * grade 5–10 worker with an approved separation; "（三）未构成伤残等级，依法与用人单位解除或者终止劳动关系的" — no
 * grade and the employment ended. Item (一) (grades 1–4 who took the long-term benefits at once) has no
 * record here: the system makes no such commutation.
 */
export function checkReviewBar(f: ReviewBarFacts): Result<null, 'appraisal.review_relation_ended'> {
  if (f.bar === 'none') return ok(null);
  const separated =
    f.grade !== null && f.grade >= 5 && f.grade <= 10 && f.separationApprovedOn !== null;
  if (separated)
    return refuse(
      'appraisal.review_relation_ended',
      `the worker (grade ${f.grade}) separated from the employer with the benefits of it approved on ${f.separationApprovedOn}: the 工伤保险关系 has ended and a review is no longer received (${f.citation}（二）)`,
      { item: '二', separationApprovedOn: f.separationApprovedOn, citation: f.citation },
    );
  if (f.grade === null && f.employmentEndedOn !== null)
    return refuse(
      'appraisal.review_relation_ended',
      `the worker was not graded and left the employer on ${f.employmentEndedOn}: the 工伤保险关系 has ended and a review is no longer received (${f.citation}（三）)`,
      { item: '三', employmentEndedOn: f.employmentEndedOn, citation: f.citation },
    );
  return ok(null);
}

/**
 * Who acts on an appraisal after it is received: a re-appraisal is the provincial committee's
 * (第二十六条); a city's appraisals are open to the city's committee and to the provincial one.
 */
export function checkCommittee(
  a: Pick<AppraisalFacts, 'committeeLevel'>,
  byProvinceCommittee: boolean,
): Result<null, AppraisalRefusal> {
  if (a.committeeLevel === 'province' && !byProvinceCommittee)
    return refuse(
      'appraisal.province_committee_only',
      'a re-appraisal is drawn, extended, concluded and served by the provincial committee (第二十六条)',
    );
  return ok(null);
}

/** The panel is drawn once, on a received appraisal. */
export function checkDraw(a: AppraisalFacts): Result<null, AppraisalRefusal> {
  if (a.status !== 'received')
    return refuse('appraisal.not_received', `appraisal ${a.id} is ${a.status}: its panel is drawn`);
  return ok(null);
}

/**
 * 第二十五条第二款: "…应当自收到劳动能力鉴定申请之日起60日内作出劳动能力鉴定结论，必要时，作出劳动能力鉴定结论的期限可以延长30
 * 日。" — one extension, decided before the 60 days run out, with its reason.
 */
export function checkExtension(
  a: AppraisalFacts,
  extendedOn: IsoDate,
): Result<null, AppraisalRefusal> {
  if (a.status === 'concluded')
    return refuse('appraisal.already_concluded', `appraisal ${a.id} is concluded`);
  if (a.extendedDueOn !== null)
    return refuse('appraisal.already_extended', `the period was extended to ${a.extendedDueOn}`);
  if (extendedOn < a.appliedOn)
    return refuse('appraisal.date_out_of_order', `${extendedOn} is before the application`);
  if (extendedOn > a.dueOn)
    return refuse(
      'appraisal.extension_after_due',
      `the 60 days ran out on ${a.dueOn}: an extension is decided before then`,
      { dueOn: a.dueOn },
    );
  return ok(null);
}

export type ConclusionInput = {
  concludedOn: IsoDate;
  conclusion: ConclusionKind;
  disabilityGrade: number | null;
  nursingLevel: NursingLevel | null;
  stopWorkExtensionMonths: number | null;
  gradingClauses: readonly string[];
};

/**
 * A conclusion: after the panel is drawn (the panel gives the opinion the committee concludes on,
 * 第二十五条第一款), by the due date, a grade exactly when graded (第二十二条第二款: "劳动功能障碍分为十个伤残
 * 等级"), with the clauses of GB/T 16180-2014 it grades by, a nursing level only for a graded worker
 * (第三十四条第一款: "已经评定伤残等级并经劳动能力鉴定委员会确认需要生活护理的"), and an extension of 停工留薪期 of at
 * most `extensionMaxMonths` (第三十三条第二款, the parameter stop_work.extension_max_months).
 */
export function checkConclusion(
  a: AppraisalFacts,
  input: ConclusionInput,
  extensionMaxMonths: number,
): Result<null, AppraisalRefusal> {
  if (a.status === 'concluded')
    return refuse('appraisal.already_concluded', `appraisal ${a.id} is concluded`);
  if (a.status !== 'panel_drawn')
    return refuse('appraisal.not_drawn', 'draw the expert panel before concluding (第二十五条)');
  if (input.concludedOn < a.appliedOn)
    return refuse('appraisal.date_out_of_order', `${input.concludedOn} is before the application`);
  const due = effectiveDueOn(a);
  if (input.concludedOn > due)
    return refuse(
      'appraisal.conclusion_overdue',
      `the conclusion was due by ${due}${a.extendedDueOn ? ' (extended)' : ''}`,
      { dueOn: due, extended: a.extendedDueOn !== null },
    );
  return checkConclusionContent(input, extensionMaxMonths);
}

function checkConclusionContent(
  input: ConclusionInput,
  extensionMaxMonths: number,
): Result<null, AppraisalRefusal> {
  const graded = input.conclusion === 'graded';
  const grade = input.disabilityGrade;
  if (graded !== (grade !== null) || (grade !== null && !(grade >= 1 && grade <= 10)))
    return refuse(
      'appraisal.grade_mismatch',
      graded ? 'a graded conclusion names a grade 1–10' : 'a not-graded conclusion names no grade',
    );
  if (input.nursingLevel !== null && !graded)
    return refuse(
      'appraisal.nursing_without_grade',
      'a nursing level is confirmed for a worker with a disability grade (第三十四条第一款)',
    );
  if (graded && input.gradingClauses.length === 0)
    return refuse(
      'appraisal.clause_required',
      'name the GB/T 16180-2014 clause(s) the grade rests on',
    );
  const months = input.stopWorkExtensionMonths;
  // No extension is null; a count of months below one is not an extension (and the table refuses it).
  if (months !== null && (!Number.isInteger(months) || months < 1))
    return refuse(
      'appraisal.extension_not_positive',
      `停工留薪期 extension: a whole number of months from 1, or none; got ${months}`,
      { field: 'stopWorkExtensionMonths' },
    );
  if (months !== null && months > extensionMaxMonths)
    return refuse(
      'appraisal.extension_too_long',
      `停工留薪期 may be extended by at most ${extensionMaxMonths} months (第三十三条第二款)`,
      { maxMonths: extensionMaxMonths },
    );
  return ok(null);
}

/** 送达 (第二十五条第二款: "劳动能力鉴定结论应当及时送达申请鉴定的单位和个人"): recorded once, on or after the conclusion. */
export function checkService(a: AppraisalFacts, servedOn: IsoDate): Result<null, AppraisalRefusal> {
  if (a.status !== 'concluded' || a.concludedOn === null)
    return refuse('appraisal.not_concluded', `appraisal ${a.id} has no conclusion to serve`);
  if (a.servedOn !== null)
    return refuse('appraisal.already_served', `the conclusion was served on ${a.servedOn}`);
  if (servedOn < a.concludedOn)
    return refuse('appraisal.date_out_of_order', `${servedOn} is before the conclusion`);
  return ok(null);
}

/**
 * A clause of GB/T 16180-2014 as the committee enters it. The standard's text is not held, so only
 * the form is checked: section numbers such as "5.7.2", optionally an item in brackets "5.7.2(12)".
 */
export const GRADING_CLAUSE_PATTERN = /^[1-9][0-9]?(\.[0-9]{1,3}){1,4}(\([1-9][0-9]{0,2}\))?$/;
