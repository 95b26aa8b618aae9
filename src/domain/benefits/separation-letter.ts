import { chineseDate } from '../letters/letter-types.ts';
import { itemLine, REVIEW_RIGHTS_ZH } from './decision-letter.ts';
import type { EntitlementEnd, SeparationReason } from './separation-decision.ts';
import { separationItems } from './separation-decision.ts';
import type { DecisionItem } from './stored-decision.ts';

/**
 * The text of the 一次性工伤医疗补助金和一次性伤残就业补助金核定通知书 (pure): issued as a numbered letter
 * (type `benefit_separation`) in the transaction that applies an approved separation. It says why
 * the grants are due (the article of the grade), the separation, both grants with their payer and
 * the province's citation, the 伤残津贴 the separation ends, and the review rights every benefit
 * letter carries.
 *
 * 《工伤保险条例》第三十六条第二款 (grades 5–6): "经工伤职工本人提出，该职工可以与用人单位解除或者终止劳动关系，由工伤保险基金支付一次性工伤医疗补助金，由用人单位支付一次性伤残就业补助金。"
 * 《工伤保险条例》第三十七条第一款第（二）项 (grades 7–10): "劳动、聘用合同期满终止，或者职工本人提出解除劳动、聘用合同的，由工伤保险基金支付一次性工伤医疗补助金，由用人单位支付一次性伤残就业补助金。"
 */
export type SeparationLetterFacts = {
  workerName: string;
  accidentDate: string;
  grade: number;
  date: string;
  reason: SeparationReason;
  retirementDate: string;
  items: readonly DecisionItem[];
  ends: readonly EntitlementEnd[];
  /** A combined separation (《浙江省工伤保险条例》第二十八条): every case it covers, the article and its words. */
  combined?: CombinedLetterFacts | undefined;
};

export type CombinedLetterFacts = {
  cases: readonly { caseId: string; accidentDate: string; grade: number }[];
  citation: string;
  quote: string;
};

/** The article that grants the separation payments to the worker's grade. */
export function separationBasis(grade: number): string {
  if (grade >= 5 && grade <= 6) return '《工伤保险条例》第三十六条第二款';
  if (grade >= 7 && grade <= 10) return '《工伤保险条例》第三十七条第一款第（二）项';
  throw new Error(`separationBasis: grade ${grade} has no separation grants`);
}

/** How the relationship ended, in the words of the two articles. */
const REASON_ZH: Record<SeparationReason, string> = {
  worker_request: '经你本人提出解除或者终止',
  contract_expiry: '因劳动、聘用合同期满终止',
};

/**
 * The 伤残津贴 of grades 5–6 ends with the relationship: 《工伤保险条例》第三十六条第一款第（二）项
 * "保留与用人单位的劳动关系，由用人单位安排适当工作。难以安排工作的，由用人单位按月发给伤残津贴".
 */
function endLine(e: EntitlementEnd): string {
  const basis = '（《工伤保险条例》第三十六条第一款第（二）项）';
  return e.endsOn === null
    ? `你的伤残津贴随劳动关系的终止不再发放${basis}。`
    : `你的伤残津贴随劳动关系的终止发放至${chineseDate(e.endsOn)}止${basis}。`;
}

/**
 * The injuries of a combined separation, each named by its day, case and grade, and why the grants
 * follow the highest grade once: the article's own words.
 */
function injuriesText(f: SeparationLetterFacts, c: CombinedLetterFacts): string {
  const each = [...c.cases]
    .sort((a, b) =>
      a.accidentDate < b.accidentDate ? -1 : a.accidentDate > b.accidentDate ? 1 : 0,
    )
    .map(
      (k) =>
        `${chineseDate(k.accidentDate)}发生的工伤（案件${k.caseId}）经劳动能力鉴定委员会鉴定为${k.grade}级伤残`,
    );
  return `${f.workerName}：你在同一用人单位连续工作期间多次发生工伤：${each.join('；')}。${c.citation}规定："${c.quote}"一次性伤残补助金已按各次工伤分别核定，一次性工伤医疗补助金和一次性伤残就业补助金按最高伤残等级${f.grade}级计发一次。`;
}

export function separationLetterText(f: SeparationLetterFacts): {
  title: string;
  paragraphs: string[];
} {
  const basis = separationBasis(f.grade);
  const grants = separationItems(f.items);
  const injuries =
    f.combined === undefined
      ? `${f.workerName}：你于${chineseDate(f.accidentDate)}发生的工伤，经劳动能力鉴定委员会鉴定为${f.grade}级伤残。`
      : injuriesText(f, f.combined);
  return {
    title: '一次性工伤医疗补助金和一次性伤残就业补助金核定通知书',
    paragraphs: [
      `${injuries}你与用人单位的劳动关系已于${chineseDate(f.date)}${REASON_ZH[f.reason]}，你的法定退休日期为${chineseDate(f.retirementDate)}。根据${basis}的规定，现将一次性工伤医疗补助金和一次性伤残就业补助金核定如下。`,
      // The start date matters only for monthly items; the grants are paid once.
      ...grants.map((i, n) => itemLine(i, n, f.date)),
      ...f.ends.filter((e) => e.kind === 'disability_allowance').map(endLine),
      `一次性工伤医疗补助金经核定后由经办机构支付至你的银行账户；一次性伤残就业补助金由用人单位支付。${REVIEW_RIGHTS_ZH}`,
    ],
  };
}
