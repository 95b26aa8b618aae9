import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rational } from '../../../kernel/rational.ts';
import { consolidationPayload, phaseMonthly, validateBudgetLines } from './budget.ts';
import { budgetExecution, decimalRatio } from './budget-execution.ts';

describe('budget lines', () => {
  it('accepts income and expense chart codes only, each once, and sorts them', () => {
    expect(
      validateBudgetLines([
        { account: '5202', amountFen: 3 },
        { account: '4101', amountFen: 10 },
      ]),
    ).toEqual({
      ok: true,
      value: [
        { account: '4101', amountFen: 10 },
        { account: '5202', amountFen: 3 },
      ],
    });
    expect(validateBudgetLines([{ account: '1001', amountFen: 1 }])).toMatchObject({
      ok: false,
      code: 'budget.line_unknown',
    });
    expect(validateBudgetLines([{ account: '1151', amountFen: 1 }])).toMatchObject({
      code: 'budget.line_unknown',
    });
    expect(
      validateBudgetLines([
        { account: '4101', amountFen: 1 },
        { account: '4101', amountFen: 2 },
      ]),
    ).toMatchObject({ code: 'budget.line_duplicate' });
  });

  it('phases an annual amount into 12 months that sum to it exactly', () => {
    expect(phaseMonthly(120_001)).toEqual([10_001, ...Array(11).fill(10_000)]);
    expect(phaseMonthly(11)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), (n) => {
        const m = phaseMonthly(n);
        expect(m.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...m) - Math.min(...m)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('the consolidation payload does not depend on input order', () => {
    const a = consolidationPayload('330000', 2026, [
      { segment: '330200', version: 1, lines: [{ account: '5101', amountFen: 7 }] },
      {
        segment: '330100',
        version: 2,
        lines: [
          { account: '5101', amountFen: 5 },
          { account: '4101', amountFen: 9 },
        ],
      },
    ]);
    const b = consolidationPayload('330000', 2026, [...a.budgets].reverse());
    expect(b).toEqual(a);
    expect(a.totals).toEqual({ incomeFen: 9, expenseFen: 12 });
  });
});

describe('budget execution', () => {
  it('renders ratios half-up with 4 decimals from the exact value', () => {
    expect(decimalRatio(rational(1n, 3n))).toBe('0.3333');
    expect(decimalRatio(rational(2n, 3n))).toBe('0.6667');
    expect(decimalRatio(rational(-1n, 8n))).toBe('-0.1250');
    expect(decimalRatio(rational(-1n, 20000n))).toBe('-0.0001');
    expect(decimalRatio(rational(5n, 1n))).toBe('5.0000');
  });

  it('cumulative plan vs actual per month; months after throughMonth are left out', () => {
    const e = budgetExecution({
      segment: '330100',
      year: 2026,
      throughMonth: 3,
      status: 'approved',
      lines: [{ account: '4101', amountFen: 1_200 }],
      actuals: new Map([['4101', [90, 100, 130, 5_000]]]),
    });
    const l = e.lines[0]!;
    expect(
      l.months.map((m) => [m.cumulativePlannedFen, m.cumulativeActualFen, m.varianceFen]),
    ).toEqual([
      [100, 90, -10],
      [200, 190, -10],
      [300, 320, 20],
    ]);
    expect(l.varianceRatio).toEqual({ value: '0.0667', exact: '1/15' });
    expect(l.executionRatio).toEqual({ value: '0.2667', exact: '4/15' });
    expect(e.totals.expense.annualBudgetFen).toBe(0);
  });

  it('totals leave transfers between segments out; the transfer lines stay listed', () => {
    const e = budgetExecution({
      segment: '330100',
      year: 2024,
      throughMonth: 12,
      status: 'approved',
      lines: [{ account: '5101', amountFen: 1_200 }],
      actuals: new Map([
        ['5101', Array.from({ length: 12 }, () => 100)],
        ['5302', Array.from({ length: 12 }, () => 1_000)],
        ['4104', Array.from({ length: 12 }, () => 50)],
      ]),
    });
    expect(e.lines.map((l) => l.account)).toEqual(['4104', '5101', '5302']);
    expect(e.totals.expense.actualToDateFen).toBe(1_200);
    expect(e.totals.expense.executionRatio?.value).toBe('1.0000');
    expect(e.totals.income.actualToDateFen).toBe(0);
  });
});
