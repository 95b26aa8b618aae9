import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { applyOverlay, parseOverlay } from '../reform/overlay.ts';
import {
  foodAllowanceFen,
  inReviewSample,
  reviewSampleShareOf,
  statementGuaranteeShareOf,
  stayDays,
} from './settlement-rules.ts';

const rules = testRuleBook().benefits;

describe('实际天数 of a stay (nights, at least one)', () => {
  it('counts admission to discharge as nights; a same-day stay is one day', () => {
    expect(stayDays({ admittedOn: '2024-03-01', dischargedOn: '2024-03-04' })).toBe(3);
    expect(stayDays({ admittedOn: '2024-03-01', dischargedOn: '2024-03-01' })).toBe(1);
    expect(stayDays({ admittedOn: '2024-02-28', dischargedOn: '2024-03-01' })).toBe(2);
  });
});

describe('住院伙食补助费 (《浙江省工伤保险条例》第二十四条第一款: 当地最低工资百分之三十五)', () => {
  it('浙江 2024: 35 % × 250 000 ÷ 30 = 2 916.67 → 2 917 fen a day, × 3 days = 8 751', () => {
    const r = foodAllowanceFen(rules, '330100', {
      admittedOn: '2024-03-01',
      dischargedOn: '2024-03-04',
    });
    expect(r.ok && r.value).toMatchObject({ days: 3, dailyFen: 2_917, amountFen: 8_751 });
    expect(r.ok && r.value.citations[0]).toContain('《浙江省工伤保险条例》第二十四条第一款');
  });
  it('reads the standard in force on admission (2019: 200 000 → 2 333 a day)', () => {
    const r = foodAllowanceFen(rules, '330100', {
      admittedOn: '2020-12-30',
      dischargedOn: '2021-01-09',
    });
    expect(r.ok && [r.value.days, r.value.dailyFen, r.value.amountFen]).toEqual([
      10, 2_333, 23_330,
    ]);
  });
  it('refuses 浙江 stays before the 条例 (2018-01-01): a declared gap, not a guess', () => {
    const r = foodAllowanceFen(rules, '330100', {
      admittedOn: '2017-12-30',
      dischargedOn: '2018-01-02',
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('rules.parameter_missing');
  });
  it('河南 (demo): 35 % × 220 000 ÷ 30 = 2 566.67 → 2 567 a day', () => {
    const r = foodAllowanceFen(rules, '410100', {
      admittedOn: '2025-05-01',
      dischargedOn: '2025-05-01',
    });
    expect(r.ok && [r.value.days, r.value.dailyFen, r.value.amountFen]).toEqual([1, 2_567, 2_567]);
  });
  it('refuses a discharge before the admission', () => {
    const r = foodAllowanceFen(rules, '330100', {
      admittedOn: '2024-03-04',
      dischargedOn: '2024-03-01',
    });
    expect(!r.ok && r.code).toBe('rules.not_applicable');
  });
});

describe('manual-review sample (demo 5 %)', () => {
  it('reads the share', () => {
    expect(reviewSampleShareOf(rules, '330100', '2025-01-01')).toEqual({ ok: true, value: '0.05' });
  });
  it('is deterministic per key and near 5 % over 4 000 keys', () => {
    const pick = (key: string) => {
      const r = inReviewSample(rules, '330100', { on: '2025-01-01', settlementKey: key });
      return r.ok && r.value;
    };
    expect(pick('S-1')).toBe(pick('S-1'));
    const sampled = Array.from({ length: 4000 }, (_, i) => pick(`S-${i}`)).filter(Boolean).length;
    expect(sampled).toBeGreaterThan(140);
    expect(sampled).toBeLessThan(260);
  });
});

describe('the statement’s guarantee share (settlement.guarantee.retained_share)', () => {
  it('is the value in force on the month’s last day: a change on the 30th applies to the month', () => {
    expect(statementGuaranteeShareOf(rules, '330100', '2025-09')).toEqual({
      ok: true,
      value: '0.05',
    });
    const overlay = parseOverlay({
      name: 'guarantee-3',
      changes: [
        {
          region: '330000',
          path: 'settlement.guarantee.retained_share',
          from: '2025-09-30',
          value: '0.03',
        },
      ],
    });
    if (!overlay.ok) throw new Error('overlay');
    const changed = applyOverlay(rules, overlay.value);
    if (!changed.ok) throw new Error(changed.message);
    expect(statementGuaranteeShareOf(changed.value, '330100', '2025-09')).toEqual({
      ok: true,
      value: '0.03',
    });
    expect(statementGuaranteeShareOf(changed.value, '330100', '2025-08')).toEqual({
      ok: true,
      value: '0.05',
    });
  });
  it('is missing before the parameter’s first value (2011)', () => {
    const r = statementGuaranteeShareOf(rules, '330100', '2010-12');
    expect(!r.ok && r.code).toBe('rules.parameter_missing');
  });
});
