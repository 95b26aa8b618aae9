import { describe, expect, it } from 'vitest';
import { checkStatusChange, spellCovers, spellsOverlap } from './register.ts';

describe('employer status changes', () => {
  it('suspends, resumes and cancels; a cancelled employer is final; no change is refused', () => {
    expect(checkStatusChange('registered', 'suspended')).toEqual({ ok: true, value: 'suspended' });
    expect(checkStatusChange('suspended', 'registered')).toEqual({ ok: true, value: 'registered' });
    expect(checkStatusChange('suspended', 'cancelled')).toEqual({ ok: true, value: 'cancelled' });
    expect(checkStatusChange('cancelled', 'registered')).toMatchObject({
      code: 'employer.cancelled',
    });
    expect(checkStatusChange('registered', 'registered')).toMatchObject({
      code: 'employer.status_unchanged',
    });
  });
});

describe('spells', () => {
  const open = { startDate: '2024-03-01', endDate: null };
  const closed = { startDate: '2023-01-01', endDate: '2024-02-29' };
  it('overlap when they share a day, end dates inclusive', () => {
    expect(spellsOverlap(open, closed)).toBe(false);
    expect(spellsOverlap(closed, open)).toBe(false);
    expect(spellsOverlap(open, { startDate: '2030-01-01', endDate: null })).toBe(true);
    expect(spellsOverlap(closed, { startDate: '2024-02-29', endDate: '2024-02-29' })).toBe(true);
    expect(spellsOverlap(closed, { startDate: '2022-01-01', endDate: '2022-12-31' })).toBe(false);
  });
  it('cover the days from 增员 to 减员', () => {
    expect(spellCovers(closed, '2024-02-29')).toBe(true);
    expect(spellCovers(closed, '2024-03-01')).toBe(false);
    expect(spellCovers(open, '2024-02-29')).toBe(false);
    expect(spellCovers(open, '2099-01-01')).toBe(true);
  });
});
