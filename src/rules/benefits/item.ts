import type { Fen } from '../../kernel/money.ts';
import { roundFen } from '../../kernel/money.ts';
import type { Rational, RoundingRule } from '../../kernel/rational.ts';
import { type RuleContext, tracedSince } from '../context.ts';
import { exactYuan, type TraceItem, type TraceParameter } from '../trace.ts';

export type ItemCode =
  | 'disability_lump_sum'
  | 'disability_allowance'
  | 'nursing_allowance'
  | 'medical_separation_grant'
  | 'employment_separation_grant'
  | 'funeral_grant'
  | 'survivor_pension'
  /** 供养亲属抚恤金一次性支付 by an uninsured employer (《浙江省工伤保险条例》第三十五条第二款). */
  | 'survivor_pension_one_off'
  | 'death_lump_sum';

export type Payer = 'fund' | 'employer';
export type Frequency = 'once' | 'monthly';

/** One amount owed, as the calculator contract returns it. */
export type CalculationItem = {
  code: ItemCode;
  amountFen: Fen;
  frequency: Frequency;
  payer: Payer;
  citation: string;
  dependantIndex?: number;
  /**
   * Why the payer is not the one 《社会保险法》第三十八条、第三十九条 name: an uninsured employer
   * (《工伤保险条例》第六十二条第二款) or a late application (《工伤保险条例》第十七条第四款).
   * Absent otherwise.
   */
  payerBasis?: string;
  /** Present (true) when the employer pays because it was not insured: the fund may pay first (《社会保险法》第四十一条第一款). */
  fundMayAdvance?: true;
  /** A monthly item split in time: the first month ("YYYY-MM") this part covers. */
  fromMonth?: string;
  /** A monthly item split in time: the last month this part covers (absent: open-ended). */
  untilMonth?: string;
};

/** A rule function's answer: the item, and its trace entry when tracing. */
export type ItemResult = { item: CalculationItem; trace: TraceItem | null };

export type Cite = { zh: string; en: string };

type Finish = {
  code: ItemCode;
  frequency: Frequency;
  payer: Payer;
  cite: Cite;
  exact: Rational;
  rule: RoundingRule;
  /** Built only when tracing: the formula with values, given the rounded amount. */
  formula: ((amountFen: Fen) => { zh: string; en: string }) | null;
  notes?: (() => string[]) | null;
  dependantIndex?: number;
  mark: number;
  /** The parameters to show, when not simply those read since `mark`. */
  parameters?: TraceParameter[];
};

/** Rounds once under the named rule and, when tracing, records formula, parameters and rounding. */
export function finishItem(ctx: RuleContext, f: Finish): ItemResult {
  const amountFen = roundFen(f.exact, f.rule);
  return settleItem(ctx, f, amountFen, f.rule);
}

/** For amounts fixed by an allocation (the survivor cap) rather than by rounding one value. */
export function settleItem(
  ctx: RuleContext,
  f: Omit<Finish, 'rule'>,
  amountFen: Fen,
  rule: RoundingRule | 'largest_remainder',
): ItemResult {
  const item: CalculationItem = {
    code: f.code,
    amountFen,
    frequency: f.frequency,
    payer: f.payer,
    citation: f.cite.zh,
  };
  // Assigned rather than spread in: a conditional spread costs a copy per item on the hot path.
  if (f.dependantIndex !== undefined) item.dependantIndex = f.dependantIndex;
  if (ctx.traced === null || f.formula === null) return { item, trace: null };
  const formula = f.formula(amountFen);
  return {
    item,
    trace: {
      code: f.code,
      ...(f.dependantIndex === undefined ? {} : { dependantIndex: f.dependantIndex }),
      citation: f.cite.zh,
      formula: { zh: `${formula.zh}(${f.cite.zh})`, en: `${formula.en} (${f.cite.en})` },
      parameters: f.parameters ?? tracedSince(ctx, f.mark),
      rounding: { rule, exact: exactYuan(f.exact), resultFen: amountFen },
      notes: f.notes?.() ?? [],
    },
  };
}
