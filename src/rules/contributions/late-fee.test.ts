import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import { dueDateOf, lateFeeOf } from './late-fee.ts';

const rules = testRuleBook().benefits;
const ctx = () => makeContext(rules, '330100', {}, false);

describe('due date of a month (demo: the 15th of the next month)', () => {
  it('is in the following month, across a year end too', () => {
    expect(dueDateOf(ctx(), '2024-06')).toEqual({ ok: true, value: '2024-07-15' });
    expect(dueDateOf(ctx(), '2024-12')).toEqual({ ok: true, value: '2025-01-15' });
  });
});

describe('late fee (《社会保险法》第八十六条: 按日加收万分之五)', () => {
  it('runs from the day after the due date: 1 234 567 fen × 0.0005 × 17 days = 10 493.8195 → 10 494', () => {
    // 2024-07-16 … 2024-08-01 inclusive is 17 days.
    const r = lateFeeOf(ctx(), { month: '2024-06', outstandingFen: 1_234_567, on: '2024-08-01' });
    expect(r.ok && r.value).toMatchObject({
      dueDate: '2024-07-15',
      daysLate: 17,
      dailyRate: '0.0005',
      lateFeeFen: 10_494,
    });
    expect(r.ok && r.value.citations[0]).toContain('《社会保险法》第八十六条');
  });
  it('is zero on or before the due date and for nothing outstanding', () => {
    const onDue = lateFeeOf(ctx(), { month: '2024-06', outstandingFen: 100_000, on: '2024-07-15' });
    expect(onDue.ok && [onDue.value.daysLate, onDue.value.lateFeeFen]).toEqual([0, 0]);
    const paid = lateFeeOf(ctx(), { month: '2024-06', outstandingFen: 0, on: '2025-07-15' });
    expect(paid.ok && paid.value.lateFeeFen).toBe(0);
  });
  it('one day late on 1 000 fen is 0.5 fen, rounded once under rounding.money (half up → 1)', () => {
    const r = lateFeeOf(ctx(), { month: '2024-06', outstandingFen: 1_000, on: '2024-07-16' });
    expect(r.ok && [r.value.daysLate, r.value.lateFeeFen]).toEqual([1, 1]);
  });
});
