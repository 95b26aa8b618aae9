import { describe, expect, it } from 'vitest';
import { computeGuaranteeRelease, releaseTransactions } from './guarantee-release.ts';

describe('computeGuaranteeRelease', () => {
  it('releases per segment what the paid months retained, less deductions found after payment', () => {
    // 杭州: 2025-03 retained 500 (its payment counted a 200 deduction; 300 more were found later),
    // 2025-04 retained 250. 宁波: 2025-03 retained 100, a later deduction of 400 takes it all.
    const r = computeGuaranteeRelease({
      institutionId: 'INST-330100-0001',
      year: 2025,
      paid: [
        { month: '2025-03', segment: '330100', guaranteeFen: 500, deductedFen: 200 },
        { month: '2025-04', segment: '330100', guaranteeFen: 250, deductedFen: 0 },
        { month: '2025-03', segment: '330200', guaranteeFen: 100, deductedFen: 0 },
      ],
      deductionsNow: [
        { month: '2025-03', segment: '330100', deductedFen: 500 },
        { month: '2025-03', segment: '330200', deductedFen: 400 },
      ],
    });
    expect(r.segments).toEqual([
      { segment: '330100', retainedFen: 750, laterDeductedFen: 300, releaseFen: 450 },
      { segment: '330200', retainedFen: 100, laterDeductedFen: 400, releaseFen: 0 },
    ]);
    expect(r.totals).toEqual({ retainedFen: 850, laterDeductedFen: 700, releaseFen: 450 });
    expect(r.months).toEqual(['2025-03', '2025-04']);
    const txs = releaseTransactions(r, '2025-12-31');
    expect(txs.map((t) => t.id)).toEqual([
      'settlement-guarantee:INST-330100-0001:2025:released:330100',
    ]);
    expect(txs[0]?.postings).toEqual([
      { segment: '330100', account: '2101', side: 'debit', amountFen: 450 },
      { segment: '330100', account: '1003', side: 'credit', amountFen: 450 },
    ]);
  });
});
