import { describe, expect, it } from 'vitest';
import { fromDecimal, toDecimalString } from '../kernel/rational.ts';
import { testRuleBook } from '../runtime/testing.ts';
import { missingWorker } from './benefits/death.ts';
import { retirementTopUp } from './benefits/disability.ts';
import { adjustedAmountFen, adjustmentsOfYear } from './benefits/indexation.ts';
import { countNearRetirement } from './benefits/near-retirement.ts';
import { PAYER_OTHER } from './benefits/payers.ts';
import { benefitsContinue, recurrenceEntitlements, stopWorkPay } from './benefits/stop-work.ts';
import { makeContext } from './context.ts';
import { assessContribution, riskClassOf } from './contributions/rate-policy.ts';
import { applyOverlay, parseOverlay } from './reform/overlay.ts';

const rules = testRuleBook().benefits;
const ctx = (region = '330000') => makeContext(rules, region, {}, false);

describe('《工伤保险条例》第三十三条 停工留薪期 and 《工伤保险条例》第三十八条 recurrence', () => {
  it('is paid by the employer, at most 12 + 12 months', () => {
    const r = stopWorkPay(ctx(), {
      injuryDate: '2024-01-01',
      originalMonthlyWageFen: 700000,
      months: 12,
      extensionMonths: 6,
    });
    expect(r).toEqual({
      ok: true,
      value: {
        monthlyFen: 700000,
        months: 18,
        payer: 'employer',
        basis: PAYER_OTHER.stop_work_pay.basis,
      },
    });
    expect(
      stopWorkPay(ctx(), {
        injuryDate: '2024-01-01',
        originalMonthlyWageFen: 1,
        months: 13,
        extensionMonths: 0,
      }).ok,
    ).toBe(false);
    const tooLong = stopWorkPay(ctx(), {
      injuryDate: '2024-01-01',
      originalMonthlyWageFen: 1,
      months: 12,
      extensionMonths: 13,
    });
    expect(tooLong.ok ? null : tooLong.code).toBe('rules.not_applicable');
  });
  it('re-opens medical (fund), devices (fund) and 停工留薪 (employer) on recurrence', () => {
    expect(recurrenceEntitlements().map((e) => `${e.benefit}:${e.payer}`)).toEqual([
      'medical_treatment:fund',
      'assistive_devices:fund',
      'stop_work_pay:employer',
    ]);
  });
});

describe('《工伤保险条例》第三十五条第一款第（三）项 retirement, 《工伤保险条例》第四十条 indexation, 《工伤保险条例》第四十一条 missing worker, 《工伤保险条例》第四十二条 stopping', () => {
  it('tops up a lower pension to the allowance from the fund', () => {
    expect(retirementTopUp(450000, 400000)).toEqual({ topUpFen: 50000, payer: 'fund' });
    expect(retirementTopUp(450000, 500000)).toEqual({ topUpFen: 0, payer: 'fund' });
  });
  it('reads the year’s adjustment: amount × (1 + rate) + flat, rounded once (浙江 2025, demo)', () => {
    const year = adjustmentsOfYear(rules, '330100', 2025);
    if (!year.ok) throw new Error(year.message);
    const disability = year.value.find((a) => a.kind === 'disability_allowance');
    expect(disability?.effectiveOn).toBe('2025-07-01');
    const grade1 = disability?.terms.get('1');
    if (grade1 == null) throw new Error('no grade 1 terms');
    // 4,567.89 元 × 1.02 = 4,659.2478 元, + 30.00 元 = 4,689.2478 元 → 4,689.25 元 (half up).
    expect(adjustedAmountFen(456789, grade1, 'half_up')).toBe(468925);
    expect(disability?.terms.get('5')).toBeNull();
    expect(adjustmentsOfYear(rules, '330100', 2024)).toEqual({ ok: true, value: [] });
    expect(adjustmentsOfYear(rules, '330100', 2026)).toEqual({ ok: true, value: [] });
  });
  it('pays wages 3 months (employer), pensions from month 4 and a 50 % advance (fund)', () => {
    expect(missingWorker(ctx(), '2025-03-01', 108376000)).toEqual({
      ok: true,
      value: { employerWageMonths: 3, survivorPensionFromMonth: 4, advanceFen: 54188000 },
    });
  });
  it('stops benefits on any 《工伤保险条例》第四十二条 ground', () => {
    expect(benefitsContinue([])).toEqual({ ok: true, value: true });
    const stopped = benefitsContinue(['refused_appraisal']);
    expect(stopped.ok ? null : stopped.code).toBe('rules.benefits_stopped');
  });
  it('reduces the 浙江 employment grant 20 % per year under five years', () => {
    const rule = {
      counting: 'age_completed',
      thresholdYears: 5,
      step: fromDecimal('0.2'),
      underOneYear: null,
    } as const;
    const share = (years: number) =>
      toDecimalString(
        countNearRetirement('2025-03-01', { way: 'years', yearsToRetirement: years }, rule).share,
      );
    expect([6, 5, 4, 3, 2, 1, 0].map(share)).toEqual(['1', '1', '0.8', '0.6', '0.4', '0.2', '0']);
  });
});

