import { describe, expect, it } from 'vitest';
import {
  type HeldEntitlement,
  PENSION_FEN_MAX,
  type RetirementInput,
  retirementId,
  retirementMonthEnd,
  retirementPlan,
  TOP_UP_KIND,
  topUpId,
  topUpStart,
} from './retirement.ts';

const HZ = '330100';
const allowance: HeldEntitlement = {
  id: 'ent_330100_00000000000000a1',
  kind: 'disability_allowance',
  payer: 'fund',
  amountFen: 456_789,
  startsOn: '2025-04-01',
  endsOn: null,
  decisionId: 'bdc_330100_0000000000000001',
  snapshotId: 'a'.repeat(64),
};
const nursing: HeldEntitlement = {
  ...allowance,
  id: 'ent_330100_00000000000000b2',
  kind: 'nursing_allowance',
  amountFen: 270_000,
};
const input: RetirementInput = {
  regionCode: HZ,
  workerId: 'wkr_0000000000000001',
  retiredOn: '2025-07-15',
  pensionFen: 398_765,
  evidence: '杭社保养〔2025〕123号 基本养老金核定通知',
};
const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

describe('retirement of a worker with a 伤残津贴 (第三十五条第一款第（三）项), our reading', () => {
  it('pays the month of retirement whole as 伤残津贴 and the difference from the next month', () => {
    expect(retirementMonthEnd('2024-02-10')).toBe('2024-02-29');
    expect(topUpStart('2024-02-10')).toBe('2024-03-01');
    expect(topUpStart('2025-12-31')).toBe('2026-01-01');
  });

  it('ends the fund’s 伤残津贴 and starts the difference, exact to the fen', () => {
    // By hand: 伤残津贴 4 567.89 元 = 456 789 fen; basic pension 3 987.65 元 = 398 765 fen;
    // 456 789 − 398 765 = 58 024 fen (580.24 元) a month from 2025-08-01. The allowance is paid
    // for July whole and ends 2025-07-31. 生活护理费 (第三十四条 names no end) is kept.
    const plan = retirementPlan(input, [allowance, nursing]);
    if (!plan.ok) throw new Error(plan.message);
    const id = retirementId(input.workerId);
    expect(plan.value).toEqual({
      retirementId: id,
      ended: [
        {
          id: allowance.id,
          amountFen: 456_789,
          startsOn: '2025-04-01',
          endsOnBefore: null,
          endsOn: '2025-07-31',
        },
      ],
      topUp: {
        id: topUpId(HZ, id, allowance.id),
        allowanceId: allowance.id,
        amountFen: 58_024,
        startsOn: '2025-08-01',
        endsOn: null,
      },
      kept: [{ id: nursing.id, kind: 'nursing_allowance', payer: 'fund' }],
    });
    expect(TOP_UP_KIND).toBe('disability_allowance_top_up');
    expect(plan.value.topUp?.id).toMatch(/^ent_330100_[0-9a-f]{16}$/);
    expect(id).toMatch(/^ret_[0-9a-f]{20}$/);
  });

  it('starts no difference when the pension is not lower; one fen lower gives one fen', () => {
    const equal = retirementPlan({ ...input, pensionFen: 456_789 }, [allowance]);
    expect(equal.ok && equal.value.topUp).toBeNull();
    expect(equal.ok && equal.value.ended.length).toBe(1);
    const higher = retirementPlan({ ...input, pensionFen: 500_000 }, [allowance]);
    expect(higher.ok && higher.value.topUp).toBeNull();
    const oneFen = retirementPlan({ ...input, pensionFen: 456_788 }, [allowance]);
    expect(oneFen.ok && oneFen.value.topUp?.amountFen).toBe(1);
    // A pension of 0 (none yet set): the difference is the whole allowance.
    const none = retirementPlan({ ...input, pensionFen: 0 }, [allowance]);
    expect(none.ok && none.value.topUp?.amountFen).toBe(456_789);
  });
});

