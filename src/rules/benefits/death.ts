import { addDays, type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { allocateLargestRemainder, type Fen, roundFen } from '../../kernel/money.ts';
import {
  add,
  fromInt,
  mul,
  type Rational,
  type RoundingRule,
  toDecimalString,
} from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  type RuleContext,
  readEntry,
  readNumber,
  readRounding,
  readText,
  tracedSince,
  traceMark,
} from '../context.ts';
import { percent, type TraceParameter, yuanEn, yuanZh } from '../trace.ts';
import { finishItem, type ItemResult, settleItem } from './item.ts';
import { PAYER_BY_ITEM } from './payers.ts';
import { averageMonthlyWage } from './wage-base.ts';

export type DeathCircumstance = 'injury' | 'within_suspension' | 'grade1to4_after_suspension';
export type Relation = 'spouse' | 'child' | 'parent' | 'grandparent' | 'grandchild' | 'sibling';
export type Dependant = { relation: Relation; orphanOrSoleElder: boolean };

const REG = 'Regulation on Work-Related Injury Insurance';

/** Which paragraph of 《工伤保险条例》第三十九条 grants the benefits in each circumstance (no "half benefits" rule). */
const CIRCUMSTANCE_PARAGRAPH: Record<DeathCircumstance, { zh: string; en: string }> = {
  injury: { zh: '《工伤保险条例》第三十九条第一款', en: 'Art. 39 ¶1' },
  within_suspension: { zh: '《工伤保险条例》第三十九条第二款', en: 'Art. 39 ¶2' },
  grade1to4_after_suspension: { zh: '《工伤保险条例》第三十九条第三款', en: 'Art. 39 ¶3' },
};

/** 《工伤保险条例》第三十九条第三款: relatives of a grade 1–4 worker who dies after 停工留薪期 get items (一) and (二) only. */
export function deathLumpSumApplies(circumstance: DeathCircumstance): boolean {
  return circumstance !== 'grade1to4_after_suspension';
}

/** 丧葬补助金 (《工伤保险条例》第三十九条第一款第（一）项): 6 × the pooling-area previous-year average monthly wage on the death date; fund. */
export function funeralGrant(
  ctx: RuleContext,
  deathDate: IsoDate,
  circumstance: DeathCircumstance,
): Result<ItemResult, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const months = readNumber(ctx, 'death.funeral_months', deathDate);
  if (!months.ok) return months;
  const average = readNumber(ctx, 'wage.average_monthly_fen', deathDate);
  if (!average.ok) return average;
  const rule = readRounding(ctx, deathDate);
  if (!rule.ok) return rule;
  const p = CIRCUMSTANCE_PARAGRAPH[circumstance];
  const avgFen = Number(average.value.num / average.value.den);
  return ok(
    finishItem(ctx, {
      code: 'funeral_grant',
      frequency: 'once',
      payer: PAYER_BY_ITEM.funeral_grant.payer,
      cite: {
        zh: `${p.zh}第（一）项`
          .replace('第二款第（一）项', '第二款、第一款第（一）项')
          .replace('第三款第（一）项', '第三款、第一款第（一）项'),
        en: `${REG}, ${p.en}, item (1)`,
      },
      exact: mul(average.value, months.value),
      rule: rule.value,
      mark,
      formula:
        ctx.traced === null
          ? null
          : (a) => ({
              zh: `丧葬补助金 = 统筹地区上年度职工月平均工资 ${yuanZh(avgFen)} × ${toDecimalString(months.value)} 个月 = ${yuanZh(a)}`,
              en: `Funeral grant = pooling-area average monthly wage ${yuanEn(avgFen)} × ${toDecimalString(months.value)} months = ${yuanEn(a)}`,
            }),
    }),
  );
}

/** 一次性工亡补助金 (《工伤保险条例》第三十九条第一款第（三）项): 20 × previous year's national urban per-capita disposable income; fund. */
export function deathLumpSum(
  ctx: RuleContext,
  deathDate: IsoDate,
  circumstance: DeathCircumstance,
): Result<ItemResult, 'rules.parameter_missing'> {
  const mark = traceMark(ctx);
  const multiple = readNumber(ctx, 'death.lump_sum_multiple', deathDate);
  if (!multiple.ok) return multiple;
  const income = readNumber(ctx, 'death.national_urban_disposable_income_fen', deathDate);
  if (!income.ok) return income;
  const rule = readRounding(ctx, deathDate);
  if (!rule.ok) return rule;
  const p = CIRCUMSTANCE_PARAGRAPH[circumstance];
  const incomeFen = Number(income.value.num / income.value.den);
  return ok(
    finishItem(ctx, {
      code: 'death_lump_sum',
      frequency: 'once',
      payer: PAYER_BY_ITEM.death_lump_sum.payer,
      cite: {
        zh:
          circumstance === 'injury'
            ? '《工伤保险条例》第三十九条第一款第（三）项'
            : `${p.zh}、第一款第（三）项`,
        en: `${REG}, ${p.en}, item (3)`,
      },
      exact: mul(income.value, multiple.value),
      rule: rule.value,
      mark,
      formula:
        ctx.traced === null
          ? null
          : (a) => ({
              zh: `一次性工亡补助金 = 上一年度全国城镇居民人均可支配收入 ${yuanZh(incomeFen)} × ${toDecimalString(multiple.value)} = ${yuanZh(a)}`,
              en: `Death lump sum = previous year's national urban per-capita disposable income ${yuanEn(incomeFen)} × ${toDecimalString(multiple.value)} = ${yuanEn(a)}`,
            }),
    }),
  );
}

