import { describe, expect, it } from 'vitest';
import { dueColor } from './case-format.tsx';

describe('dueColor', () => {
  it('is red when overdue, orange up to 3 days ahead (across a month end), blue after, grey without a due', () => {
    expect(dueColor('2026-02-27', '2026-02-28')).toBe('red');
    expect(dueColor('2026-02-28', '2026-02-28')).toBe('orange');
    expect(dueColor('2026-03-03', '2026-02-28')).toBe('orange');
    expect(dueColor('2026-03-04', '2026-02-28')).toBe('blue');
    expect(dueColor(null, '2026-02-28')).toBe('default');
  });
});
