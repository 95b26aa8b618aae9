import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../../runtime/testing.ts';
import { classify, monthsOfExpenditure, thresholdsAt, windowStart } from './indicator.ts';

const params = testRuleBook().indicators;

function at(balanceFen: number, expenditure12Fen: number, asOf = '2025-12-31') {
  const m = monthsOfExpenditure({ balanceFen, expenditure12Fen, asOf });
  return { ...m.view, alert: classify(m.exact, thresholdsAt(params, '330000', asOf)) };
}

describe('months of expenditure (worked examples)', () => {
  it('12 × balance ÷ expenditure of the last 12 months, exact, shown half-up with 2 decimals', () => {
    // 90 000.00 yuan ÷ (120 000.00 yuan ÷ 12) = 9 months.
    expect(at(9_000_000, 12_000_000)).toMatchObject({ months: '9.00', monthsExact: '9' });
    // 12 × 1 000 000 ÷ 7 000 000 = 12/7 = 1.714285…
    expect(at(1_000_000, 7_000_000)).toMatchObject({ months: '1.71', monthsExact: '12/7' });
    // 10.00005 rounds down, 10.005 rounds half up.
    expect(at(1_000_005, 1_200_000)).toMatchObject({ months: '10.00', monthsExact: '10.00005' });
    expect(at(1_000_500, 1_200_000)).toMatchObject({ months: '10.01', monthsExact: '10.005' });
    // A negative balance gives negative months.
    expect(at(-600_000, 1_200_000)).toMatchObject({ months: '-6.00' });
    // Nothing spent: no figure.
    expect(at(5_000, 0)).toMatchObject({ months: null, alert: { level: 'no_expenditure' } });
  });

  it('alerts against 浙江 thresholds in force (9 / 12 months S; 18 / 24 demo)', () => {
    expect(at(8_990_000, 12_000_000).alert).toMatchObject({ level: 'below', demoThreshold: false });
    // Exactly 9 months is not below 9, but below 12: watch.
    expect(at(9_000_000, 12_000_000).alert.level).toBe('watch_low');
    expect(at(15_000_000, 12_000_000).alert.level).toBe('normal');
    expect(at(18_000_000, 12_000_000).alert).toMatchObject({
      level: 'watch_high',
      demoThreshold: true,
    });
    expect(at(24_000_000, 12_000_000).alert).toMatchObject({ level: 'above', demoThreshold: true });
    // Before 2024 浙江 had no published threshold in the parameters.
    expect(at(1, 12_000_000, '2023-06-30').alert.level).toBe('no_threshold');
  });

  it('the 12-month window is (asOf − 1 year, asOf]', () => {
    expect(windowStart('2025-12-31')).toBe('2025-01-01');
    expect(windowStart('2025-03-15')).toBe('2024-03-16');
    expect(windowStart('2024-02-29')).toBe('2023-03-01');
    expect(at(1, 12, '2025-06-30')).toMatchObject({
      windowFrom: '2024-07-01',
      windowTo: '2025-06-30',
    });
  });

  it('every threshold value is dated and cited', () => {
    const t = thresholdsAt(params, '330000', '2025-01-01');
    for (const p of [t.alertBelow, t.watchBelow, t.watchAbove, t.alertAbove]) {
      expect(p).not.toBeNull();
      expect(p!.citation.instrument.length).toBeGreaterThan(0);
    }
    expect([t.alertBelow!.value, t.watchBelow!.value]).toEqual(['9', '12']);
  });
});
