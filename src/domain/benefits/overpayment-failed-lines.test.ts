import { describe, expect, it } from 'vitest';
import { type CountedOverpayment, withoutFailedLines } from './overpayment-failed-lines.ts';

const death: CountedOverpayment = {
  id: 'ovp_a',
  reason: 'death',
  months: ['2025-09', '2025-10'],
  lineIds: ['l9', 'l10r', 'l10'],
  amountFen: 180_000 + 20_000 + 160_000,
  recovering: false,
};
const lines = (failed: readonly string[]) => [
  { id: 'l9', month: '2025-09', amountFen: 180_000, failed: failed.includes('l9') },
  { id: 'l10r', month: '2025-10', amountFen: 20_000, failed: failed.includes('l10r') },
  { id: 'l10', month: '2025-10', amountFen: 160_000, failed: failed.includes('l10') },
];

describe('an overpayment without the lines the bank failed later', () => {
  it('takes a failed line out; a month stays while another line of it counts', () => {
    expect(withoutFailedLines(death, lines(['l10']))).toEqual({
      kind: 'reduced',
      id: 'ovp_a',
      removed: [{ lineId: 'l10', month: '2025-10', amountFen: 160_000 }],
      after: {
        months: ['2025-09', '2025-10'],
        lineIds: ['l9', 'l10r'],
        amountFen: 200_000,
        status: 'open',
      },
    });
    const both = withoutFailedLines(death, lines(['l10', 'l10r']));
    expect(both?.kind === 'reduced' && both.after).toEqual({
      months: ['2025-09'],
      lineIds: ['l9'],
      amountFen: 180_000,
      status: 'open',
    });
  });

  it('cancels it when every line failed, and ignores an overpayment with none failed', () => {
    const all = withoutFailedLines(death, lines(['l9', 'l10', 'l10r']));
    expect(all?.kind === 'reduced' && all.after).toEqual({
      months: [],
      lineIds: [],
      amountFen: 0,
      status: 'cancelled',
    });
    expect(withoutFailedLines(death, lines([]))).toBeNull();
  });

  it('names for review what it cannot reduce: a difference, a recovery decided, lines that do not sum', () => {
    const review = { kind: 'review', id: 'ovp_a', lineIds: ['l10'] };
    expect(withoutFailedLines({ ...death, reason: 'correction' }, lines(['l10']))).toEqual({
      ...review,
      reason: 'correction',
    });
    expect(withoutFailedLines({ ...death, recovering: true }, lines(['l10']))).toEqual({
      ...review,
      reason: 'death',
    });
    expect(withoutFailedLines({ ...death, amountFen: 360_001 }, lines(['l10']))).toEqual({
      ...review,
      reason: 'death',
    });
  });
});
