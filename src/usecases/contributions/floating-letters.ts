import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { regions } from '../../db/schema.ts';
import {
  REVIEW_APPEAL_ARTICLE,
  REVIEW_AUTHORITY_BASIS,
  reviewAuthorityOf,
} from '../../domain/letters/review-rights.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { formatYuan } from '../../kernel/money.ts';
import { fromDecimal, type Rational, rational, roundToInteger } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { FloatGrade } from '../../rules/contributions/rate-policy.ts';
import { type PdfContent, renderLetterPdf } from '../reports/report-writer.ts';
import { type FloatingReviewItemView, getFloatingReview } from './floating-review.ts';

/**
 * Letters of an applied floating-rate review (浮动费率调整告知书): one PDF per employer whose grade
 * changed, and one PDF of them all for the city, in Chinese: the figures, the old and new grade,
 * the effective date, the basis, and how to object (行政复议, 《行政复议法》第二十条 quoted). The
 * PDFs are dated the day the review was applied, so the same review always gives the same bytes.
 */
export type LetterRefusal = 'record.not_found' | 'floating_review.not_applied';

export type Letter = { employerId: string; employerName: string; fileName: string; pdf: Buffer };
export type ReviewLetters = { letters: Letter[]; combined: { fileName: string; pdf: Buffer } };

const GRADE_LABELS: Record<FloatGrade, string> = {
  down2: '下浮两档',
  down1: '下浮一档',
  base: '基准费率（不浮动）',
  up1: '上浮一档',
  up2: '上浮两档',
};

function chineseDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** An exact ratio text ("0.15", "1/3") × `by`, to 2 places half up, with its unit. */
function scaled(text: string | null, by: bigint, unit: string): string {
  if (text === null) return '—';
  const [num = '0', den] = text.split('/');
  const r: Rational = den === undefined ? fromDecimal(num) : rational(BigInt(num), BigInt(den));
  const hundredths = roundToInteger(rational(r.num * by * 100n, r.den), 'half_up');
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}${unit}`;
}

function figuresTable(item: FloatingReviewItemView, effectiveFrom: IsoDate): PdfContent {
  const years = item.windowYears;
  const row = (k: string, v: string) => [{ text: k }, { text: v }];
  return {
    table: {
      widths: [180, '*'],
      body: [
        row('考核期', `${years[0]}年至${years[years.length - 1]}年`),
        row('缴纳工伤保险费合计（元）', formatYuan(item.contributionsFen ?? 0)),
        row('工伤保险基金支付合计（元）', formatYuan(item.benefitCostsFen ?? 0)),
        row('支缴率', scaled(item.ratio, 100n, '%')),
        row('工伤人数', String(item.injuries ?? 0)),
        row('参保职工人数（人·年）', String(item.headcountYears ?? 0)),
        row('工伤发生率（每千人每年）', scaled(item.incidence, 1n, '‰')),
        row('行业风险类别', item.riskClass === null ? '—' : `${item.riskClass}类`),
        row('原浮动档次', GRADE_LABELS[item.currentGrade]),
        row('新浮动档次', GRADE_LABELS[item.proposedGrade ?? item.currentGrade]),
        row('生效日期', chineseDate(effectiveFrom)),
      ],
    },
    margin: [0, 8, 0, 8],
  };
}

function letterContent(
  item: FloatingReviewItemView,
  review: { id: string; year: number; effectiveFrom: IsoDate; issuedOn: IsoDate },
  cityName: string,
): PdfContent[] {
  const years = item.windowYears;
  const to = GRADE_LABELS[item.proposedGrade ?? item.currentGrade];
  return [
    {
      text: '工伤保险浮动费率调整告知书',
      fontSize: 16,
      alignment: 'center',
      margin: [0, 0, 0, 12],
    },
    { text: `${item.employerName}：`, margin: [0, 0, 0, 2] },
    { text: `统一社会信用代码：${item.creditCode}`, fontSize: 9, margin: [0, 0, 0, 8] },
    {
      text: `根据${item.citations.join('、')}，本机构对贵单位${years[0]}年至${years[years.length - 1]}年工伤保险费使用和工伤发生情况进行了${review.year}年度浮动费率评审。贵单位的工伤保险费率浮动档次自${chineseDate(review.effectiveFrom)}起由“${GRADE_LABELS[item.currentGrade]}”调整为“${to}”。评审数据如下：`,
    },
    figuresTable(item, review.effectiveFrom),
    { text: '评审过程', margin: [0, 4, 0, 2] },
    { ul: item.trail, fontSize: 9 },
    { text: '救济途径', margin: [0, 10, 0, 2] },
    {
      text: `如对本次费率调整不服，可依照《中华人民共和国行政复议法》第二十条第一款的规定申请行政复议：“${REVIEW_APPEAL_ARTICLE}”`,
    },
    {
      text: `行政复议机关：${reviewAuthorityOf(cityName)}（《中华人民共和国行政复议法》第二十四条第一款第（四）项：“${REVIEW_AUTHORITY_BASIS}”，由县级以上地方各级人民政府管辖）。`,
    },
    {
      text: '说明：本告知书所用浮动费率档次标准为演示参数（demo），省级正式文件尚未载入。',
      fontSize: 8,
      margin: [0, 10, 0, 0],
    },
    {
      text: [`${cityName}社会保险经办机构\n`, chineseDate(review.issuedOn)],
      alignment: 'right',
      margin: [0, 24, 0, 0],
    },
    { text: `评审编号：${review.id}`, fontSize: 7, margin: [0, 16, 0, 0] },
  ];
}

/** The letters of a review, rendered in memory (the CLI writes them; the API sends them). */
export async function floatingReviewLetters(
  db: Database,
  input: { regionCode: string; reviewId: string; employerId?: string | undefined },
): Promise<Result<ReviewLetters, LetterRefusal>> {
  const review = await getFloatingReview(db, input);
  if (!review)
    return refuse('record.not_found', `floating-rate review ${input.reviewId} not found`);
  if (review.status !== 'applied' || review.appliedAt === null)
    return refuse(
      'floating_review.not_applied',
      `review ${review.id} is ${review.status}: letters are written once it is approved and applied`,
    );
  const [city] = await db.withConnection((ex) =>
    ex.orm.select({ name: regions.name }).from(regions).where(eq(regions.code, review.regionCode)),
  );
  const issuedOn = review.appliedAt.slice(0, 10);
  const at = new Date(`${issuedOn}T00:00:00Z`);
  const meta = { id: review.id, year: review.year, effectiveFrom: review.effectiveFrom, issuedOn };
  const changed = review.items.filter(
    (i) =>
      i.application === 'changed' &&
      (input.employerId === undefined || i.employerId === input.employerId),
  );
  const cityName = city?.name ?? review.regionCode;
  const letters: Letter[] = [];
  for (const item of changed)
    letters.push({
      employerId: item.employerId,
      employerName: item.employerName,
      fileName: `floating-${review.year}-${item.creditCode}.pdf`,
      pdf: await renderLetterPdf({
        title: `工伤保险浮动费率调整告知书 ${item.employerName}`,
        at,
        content: letterContent(item, meta, cityName),
      }),
    });
  const combined = changed.flatMap((item, i) => [
    ...(i === 0 ? [] : [{ text: '', pageBreak: 'before' }]),
    ...letterContent(item, meta, cityName),
  ]);
  return ok({
    letters,
    combined: {
      fileName: `floating-${review.year}-${review.regionCode}-all.pdf`,
      pdf: await renderLetterPdf({
        title: `${cityName} ${review.year}年度工伤保险浮动费率调整告知书`,
        at,
        content: combined.length > 0 ? combined : [{ text: '本次评审无费率档次调整。' }],
      }),
    },
  });
}
