import { describe, expect, it } from 'vitest';
import { rolePermissions } from '../../../identity/roles.ts';
import { attachmentNameOf, fileNameFor } from './payroll-api.ts';
import { beijingMonthOf, payrollCityOf, returnProblemsOf, runActionsFor } from './payroll-view.ts';

describe('runActionsFor', () => {
  const handler = rolePermissions.city_handler;
  const supervisor = rolePermissions.supervisor;

  it('offers the approval of a computed run to the checker only', () => {
    expect(runActionsFor('computed', supervisor)).toEqual({
      approve: true,
      download: false,
      bankReturn: false,
      report: false,
    });
    expect(runActionsFor('computed', handler)).toEqual({
      approve: false,
      download: false,
      bankReturn: false,
      report: false,
    });
    expect(runActionsFor('approved', supervisor).approve).toBe(false);
  });

  it('offers the file once approved and the bank return once the file is issued, to the handler', () => {
    expect(runActionsFor('approved', handler)).toEqual({
      approve: false,
      download: true,
      bankReturn: false,
      report: true,
    });
    expect(runActionsFor('file_issued', handler)).toEqual({
      approve: false,
      download: true,
      bankReturn: true,
      report: true,
    });
    expect(runActionsFor('reconciled', handler).bankReturn).toBe(false);
    expect(runActionsFor('file_issued', supervisor).download).toBe(false);
  });

  it('offers the reconciliation report to every reader once the run is approved', () => {
    expect(runActionsFor('file_issued', supervisor).report).toBe(true);
    expect(runActionsFor('reconciled', ['fund:read']).report).toBe(true);
    expect(runActionsFor('computing', supervisor).report).toBe(false);
    expect(runActionsFor('approved', ['fund:write']).report).toBe(false);
  });
});

describe('the download helpers', () => {
  it('saves under the server’s file name, else one from the run and format', () => {
    const header = 'attachment; filename="prl_330100_202509.txt"';
    expect(attachmentNameOf(header, 'x')).toBe('prl_330100_202509.txt');
    expect(attachmentNameOf('attachment; filename="../../etc"', 'fallback.csv')).toBe(
      'fallback.csv',
    );
    expect(attachmentNameOf(null, 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFor('prl_330100_202509', 'fixed-gbk')).toBe('prl_330100_202509.txt');
    expect(fileNameFor('prl_330100_202509', 'pdf')).toBe('prl_330100_202509.pdf');
  });
});

describe('payrollCityOf', () => {
  it('gives a city scope its code and nothing to a province scope', () => {
    expect(payrollCityOf({ scope: { kind: 'city', code: '330100', name: '杭州市' } })).toBe(
      '330100',
    );
    expect(payrollCityOf({ scope: { kind: 'province', code: '330000', name: null } })).toBeNull();
  });
});

describe('beijingMonthOf', () => {
  it('reads the month in Beijing, a day ahead of UTC late in the evening', () => {
    expect(beijingMonthOf(new Date('2026-01-31T17:00:00Z'))).toBe('2026-02');
    expect(beijingMonthOf(new Date('2026-01-31T15:00:00Z'))).toBe('2026-01');
  });
});

describe('returnProblemsOf', () => {
  it('keeps the well-formed problems of a refused return and drops the rest', () => {
    const details = {
      problems: [
        { row: 2, field: 'paid_on', message: 'not a date YYYY-MM-DD' },
        { row: '3', field: 'status', message: 'x' },
        null,
      ],
    };
    expect(returnProblemsOf(details)).toEqual([
      { row: 2, field: 'paid_on', message: 'not a date YYYY-MM-DD' },
    ]);
    expect(returnProblemsOf(undefined)).toEqual([]);
    expect(returnProblemsOf({ problems: 'none' })).toEqual([]);
  });
});
