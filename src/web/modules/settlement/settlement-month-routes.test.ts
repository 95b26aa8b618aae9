import { describe, expect, it } from 'vitest';
import { parseSettlementPath, settlementMonthPath } from './settlement-month-routes.ts';

describe('parseSettlementPath', () => {
  it('names the months list, the review queue and an institution’s month', () => {
    expect(parseSettlementPath('/settlement')).toEqual({ view: 'months' });
    expect(parseSettlementPath('/settlement/review/')).toEqual({ view: 'review' });
    expect(parseSettlementPath(settlementMonthPath('INST-330100-0001', '2026-12'))).toEqual({
      view: 'month',
      institutionId: 'INST-330100-0001',
      month: '2026-12',
    });
  });

  it('refuses anything else', () => {
    for (const p of [
      '/settlements',
      '/settlement/x/2026-12',
      '/settlement/INST-330100-0001/2026-13',
    ])
      expect(parseSettlementPath(p), p).toBeNull();
  });
});
