import { describe, expect, it } from 'vitest';
import { parseProblem } from './client.ts';

describe('parseProblem', () => {
  it('normalises field paths to dotted form', () => {
    const problem = parseProblem(
      {
        type: 't',
        title: 'Invalid input',
        status: 400,
        code: 'input.invalid',
        errors: [
          { path: 'monthlyWagesFen.3', code: 'c', message: 'm' },
          { path: '/separation/date', code: 'c', message: 'm' },
          { path: ['dependants', 0, 'relation'], code: 'c', message: 'm' },
          { path: 'dependants[1].orphanOrSoleElder', code: 'c', message: 'm' },
        ],
      },
      400,
    );
    expect(problem?.errors?.map((e) => e.path)).toEqual([
      'monthlyWagesFen.3',
      'separation.date',
      'dependants.0.relation',
      'dependants.1.orphanOrSoleElder',
    ]);
  });

  it('reads the lock end from details and tolerates non-problem bodies', () => {
    const locked = parseProblem(
      { code: 'auth.locked', status: 423, details: { lockedUntil: '2026-03-20T06:35:01.000Z' } },
      423,
    );
    expect(locked?.lockedUntil).toBe('2026-03-20T06:35:01.000Z');
    expect(locked?.title).toBe('HTTP 423');
    expect(parseProblem('oops', 502)).toBeNull();
  });
});
