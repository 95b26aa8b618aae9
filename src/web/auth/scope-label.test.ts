import { describe, expect, it } from 'vitest';
import { scopeLabel } from './scope-label.ts';

describe('scopeLabel', () => {
  it('names role, city and code', () => {
    const user = {
      role: 'city_handler' as const,
      scope: { kind: 'city' as const, code: '330100', name: '杭州市' },
    };
    expect(scopeLabel(user, 'zh')).toBe('市级经办 · 杭州市 (330100)');
    expect(scopeLabel(user, 'en')).toBe('City handler · 杭州市 (330100)');
    expect(scopeLabel(user, 'en', new Map([['330100', 'Hangzhou']]))).toBe(
      'City handler · Hangzhou (330100)',
    );
  });

  it('falls back to the scope kind when the server gives no name', () => {
    const worker = {
      role: 'worker' as const,
      scope: { kind: 'self' as const, code: null, name: null },
    };
    expect(scopeLabel(worker, 'zh')).toBe('工伤职工/近亲属 · 本人');
    const province = {
      role: 'supervisor' as const,
      scope: { kind: 'province' as const, code: '330000', name: null },
    };
    expect(scopeLabel(province, 'en')).toBe('Supervisor / auditor · Province (330000)');
  });
});
