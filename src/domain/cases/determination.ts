import { addDays, addMonths, type IsoDate, toDayNumber } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  type DeterminationGround,
  type DeterminationOutcome,
  misfitGrounds,
} from './determination-grounds.ts';

/**
 * The determination procedure (工伤认定) of one case as a pure state machine: a command and the
 * case's state give the next state and the timeline event, or a typed refusal. Nothing is skipped
 * and nothing goes back except where the law sends it back (补正 → application; a revoked decision
 * → decide again). Docs: docs/cases.md "Determination", docs/adr/0012-injury-cases.md.
 */
export const caseStatuses = [
  'reported',
  'applied',
  'awaiting_materials',
  'not_accepted',
  'accepted',
  'suspended',
  'decided',
  'served',
  'under_review',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export type ReviewChannel = 'administrative_review' | 'litigation';
export type ReviewResult = 'upheld' | 'revoked' | 'changed';

/** The statutory periods the procedure runs (codes of the deadline calendar's casePeriod). */
export type DeterminationPeriod =
  | 'determination.acceptance'
  | 'determination.decision'
  | 'determination.decision_clear';

/**
 * Due dates on the working-day calendar (src/usecases/cases/case-clock.ts supplies it): `due`
 * counts a period from its start; `extend` pushes a due date by the days a clock stood still.
 */
export type DeterminationClock = {
  due(period: DeterminationPeriod, start: IsoDate): IsoDate;
  /**
   * 浙江's limit on refusing after 补正 (《浙江省工伤保险条例》第十六条第二款 "收到补正材料的三日内"), from
   * the day the materials arrived; null where the province sets none.
   */
  refusalAfterMaterialsDue(start: IsoDate): IsoDate | null;
  extend(due: IsoDate, stoppedDays: number): IsoDate;
};

export type DeterminationState = {
  status: CaseStatus;
  /** The latest legal date on the case: no command may be dated earlier. */
  lastOn: IsoDate;
  clear: boolean;
  acceptanceDueOn: IsoDate | null;
  decisionDueOn: IsoDate | null;
  suspendedOn: IsoDate | null;
  outcome: DeterminationOutcome | null;
  grounds: readonly DeterminationGround[];
  decidedOn: IsoDate | null;
  servedOn: IsoDate | null;
  reviewChannel: ReviewChannel | null;
};

export type DeterminationCommand =
  | { kind: 'apply'; on: IsoDate }
  | { kind: 'accept'; on: IsoDate; clear: boolean }
  | {
      kind: 'refuse_acceptance';
      on: IsoDate;
      reason: string;
      /** The day the asked-for materials arrived, when they did (the use case reads the timeline). */
      materialsCompletedOn?: IsoDate;
    }
  | { kind: 'request_materials'; on: IsoDate; missing: readonly string[] }
  | { kind: 'complete_materials'; on: IsoDate }
  | { kind: 'note_investigation'; on: IsoDate; note: string }
  | { kind: 'suspend'; on: IsoDate; reason: string }
  | { kind: 'resume'; on: IsoDate }
  | {
      kind: 'decide';
      on: IsoDate;
      outcome: DeterminationOutcome;
      grounds: readonly DeterminationGround[];
    }
  | { kind: 'serve'; on: IsoDate }
  | { kind: 'file_review'; on: IsoDate; channel: ReviewChannel }
  | {
      kind: 'record_review_outcome';
      on: IsoDate;
      result: ReviewResult;
      outcome?: DeterminationOutcome;
      grounds?: readonly DeterminationGround[];
    };
export type DeterminationCommandKind = DeterminationCommand['kind'];

export type DeterminationRefusalCode =
  | 'case.transition_not_allowed'
  | 'case.date_before_last_event'
  | 'case.grounds_missing'
  | 'case.ground_mismatch'
  | 'case.review_outcome_missing';

export type DeterminationStep = {
  state: DeterminationState;
  /** The timeline event kind (determination.*) and its data. */
  event: { kind: string; data: Record<string, unknown> };
};

/** Which commands each status allows: the whole machine at a glance (docs/cases.md draws it). */
export const allowedCommands: Record<CaseStatus, readonly DeterminationCommandKind[]> = {
  reported: ['apply'],
  applied: ['accept', 'refuse_acceptance', 'request_materials'],
  awaiting_materials: ['complete_materials', 'refuse_acceptance'],
  not_accepted: [],
  accepted: ['note_investigation', 'suspend', 'decide'],
  suspended: ['resume', 'note_investigation'],
  decided: ['serve'],
  served: ['file_review'],
  under_review: ['record_review_outcome'],
};

/** The state of a case that has just been reported (no application yet) or applied for. */
export function initialState(
  status: 'reported' | 'applied',
  on: IsoDate,
  clock: DeterminationClock,
): DeterminationState {
  return {
    status,
    lastOn: on,
    clear: false,
    acceptanceDueOn: status === 'applied' ? clock.due('determination.acceptance', on) : null,
    decisionDueOn: null,
    suspendedOn: null,
    outcome: null,
    grounds: [],
    decidedOn: null,
    servedOn: null,
    reviewChannel: null,
  };
}

export function applyDetermination(
  state: DeterminationState,
  command: DeterminationCommand,
  clock: DeterminationClock,
): Result<DeterminationStep, DeterminationRefusalCode> {
  if (!allowedCommands[state.status].includes(command.kind))
    return refuse(
      'case.transition_not_allowed',
      `${command.kind} is not allowed while the case is ${state.status}`,
      { status: state.status, command: command.kind, allowed: allowedCommands[state.status] },
    );
  if (command.on < state.lastOn)
    return refuse(
      'case.date_before_last_event',
      `${command.kind} dated ${command.on} is before the case's last event (${state.lastOn})`,
      { on: command.on, lastOn: state.lastOn },
    );
  const next = { ...state, lastOn: command.on };
  return stepOf(next, command, clock);
}

function stepOf(
  s: DeterminationState,
  c: DeterminationCommand,
  clock: DeterminationClock,
): Result<DeterminationStep, DeterminationRefusalCode> {
  switch (c.kind) {
    case 'apply':
      return step({ ...s, status: 'applied', acceptanceDueOn: acceptanceDue(c.on, clock) }, c, {});
    case 'accept':
      return step(accepted(s, c.on, c.clear, clock), c, { clear: c.clear });
    case 'refuse_acceptance':
      return step({ ...s, status: 'not_accepted', acceptanceDueOn: null }, c, {
        reason: c.reason,
        ...refusalTimeliness(s, c, clock),
      });
    case 'request_materials':
      // 第十八条第三款: the notice names every missing item at once; the acceptance clock stops.
      return step({ ...s, status: 'awaiting_materials', acceptanceDueOn: null }, c, {
        missing: c.missing,
      });
    case 'complete_materials': {
      // "申请人按照书面告知要求补正材料后，社会保险行政部门应当受理": the clock starts again. In 浙江 a
      // refusal has a shorter limit of its own from this day (refusalTimeliness).
      const refusalDueOn = clock.refusalAfterMaterialsDue(c.on);
      return step(
        { ...s, status: 'applied', acceptanceDueOn: acceptanceDue(c.on, clock) },
        c,
        refusalDueOn === null ? {} : { refusalDueOn },
      );
    }
    case 'note_investigation':
      return step(s, c, { note: c.note });
    case 'suspend':
      return step({ ...s, status: 'suspended', suspendedOn: c.on }, c, { reason: c.reason });
    case 'resume':
      return step(resumed(s, c.on, clock), c, {});
    default:
      return laterStep(s, c, clock);
  }
}

function laterStep(
  s: DeterminationState,
  c: DeterminationCommand,
  clock: DeterminationClock,
): Result<DeterminationStep, DeterminationRefusalCode> {
  switch (c.kind) {
    case 'decide': {
      const refusal = checkGrounds(c.outcome, c.grounds);
      if (refusal) return refusal;
      return step(decided(s, c.on, c.outcome, c.grounds), c, {
        outcome: c.outcome,
        grounds: c.grounds,
      });
    }
    case 'serve':
      return step({ ...s, status: 'served', servedOn: c.on }, c, {});
    case 'file_review':
      return step({ ...s, status: 'under_review', reviewChannel: c.channel }, c, {
        channel: c.channel,
        ...reviewTimeLimit(c.channel, s.servedOn, c.on),
      });
    case 'record_review_outcome':
      return reviewOutcome(s, c, clock);
    default:
      throw new Error(`determination: ${c.kind} reached laterStep`);
  }
}

function step(
  state: DeterminationState,
  command: DeterminationCommand,
  data: Record<string, unknown>,
): Result<DeterminationStep, DeterminationRefusalCode> {
  return ok({ state, event: { kind: eventKinds[command.kind], data } });
}

export const eventKinds: Record<DeterminationCommandKind, string> = {
  apply: 'determination.applied',
  accept: 'determination.accepted',
  refuse_acceptance: 'determination.not_accepted',
  request_materials: 'determination.materials_requested',
  complete_materials: 'determination.materials_completed',
  note_investigation: 'determination.investigation_noted',
  suspend: 'determination.suspended',
  resume: 'determination.resumed',
  decide: 'determination.decided',
  serve: 'determination.served',
  file_review: 'determination.review_filed',
  record_review_outcome: 'determination.review_concluded',
};

/**
 * 《浙江省工伤保险条例》第十六条第二款: "补正后仍不符合要求的，应当在…收到补正材料的三日内，决定不予受理".
 * A refusal of an application whose materials arrived (the case is back in `applied`) records that
 * limit and whether it was kept. A late refusal is still the refusal the law requires, so it is
 * recorded and flagged, not refused. A refusal while materials are still awaited (逾期不补正) runs
 * from the end of the notice's 合理期限, which the case does not record: no limit is given.
 */
export function refusalTimeliness(
  s: DeterminationState,
  c: { on: IsoDate; materialsCompletedOn?: IsoDate },
  clock: DeterminationClock,
): { refusalDueOn: IsoDate; late: boolean } | Record<string, never> {
  if (s.status !== 'applied' || c.materialsCompletedOn === undefined) return {};
  const refusalDueOn = clock.refusalAfterMaterialsDue(c.materialsCompletedOn);
  if (refusalDueOn === null) return {};
  return { refusalDueOn, late: c.on > refusalDueOn };
}

function acceptanceDue(on: IsoDate, clock: DeterminationClock): IsoDate {
  return clock.due('determination.acceptance', on);
}

/**
 * 第二十条第一款 "自受理工伤认定申请之日起60日内作出工伤认定的决定"; 第二款 "事实清楚、权利义务明确的…
 * 应当在15日内作出工伤认定的决定".
 */
function accepted(
  s: DeterminationState,
  on: IsoDate,
  clear: boolean,
  clock: DeterminationClock,
): DeterminationState {
  const period = clear ? 'determination.decision_clear' : 'determination.decision';
  return {
    ...s,
    status: 'accepted',
    clear,
    acceptanceDueOn: null,
    decisionDueOn: clock.due(period, on),
  };
}

/**
 * 第二十条第三款 "在司法机关或者有关行政主管部门尚未作出结论期间，作出工伤认定决定的时限中止": the days
 * the clock stood still are added back to the decision's due date.
 */
function resumed(
  s: DeterminationState,
  on: IsoDate,
  clock: DeterminationClock,
): DeterminationState {
  if (s.suspendedOn === null || s.decisionDueOn === null)
    throw new Error('determination: a suspended case has no suspension date or due date');
  const stopped = daysBetween(s.suspendedOn, on);
  return {
    ...s,
    status: 'accepted',
    suspendedOn: null,
    decisionDueOn: stopped === 0 ? s.decisionDueOn : clock.extend(s.decisionDueOn, stopped),
  };
}

function decided(
  s: DeterminationState,
  on: IsoDate,
  outcome: DeterminationOutcome,
  grounds: readonly DeterminationGround[],
): DeterminationState {
  return { ...s, status: 'decided', outcome, grounds, decidedOn: on, decisionDueOn: null };
}

function checkGrounds(
  outcome: DeterminationOutcome,
  grounds: readonly DeterminationGround[],
): Result<never, DeterminationRefusalCode> | null {
  if (grounds.length === 0)
    return refuse('case.grounds_missing', `a decision (${outcome}) names at least one ground`);
  const misfit = misfitGrounds(outcome, grounds);
  if (misfit.length > 0)
    return refuse('case.ground_mismatch', `grounds ${misfit.join(', ')} do not fit ${outcome}`, {
      outcome,
      misfit,
    });
  return null;
}

/**
 * The outcome of 复议 / 诉讼 fed back (最高人民法院关于审理工伤保险行政案件若干问题的规定): upheld keeps
 * the decision; revoked sends the case back to the officer, who decides again on a fresh 60-day
 * clock; changed replaces the outcome by the reviewing body's.
 */
function reviewOutcome(
  s: DeterminationState,
  c: Extract<DeterminationCommand, { kind: 'record_review_outcome' }>,
  clock: DeterminationClock,
): Result<DeterminationStep, DeterminationRefusalCode> {
  const data = { result: c.result, channel: s.reviewChannel };
  const closed = { ...s, reviewChannel: null };
  if (c.result === 'upheld') return step({ ...closed, status: 'served' }, c, data);
  if (c.result === 'revoked') {
    const reopened: DeterminationState = {
      ...closed,
      status: 'accepted',
      outcome: null,
      grounds: [],
      decidedOn: null,
      servedOn: null,
      decisionDueOn: clock.due('determination.decision', c.on),
    };
    return step(reopened, c, data);
  }
  if (c.outcome === undefined || c.grounds === undefined)
    return refuse(
      'case.review_outcome_missing',
      'a changed decision names its outcome and grounds',
    );
  const refusal = checkGrounds(c.outcome, c.grounds);
  if (refusal) return refusal;
  const changed = { ...decided(closed, c.on, c.outcome, c.grounds), status: 'served' as const };
  return step({ ...changed, servedOn: c.on }, c, {
    ...data,
    outcome: c.outcome,
    grounds: c.grounds,
  });
}

/**
 * The time limit of the review, recorded with the filing (the reviewing body decides on a late one):
 * 《行政复议法》第二十条 "可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请"; 《行政诉讼法》第四十六条
 * "应当自知道或者应当知道作出行政行为之日起六个月内提出". Counted from service (送达), in calendar terms.
 */
function reviewTimeLimit(channel: ReviewChannel, servedOn: IsoDate | null, filedOn: IsoDate) {
  if (servedOn === null) throw new Error('determination: a served case has no service date');
  const lastDay =
    channel === 'administrative_review' ? addDays(servedOn, 60) : addMonths(servedOn, 6);
  const basis =
    channel === 'administrative_review' ? '《行政复议法》第二十条' : '《行政诉讼法》第四十六条';
  return { timeLimit: { lastDay, basis, withinLimit: filedOn <= lastDay } };
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}
