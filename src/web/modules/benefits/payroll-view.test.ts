import { describe, expect, it } from 'vitest';
import type { PayrollAnomalyCode } from '../../../domain/benefits/payroll-review.ts';
import { rolePermissions } from '../../../identity/roles.ts';
import { type Language, type MessageKey, translate } from '../../i18n/dictionary.ts';
import { attachmentNameOf, fileNameFor } from './payroll-api.ts';
import {
  beijingMonthOf,
  payrollAnomalyLabel,
  payrollCityOf,
  recomputeReasonOf,
  returnProblemsOf,
  runActionsFor,
} from './payroll-view.ts';

describe('runActionsFor', () => {
  const handler = rolePermissions.city_handler;
  const supervisor = rolePermissions.supervisor;

  it('offers the approval of a computed run to the checker only', () => {
    expect(runActionsFor('computed', supervisor)).toEqual({
      approve: true,
      recompute: false,
      download: false,
      bankReturn: false,
      report: false,
    });
    expect(runActionsFor('computed', handler)).toEqual({
      approve: false,
      recompute: true,
      download: false,
      bankReturn: false,
      report: false,
    });
    expect(runActionsFor('approved', supervisor).approve).toBe(false);
  });

  it('offers the file once approved and the bank return once the file is issued, to the handler', () => {
    expect(runActionsFor('approved', handler)).toEqual({
      approve: false,
      recompute: false,
      download: true,
      bankReturn: false,
      report: true,
    });
    expect(runActionsFor('file_issued', handler)).toEqual({
      approve: false,
      recompute: false,
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

describe('the recomputation', () => {
  it('is offered to the handler (fund:write) on a computed run only', () => {
    const handler = rolePermissions.city_handler;
    const offered = (
      ['computing', 'computed', 'approved', 'file_issued', 'reconciled'] as const
    ).filter((status) => runActionsFor(status, handler).recompute);
    expect(offered).toEqual(['computed']);
    expect(runActionsFor('computed', rolePermissions.supervisor).recompute).toBe(false);
    expect(runActionsFor('computed', ['fund:read']).recompute).toBe(false);
  });

  it('sends a trimmed reason and none while it is blank (the route refuses a blank one)', () => {
    expect(recomputeReasonOf('  职工死亡已登记 \n')).toBe('职工死亡已登记');
    expect(recomputeReasonOf(' \t\n ')).toBeNull();
    expect(recomputeReasonOf('x'.repeat(600))).toHaveLength(500);
  });
});

describe('payrollAnomalyLabel', () => {
  const tIn =
    (language: Language) => (key: MessageKey, vars?: Readonly<Record<string, string | number>>) =>
      translate(language, key, vars);
  // A record, so a code added to the review's union fails to compile here until it is named.
  const every: Readonly<Record<PayrollAnomalyCode, null>> = {
    payment_after_death: null,
    two_payable_of_kind: null,
    amount_out_of_band: null,
    account_changed_this_month: null,
    account_missing: null,
    entitlement_not_in_force: null,
  };
  const codes = Object.keys(every);

  it('names every code the review gives, in both languages', () => {
    for (const language of ['zh', 'en'] as const)
      for (const code of codes) expect(payrollAnomalyLabel(tIn(language), code)).not.toBe(code);
    expect(payrollAnomalyLabel(tIn('zh'), 'entitlement_not_in_force')).toBe(
      '待遇已终止或变更（请重新计算）',
    );
    expect(payrollAnomalyLabel(tIn('en'), 'entitlement_not_in_force')).toBe(
      'Entitlement ended or changed since (compute the run again)',
    );
  });

  it('shows a code it does not know as it is', () => {
    expect(payrollAnomalyLabel(tIn('zh'), 'a_new_guard')).toBe('a_new_guard');
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
