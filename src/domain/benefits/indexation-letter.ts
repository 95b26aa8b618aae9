import { monthOf } from '../../kernel/dates.ts';
import { formatYuan } from '../../kernel/money.ts';
import { fromInt, mul, type Rational, toDecimalString } from '../../kernel/rational.ts';
import type {
  AdjustmentTerms,
  IndexedKind,
  KindAdjustment,
} from '../../rules/benefits/indexation.ts';
import { chineseDate } from '../letters/letter-types.ts';
import { reviewRightsSentence } from '../letters/review-rights.ts';
import { ITEM_LABEL_ZH } from './decision-letter.ts';
import type { IndexationTotal } from './indexation.ts';

/**
 * The notice of an indexation batch (待遇调整通知, letter type `benefit_indexation`), pure: one per
 * city and year, issued when the batch is applied, to everyone whose periodic benefit it changed —
 * the way an adjustment is announced (a notice of the rule), not a letter per person, which at a
 * province's scale would be a million PDFs. Each person's own figures (before, after, from when) are
 * in their own view beside the notice's number (benefit-self.ts, benefit-survivor-self.ts).
 *
 * The basis, 《工伤保险条例》第四十条, whole (one paragraph): "伤残津贴、供养亲属抚恤金、生活护理费由统筹地区
 * 社会保险行政部门根据职工平均工资和生活费用变化等情况适时调整。调整办法由省、自治区、直辖市人民政府规定。" The province's
 * rule is each adjustment's own citation (src/rules/values/<province>/indexation.yaml); a `demo`
 * figure says so on the notice.
 */
export const ARTICLE_40 =
  '伤残津贴、供养亲属抚恤金、生活护理费由统筹地区社会保险行政部门根据职工平均工资和生活费用变化等情况适时调整。调整办法由省、自治区、直辖市人民政府规定。';

export type IndexationNoticeFacts = {
  cityName: string;
  year: number;
  adjustments: readonly KindAdjustment[];
  totals: readonly IndexationTotal[];
  lineCount: number;
};

const NURSING_ZH: Readonly<Record<string, string>> = {
  complete: '生活完全不能自理',
  mostly: '生活大部分不能自理',
  partly: '生活部分不能自理',
};

function keyLabel(key: string): string {
  if (key === 'all') return '';
  if (/^[1-9]$|^10$/.test(key)) return `${'一二三四五六七八九十'[Number(key) - 1]}级`;
  return NURSING_ZH[key] ?? key;
}

/** A share as a percentage ("2%", "2.5%"), a flat amount in fen as yuan ("30.00元"). */
function termsText(t: AdjustmentTerms): string {
  const percent = toDecimalString(mul(t.rate, fromInt(100)));
  const parts: string[] = [];
  if (t.rate.num !== 0n) parts.push(`增加${percent}%`);
  if (t.fixedFen.num !== 0n) parts.push(`增加${flatYuan(t.fixedFen)}元`);
  return parts.length === 0 ? '标准不变' : `按原标准${parts.join('，另')}`;
}

function flatYuan(fixedFen: Rational): string {
  if (fixedFen.num % fixedFen.den !== 0n)
    throw new Error('indexation notice: a flat rise is a whole number of fen');
  return formatYuan(Number(fixedFen.num / fixedFen.den));
}

function adjustmentParagraph(a: KindAdjustment, index: number): string {
  const terms = [...a.terms.entries()];
  const adjusted = terms.filter(
    (e): e is [string, AdjustmentTerms] => e[1] !== null && e[1] !== undefined,
  );
  const kept = terms.filter(([, t]) => t === null).map(([k]) => keyLabel(k));
  const rules = adjusted.map(([k, t]) => `${keyLabel(k)}${termsText(t)}`).join('；');
  // The rule's reason for a key left out (nullReason) is staff-facing English: not printed.
  const keptText = kept.length === 0 ? '' : `；${kept.join('、')}不在本次调整之列`;
  const demo = a.status === 'demo' ? '（演示参数：省级正式调整文件尚未载入）' : '';
  return `${index + 1}. ${ITEM_LABEL_ZH[a.kind]}：自${chineseDate(a.effectiveOn)}起，${rules}${keptText}。依据：${a.citation}${demo}。`;
}

function totalLine(t: IndexationTotal): string {
  const payer = t.payer === 'fund' ? '工伤保险基金支付' : '用人单位支付';
  return `${ITEM_LABEL_ZH[t.kind]}（${payer}）${t.lines}项，月待遇合计由${formatYuan(t.beforeFen)}元调整为${formatYuan(t.afterFen)}元`;
}

/** The notice's title, addressee and paragraphs (the PDF is the letter writer's). */
export function indexationNoticeText(f: IndexationNoticeFacts): {
  title: string;
  recipient: string;
  paragraphs: string[];
} {
  const kinds = new Set<IndexedKind>(f.adjustments.map((a) => a.kind));
  const firstMonth = f.adjustments.map((a) => monthOf(a.effectiveOn)).sort()[0];
  const employerPaid = f.totals.some((t) => t.payer === 'employer' && t.lines > 0);
  return {
    title: `关于调整${f.year}年工伤保险定期待遇的通知`,
    recipient: `${f.cityName}领取工伤保险定期待遇的工伤职工及供养亲属`,
    paragraphs: [
      `根据《工伤保险条例》第四十条“${ARTICLE_40}”和省人民政府规定的调整办法，现将${f.cityName}${f.year}年${[...kinds].map((k) => ITEM_LABEL_ZH[k]).join('、')}的调整事项通知如下：`,
      ...f.adjustments.map(adjustmentParagraph),
      `本次调整涉及定期待遇${f.lineCount}项：${f.totals.map(totalLine).join('；')}。`,
      `调整后的待遇自${firstMonth ? `${Number(firstMonth.slice(0, 4))}年${Number(firstMonth.slice(5, 7))}月` : '生效之月'}起按月发放至本人社会保障卡银行账户${employerPaid ? '；由用人单位支付的待遇，由用人单位按调整后的标准支付' : ''}。本人调整前后的金额可在个人服务页面查询。`,
      reviewRightsSentence('本次调整'),
    ],
  };
}
