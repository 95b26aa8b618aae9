import { describe, expect, it } from 'vitest';
import {
  endedByStop,
  groundIsFinal,
  resumedEntitlements,
  resumeRefusal,
  stopId,
  stopMonthEnd,
} from './stop.ts';

describe('stop of benefits (第四十二条), our reading', () => {
  it('pays the month of the event whole and ends the worker’s own items on its last day', () => {
    expect(stopMonthEnd('2024-02-10')).toBe('2024-02-29');
    const e = { id: 'e', kind: 'disability_allowance', startsOn: '2025-04-01', endsOn: null };
    expect(endedByStop({ ...e, status: 'active' }, '2025-07-10')).toEqual({
      endsOn: '2025-07-31',
      status: 'ended',
    });
    // Starting after the month: ended without a date (pays nothing); a survivor's: untouched.
    expect(endedByStop({ ...e, startsOn: '2025-09-01', status: 'active' }, '2025-07-10')).toEqual({
      endsOn: null,
      status: 'ended',
    });
    expect(
      endedByStop({ ...e, kind: 'survivor_pension', status: 'active' }, '2025-07-10'),
    ).toBeNull();
  });

  it('resumes (二)(三) from a later month only; (一) is final', () => {
    expect(groundIsFinal('lost_conditions')).toBe(true);
    const open = {
      ground: 'refused_appraisal' as const,
      effectiveOn: '2025-09-15',
      resumedOn: null,
    };
    expect(resumeRefusal(open, '2025-09-30')).toBe('benefit.resume_before_stop');
    expect(resumeRefusal(open, '2025-10-01')).toBeNull();
    expect(resumeRefusal({ ...open, ground: 'lost_conditions' }, '2025-11-01')).toBe(
      'benefit.stop_final',
    );
    expect(resumeRefusal({ ...open, resumedOn: '2025-11-01' }, '2025-12-01')).toBe(
      'benefit.stop_already_resumed',
    );
  });

  it('starts the same amounts from the resumption month, to the old end, with stable ids', () => {
    const stop = {
      id: stopId('330100', 'apr_x'),
      ended: [
        {
          id: 'a',
          kind: 'disability_allowance',
          amountFen: 400_000,
          startsOn: '2025-04-01',
          endsOnBefore: null,
          endsOn: '2025-09-30',
        },
        {
          id: 'b',
          kind: 'nursing_allowance',
          amountFen: 90_000,
          startsOn: '2025-04-01',
          endsOnBefore: '2025-10-31',
          endsOn: '2025-09-30',
        },
      ],
    };
    const started = resumedEntitlements('330100', stop, '2025-11-03');
    expect(started.map((s) => [s.predecessorId, s.amountFen, s.startsOn, s.endsOn])).toEqual([
      ['a', 400_000, '2025-11-01', null],
    ]);
    expect(resumedEntitlements('330100', stop, '2025-11-03')[0]?.id).toBe(started[0]?.id);
    expect(started[0]?.id).toMatch(/^ent_330100_[0-9a-f]{16}$/);
  });
});
