import { describe, expect, it } from 'vitest';
import { ProblemError, refusalError } from './errors.ts';

describe('ProblemError', () => {
  it('carries its code, message, details and field errors, without a captured stack', () => {
    const errors = [{ path: 'body.x', code: 'invalid', message: 'bad' }];
    const e = new ProblemError('record.not_found', 'no such record', { policy: 'x' }, errors);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: 'ProblemError',
      code: 'record.not_found',
      message: 'no such record',
      details: { policy: 'x' },
      errors,
    });
    expect(e.stack).toBe('ProblemError: no such record');
  });

  it('leaves the stack depth of every other error as it was', () => {
    const before = Error.stackTraceLimit;
    refusalError({ ok: false, code: 'auth.forbidden', message: 'no' });
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('fault').stack?.split('\n').length).toBeGreaterThan(1);
  });
});
