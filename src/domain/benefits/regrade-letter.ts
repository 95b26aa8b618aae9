import { formatYuan } from '../../kernel/money.ts';
import type { RegradePlan } from '../../rules/benefits/regrade-rule.ts';
import { nursingText } from '../cases/appraisal-letter.ts';
import type { NursingLevel } from '../cases/appraisal-procedure.ts';
import { chineseDate } from '../letters/letter-types.ts';
import { ITEM_LABEL_ZH, itemLine, REVIEW_RIGHTS_ZH, wageParagraph } from './decision-letter.ts';
import type { DecisionItem } from './stored-decision.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * The text of the 工伤保险待遇重新核定通知书 (pure): issued as a numbered letter (type
 * `benefit_regrade`) in the transaction that applies an approved regrade decision. It says which
 * conclusion changed and how, the rule the new amounts start under (the plan's citation, in 河南
 * 《河南省工伤保险条例》第三十条第二款: "工伤职工经再次鉴定，鉴定结论发生变化的，应当按再次鉴定结论享受相应待遇，享受待遇的起始时间为原鉴定时间的次月。工伤职工复查鉴定结论发生变化的，应当自复查鉴定结论作出的次月起，按照复查鉴定结论享受有关待遇，但一次性伤残补助金不再调整。"),
 * the new monthly amounts, the 一次性伤残补助金 (difference paid, excess or unchanged), the arrears
 * paid and the amounts held for a person, and the review rights every benefit letter carries.
 */
export type RegradeConclusion = {
  concludedOn: string;
  grade: number | null;
  nursingLevel: NursingLevel | null;
};

export type RegradeLetterFacts = {
  workerName: string;
  accidentDate: string;
  previous: RegradeConclusion;
  next: RegradeConclusion;
  /** The 发文字号 of the replaced decision's letter, when it had one. */
  replacedDocumentNumber: string | null;
  wageMonths: readonly WageMonth[];
  baseWageFen: number;
  items: readonly DecisionItem[];
  plan: RegradePlan;
};

const KIND_ZH: Record<RegradePlan['kind'], string> = {
  re_appraisal: '劳动能力再次鉴定',
  review: '劳动能力复查鉴定',
};

function labelOf(code: string): string {
  return Object.entries(ITEM_LABEL_ZH).find(([k]) => k === code)?.[1] ?? code;
}

function conclusionZh(c: RegradeConclusion): string {
  const grade = c.grade === null ? '未达到伤残等级' : `${c.grade}级伤残`;
  return c.nursingLevel === null ? grade : `${grade}、${nursingText[c.nursingLevel]}`;
}

function opening(f: RegradeLetterFacts): string {
  const { plan } = f;
  const replaced =
    f.replacedDocumentNumber === null ? '' : `（原核定通知书${f.replacedDocumentNumber}）`;
  return `${f.workerName}：你于${chineseDate(f.accidentDate)}发生的工伤，原经劳动能力鉴定委员会于${chineseDate(plan.originalConcludedOn)}鉴定为${conclusionZh(f.previous)}${replaced}；经${KIND_ZH[plan.kind]}，劳动能力鉴定委员会于${chineseDate(plan.newConcludedOn)}鉴定为${conclusionZh(f.next)}，鉴定结论发生变化。根据${plan.rule.citation}的规定，现将你的工伤保险待遇重新核定如下，自${chineseDate(plan.startsOn)}起执行。`;
}

/** The 一次性伤残补助金 as the plan adjusts it (null: the decision has none from the fund). */
function lumpSumText(f: RegradeLetterFacts): string | null {
  const item = f.items.find((i) => i.code === 'disability_lump_sum' && i.payer === 'fund');
  if (item === undefined) return null;
  const { lumpSum, rule } = f.plan;
  const newly = `按新的鉴定结论核定为${formatYuan(lumpSum.newFen)}元，原已核定${formatYuan(lumpSum.previousFen)}元`;
  switch (lumpSum.outcome) {
    case 'unchanged':
      return `一次性伤残补助金：不再调整，仍为原已核定的${formatYuan(lumpSum.previousFen)}元（${rule.citation}）。`;
    case 'pay':
      return `一次性伤残补助金：${newly}，补发差额${formatYuan(lumpSum.differenceFen)}元，由工伤保险基金支付（${item.citation}）。`;
    case 'hold':
      return `一次性伤残补助金：${newly}，差额${formatYuan(-lumpSum.differenceFen)}元由经办机构另行审核处理（${item.citation}）。`;
    case 'none':
      return `一次性伤残补助金：${newly}，金额相同，不再补发（${item.citation}）。`;
  }
}

/** What the months already paid at the old amounts owe (paid now) or were paid above (held). */
function arrearsLines(plan: RegradePlan): string[] {
  const months = (kind: string) =>
    plan.arrears
      .filter((a) => a.kind === kind)
      .map((a) => `${Number(a.month.slice(0, 4))}年${Number(a.month.slice(5, 7))}月`)
      .join('、');
  const paid = plan.postings
    .filter((p) => p.code !== 'disability_lump_sum')
    .map(
      (p) =>
        `${labelOf(p.code)}：${months(p.code)}按新核定标准应发与已发的差额${formatYuan(p.amountFen)}元，由工伤保险基金补发。`,
    );
  const held = plan.held
    .filter((h) => h.reason === 'months_paid_above_new_amount')
    .map(
      (h) =>
        `${labelOf(h.code)}：${months(h.code)}已按原标准多发${formatYuan(h.amountFen)}元，由经办机构另行审核处理。`,
    );
  return [...paid, ...held];
}

export function regradeLetterText(f: RegradeLetterFacts): { title: string; paragraphs: string[] } {
  const monthly = f.items.filter((i) => i.frequency === 'monthly');
  const lines = [
    ...monthly.map((i, n) => itemLine(i, n, f.plan.startsOn)),
    ...[lumpSumText(f), ...arrearsLines(f.plan)]
      .filter((l) => l !== null)
      .map((l, n) => `${monthly.length + n + 1}. ${l}`),
  ];
  // A kind the new conclusion no longer pays (a lower grade's 伤残津贴, a nursing level lost) stops;
  // a kind it pays again is one of the item lines above.
  const kept = new Set(f.plan.entitlements.map((e) => e.kind));
  const stopped = [
    ...new Set(f.plan.endings.filter((e) => !kept.has(e.kind)).map((e) => labelOf(e.kind))),
  ];
  return {
    title: '工伤保险待遇重新核定通知书',
    paragraphs: [
      opening(f),
      wageParagraph(f.wageMonths, f.baseWageFen),
      ...lines,
      ...(stopped.length === 0
        ? []
        : [`原核定的${stopped.join('、')}自${chineseDate(f.plan.startsOn)}起停止发放。`]),
      f.plan.postings.length === 0
        ? REVIEW_RIGHTS_ZH
        : `补发的款项经核定后由经办机构支付至你的银行账户。${REVIEW_RIGHTS_ZH}`,
    ],
  };
}
