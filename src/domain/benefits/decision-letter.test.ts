import { describe, expect, it } from 'vitest';
import { arrearsSentence, decisionLetterText } from './decision-letter.ts';

const arrears = {
  months: [
    { month: '2025-07', kind: 'disability_allowance', dueFen: 480_000 },
    { month: '2025-07', kind: 'nursing_allowance', dueFen: 240_000 },
    { month: '2025-08', kind: 'disability_allowance', dueFen: 480_000 },
    { month: '2025-08', kind: 'nursing_allowance', dueFen: 240_000 },
  ],
  byKind: [
    { kind: 'disability_allowance', account: '5108', amountFen: 960_000 },
    { kind: 'nursing_allowance', account: '5106', amountFen: 480_000 },
  ],
  totalFen: 1_440_000,
};

describe('the 核定通知书 on the months already run', () => {
  it('names the span, the items and the sum; says nothing when there are none', () => {
    expect(arrearsSentence(arrears)).toEqual([
      '上述按月待遇中，2025年7月至2025年8月的伤残津贴、生活护理费在本核定作出前已到发放月份，共计14,400.00元，随本核定一次性补发，不再列入月度发放。',
    ]);
    expect(arrearsSentence({ ...arrears, months: arrears.months.slice(0, 1) })[0]).toContain(
      '，2025年7月的',
    );
    expect(arrearsSentence(null)).toEqual([]);
    expect(arrearsSentence(undefined)).toEqual([]);
  });

  it('stands before the closing paragraph of the letter', () => {
    const text = decisionLetterText({
      workerName: '张三',
      accidentDate: '2025-03-10',
      concludedOn: '2025-06-20',
      grade: 3,
      baseWageFen: 600_000,
      wageMonths: [],
      items: [],
      periodicStartsOn: '2025-07-01',
      arrears,
    });
    expect(text.paragraphs.at(-2)).toContain('随本核定一次性补发');
    expect(text.paragraphs.at(-1)).toContain('一次性待遇经核定后');
  });
});
