import { describe, expect, it } from 'vitest';
import { benefitChangeText } from './benefit-change-messages.ts';
import {
  changeState,
  correctable,
  correctionRows,
  mayApply,
  parseCorrectionDraft,
  planMoney,
  survivorChangeRows,
  termsText,
} from './benefit-change-view.ts';
import type { ListedSurvivorChange } from './benefits-api.ts';
import type { ListedCorrection } from './correction-api.ts';

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

const draft = { amountYuan: '', startsOn: '', endsOn: '', reason: '', evidence: '' };

describe('the correction form', () => {
  it('turns 元 into fen by string arithmetic and keeps only the terms given', () => {
    const out = parseCorrectionDraft({
      ...draft,
      amountYuan: ' 2,800.29 ',
      reason: ' 护理等级录入错误 ',
      evidence: '鉴定结论书第2页',
    });
    expect(out).toEqual({
      ok: true,
      body: { amountFen: 280_029, reason: '护理等级录入错误', evidence: '鉴定结论书第2页' },
    });
    expect(
      parseCorrectionDraft({
        ...draft,
        startsOn: '2025-07-01',
        endsOn: '2026-06-30',
        reason: 'r',
        evidence: 'e',
      }),
    ).toEqual({
      ok: true,
      body: { startsOn: '2025-07-01', endsOn: '2026-06-30', reason: 'r', evidence: 'e' },
    });
  });

  it('names every problem at once: amount, dates, no term, reason, evidence', () => {
    expect(
      parseCorrectionDraft({ ...draft, amountYuan: '0', startsOn: '2025-02-29', endsOn: '7/1' }),
    ).toEqual({
      ok: false,
      errors: ['error.amount', 'error.startsOn', 'error.endsOn', 'error.reason', 'error.evidence'],
    });
    expect(
      parseCorrectionDraft({ ...draft, amountYuan: '12.345', reason: 'r', evidence: 'e' }),
    ).toEqual({ ok: false, errors: ['error.amount'] });
    expect(parseCorrectionDraft({ ...draft, reason: 'r', evidence: 'e' })).toEqual({
      ok: false,
      errors: ['error.nothing'],
    });
  });

  it('is offered for an active entitlement only', () => {
    expect(correctable({ status: 'active' })).toBe(true);
    expect(correctable({ status: 'ended' })).toBe(false);
  });
});

/**
 * A 生活护理费 recorded at 2 700.00 from 2025-07-01, corrected to 2 800.00 with July and August
 * paid: due 2 × 2 800.00 = 5 600.00, paid 5 400.00, arrears 200.00; approved, not yet applied.
 */
const nursing: ListedCorrection = {
  regionCode: '330100',
  id: 'bcr_00000000000000000001',
  entitlementId: 'ent_1',
  workerId: 'wkr_1',
  decisionId: 'bdc_1',
  status: 'proposed',
  reason: '护理等级录入错误',
  evidence: '鉴定结论书第2页',
  plan: {
    kind: 'nursing_allowance',
    before: { amountFen: 270_000, startsOn: '2025-07-01', endsOn: null },
    after: { amountFen: 280_000, startsOn: '2025-07-01', endsOn: null },
    months: ['2025-07', '2025-08'].map((month) => ({
      month,
      paidFen: 270_000,
      dueFen: 280_000,
      differenceFen: 10_000,
      partialMonthRule: 'full_month' as const,
    })),
    netFen: 20_000,
    arrears: { account: '5101', amountFen: 20_000 },
    overpayment: null,
  },
  approvalId: 'apr_1',
  proposedBy: 'usr_1',
  appliedOn: null,
  appliedBy: null,
  correctedEntitlementId: null,
  ledgerTransactionId: null,
  paymentId: null,
  overpaymentId: null,
  approvalStatus: 'approved',
};

describe('the case page corrections', () => {
  it('rows carry the terms, the state that allows the apply and the money', () => {
    const [row] = correctionRows([nursing]);
    expect(row).toMatchObject({
      id: 'bcr_00000000000000000001',
      entitlementId: 'ent_1',
      kind: 'nursing_allowance',
      state: 'approved',
      netFen: 20_000,
      arrearsFen: 20_000,
      overpaymentFen: 0,
    });
    expect(row?.months.map((m) => m.differenceFen)).toEqual([10_000, 10_000]);
    expect(mayApply(row?.state ?? 'pending')).toBe(true);
    const [applied] = correctionRows([
      { ...nursing, status: 'applied', approvalStatus: 'consumed' },
    ]);
    expect(applied?.state).toBe('applied');
  });

  it('terms read as amount · start – end', () => {
    expect(termsText(nursing.plan.after, '长期')).toBe('2,800.00 · 2025-07-01 – 长期');
    expect(termsText({ ...nursing.plan.after, endsOn: '2026-06-30' }, 'open')).toBe(
      '2,800.00 · 2025-07-01 – 2026-06-30',
    );
  });
});
