import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calendarFileSchema, workCalendarOf } from '../../rules/deadlines/calendar-file.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { caseClockOf } from './case-clock.ts';

/** The case clock on the bundled calendar (2024–2026 official, 2027 statutory-only). */
const calendar = workCalendarOf(
  calendarFileSchema.parse(
    JSON.parse(
      readFileSync(
        new URL('../../rules/values/calendar/holidays-cn.json', import.meta.url),
        'utf8',
      ),
    ),
  ),
);
const rules = testRuleBook().benefits;

describe('caseClockOf notes how each due date was counted', () => {
  it('flags a decision clock ending in 2027 and keeps its basis', () => {
    const clock = caseClockOf(rules, calendar, '330100');
    // 第二十条第一款 60 days from 2026-12-10: 2027-02-08 is a 春节 statutory day → 02-09.
    const due = clock.due('determination.decision', '2026-12-10');
    expect(due).toBe('2027-02-09');
    expect(clock.noted(due)).toEqual({
      provisional: true,
      basis: { start: '2026-12-10', amount: 60, unit: 'day' },
    });
  });

  it('does not flag a clock inside official years, nor note a date it did not count', () => {
    // 浙江: 5 working days (《浙江省工伤保险条例》第十六条第一款). 2025-09-20 is a Saturday; 09-21 Sunday;
    // Mon 09-22 … Fri 09-26 are the 1st…5th working days → 2025-09-26.
    const clock = caseClockOf(rules, calendar, '330100');
    const due = clock.due('determination.acceptance', '2025-09-20');
    expect(due).toBe('2025-09-26');
    expect(clock.noted(due)).toEqual({ provisional: false, basis: null });
    expect(clock.noted('2025-09-29')).toBeUndefined();
    // 河南 keeps the national 15 days: 2025-10-05 falls in the 国庆节、中秋节 holiday 10-01…10-08 → 10-09.
    const national = caseClockOf(rules, calendar, '410100');
    expect(national.due('determination.acceptance', '2025-09-20')).toBe('2025-10-09');
  });

  it('flags a 浙江 acceptance clock of working days that reaches 2027 and keeps the workday basis', () => {
    // 2026-12-28 is a Monday. 2026 is official: Tue 12-29 (1), Wed 12-30 (2), Thu 12-31 (3). 2027 is
    // statutory-only: 01-01 元旦 is a statutory holiday, 01-02/01-03 a weekend, so Mon 01-04 (4),
    // Tue 01-05 (5) → 2027-01-05, provisional on 2027.
    const clock = caseClockOf(rules, calendar, '330100');
    const due = clock.due('determination.acceptance', '2026-12-28');
    expect(due).toBe('2027-01-05');
    expect(clock.noted(due)).toEqual({
      provisional: true,
      basis: { start: '2026-12-28', amount: 5, unit: 'workday' },
    });
  });

  it('flags a resumption that adds stopped days into 2027', () => {
    const clock = caseClockOf(rules, calendar, '330100');
    // 2026-12-20 + 12 days = 2027-01-01, 元旦 (statutory) → Saturday/Sunday rest → Mon 01-04.
    const due = clock.extend('2026-12-20', 12);
    expect(due).toBe('2027-01-04');
    expect(clock.noted(due)?.provisional).toBe(true);
  });
});
