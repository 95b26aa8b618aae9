import { describe, expect, it } from 'vitest';
import { REVIEW_RIGHTS_ZH } from './decision-letter.ts';
import { separationBasis, separationLetterText } from './separation-letter.ts';
import type { DecisionItem } from './stored-decision.ts';

const grant = (
  code: DecisionItem['code'],
  amountFen: number,
  payer: 'fund' | 'employer',
): DecisionItem => ({
  code,
  amountFen,
  payer,
  frequency: 'once',
  citation: '《浙江省工伤保险条例》第二十七条第二款',
});

const facts = {
  workerName: '张三',
  accidentDate: '2025-03-10',
  grade: 5,
  date: '2025-09-15',
  reason: 'worker_request' as const,
  retirementDate: '2040-04-02',
  items: [
    grant('disability_lump_sum', 10_800_000, 'fund'),
    grant('medical_separation_grant', 21_600_000, 'fund'),
    grant('employment_separation_grant', 21_600_000, 'employer'),
  ],
  ends: [{ entitlementId: 'ent_1', kind: 'disability_allowance', endsOn: '2025-09-15' }],
};

describe('the separation letter', () => {
  it('cites the article of the grade, states both grants with their payer, the end of the 伤残津贴 and the rights', () => {
    const text = separationLetterText(facts);
    expect(text.title).toBe('一次性工伤医疗补助金和一次性伤残就业补助金核定通知书');
    const [opening, ...rest] = text.paragraphs;
    expect(opening).toContain('鉴定为5级伤残');
    expect(opening).toContain('已于2025年9月15日经你本人提出解除或者终止');
    expect(opening).toContain('根据《工伤保险条例》第三十六条第二款的规定');
    // Only the two grants: the first decision decided the lump sum.
    expect(rest.filter((p) => /^\d\. /.test(p))).toEqual([
      '1. 一次性工伤医疗补助金：216,000.00元，由工伤保险基金支付（《浙江省工伤保险条例》第二十七条第二款）。',
      '2. 一次性伤残就业补助金：216,000.00元，由用人单位支付（《浙江省工伤保险条例》第二十七条第二款）。',
    ]);
    expect(rest).toContain(
      '你的伤残津贴随劳动关系的终止发放至2025年9月15日止（《工伤保险条例》第三十六条第一款第（二）项）。',
    );
    expect(rest.at(-1)?.endsWith(REVIEW_RIGHTS_ZH)).toBe(true);
  });

  it('grades 7–10 rest on 第三十七条, and a contract expiry is said as such; grades 1–4 have no grants', () => {
    const text = separationLetterText({ ...facts, grade: 8, reason: 'contract_expiry', ends: [] });
    expect(text.paragraphs[0]).toContain('因劳动、聘用合同期满终止');
    expect(text.paragraphs[0]).toContain('《工伤保险条例》第三十七条第一款第（二）项');
    expect(text.paragraphs.some((p) => p.includes('伤残津贴随'))).toBe(false);
    expect(() => separationBasis(4)).toThrow();
  });
});

describe('the combined separation letter (《浙江省工伤保险条例》第二十八条)', () => {
  it('names every injury with its case and grade, quotes the article and says the grade used', () => {
    const quote = '一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发。';
    const text = separationLetterText({
      ...facts,
      grade: 7,
      combined: {
        cases: [
          { caseId: 'cas_330100_b', accidentDate: '2025-04-02', grade: 9 },
          { caseId: 'cas_330100_a', accidentDate: '2025-03-10', grade: 7 },
        ],
        citation: '《浙江省工伤保险条例》第二十八条',
        quote,
      },
    });
    expect(text.paragraphs[0]).toContain(
      '你在同一用人单位连续工作期间多次发生工伤：2025年3月10日发生的工伤（案件cas_330100_a）经劳动能力鉴定委员会鉴定为7级伤残；2025年4月2日发生的工伤（案件cas_330100_b）经劳动能力鉴定委员会鉴定为9级伤残。',
    );
    expect(text.paragraphs[0]).toContain(`《浙江省工伤保险条例》第二十八条规定："${quote}"`);
    expect(text.paragraphs[0]).toContain('按最高伤残等级7级计发一次');
    expect(text.paragraphs[0]).toContain('《工伤保险条例》第三十七条第一款第（二）项');
  });
});
