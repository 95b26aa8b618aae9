import { describe, expect, it } from 'vitest';
import { newClientKey, placeProblems, projectBodyOf } from './project-form.ts';

const values = {
  name: ' 示例住宅项目一期 ',
  siteAddress: '示例路8号地块',
  contractValueYuan: '123,456,789.00',
  standard: 'GB/T 4754-2017' as const,
  division: '47',
  startDate: '2026-03-01',
  endDate: '2027-06-30',
};

describe('the project registration form', () => {
  it('sends the contract value in fen, exactly, and trimmed text', () => {
    expect(projectBodyOf(values, 'web-key-0001')).toEqual({
      ok: true,
      body: {
        name: '示例住宅项目一期',
        siteAddress: '示例路8号地块',
        contractValueFen: 12_345_678_900,
        industry: { standard: 'GB/T 4754-2017', division: '47' },
        startDate: '2026-03-01',
        endDate: '2027-06-30',
        clientKey: 'web-key-0001',
      },
    });
    expect(projectBodyOf({ ...values, contractValueYuan: '0.001' }, 'k')).toEqual({
      ok: false,
      fields: ['contractValueYuan'],
    });
    expect(projectBodyOf({ ...values, contractValueYuan: '0' }, 'k')).toEqual({
      ok: false,
      fields: ['contractValueYuan'],
    });
  });

  it('makes a new idempotency key each time, in the form the server accepts', () => {
    const a = newClientKey();
    const b = newClientKey();
    expect(a).toMatch(/^web-[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
  });

  it('puts input problems and field refusals on their fields, ledger refusals in the box', () => {
    const input = placeProblems(
      {
        type: 'about:blank',
        title: 'invalid',
        status: 400,
        code: 'input.invalid',
        errors: [
          { path: 'industry.division', code: 'invalid_string', message: 'two digits' },
          { path: 'contractValueFen', code: 'too_small', message: '> 0' },
          { path: 'extra', code: 'unrecognized_keys', message: 'unknown' },
        ],
      },
      'failed',
    );
    expect(input).toEqual({
      fields: [
        { name: 'division', messages: [{ text: 'two digits' }] },
        { name: 'contractValueYuan', messages: [{ text: '> 0' }] },
      ],
      general: { text: 'extra: unknown' },
    });
    const dates = placeProblems(
      { type: 'x', title: 't', status: 422, code: 'project.invalid_dates', detail: 'endDate …' },
      'failed',
    );
    expect(dates).toEqual({
      fields: [
        { name: 'endDate', messages: [{ key: 'refusal.invalid_dates', detail: 'endDate …' }] },
      ],
      general: null,
    });
    const period = placeProblems(
      { type: 'x', title: 't', status: 422, code: 'ledger.period_not_open', detail: '2026-12' },
      'failed',
    );
    expect(period).toEqual({ fields: [], general: { key: 'refusal.period', detail: '2026-12' } });
    expect(placeProblems(null, 'network down')).toEqual({
      fields: [],
      general: { text: 'network down' },
    });
  });
});
