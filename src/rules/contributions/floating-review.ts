import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import {
  compare,
  div,
  fromInt,
  mul,
  type Rational,
  roundToInteger,
  toDecimalString,
} from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { makeContext, type RuleContext, readEntry, readNumber, sourceOf } from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';
import type { FloatGrade } from './rate-policy.ts';

/**
 * The floating-rate review (浮动费率评审) of one employer: from its experience over the review
 * window (the `contribution.floating_review_window_years` years before the review year), the
 * benefit-cost ratio (支缴率 = Σ benefit costs ÷ Σ contributions) picks a grade on the ladder
 * `contribution.floating_review_ratio_bounds`; an injury incidence (injuries per 1 000 workers a
 * year) above `contribution.floating_review_incidence_step_up` moves it one grade up; class 1
 * never goes below base (人社部发〔2015〕71号, as gradeAllowed). 《浙江省工伤保险条例》第九条 gives
 * the review to the agencies; the ladder is a dated provincial parameter (demo until the notice is
 * held). The grade is absolute (the ladder's answer), not a step from the current grade.
 */
export type ExperienceYear = {
  year: number;
  contributionsFen: Fen;
  benefitCostsFen: Fen;
  injuries: number;
  averageHeadcount: number;
};

export type FloatingReviewInput = {
  region: string;
  riskClass: number;
  /** The year the new grade applies in; the window is the years before it. */
  reviewYear: number;
  /** The date the parameters are read on (the new grade's effective date). */
  date: IsoDate;
  experience: readonly ExperienceYear[];
};

export type LeftOutReason = 'no_experience' | 'no_contributions';

export type FloatingReviewProposal = {
  kind: 'proposed';
  grade: FloatGrade;
  windowYears: number[];
  contributionsFen: Fen;
  benefitCostsFen: Fen;
  injuries: number;
  headcountYears: number;
  /** 支缴率, exact (a decimal, or "num/den" when its expansion repeats: "1/3"). */
  ratio: string;
  /** Injuries per 1 000 workers a year, exact as `ratio`; null when no headcount is known. */
  incidence: string | null;
  /** Each step of the decision, in order, in words a handler can check by hand. */
  trail: string[];
  citations: string[];
};

export type FloatingReviewLeftOut = {
  kind: 'left_out';
  reason: LeftOutReason;
  windowYears: number[];
  message: string;
};

export type FloatingReviewOutcome = FloatingReviewProposal | FloatingReviewLeftOut;

export const FLOATING_REVIEW_CITATION = '《浙江省工伤保险条例》第九条';
const LADDER: readonly FloatGrade[] = ['down2', 'down1', 'base', 'up1', 'up2'];
const WINDOW_PATH = 'contribution.floating_review_window_years';
const BOUNDS_PATH = 'contribution.floating_review_ratio_bounds';
const INCIDENCE_PATH = 'contribution.floating_review_incidence_step_up';

/** The position of a grade on the ladder (down2 = 0 … up2 = 4). */
export function gradeStep(grade: FloatGrade): number {
  return LADDER.indexOf(grade);
}

function gradeAt(step: number): FloatGrade {
  const g = LADDER[Math.max(0, Math.min(LADDER.length - 1, step))];
  if (g === undefined) throw new Error(`no grade at step ${step}`);
  return g;
}

/** The review window: the `years` years before the review year, oldest first. */
export function reviewWindow(reviewYear: number, years: number): number[] {
  return Array.from({ length: years }, (_, i) => reviewYear - years + i);
}

/** A ratio shown to 4 decimal places (half up) for the trail; the stored figure stays exact. */
export function shownDecimal(r: Rational): string {
  const scaled = roundToInteger(mul(r, fromInt(10_000)), 'half_up');
  const whole = scaled / 10_000n;
  const frac = (scaled % 10_000n).toString().padStart(4, '0');
  return `${whole}.${frac}`;
}

type Ladder = { windowYears: number; bounds: Rational[]; incidenceUp: Rational };