describe('retirement (第三十五条第一款第（三）项): what is kept, what is refused', () => {
  it('keeps an employer’s 伤残津贴 (grades 5–6) untouched and starts nothing', () => {
    const employer = { ...allowance, payer: 'employer' as const, amountFen: 350_000 };
    const plan = retirementPlan(input, [employer]);
    expect(plan.ok && plan.value).toEqual({
      retirementId: retirementId(input.workerId),
      ended: [],
      topUp: null,
      kept: [{ id: employer.id, kind: 'disability_allowance', payer: 'employer' }],
    });
  });

  it('carries the allowance’s own end onto the difference', () => {
    const fixed = { ...allowance, endsOn: '2027-12-31' };
    const plan = retirementPlan(input, [fixed]);
    expect(plan.ok && plan.value.ended[0]?.endsOnBefore).toBe('2027-12-31');
    expect(plan.ok && plan.value.topUp?.endsOn).toBe('2027-12-31');
  });

  it('refuses a pension out of bounds, no allowance running on, and a date before its start', () => {
    expect(codeOf(retirementPlan({ ...input, pensionFen: -1 }, [allowance]))).toBe(
      'benefit.retirement_pension_invalid',
    );
    expect(codeOf(retirementPlan({ ...input, pensionFen: PENSION_FEN_MAX + 1 }, [allowance]))).toBe(
      'benefit.retirement_pension_invalid',
    );
    expect(codeOf(retirementPlan({ ...input, pensionFen: 1.5 }, [allowance]))).toBe(
      'benefit.retirement_pension_invalid',
    );
    expect(codeOf(retirementPlan({ ...input, pensionFen: PENSION_FEN_MAX }, [allowance]))).toBe(
      'ok',
    );
    expect(codeOf(retirementPlan(input, [nursing]))).toBe('benefit.retirement_no_allowance');
    // Ending with the month of retirement anyway: nothing to stop.
    expect(codeOf(retirementPlan(input, [{ ...allowance, endsOn: '2025-07-31' }]))).toBe(
      'benefit.retirement_no_allowance',
    );
    expect(codeOf(retirementPlan(input, [{ ...allowance, startsOn: '2025-07-16' }]))).toBe(
      'benefit.retirement_before_entitlement',
    );
    expect(codeOf(retirementPlan(input, [{ ...allowance, startsOn: '2025-07-15' }]))).toBe('ok');
  });
});

describe('the age reached without a monthly pension (《浙江省工伤保险条例》第二十六条第二款)', () => {
  const fund = { ...allowance, amountFen: 400_000 };
  const account = { balanceFen: 1_000_000, monthlyOffsetFen: 150_000 };
  const variant = { ...input, pensionFen: 0, personalAccount: account };

  it('ends the allowance with the month and goes on net of the offset, no difference', () => {
    // By hand: 4 000.00 − 1 500.00 = 2 500.00 for 6 months (2025-08…2026-01), 4 000.00 −
    // 1 000.00 = 3 000.00 in 2026-02, then 4 000.00.
    const plan = retirementPlan(variant, [fund, nursing]);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.value.topUp).toBeNull();
    expect(plan.value.ended.map((e) => e.endsOn)).toEqual(['2025-07-31']);
    expect(plan.value.offset?.rows.map((r) => r.amountFen)).toEqual([250_000, 300_000, 400_000]);
    expect(plan.value.offset).toMatchObject({
      allowanceId: fund.id,
      months: 7,
      firstMonth: '2025-08',
    });
    expect(plan.value.kept.map((k) => k.kind)).toEqual(['nursing_allowance']);
  });

  it('refuses figures that do not fit, and an employer’s allowance', () => {
    const bad = (a: { balanceFen: number; monthlyOffsetFen: number }) =>
      codeOf(retirementPlan({ ...variant, personalAccount: a }, [fund]));
    expect(bad({ balanceFen: 0, monthlyOffsetFen: 150_000 })).toBe(
      'benefit.retirement_account_invalid',
    );
    expect(bad({ balanceFen: 1_000_000, monthlyOffsetFen: 0 })).toBe(
      'benefit.retirement_account_invalid',
    );
    expect(bad({ balanceFen: 1_000_000, monthlyOffsetFen: 400_001 })).toBe(
      'benefit.retirement_account_invalid',
    );
    expect(bad({ balanceFen: 1_000_000_001, monthlyOffsetFen: 150_000 })).toBe(
      'benefit.retirement_account_invalid',
    );
    expect(bad({ balanceFen: 1_000_000, monthlyOffsetFen: 400_000 })).toBe('ok');
    const employer = { ...fund, payer: 'employer' as const };
    expect(codeOf(retirementPlan(variant, [employer]))).toBe('benefit.retirement_no_allowance');
  });
});
