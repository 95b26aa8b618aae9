import { type IsoDate, nextMonth, toDayNumber } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { fromInt, mul, toDecimalString } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readNumber, readRounding, sourceOf } from '../context.ts';

/** The parameter giving the day of the following month a month's contribution is due by. */
export const DUE_DAY_PATH = 'contribution.due_day_of_next_month';
/** The late fee a day (《社会保险法》第八十六条: 万分之五). */
export const LATE_FEE_RATE_PATH = 'contribution.late_fee_daily_rate';

export type LateFee = {
  /** The last day the month's contribution could be paid on without a late fee. */
  dueDate: IsoDate;
  /** Days from the day after the due date to `on`, both counted (0 when not late). */
  daysLate: number;
  dailyRate: string;
  lateFeeFen: Fen;
  citations: string[];
};

/**
 * The due date of a month's contribution ("2024-06" → the due day of July): a dated provincial
 * parameter read on the first day of the month assessed.
 */
export function dueDateOf(
  ctx: RuleContext,
  month: string,
): Result<IsoDate, 'rules.parameter_missing'> {
  const day = readNumber(ctx, DUE_DAY_PATH, `${month}-01`);
  if (!day.ok) return day;
  return ok(
    `${nextMonth(month)}-${String(Number(day.value.num / day.value.den)).padStart(2, '0')}`,
  );
}

/**
 * 滞纳金 for reference (《社会保险法》第八十六条 "自欠缴之日起，按日加收万分之五的滞纳金"): outstanding ×
 * daily rate × days in arrears on `on`, rounded once under `rounding.money`. The arrears start the
 * day after the due date; the rate is the one in force on that day.
 */
export function lateFeeOf(
  ctx: RuleContext,
  input: { month: string; outstandingFen: Fen; on: IsoDate },
): Result<LateFee, 'rules.parameter_missing'> {
  const due = dueDateOf(ctx, input.month);
  if (!due.ok) return due;
  const daysLate = Math.max(0, toDayNumber(input.on) - toDayNumber(due.value));
  const rate = readNumber(ctx, LATE_FEE_RATE_PATH, due.value);
  if (!rate.ok) return rate;
  const rule = readRounding(ctx, input.on);
  if (!rule.ok) return rule;
  const outstanding = Math.max(0, input.outstandingFen);
  const lateFeeFen = roundFen(
    mul(mul(fromInt(outstanding), rate.value), fromInt(daysLate)),
    rule.value,
  );
  const citations = [
    sourceOf(ctx, LATE_FEE_RATE_PATH, due.value),
    sourceOf(ctx, DUE_DAY_PATH, `${input.month}-01`),
  ];
  return ok({
    dueDate: due.value,
    daysLate,
    dailyRate: toDecimalString(rate.value),
    lateFeeFen,
    citations: citations.filter((c): c is string => c !== null),
  });
}
