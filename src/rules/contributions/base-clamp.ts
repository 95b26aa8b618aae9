import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { mul } from '../../kernel/rational.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { type RuleContext, readNumber, readRounding, sourceOf } from '../context.ts';

/**
 * The contribution base of one declared wage (缴费基数): the wage, raised to the floor and cut to the
 * ceiling, both a share of the provincial average monthly wage (`contribution.base_floor_ratio`,
 * `contribution.base_ceiling_ratio` × `wage.provincial_average_monthly_fen`, dated). Each bound is
 * rounded once under `rounding.money`; the clamp itself only picks one of three integers, so a
 * line's base needs no rounding of its own. 《浙江省工伤保险条例》第十条 makes 全部职工工资总额 the base
 * and sets no bound: the 60 % / 300 % rule is common practice, held as `demo` (ADR 0009).
 */
export type BaseBounds = {
  /** The date the parameters were read on (the first day of the declared month). */
  date: IsoDate;
  averageFen: Fen;
  floorFen: Fen;
  ceilingFen: Fen;
  /** Where the bounds come from, each once, in the order read. */
  citations: string[];
};

export const BASE_CLAMP_PATHS = [
  'wage.provincial_average_monthly_fen',
  'contribution.base_floor_ratio',
  'contribution.base_ceiling_ratio',
] as const;

/** The floor and ceiling of the base in force on `date` for the context's region. */
export function contributionBaseBounds(
  ctx: RuleContext,
  date: IsoDate,
): Result<BaseBounds, 'rules.parameter_missing'> {
  const average = readNumber(ctx, 'wage.provincial_average_monthly_fen', date);
  if (!average.ok) return average;
  const floor = readNumber(ctx, 'contribution.base_floor_ratio', date);
  if (!floor.ok) return floor;
  const ceiling = readNumber(ctx, 'contribution.base_ceiling_ratio', date);
  if (!ceiling.ok) return ceiling;
  const rule = readRounding(ctx, date);
  if (!rule.ok) return rule;
  const averageFen = roundFen(average.value, rule.value);
  const floorFen = roundFen(mul(average.value, floor.value), rule.value);
  const ceilingFen = roundFen(mul(average.value, ceiling.value), rule.value);
  const citations: string[] = [];
  for (const path of BASE_CLAMP_PATHS) {
    const source = sourceOf(ctx, path, date);
    if (source !== null && !citations.includes(source)) citations.push(source);
  }
  return ok({ date, averageFen, floorFen, ceilingFen, citations });
}

/** A declared wage's base: the wage within [floor, ceiling]. Requires floor ≤ ceiling. */
export function clampBase(wageFen: Fen, bounds: Pick<BaseBounds, 'floorFen' | 'ceilingFen'>): Fen {
  if (wageFen < bounds.floorFen) return bounds.floorFen;
  if (wageFen > bounds.ceilingFen) return bounds.ceilingFen;
  return wageFen;
}
