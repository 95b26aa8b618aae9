import { describe, expect, it } from 'vitest';
import { rolePermissions } from '../../../identity/roles.ts';
import {
  batchActionsFor,
  beijingYearOf,
  currentCursor,
  nextCursors,
  payloadTotalsOf,
  previousCursors,
} from './indexation-view.ts';

describe('batchActionsFor', () => {
  const handler = rolePermissions.city_handler;
  const supervisor = rolePermissions.supervisor;

  it('offers the approval of a pending batch to the checker, the apply of an approved one to the handler', () => {
    expect(batchActionsFor('proposed', 'pending', supervisor)).toEqual({
      approve: true,
      apply: false,
      askAgain: false,
      report: true,
    });
    expect(batchActionsFor('proposed', 'pending', handler)).toEqual({
      approve: false,
      apply: false,
      askAgain: false,
      report: true,
    });
    expect(batchActionsFor('proposed', 'approved', handler).apply).toBe(true);
    expect(batchActionsFor('proposed', 'approved', supervisor).approve).toBe(false);
  });

  it('offers nothing but the report once applied, and no decision nor apply while the approval is refused or unknown', () => {
    for (const approval of ['consumed', 'approved', 'pending', 'rejected', 'expired'] as const)
      expect(batchActionsFor('applied', approval, [...handler, ...supervisor])).toEqual({
        approve: false,
        apply: false,
        askAgain: false,
        report: true,
      });
    for (const approval of ['rejected', 'expired', null] as const) {
      const actions = batchActionsFor('proposed', approval, [...handler, ...supervisor]);
      expect([actions.approve, actions.apply], String(approval)).toEqual([false, false]);
    }
  });

  it('offers the handler to ask again when the approval was rejected or ran out, not the checker', () => {
    for (const approval of ['rejected', 'expired'] as const) {
      expect(batchActionsFor('proposed', approval, handler).askAgain, approval).toBe(true);
      expect(batchActionsFor('proposed', approval, supervisor).askAgain, approval).toBe(false);
    }
    for (const approval of ['pending', 'approved', null] as const)
      expect(batchActionsFor('proposed', approval, handler).askAgain, String(approval)).toBe(false);
  });
});

describe('payloadTotalsOf', () => {
  it('sums every item and payer of the payload', () => {
    // 伤残津贴 grade 3 of 浙江 2025: 6 800.00 × 1.02 + 30.00 = 6 966.00 元; 3 500.00 → 3 600.00;
    // 生活护理费 × 1.05: 2 700.00 → 2 835.00; an employer-paid line counts too.
    const totals = [
      {
        kind: 'disability_allowance' as const,
        payer: 'fund' as const,
        lines: 2,
        beforeFen: 1_030_000,
        afterFen: 1_056_600,
      },
      {
        kind: 'nursing_allowance' as const,
        payer: 'fund' as const,
        lines: 1,
        beforeFen: 270_000,
        afterFen: 283_500,
      },
      {
        kind: 'disability_allowance' as const,
        payer: 'employer' as const,
        lines: 1,
        beforeFen: 100_000,
        afterFen: 105_000,
      },
    ];
    expect(payloadTotalsOf(totals)).toEqual({
      lines: 4,
      beforeFen: 1_400_000,
      afterFen: 1_445_100,
      increaseFen: 45_100,
    });
    expect(payloadTotalsOf([])).toEqual({ lines: 0, beforeFen: 0, afterFen: 0, increaseFen: 0 });
  });
});

describe('the lines’ cursors', () => {
  it('goes forward by the answer’s cursor and back by the ones kept', () => {
    const first = [''];
    const second = nextCursors(first, 'ent_330100_a');
    expect(second).toEqual(['', 'ent_330100_a']);
    expect(currentCursor(second)).toBe('ent_330100_a');
    // The last page: no cursor, stay.
    expect(nextCursors(second, null)).toEqual(second);
    expect(previousCursors(second)).toEqual(['']);
    expect(previousCursors([''])).toEqual(['']);
    expect(currentCursor([])).toBe('');
  });
});

describe('beijingYearOf', () => {
  it('takes the year in Beijing, eight hours ahead of UTC', () => {
    expect(beijingYearOf(new Date('2025-12-31T15:59:59Z'))).toBe(2025);
    expect(beijingYearOf(new Date('2025-12-31T16:00:00Z'))).toBe(2026);
  });
});