/** The rate of one dependant: spouse 40 %, other relatives 30 %, +10 % for 孤儿 / 孤寡老人. */
export function survivorRate(
  ctx: RuleContext,
  d: Dependant,
  deathDate: IsoDate,
): Result<Rational, 'rules.parameter_missing'> {
  const base = readEntry(
    ctx,
    'death.survivor_rate',
    d.relation === 'spouse' ? 'spouse' : 'other',
    deathDate,
  );
  if (!base.ok || !d.orphanOrSoleElder) return base;
  const bonus = readEntry(ctx, 'death.survivor_rate', 'orphan_or_sole_elder_bonus', deathDate);
  if (!bonus.ok) return bonus;
  return ok(add(base.value, bonus.value));
}

const RELATION_ZH: Record<Relation, string> = {
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandparent: '祖父母/外祖父母',
  grandchild: '孙子女/外孙子女',
  sibling: '兄弟姐妹',
};

export type SurvivorCapBasis = 'pre_death_wage' | 'base_wage';

/** What the cap of 《工伤保险条例》第三十九条第一款第（二）项 may be measured on: the wage given, else the wages of the case. */
export type PreDeathWage = { monthlyWagesFen: readonly number[]; givenFen: Fen | null };

/** `from`: where the pre-death wage came from (the input, or the average of `wages` wages). */
type SurvivorCap = {
  basis: SurvivorCapBasis;
  capFen: Fen;
  from: 'base_wage' | 'given' | 'average';
  wages: number;
};

/** The cap in words, for the trace only: built when a formula or a note is written, not before. */
function capText(cap: SurvivorCap): { zh: string; en: string } {
  if (cap.from === 'base_wage') {
    return {
      zh: `本人工资 ${yuanZh(cap.capFen)}（本地以本人工资为生前工资）`,
      en: `own wage ${yuanEn(cap.capFen)} (the region reads the pre-death wage as 本人工资)`,
    };
  }
  return {
    zh: `因工死亡职工生前的工资 ${yuanZh(cap.capFen)}`,
    en:
      cap.from === 'average'
        ? `the worker's wage before death ${yuanEn(cap.capFen)} (the average of the ${cap.wages} monthly wage(s) given, not clamped)`
        : `the worker's wage before death ${yuanEn(cap.capFen)} (input preDeathMonthlyWageFen)`,
  };
}

/**
 * The cap on the sum of the pensions: "核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资"
 * (《工伤保险条例》第三十九条第一款第（二）项). The dated parameter death.survivor_cap_basis says how a
 * region reads "生前的工资": `pre_death_wage`, the worker's actual wage (the input
 * preDeathMonthlyWageFen, else the average of monthlyWagesFen NOT clamped to 60–300 %, rounded
 * once), or `base_wage`, the clamped 本人工资 where a province's practice says so.
 */
function survivorCap(
  ctx: RuleContext,
  baseWageFen: Fen,
  preDeath: PreDeathWage,
  deathDate: IsoDate,
  rule: RoundingRule,
): Result<SurvivorCap, 'rules.parameter_missing'> {
  const basis = readText(ctx, 'death.survivor_cap_basis', deathDate);
  if (!basis.ok) return basis;
  if (basis.value === 'base_wage') {
    return ok({ basis: 'base_wage', capFen: baseWageFen, from: 'base_wage', wages: 0 });
  }
  if (basis.value !== 'pre_death_wage') {
    return refuse(
      'rules.parameter_missing',
      `death.survivor_cap_basis has the value "${basis.value}" for region ${ctx.region} on ${deathDate}; expected pre_death_wage or base_wage`,
      { path: 'death.survivor_cap_basis', region: ctx.region, date: deathDate },
    );
  }
  const capFen = preDeath.givenFen ?? roundFen(averageMonthlyWage(preDeath.monthlyWagesFen), rule);
  return ok({
    basis: 'pre_death_wage',
    capFen,
    from: preDeath.givenFen === null ? 'average' : 'given',
    wages: preDeath.monthlyWagesFen.length,
  });
}

