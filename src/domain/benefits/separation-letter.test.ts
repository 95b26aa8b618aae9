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