function readLadder(ctx: RuleContext, date: IsoDate): Result<Ladder, 'rules.parameter_missing'> {
  const window = readNumber(ctx, WINDOW_PATH, date);
  if (!window.ok) return window;
  const bounds: Rational[] = [];
  for (const g of LADDER.slice(0, -1)) {
    const b = readEntry(ctx, BOUNDS_PATH, g, date);
    if (!b.ok) return b;
    bounds.push(b.value);
  }
  const incidenceUp = readNumber(ctx, INCIDENCE_PATH, date);
  if (!incidenceUp.ok) return incidenceUp;
  const years = Number(window.value.num / window.value.den);
  return ok({
    windowYears: Math.max(1, Math.min(3, years)),
    bounds,
    incidenceUp: incidenceUp.value,
  });
}

function sums(rows: readonly ExperienceYear[]) {
  return rows.reduce(
    (s, r) => ({
      contributionsFen: s.contributionsFen + r.contributionsFen,
      benefitCostsFen: s.benefitCostsFen + r.benefitCostsFen,
      injuries: s.injuries + r.injuries,
      headcountYears: s.headcountYears + r.averageHeadcount,
    }),
    { contributionsFen: 0, benefitCostsFen: 0, injuries: 0, headcountYears: 0 },
  );
}

/** The ladder's grade for an employer's experience, or why it is left out of the review. */
export function floatingReview(
  rules: RuleSet,
  input: FloatingReviewInput,
): Result<FloatingReviewOutcome, 'rules.parameter_missing'> {
  const ctx = makeContext(rules, input.region, {}, false);
  const ladder = readLadder(ctx, input.date);
  if (!ladder.ok) return ladder;
  const windowYears = reviewWindow(input.reviewYear, ladder.value.windowYears);
  const rows = input.experience.filter((e) => windowYears.includes(e.year));
  const span = `${windowYears[0]}–${windowYears[windowYears.length - 1]}`;
  if (rows.length === 0)
    return ok({
      kind: 'left_out',
      reason: 'no_experience',
      windowYears,
      message: `no experience recorded for ${span}: import it before the review`,
    });
  const s = sums(rows);
  if (s.contributionsFen <= 0)
    return ok({
      kind: 'left_out',
      reason: 'no_contributions',
      windowYears,
      message: `no contributions paid in ${span}: the benefit-cost ratio is undefined`,
    });
  return ok(propose(ctx, input, ladder.value, windowYears, s));
}

function propose(
  ctx: RuleContext,
  input: FloatingReviewInput,
  ladder: Ladder,
  windowYears: number[],
  s: ReturnType<typeof sums>,
): FloatingReviewProposal {
  const ratio = div(fromInt(s.benefitCostsFen), fromInt(s.contributionsFen));
  const index = ladder.bounds.findIndex((b) => compare(ratio, b) <= 0);
  const byRatio = index === -1 ? LADDER.length - 1 : index;
  const trail = [
    `支缴率 ${s.benefitCostsFen} ÷ ${s.contributionsFen} fen = ${shownDecimal(ratio)} → ${gradeAt(byRatio)}`,
  ];
  let step = byRatio;
  const incidence =
    s.headcountYears > 0
      ? div(mul(fromInt(s.injuries), fromInt(1000)), fromInt(s.headcountYears))
      : null;
  if (incidence === null) trail.push('工伤发生率: no headcount recorded, no step');
  else if (compare(incidence, ladder.incidenceUp) > 0) {
    step = Math.min(step + 1, LADDER.length - 1);
    trail.push(
      `工伤发生率 ${shownDecimal(incidence)}‰ > ${shownDecimal(ladder.incidenceUp)}‰ → one step up: ${gradeAt(step)}`,
    );
  } else
    trail.push(
      `工伤发生率 ${shownDecimal(incidence)}‰ ≤ ${shownDecimal(ladder.incidenceUp)}‰: no step`,
    );
  if (input.riskClass === 1 && step < gradeStep('base')) {
    step = gradeStep('base');
    trail.push('class 1 floats upward only: base');
  }
  const table = sourceOf(ctx, BOUNDS_PATH, input.date);
  return {
    kind: 'proposed',
    grade: gradeAt(step),
    windowYears,
    ...s,
    ratio: toDecimalString(ratio),
    incidence: incidence === null ? null : toDecimalString(incidence),
    trail,
    citations: [...new Set([FLOATING_REVIEW_CITATION, ...(table === null ? [] : [table])])],
  };
}
