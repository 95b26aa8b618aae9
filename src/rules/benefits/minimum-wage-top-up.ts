import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { fromInt, mul, type Rational, type RoundingRule } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { type RuleContext, readNumber, readText, sourceOf } from '../context.ts';
import { percent, yuanEn, yuanZh } from '../trace.ts';

/** The worker's own social-insurance contributions a province deducts before the comparison. */
export type OwnContribution = 'pension' | 'medical' | 'unemployment';

/**
 * How the allowance is compared with the local minimum wage (parameter
 * disability.minimum_wage_comparison.grade_1_4 / .grade_5_6): `gross`, the allowance itself
 * (《工伤保险条例》第三十五条第一款第（二）项、第三十六条第一款第（二）项 "伤残津贴实际金额"); `net_of_…`,
 * the allowance less the worker's own contributions on it (《河南省工伤保险条例》第二十四条第一款
 * "扣除个人缴纳的各项社会保险费后", 《河南省工伤保险条例》第二十五条).
 */
export type MinimumWageComparison =
  | 'gross'
  | 'net_of_pension_medical'
  | 'net_of_pension_medical_unemployment';

const DEDUCTED: Record<MinimumWageComparison, readonly OwnContribution[]> = {
  gross: [],
  net_of_pension_medical: ['pension', 'medical'],
  net_of_pension_medical_unemployment: ['pension', 'medical', 'unemployment'],
};

const RATE_PATH: Record<OwnContribution, string> = {
  pension: 'individual_contribution.pension_rate',
  medical: 'individual_contribution.medical_rate',
  unemployment: 'individual_contribution.unemployment_rate',
};

const CONTRIBUTION_ZH: Record<OwnContribution, string> = {
  pension: '基本养老保险费',
  medical: '基本医疗保险费',
  unemployment: '失业保险费',
};

export type OwnContributionAmount = { kind: OwnContribution; rate: Rational; fen: Fen };

/**
 * The top-up of one month's allowance. `amountFen` = allowance + topUpFen is what the payer pays
 * before withholding the worker's contributions, so the worker nets at least the minimum wage:
 * topUpFen = max(0, minimum − net), net = allowance − Σ contributions (each rounded once), and
 * under `gross` net is the allowance itself (amount = max(allowance, minimum), the national rule).
 */
export type MinimumWageTopUp = {
  comparison: MinimumWageComparison;
  minimumFen: Fen;
  contributions: OwnContributionAmount[];
  netFen: Fen;
  topUpFen: Fen;
  amountFen: Fen;
  /** The provincial text the comparison rests on, when it is not the national rule. */
  source: string | null;
};

function isComparison(word: string): word is MinimumWageComparison {
  return Object.hasOwn(DEDUCTED, word);
}

/** Reads the comparison of the grade's band and the minimum wage, all in force on `date`. */
export function minimumWageTopUp(
  ctx: RuleContext,
  grade: number,
  allowanceFen: Fen,
  date: IsoDate,
  rule: RoundingRule,
): Result<MinimumWageTopUp, 'rules.parameter_missing'> {
  const path = `disability.minimum_wage_comparison.${grade <= 4 ? 'grade_1_4' : 'grade_5_6'}`;
  const word = readText(ctx, path, date);
  if (!word.ok) return word;
  if (!isComparison(word.value)) {
    return refuse(
      'rules.parameter_missing',
      `${path} has the value "${word.value}" for region ${ctx.region} on ${date}; expected one of ${Object.keys(DEDUCTED).join(', ')}`,
      { path, region: ctx.region, date },
    );
  }
  const minimum = readNumber(ctx, 'wage.minimum_monthly_fen', date);
  if (!minimum.ok) return minimum;
  const contributions: OwnContributionAmount[] = [];
  for (const kind of DEDUCTED[word.value]) {
    const rate = readNumber(ctx, RATE_PATH[kind], date);
    if (!rate.ok) return rate;
    const fen = roundFen(mul(fromInt(allowanceFen), rate.value), rule);
    contributions.push({ kind, rate: rate.value, fen });
  }
  const minimumFen = roundFen(minimum.value, rule);
  const netFen = allowanceFen - contributions.reduce((a, c) => a + c.fen, 0);
  const topUpFen = Math.max(0, minimumFen - netFen);
  return ok({
    comparison: word.value,
    minimumFen,
    contributions,
    netFen,
    topUpFen,
    amountFen: allowanceFen + topUpFen,
    source: word.value === 'gross' ? null : sourceOf(ctx, path, date),
  });
}

const PAYER_ZH = { fund: '工伤保险基金', employer: '用人单位' } as const;

/** The trace's words for the comparison, after "伤残津贴 = 本人工资 × rate = allowance". */
export function topUpText(
  t: MinimumWageTopUp,
  allowanceFen: Fen,
  payer: 'fund' | 'employer',
): { zh: string; en: string } {
  if (t.comparison === 'gross') {
    return t.topUpFen === 0
      ? { zh: '', en: '' }
      : {
          zh: `，低于当地最低工资标准，补足至 ${yuanZh(t.amountFen)}`,
          en: `, below the local minimum wage, topped up to ${yuanEn(t.amountFen)}`,
        };
  }
  const listZh = t.contributions
    .map((c) => `${CONTRIBUTION_ZH[c.kind]} ${percent(c.rate)} ${yuanZh(c.fen)}`)
    .join('、');
  const listEn = t.contributions
    .map((c) => `${c.kind} ${percent(c.rate)} ${yuanEn(c.fen)}`)
    .join(', ');
  const head = {
    zh: `；扣除个人缴纳的${listZh}后为 ${yuanZh(t.netFen)}`,
    en: `; less the worker's own contributions (${listEn}) it is ${yuanEn(t.netFen)}`,
  };
  if (t.topUpFen === 0) {
    return {
      zh: `${head.zh}，不低于当地最低工资标准 ${yuanZh(t.minimumFen)}，不补足`,
      en: `${head.en}, not below the local minimum wage ${yuanEn(t.minimumFen)}: no top-up`,
    };
  }
  return {
    zh: `${head.zh}，低于当地最低工资标准 ${yuanZh(t.minimumFen)}，由${PAYER_ZH[payer]}补足差额 ${yuanZh(t.topUpFen)}，应发 ${yuanZh(allowanceFen)} + ${yuanZh(t.topUpFen)} = ${yuanZh(t.amountFen)}`,
    en: `${head.en}, below the local minimum wage ${yuanEn(t.minimumFen)}: the ${payer} pays the difference ${yuanEn(t.topUpFen)}, so ${yuanEn(allowanceFen)} + ${yuanEn(t.topUpFen)} = ${yuanEn(t.amountFen)} is paid`,
  };
}