/** The amounts: each 本人工资 × rate rounded once, or, over the cap, the cap split by the rates. */
function survivorAmounts(
  exacts: readonly Rational[],
  rates: readonly Rational[],
  capFen: Fen,
  rule: RoundingRule,
): { amounts: Fen[]; totalFen: Fen; capped: boolean } {
  const rounded = exacts.map((e) => roundFen(e, rule));
  const totalFen = rounded.reduce((a, b) => a + b, 0);
  if (totalFen <= capFen) return { amounts: rounded, totalFen, capped: false };
  // Integer weights proportional to the rates: scale by the common denominator.
  const lcm = rates.reduce((acc, r) => (acc % r.den === 0n ? acc : acc * r.den), 1n);
  const weights = rates.map((r) => (r.num * lcm) / r.den);
  return {
    amounts: allocateLargestRemainder(BigInt(capFen), weights).map(Number),
    totalFen,
    capped: true,
  };
}

/**
 * 供养亲属抚恤金 (《工伤保险条例》第三十九条第一款第（二）项), one monthly item per dependant, fund.
 * Each is 本人工资 × rate, rounded once. Their sum is capped (survivorCap). When the rounded sum
 * exceeds the cap, the whole cap is split in proportion to the rates by largest remainder, ties to
 * the lower dependant index (docs/rules.md, "Survivor cap"), so the sum equals the cap exactly and
 * no one gains from rounding.
 */
export function survivorPensions(
  ctx: RuleContext,
  baseWageFen: Fen,
  dependants: readonly Dependant[],
  deathDate: IsoDate,
  circumstance: DeathCircumstance,
  preDeath: PreDeathWage,
): Result<ItemResult[], 'rules.parameter_missing'> {
  if (dependants.length === 0) return ok([]);
  const ruleMark = traceMark(ctx);
  const rule = readRounding(ctx, deathDate);
  if (!rule.ok) return rule;
  const cap = survivorCap(ctx, baseWageFen, preDeath, deathDate, rule.value);
  if (!cap.ok) return cap;
  const ruleParams = tracedSince(ctx, ruleMark);
  const rates: Rational[] = [];
  const params: TraceParameter[][] = [];
  for (const d of dependants) {
    const mark = traceMark(ctx);
    const r = survivorRate(ctx, d, deathDate);
    if (!r.ok) return r;
    rates.push(r.value);
    params.push([...tracedSince(ctx, mark), ...ruleParams]);
  }
  const exacts = rates.map((r) => mul(fromInt(baseWageFen), r));
  const split = survivorAmounts(exacts, rates, cap.value.capFen, rule.value);
  const p = CIRCUMSTANCE_PARAGRAPH[circumstance];
  const cite = {
    zh:
      circumstance === 'injury'
        ? '《工伤保险条例》第三十九条第一款第（二）项'
        : `${p.zh}、第一款第（二）项`,
    en: `${REG}, ${p.en}, item (2)`,
  };
  const text = { baseWageFen, cap: cap.value, ...split };
  const items = dependants.map((d, i) =>
    settleItem(
      ctx,
      {
        code: 'survivor_pension',
        frequency: 'monthly',
        payer: PAYER_BY_ITEM.survivor_pension.payer,
        cite,
        exact: exacts[i]!,
        dependantIndex: i,
        mark: 0,
        parameters: params[i] ?? [],
        formula: ctx.traced === null ? null : (a) => pensionFormula(d, rates[i]!, a, text),
        notes: ctx.traced === null ? null : () => [capNote(text)],
      },
      split.amounts[i]!,
      split.capped ? 'largest_remainder' : rule.value,
    ),
  );
  return ok(items);
}

type PensionText = { baseWageFen: Fen; cap: SurvivorCap; totalFen: Fen; capped: boolean };

function pensionFormula(d: Dependant, rate: Rational, a: Fen, t: PensionText) {
  const head = {
    zh: `供养亲属抚恤金(${RELATION_ZH[d.relation]}) = 本人工资 ${yuanZh(t.baseWageFen)} × ${percent(rate)}`,
    en: `Survivor pension (${d.relation}) = own wage ${yuanEn(t.baseWageFen)} × ${percent(rate)}`,
  };
  if (!t.capped) return { zh: `${head.zh} = ${yuanZh(a)}`, en: `${head.en} = ${yuanEn(a)}` };
  const cap = capText(t.cap);
  return {
    zh: `${head.zh}，各供养亲属的抚恤金之和 ${yuanZh(t.totalFen)} 高于${cap.zh}，按比例分配后 = ${yuanZh(a)}`,
    en: `${head.en}; the pensions together (${yuanEn(t.totalFen)}) exceed ${cap.en}, so that wage is shared in proportion to the rates: ${yuanEn(a)}`,
  };
}

