import { describe, expect, it } from 'vitest';
import { missingWorker } from '../../rules/benefits/death.ts';
import { makeContext } from '../../rules/context.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import type { CaseFacts } from './decision-input.ts';
import {
  advanceReturnId,
  employerWageMonths,
  endedByMissing,
  endedByReappearance,
  lumpSumAfterAdvance,
  missingCaseRefusal,
  missingGroundOf,
  missingIds,
  missingOverpaymentId,
  pensionsStartOn,
  reappearedOverpaymentId,
} from './missing.ts';

const rules = testRuleBook().benefits;
const recognised: CaseFacts = {
  regionCode: '330100',
  caseType: 'accident',
  accidentDate: '2025-03-10',
  determinationOutcome: 'recognised',
};

describe('下落不明 (《工伤保险条例》第四十一条) by hand', () => {
  it('keeps the wage 3 months from the accident’s month and starts the pensions on the 4th (2025-03-10)', () => {
    const rule = missingWorker(makeContext(rules, '330100', {}, false), '2025-03-10', 108_376_000);
    if (!rule.ok) throw new Error(rule.message);
    // 一次性工亡补助金 20 × 54 188 元 = 1 083 760 元; 50 % = 541 880 元 = 54 188 000 fen.
    expect(rule.value).toEqual({
      employerWageMonths: 3,
      survivorPensionFromMonth: 4,
      advanceFen: 54_188_000,
    });
    expect(employerWageMonths('2025-03-10', 3)).toEqual(['2025-03', '2025-04', '2025-05']);
    expect(pensionsStartOn('2025-03-10', 4)).toBe('2025-06-01');
  });

  it('counts across a year end and from a month’s last day', () => {
    expect(employerWageMonths('2025-11-30', 3)).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(pensionsStartOn('2025-11-30', 4)).toBe('2026-02-01');
    expect(pensionsStartOn('2024-01-31', 4)).toBe('2024-04-01');
  });

  it('rounds the advance once, half up (an odd lump sum of 1 fen more)', () => {
    const rule = missingWorker(makeContext(rules, '330100', {}, false), '2025-03-10', 108_376_001);
    expect(rule.ok && rule.value.advanceFen).toBe(54_188_001);
  });

  it('reads the circumstance from the case’s grounds: 第十四条第（五）项 or 第十五条第（二）项 only', () => {
    expect(missingGroundOf(['art14_5'])).toBe('business_trip');
    expect(missingGroundOf(['art14_1', 'art15_2'])).toBe('rescue');
    expect(missingGroundOf(['art14_1', 'art14_6'])).toBeNull();
    expect(missingCaseRefusal(recognised, ['art14_5'])).toEqual({
      ok: true,
      value: 'business_trip',
    });
    const onSite = missingCaseRefusal(recognised, ['art14_1']);
    expect(onSite.ok || onSite.code).toBe('benefit.missing_ground_not_met');
    const refused = missingCaseRefusal({ ...recognised, determinationOutcome: 'not_recognised' }, [
      'art14_5',
    ]);
    expect(refused.ok || refused.code).toBe('benefit.case_not_recognised');
  });
});

describe('下落不明: what the event ends and the ids it writes', () => {
  it('ends the worker’s own items with the accident’s month, leaves a survivor’s pension and ended items alone', () => {
    const ended = endedByMissing(
      [
        {
          id: 'a',
          kind: 'disability_allowance',
          amountFen: 300_000,
          startsOn: '2024-12-01',
          endsOn: null,
          status: 'active',
        },
        {
          id: 'b',
          kind: 'nursing_allowance',
          amountFen: 90_000,
          startsOn: '2025-05-01',
          endsOn: null,
          status: 'active',
        },
        {
          id: 'c',
          kind: 'survivor_pension',
          amountFen: 80_000,
          startsOn: '2024-01-01',
          endsOn: null,
          status: 'active',
        },
        {
          id: 'd',
          kind: 'disability_allowance',
          amountFen: 1,
          startsOn: '2024-01-01',
          endsOn: '2024-12-31',
          status: 'ended',
        },
      ],
      '2025-03-10',
    );
    expect(ended.map((e) => [e.id, e.endsOnBefore, e.endsOn])).toEqual([
      ['a', null, '2025-03-31'],
      ['b', null, null],
    ]);
  });

  it('derives every id from the approval (a repeated apply writes the same rows), and deducts the advance', () => {
    const a = missingIds('330100', 'apr_1');
    const b = missingIds('330100', 'apr_1');
    expect([a.missingId, a.decisionId, a.dependantId(0), a.entitlementId(1)]).toEqual([
      b.missingId,
      b.decisionId,
      b.dependantId(0),
      b.entitlementId(1),
    ]);
    expect(a.missingId).toMatch(/^bms_[0-9a-f]{20}$/);
    expect(a.decisionId).toMatch(/^bdc_330100_[0-9a-f]{16}$/);
    expect(a.dependantId(0)).not.toBe(a.dependantId(1));
    expect(lumpSumAfterAdvance(108_376_000, 54_188_000)).toBe(54_188_000);
    expect(lumpSumAfterAdvance(10, 20)).toBe(0);
  });
});

describe('a reappearance', () => {
  const pension = (id: string, startsOn: string) => ({
    id,
    kind: 'survivor_pension',
    amountFen: 280_000,
    startsOn,
    endsOn: null,
    status: 'active' as const,
  });
  it('ends each running pension on the last day of the month he reappeared, one not begun without an end', () => {
    // Reappeared 2025-08-15: paid to 2025-08-31 ("自出现的次月起停发"); a pension from 2025-09-01 never pays.
    expect(
      endedByReappearance([pension('a', '2025-06-01'), pension('b', '2025-09-01')], '2025-08-15'),
    ).toEqual([
      {
        id: 'a',
        kind: 'survivor_pension',
        amountFen: 280_000,
        startsOn: '2025-06-01',
        endsOnBefore: null,
        endsOn: '2025-08-31',
      },
      {
        id: 'b',
        kind: 'survivor_pension',
        amountFen: 280_000,
        startsOn: '2025-09-01',
        endsOnBefore: null,
        endsOn: null,
      },
    ]);
  });
  it('derives one overpayment id per pension and one per advance payment, apart from the missing ones', () => {
    expect(reappearedOverpaymentId('330100', 'ent_1')).toMatch(/^ovp_[0-9a-f]{20}$/);
    expect(reappearedOverpaymentId('330100', 'ent_1')).not.toBe(
      missingOverpaymentId('330100', 'ent_1'),
    );
    expect(advanceReturnId('330100', 'bpy_1')).toBe(advanceReturnId('330100', 'bpy_1'));
    expect(advanceReturnId('330100', 'bpy_1')).not.toBe(advanceReturnId('330100', 'bpy_2'));
  });
});
