import { describe, expect, it } from 'vitest';
import type { RegradePlan } from '../../rules/benefits/regrade-rule.ts';
import { REVIEW_RIGHTS_ZH } from './decision-letter.ts';
import { type RegradeLetterFacts, regradeLetterText } from './regrade-letter.ts';

const HENAN = '《河南省工伤保险条例》第三十条第二款';

const plan: RegradePlan = {
  kind: 're_appraisal',
  replacesDecisionId: 'bdc_410100_0000000000000001',
  previousAppraisalId: 'apr_410100_0000000000000001',
  originalConcludedOn: '2025-06-20',
  newConcludedOn: '2025-08-15',
  startsOn: '2025-07-01',
  rule: {
    start: 'month_after_original_conclusion',
    lumpSum: 'difference',
    citation: HENAN,
    status: 'legislated',
  },
  endings: [{ id: 'ent_1', kind: 'nursing_allowance', endsOn: '2025-06-30' }],
  entitlements: [
    {
      kind: 'disability_allowance',
      amountFen: 420_000,
      payer: 'employer',
      startsOn: '2025-07-01',
      endsOn: null,
      citation: '《工伤保险条例》第三十六条第一款第（二）项',
      dependantIndex: null,
    },
  ],
  lumpSum: { previousFen: 7_800_000, newFen: 10_800_000, differenceFen: 3_000_000, outcome: 'pay' },
  arrears: [
    {
      month: '2025-07',
      kind: 'disability_allowance',
      dueFen: 420_000,
      paidFen: 0,
      differenceFen: 420_000,
    },
  ],
  postings: [
    { code: 'disability_lump_sum', account: '5107', amountFen: 3_000_000 },
    { code: 'disability_allowance', account: '5108', amountFen: 420_000 },
  ],
  held: [],
  fundTotalFen: 3_420_000,
};

const facts: RegradeLetterFacts = {
  workerName: '李四',
  accidentDate: '2025-03-10',
  previous: { concludedOn: '2025-06-20', grade: 7, nursingLevel: 'partial' },
  next: { concludedOn: '2025-08-15', grade: 5, nursingLevel: null },
  replacedDocumentNumber: '郑人社工待〔2025〕3号',
  wageMonths: [],
  baseWageFen: 600_000,
  items: [
    {
      code: 'disability_lump_sum',
      amountFen: 10_800_000,
      frequency: 'once',
      payer: 'fund',
      citation: '《工伤保险条例》第三十六条第一款第（一）项',
    },
    {
      code: 'disability_allowance',
      amountFen: 420_000,
      frequency: 'monthly',
      payer: 'employer',
      citation: '《工伤保险条例》第三十六条第一款第（二）项',
    },
  ],
  plan,
};

describe('the regrade letter', () => {
  it('names both conclusions, the replaced letter and the rule; the difference and arrears paid; what stops; the rights', () => {
    const text = regradeLetterText(facts);
    expect(text.title).toBe('工伤保险待遇重新核定通知书');
    const [opening, , ...rest] = text.paragraphs;
    expect(opening).toContain(
      '于2025年6月20日鉴定为7级伤残、生活部分不能自理（原核定通知书郑人社工待〔2025〕3号）',
    );
    expect(opening).toContain('经劳动能力再次鉴定，劳动能力鉴定委员会于2025年8月15日鉴定为5级伤残');
    expect(opening).toContain(`根据${HENAN}的规定`);
    expect(opening).toContain('自2025年7月1日起执行');
    expect(rest).toEqual([
      '1. 伤残津贴：每月4,200.00元，自2025年7月1日起按月支付，由用人单位支付（《工伤保险条例》第三十六条第一款第（二）项）。',
      '2. 一次性伤残补助金：按新的鉴定结论核定为108,000.00元，原已核定78,000.00元，补发差额30,000.00元，由工伤保险基金支付（《工伤保险条例》第三十六条第一款第（一）项）。',
      '3. 伤残津贴：2025年7月按新核定标准应发与已发的差额4,200.00元，由工伤保险基金补发。',
      '原核定的生活护理费自2025年7月1日起停止发放。',
      `补发的款项经核定后由经办机构支付至你的银行账户。${REVIEW_RIGHTS_ZH}`,
    ]);
  });

  it('a review keeps the lump sum under the rule; an excess is held, not recovered; nothing paid, only the rights', () => {
    const review = regradeLetterText({
      ...facts,
      plan: {
        ...plan,
        kind: 'review',
        lumpSum: { ...plan.lumpSum, differenceFen: 0, outcome: 'unchanged' },
        arrears: [],
        postings: [],
        fundTotalFen: 0,
      },
    });
    expect(review.paragraphs).toContain(
      `2. 一次性伤残补助金：不再调整，仍为原已核定的78,000.00元（${HENAN}）。`,
    );
    expect(review.paragraphs.at(-1)).toBe(REVIEW_RIGHTS_ZH);
    const lower = regradeLetterText({
      ...facts,
      plan: {
        ...plan,
        lumpSum: {
          previousFen: 10_800_000,
          newFen: 7_800_000,
          differenceFen: -3_000_000,
          outcome: 'hold',
        },
        arrears: [],
        postings: [],
        held: [
          { code: 'disability_lump_sum', amountFen: 3_000_000, reason: 'lump_sum_above_new_grade' },
        ],
        fundTotalFen: 0,
      },
    });
    expect(lower.paragraphs.some((p) => p.includes('差额30,000.00元由经办机构另行审核处理'))).toBe(
      true,
    );
  });
});