describe('contribution rate policy (人社部发〔2015〕71号)', () => {
  it('assesses payroll × base rate × grade multiplier, rounded once', () => {
    // Class 4 (0.9 %), grade up1 (×1.2): 1,234,567.89 元 × 0.0108 = 13,333.333212 元 → 13,333.33.
    const r = assessContribution(ctx(), {
      payrollFen: 123456789,
      riskClass: 4,
      grade: 'up1',
      date: '2024-06-01',
    });
    expect(r.ok && r.value.amountFen).toBe(1333333);
    expect(r.ok && r.value.rate).toBe('0.0108');
  });
  it('floats class 1 upward only', () => {
    const r = assessContribution(ctx(), {
      payrollFen: 1000000,
      riskClass: 1,
      grade: 'down1',
      date: '2024-06-01',
    });
    expect(r.ok ? null : r.code).toBe('contribution.grade_not_allowed');
    const up = assessContribution(ctx(), {
      payrollFen: 1000000,
      riskClass: 1,
      grade: 'up2',
      date: '2024-06-01',
    });
    expect(up.ok && up.value.amountFen).toBe(3000);
  });
  it('applies the temporary cut in its window and refuses outside it when asked for', () => {
    const cut = assessContribution(ctx(), {
      payrollFen: 1000000,
      riskClass: 8,
      grade: 'base',
      date: '2023-06-01',
      monthsCoverable: 30,
    });
    expect(cut.ok && cut.value.amountFen).toBe(9500);
    const after = assessContribution(ctx(), {
      payrollFen: 1000000,
      riskClass: 8,
      grade: 'base',
      date: '2025-06-01',
      monthsCoverable: 30,
    });
    expect(after.ok ? null : after.code).toBe('rules.parameter_missing');
    const before = assessContribution(ctx(), {
      payrollFen: 1000000,
      riskClass: 8,
      grade: 'base',
      date: '2015-01-01',
    });
    expect(before.ok ? null : before.code).toBe('rules.parameter_missing');
  });
  it('maps divisions to classes by standard version', () => {
    expect(riskClassOf(ctx(), 'GB/T 4754-2011', '06', '2020-01-01')).toEqual({
      ok: true,
      value: 8,
    });
    expect(riskClassOf(ctx(), 'GB/T 4754-2011', '79', '2020-01-01')).toEqual({
      ok: true,
      value: 2,
    }); // 居民服务业
    expect(riskClassOf(ctx(), 'GB/T 4754-2017', '80', '2020-01-01')).toEqual({
      ok: true,
      value: 2,
    }); // 居民服务业, renumbered
    const land = riskClassOf(ctx(), 'GB/T 4754-2017', '79', '2020-01-01');
    expect(land.ok ? null : land.code).toBe('contribution.division_unclassified');
    const none = riskClassOf(ctx(), 'GB/T 4754-2011', '97', '2020-01-01');
    expect(none.ok ? null : none.code).toBe('contribution.division_unknown');
    const early = riskClassOf(ctx(), 'GB/T 4754-2017', '01', '2017-09-30');
    expect(early.ok ? null : early.code).toBe('rules.parameter_missing');
  });
});

describe('reform overlays', () => {
  it('change values from a date without touching the base, under a new snapshot id', () => {
    const overlay = parseOverlay({
      name: 'grade5-20',
      changes: [
        {
          region: '000000',
          path: 'disability.lump_sum_months',
          from: '2026-01-01',
          merge: { '5': 20 },
        },
      ],
    });
    if (!overlay.ok) throw new Error(overlay.message);
    const reformed = applyOverlay(rules, overlay.value);
    if (!reformed.ok) throw new Error(reformed.message);
    expect(reformed.value.snapshotId).not.toBe(rules.snapshotId);
    expect(reformed.value.reform).toEqual({ name: 'grade5-20', baseSnapshotId: rules.snapshotId });
    expect(applyOverlay(rules, overlay.value)).toBe(applyOverlay(rules, overlay.value));
    const base = rules.regions.get('000000')!.get('disability.lump_sum_months')!;
    expect(base.values).toHaveLength(1);
  });
  it('reports bad overlays by path, and unusable ones as a refusal', () => {
    const bad = parseOverlay({
      name: 'x',
      changes: [{ region: '33', path: 'a.b', from: '2026-13-01', value: 1, extra: true }],
    });
    expect(bad.ok).toBe(false);
    expect(bad.problem?.errors.map((e) => e.path).sort()).toEqual(
      ['changes.0', 'changes.0.from', 'changes.0.region'].sort(),
    );
    const unknown = parseOverlay({
      name: 'x',
      changes: [{ region: '000000', path: 'no.such', from: '2026-01-01', value: 1 }],
    });
    if (!unknown.ok) throw new Error('should parse');
    const r = applyOverlay(rules, unknown.value);
    expect(r.ok ? null : r.code).toBe('rules.reform_invalid');
    const incomplete = parseOverlay({
      name: 'y',
      changes: [
        {
          region: '000000',
          path: 'disability.lump_sum_months',
          from: '2026-01-01',
          value: { '5': 20 },
        },
      ],
    });
    if (!incomplete.ok) throw new Error('should parse');
    const r2 = applyOverlay(rules, incomplete.value);
    expect(r2.ok ? '' : r2.message).toContain('lacks key 1');
  });
});
