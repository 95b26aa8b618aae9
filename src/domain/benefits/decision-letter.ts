import { formatYuan } from '../../kernel/money.ts';
import { chineseDate } from '../letters/letter-types.ts';
import { reviewRightsSentence } from '../letters/review-rights.ts';
import type { DecisionDeath } from './death-case.ts';
import type { DecisionArrears } from './decision-payload.ts';
import type { DecisionItem } from './stored-decision.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * The text of the 工伤保险待遇核定通知书 (pure): what was decided, on which facts, under which
 * articles, who pays, and how to contest it. Issued as a numbered letter (helper B's issueLetter)
 * in the transaction that approves the decision.
 */
export const ITEM_LABEL_ZH: Record<DecisionItem['code'], string> = {
  disability_lump_sum: '一次性伤残补助金',
  disability_allowance: '伤残津贴',
  nursing_allowance: '生活护理费',
  medical_separation_grant: '一次性工伤医疗补助金',
  employment_separation_grant: '一次性伤残就业补助金',
  funeral_grant: '丧葬补助金',
  survivor_pension: '供养亲属抚恤金',
  survivor_pension_one_off: '供养亲属抚恤金（一次性支付）',
  death_lump_sum: '一次性工亡补助金',
};

export type DecisionLetterFacts = {
  workerName: string;
  accidentDate: string;
  concludedOn: string;
  grade: number;
  baseWageFen: number;
  wageMonths: readonly WageMonth[];
  items: readonly DecisionItem[];
  periodicStartsOn: string;
  /** The months the payroll ran before the decision, paid with it (ADR 0023); null: none. */
  arrears?: DecisionArrears | null;
};

function monthZh(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/**
 * The sentence on the months already run (补发), when there are any: which months, the sum, paid
 * with the decision's one-off items rather than in the monthly payroll.
 */
export function arrearsSentence(arrears: DecisionArrears | null | undefined): string[] {
  if (arrears === undefined || arrears === null) return [];
  const months = [...new Set(arrears.months.map((m) => m.month))].sort();
  const first = months[0] ?? '';
  const last = months.at(-1) ?? first;
  const span = first === last ? monthZh(first) : `${monthZh(first)}至${monthZh(last)}`;
  const labels = Object.entries(ITEM_LABEL_ZH);
  const kinds = arrears.byKind.map((k) => labels.find(([code]) => code === k.kind)?.[1] ?? k.kind);
  return [
    `上述按月待遇中，${span}的${kinds.join('、')}在本核定作出前已到发放月份，共计${formatYuan(arrears.totalFen)}元，随本核定一次性补发，不再列入月度发放。`,
  ];
}

/**
 * The review and litigation rights every 核定通知书 closes with: 《工伤保险条例》第五十五条第一款第（五）项
 * ("有下列情形之一的，有关单位或者个人可以依法申请行政复议，也可以依法向人民法院提起行政诉讼：" …
 * "工伤职工或者其近亲属对经办机构核定的工伤保险待遇有异议的。"), with the authority and both periods
 * named (src/domain/letters/review-rights.ts says why). One sentence for every benefit letter
 * (first, death, separation, regrade, change), so they never say it differently.
 */
export const REVIEW_RIGHTS_ZH = reviewRightsSentence('本核定');

/** One decided item: its amount (monthly ones from `startsOn`), who pays it, its citation. */
export function itemLine(i: DecisionItem, index: number, startsOn: string): string {
  const payer = i.payer === 'fund' ? '由工伤保险基金支付' : '由用人单位支付';
  const amount =
    i.frequency === 'once'
      ? `${formatYuan(i.amountFen)}元`
      : `每月${formatYuan(i.amountFen)}元，自${chineseDate(startsOn)}起按月支付`;
  return `${index + 1}. ${ITEM_LABEL_ZH[i.code]}：${amount}，${payer}（${i.citation}）。`;
}

/** 本人工资 and the months it rests on (《工伤保险条例》第六十四条第二款). */
export function wageParagraph(wageMonths: readonly WageMonth[], baseWageFen: number): string {
  const declared = wageMonths.filter((m) => m.source === 'declaration').length;
  const entered = wageMonths.length - declared;
  return `本人工资按受伤前${wageMonths.length}个月的缴费工资计算（用人单位申报${declared}个月，经办核实录入${entered}个月），核定为每月${formatYuan(baseWageFen)}元（《工伤保险条例》第六十四条第二款）。`;
}

export function decisionLetterText(f: DecisionLetterFacts): {
  title: string;
  paragraphs: string[];
} {
  return {
    title: '工伤保险待遇核定通知书',
    paragraphs: [
      `${f.workerName}：你于${chineseDate(f.accidentDate)}发生的工伤，经劳动能力鉴定委员会于${chineseDate(f.concludedOn)}鉴定为${f.grade}级伤残。根据《工伤保险条例》第五章的规定，现将你的工伤保险待遇核定如下。`,
      wageParagraph(f.wageMonths, f.baseWageFen),
      ...f.items.map((i, n) => itemLine(i, n, f.periodicStartsOn)),
      ...arrearsSentence(f.arrears),
      `一次性待遇经核定后由经办机构支付至你的银行账户。${REVIEW_RIGHTS_ZH}`,
    ],
  };
}

/** 《工伤保险条例》第三十九条's paragraph of each circumstance, as the letter states it. */
const CIRCUMSTANCE_ZH: Record<DecisionDeath['circumstance'], string> = {
  injury: '因工死亡（《工伤保险条例》第三十九条第一款）',
  within_suspension: '在停工留薪期内因工伤导致死亡（《工伤保险条例》第三十九条第二款）',
  grade1to4_after_suspension:
    '为一级至四级伤残职工，在停工留薪期满后死亡（《工伤保险条例》第三十九条第三款）',
};

export type DeathLetterFacts = Omit<DecisionLetterFacts, 'concludedOn' | 'grade'> & {
  death: DecisionDeath;
};

/**
 * The 工伤保险待遇核定通知书 of a death case, addressed to the worker's 近亲属: 《工伤保险条例》第三十九条第一款
 * "其近亲属按照下列规定从工伤保险基金领取丧葬补助金、供养亲属抚恤金和一次性工亡补助金"; each survivor's pension
 * names the dependant it is paid to.
 */
export function deathLetterText(f: DeathLetterFacts): { title: string; paragraphs: string[] } {
  const nameOf = (i: DecisionItem) =>
    f.death.dependants.find((d) => d.ordinal === i.dependantIndex)?.name ?? '';
  return {
    title: '工伤保险待遇核定通知书',
    paragraphs: [
      `${f.workerName}的近亲属：${f.workerName}于${chineseDate(f.accidentDate)}发生工伤，于${chineseDate(f.death.diedOn)}${CIRCUMSTANCE_ZH[f.death.circumstance]}。根据《工伤保险条例》第三十九条的规定，现将工伤保险待遇核定如下。`,
      `本人工资按受伤前${f.wageMonths.length}个月的缴费工资计算，核定为每月${formatYuan(f.baseWageFen)}元（《工伤保险条例》第六十四条第二款）。`,
      ...f.items.map((i, n) => {
        const line = itemLine(i, n, f.periodicStartsOn);
        return i.code === 'survivor_pension' ? line.replace('：', `（${nameOf(i)}）：`) : line;
      }),
      ...arrearsSentence(f.arrears),
      `一次性待遇经核定后由经办机构支付；供养亲属抚恤金支付至供养亲属本人的银行账户。${REVIEW_RIGHTS_ZH}`,
    ],
  };
}
