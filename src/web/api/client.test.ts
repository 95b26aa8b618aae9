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

  it('keeps machine-readable details and tolerates non-problem bodies', () => {
    const denied = parseProblem(
      { code: 'record.not_found', status: 404, details: { policy: 'out_of_scope' } },
      404,
    );
    expect(denied?.details).toEqual({ policy: 'out_of_scope' });
    expect(denied?.title).toBe('HTTP 404');
    expect(parseProblem('oops', 502)).toBeNull();
  });
});