function capNote(t: PensionText): string {
  const tail = t.capped
    ? 'exceeds it, so the cap is split by largest remainder in proportion to the rates, ties to the lower index'
    : 'does not exceed it';
  return `cap basis ${t.cap.basis} (《工伤保险条例》第三十九条第一款第（二）项 "生前的工资"): ${capText(t.cap).en}; the pensions at their rates sum to ${yuanEn(t.totalFen)}, which ${tail}`;
}

/**
 * 下落不明 (《工伤保险条例》第四十一条): wages continue for 3 months from the accident month
 * (employer); from the 4th month the fund pays the survivor pensions; relatives in hardship may
 * draw 50 % of the death lump sum in advance (fund). If a court declares the worker dead,
 * 《工伤保险条例》第三十九条 applies.
 */
export function missingWorker(
  ctx: RuleContext,
  accidentDate: IsoDate,
  deathLumpSumFen: Fen,
): Result<
  { employerWageMonths: number; survivorPensionFromMonth: number; advanceFen: Fen },
  'rules.parameter_missing'
> {
  const months = readNumber(ctx, 'death.missing_wage_months', accidentDate);
  if (!months.ok) return months;
  const ratio = readNumber(ctx, 'death.missing_advance_ratio', accidentDate);
  if (!ratio.ok) return ratio;
  const rule = readRounding(ctx, accidentDate);
  if (!rule.ok) return rule;
  const employerWageMonths = Number(months.value.num / months.value.den);
  return ok({
    employerWageMonths,
    survivorPensionFromMonth: employerWageMonths + 1,
    advanceFen: roundFen(mul(fromInt(deathLumpSumFen), ratio.value), rule.value),
  });
}

/** What a reappearance does, as the province's rule value names it. */
export type MissingReappearance = {
  /** The last day a pension the missing event started is paid: the end of the reappearance's month. */
  pensionsEndOn: IsoDate;
  /** The 一次性工亡补助金 drawn (the advance) is returned by its payee. */
  lumpSumReturned: true;
  /** `legislated` (河南) or `demo` (浙江: borrowed from 河南), and the citation the value carries. */
  status: TraceParameter['status'];
  citation: string;
};

/**
 * 下落不明 职工重新出现: the province's dated rule `death.missing_reappearance`. 《工伤保险条例》第四十一条
 * says nothing of it; 《河南省工伤保险条例》第三十二条: "该职工重新出现的，自出现的次月起停发供养亲属抚恤金，领取的一次性
 * 工亡补助金应当退回。" 浙江's text has none: its value is a `demo` taken from 河南's. A region without
 * a value refuses (`rules.parameter_missing`): no reappearance rule is invented.
 */
export function missingReappearance(
  ctx: RuleContext,
  reappearedOn: IsoDate,
): Result<MissingReappearance, 'rules.parameter_missing'> {
  const traced: TraceParameter[] = [];
  const local: RuleContext = { ...ctx, traced };
  const rule = readText(local, 'death.missing_reappearance', reappearedOn);
  if (!rule.ok) return rule;
  const [p] = traced;
  if (rule.value !== 'stop_month_after_return_lump_sum' || p === undefined)
    return refuse(
      'rules.parameter_missing',
      `death.missing_reappearance = ${rule.value}: no rule of that name`,
    );
  return ok({
    pensionsEndOn: addDays(`${nextMonth(monthOf(reappearedOn))}-01`, -1),
    lumpSumReturned: true,
    status: p.status,
    citation: p.citation,
  });
}

/**
 * Whether a dependant who becomes an orphan or a 孤寡老人 after the death gains the 10 % of
 * 《工伤保险条例》第三十九条第一款第（二）项 ("孤寡老人或者孤儿每人每月在上述标准的基础上增加10%"): the province's dated
 * rule `death.survivor_bonus_after_death`. 河南 fixes it at the death (《河南省工伤保险条例》第二十九条第二款:
 * "职工因工死亡，其供养亲属享受抚恤金待遇的资格按职工因工死亡时的条件核定。"); 浙江's text is silent and pays it
 * from the next month (`demo`). A region without a value refuses (`rules.parameter_missing`).
 */
export function survivorBonusAfterDeath(
  ctx: RuleContext,
  eventOn: IsoDate,
): Result<'fixed_at_death' | 'from_next_month', 'rules.parameter_missing'> {
  const rule = readText(ctx, 'death.survivor_bonus_after_death', eventOn);
  if (!rule.ok) return rule;
  if (rule.value === 'fixed_at_death' || rule.value === 'from_next_month') return ok(rule.value);
  return refuse(
    'rules.parameter_missing',
    `death.survivor_bonus_after_death = ${rule.value}: no rule of that name`,
  );
}
