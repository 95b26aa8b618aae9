import { describe, expect, it } from 'vitest';
import { benefitChangeText } from './benefit-change-messages.ts';
import { changeState, mayApply, planMoney, survivorChangeRows } from './benefit-change-view.ts';
import type { ListedSurvivorChange } from './benefits-api.ts';

/**
 * A spouse's remarriage of 2025-11-03 (survivor-change-routes.db.test.ts): the spouse's 2 200.00
 * ends, the two children's 1 650.00 are recomputed to 1 800.00; here with November already paid
 * to the spouse (overpayment 2 200.00) and 2 × 150.00 = 300.00 of arrears for the children.
 */
const remarriage: ListedSurvivorChange = {
  regionCode: '330100',
  id: 'bsc_00000000000000000001',
  decisionId: 'bdc_1',
  workerId: 'wkr_1',
  dependantId: 'dep_spouse',
  kind: 'remarried',
  eventOn: '2025-11-03',
  lastPaidMonth: '2025-12',
  endedEntitlementId: null,
  status: 'proposed',
  reason: '再婚',
  evidence: '结婚证',
  plan: {
    event: { dependantId: 'dep_spouse', kind: 'remarried', eventOn: '2025-11-03' },
    lastPaidMonth: '2025-12',
    ended: [
      {
        entitlementId: 'ent_s',
        dependantId: 'dep_spouse',
        amountFen: 220_000,
        startsOn: '2025-07-01',
        endsOnBefore: null,
        endsOn: '2025-11-30',
      },
    ],
    started: ['dep_c1', 'dep_c2'].map((d) => ({
      id: `ent_${d}`,
      predecessorId: `ent_old_${d}`,
      dependantId: d,
      beforeFen: 165_000,
      amountFen: 180_000,
      startsOn: '2025-12-01',
      endsOn: null,
    })),
    recomputed: true,
    months: [],
    arrears: { account: '5101', amountFen: 30_000 },
    overpayment: {
      entitlementId: 'ent_s',
      dependantId: 'dep_spouse',
      amountFen: 220_000,
      months: ['2025-12'],
      lineIds: ['pl_1'],
    },
  },
  approvalId: 'apr_1',
  proposedBy: 'usr_1',
  appliedOn: null,
  appliedBy: null,
  ledgerTransactionId: null,
  paymentId: null,
  overpaymentId: null,
  approvalStatus: 'pending',
};

describe('benefit change view', () => {
  it('a proposed change is as far as its approval went; an applied or superseded one is that', () => {
    expect(changeState('proposed', 'pending')).toBe('pending');
    expect(changeState('proposed', null)).toBe('pending');
    expect(changeState('proposed', 'approved')).toBe('approved');
    expect(changeState('proposed', 'rejected')).toBe('rejected');
    expect(changeState('proposed', 'expired')).toBe('expired');
    expect(changeState('applied', 'consumed')).toBe('applied');
    expect(changeState('superseded', 'approved')).toBe('superseded');
    expect(changeState('rejected', 'rejected')).toBe('rejected');
  });

  it('only an approved change gets the apply button', () => {
    expect(mayApply('approved')).toBe(true);
    for (const s of ['pending', 'applied', 'superseded', 'rejected', 'expired'] as const)
      expect(mayApply(s)).toBe(false);
  });

  it("a plan's money: arrears and overpayment, zero where the plan has none", () => {
    expect(planMoney(remarriage.plan)).toEqual({ arrearsFen: 30_000, overpaymentFen: 220_000 });
    expect(planMoney({ arrears: null, overpayment: null })).toEqual({
      arrearsFen: 0,
      overpaymentFen: 0,
    });
  });

  it("rows name the dependant where known and count the plan's ends and recomputations", () => {
    const approved = { ...remarriage, approvalStatus: 'approved' as const };
    const unknown = {
      ...remarriage,
      id: 'bsc_2',
      dependantId: 'dep_gone',
      status: 'applied' as const,
    };
    expect(survivorChangeRows([approved, unknown], new Map([['dep_spouse', '王芳']]))).toEqual([
      {
        id: 'bsc_00000000000000000001',
        dependant: '王芳',
        kind: 'remarried',
        eventOn: '2025-11-03',
        state: 'approved',
        ended: 1,
        started: 2,
        arrearsFen: 30_000,
        overpaymentFen: 220_000,
      },
      expect.objectContaining({ id: 'bsc_2', dependant: 'dep_gone', state: 'applied' }),
    ]);
  });

  it('the applied sentence in both languages', () => {
    const vars = { arrears: '300.00', overpayment: '2,200.00' };
    expect(benefitChangeText('zh', 'applied', vars)).toBe(
      '已执行：补发 300.00 元，多发 2,200.00 元（转追回）',
    );
    expect(benefitChangeText('en', 'applied', vars)).toBe(
      'Applied: arrears 300.00 yuan, overpayment 2,200.00 yuan (to recover)',
    );
  });
});
