import { describe, expect, it } from 'vitest';
import type { RetirementPlan } from './retirement-api.ts';
import {
  planLines,
  retirementAskedFromJson,
  retirementBodyOf,
  showsRetirementPanel,
} from './retirement-view.ts';

/**
 * The plan of benefit-retirement.db.test.ts's W1: 伤残津贴 456 789 fen retired 2025-07-15 on a pension
 * of 398 765 → the allowance paid to 2025-07-31, the fund's difference 58 024 from 2025-08-01.
 */
const plan: RetirementPlan = {
  retirementId: 'ret_1',
  ended: [
    {
      id: 'ent_1',
      amountFen: 456_789,
      startsOn: '2025-01-01',
      endsOnBefore: null,
      endsOn: '2025-07-31',
    },
  ],
  topUp: {
    id: 'ent_2',
    allowanceId: 'ent_1',
    amountFen: 58_024,
    startsOn: '2025-08-01',
    endsOn: null,
  },
  kept: [{ id: 'ent_3', kind: 'nursing_care', payer: 'fund' }],
};
const draft = {
  retiredOn: ' 2025-07-15 ',
  pensionYuan: '3,987.65',
  evidence: ' 杭社保养〔2025〕123号 ',
};

describe('the retirement form’s body', () => {
  it('sends the pension in fen exactly (no float: 0.29 元 is 29 fen, 3,987.65 元 is 398 765)', () => {
    expect(retirementBodyOf(draft)).toEqual({
      ok: true,
      body: { retiredOn: '2025-07-15', pensionFen: 398_765, evidence: '杭社保养〔2025〕123号' },
    });
    const fen = (pensionYuan: string) => {
      const built = retirementBodyOf({ ...draft, pensionYuan });
      return built.ok ? built.body.pensionFen : null;
    };
    expect(fen('0.29')).toBe(29);
    expect(fen('１２３４.５')).toBe(123_450);
    expect(fen('0')).toBe(0);
  });

  it('names the pension field when the amount cannot be read', () => {
    for (const pensionYuan of ['', '3987.655', '-1', 'abc'])
      expect(retirementBodyOf({ ...draft, pensionYuan })).toEqual({
        ok: false,
        field: 'pensionYuan',
      });
  });
});

describe('the plan shown before the approval', () => {
  it('lists the allowance ended, then the fund’s difference from the next month', () => {
    expect(planLines(plan)).toEqual([
      { kind: 'ended', amountFen: 456_789, endsOn: '2025-07-31' },
      { kind: 'topUp', amountFen: 58_024, startsOn: '2025-08-01' },
    ]);
  });

  it('says no difference is paid when the pension is not lower, and a back-dated net to recover', () => {
    const backDated = {
      months: ['2025-07', '2025-08'],
      paidMonths: ['2025-07', '2025-08'],
      lineIds: [],
      overpaidFen: 800_000,
      arrearsFen: 200_000,
      netFen: 600_000,
    };
    expect(planLines({ ...plan, topUp: null, backDated }).slice(1)).toEqual([
      { kind: 'noTopUp' },
      { kind: 'overpaid', amountFen: 600_000 },
    ]);
  });
});

describe('the retirement panel and its ask', () => {
  it('is shown for the fund’s own 伤残津贴 in payment or a recorded retirement only', () => {
    const allowance = {
      kind: 'disability_allowance',
      payer: 'fund' as const,
      status: 'active' as const,
      dependantId: null,
    };
    expect(showsRetirementPanel([allowance], false)).toBe(true);
    expect(showsRetirementPanel([{ ...allowance, payer: 'employer' }], false)).toBe(false);
    expect(showsRetirementPanel([{ ...allowance, kind: 'nursing_care' }], false)).toBe(false);
    expect(showsRetirementPanel([], true)).toBe(true);
  });

  it('reads back the stored ask, and nothing from a malformed one', () => {
    const asked = {
      approvalId: 'apr_1',
      body: { retiredOn: '2025-07-15', pensionFen: 398_765, evidence: '杭社保养〔2025〕123号' },
      lines: planLines(plan),
    };
    expect(retirementAskedFromJson(JSON.stringify(asked))).toEqual(asked);
    const badBody = { ...asked, body: { ...asked.body, pensionFen: 1.5 } };
    expect(retirementAskedFromJson(JSON.stringify(badBody))).toBeNull();
    const badLine = { ...asked, lines: [{ kind: 'topUp', amountFen: 1 }] };
    expect(retirementAskedFromJson(JSON.stringify(badLine))).toBeNull();
    expect(retirementAskedFromJson('{')).toBeNull();
  });
});
