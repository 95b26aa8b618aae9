import { describe, expect, it } from 'vitest';
import { mergeWageMonths, wageWindow } from './wage-months.ts';

describe('本人工资 months (《工伤保险条例》第六十四条第二款)', () => {
  it('are the 12 calendar months before the month of the injury', () => {
    const w = wageWindow('2025-03-10');
    expect(w).toHaveLength(12);
    expect(w[0]).toBe('2024-03');
    expect(w[11]).toBe('2025-02');
  });

  it('take declared months as declared and entered ones with evidence, in month order', () => {
    const r = mergeWageMonths({
      injuryDate: '2025-03-10',
      declared: [{ month: '2025-02', wageFen: 600_000, declarationId: 'dcl_a' }],
      entered: [{ month: '2024-12', wageFen: 550_000 }],
      evidence: '工资条 material mat_1',
    });
    expect(r.ok && r.value.map((m) => [m.month, m.source])).toEqual([
      ['2024-12', 'entered'],
      ['2025-02', 'declaration'],
    ]);
  });

  it('refuse an entered month without evidence, over a declared one, or outside the window', () => {
    const base = {
      injuryDate: '2025-03-10',
      declared: [{ month: '2025-02', wageFen: 1, declarationId: 'd' }],
    };
    const codes = [
      mergeWageMonths({ ...base, entered: [{ month: '2025-01', wageFen: 1 }], evidence: ' ' }),
      mergeWageMonths({ ...base, entered: [{ month: '2025-02', wageFen: 1 }], evidence: 'x' }),
      mergeWageMonths({ ...base, entered: [{ month: '2025-03', wageFen: 1 }], evidence: 'x' }),
      mergeWageMonths({ injuryDate: '2025-03-10', declared: [], entered: [], evidence: null }),
    ].map((r) => (r.ok ? 'ok' : r.code));
    expect(codes).toEqual([
      'benefit.wage_evidence_required',
      'benefit.wage_month_declared',
      'benefit.wage_month_outside',
      'benefit.wages_missing',
    ]);
  });
});
