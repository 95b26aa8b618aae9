import { describe, expect, it } from 'vitest';
import { calculateFromUnknown } from '../../rules/calculator/index.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import {
  checkSeparation,
  entitlementEnds,
  highestGradeCase,
  type SeparationFacts,
  separationInputOf,
  separationItems,
  separationPayableTransaction,
  separationPayload,
} from './separation-decision.ts';

const facts: SeparationFacts = {
  grade: 7,
  reason: 'contract_expiry',
  date: '2025-09-15',
  injuryDate: '2025-03-10',
  birthDate: '1980-04-02',
  retirementAge: { years: 60, months: 0 },
  on: '2025-09-20',
};
const code = (f: Partial<SeparationFacts>) => {
  const r = checkSeparation({ ...facts, ...f });
  return r.ok ? r.value.retirementDate : r.code;
};

describe('checkSeparation', () => {
  it('answers the retirement date of a worker below it', () => {
    expect(code({})).toBe('2040-04-02');
    // The injury day itself and the proposal's day are allowed.
    expect(code({ date: '2025-03-10' })).toBe('2040-04-02');
    expect(code({ date: '2025-09-20' })).toBe('2040-04-02');
  });

  it('refuses grades 1–4, a grade 5–6 contract expiry, and dates out of range', () => {
    expect(code({ grade: 4 })).toBe('benefit.separation_grade_keeps_relationship');
    expect(code({ grade: 6 })).toBe('benefit.separation_reason_not_allowed');
    expect(code({ grade: 6, reason: 'worker_request' })).toBe('2040-04-02');
    expect(code({ date: '2025-03-09' })).toBe('benefit.separation_before_injury');
    expect(code({ date: '2025-09-21' })).toBe('benefit.separation_in_future');
    // Retirement on the separation day itself: the worker is no longer below the age.
    expect(code({ birthDate: '1965-09-15' })).toBe('benefit.separation_after_retirement');
    expect(code({ birthDate: '1965-09-16' })).toBe('2025-09-16');
  });
});

describe('entitlementEnds', () => {
  it('ends the 伤残津贴 on the separation date, one not started without an end date, nothing else', () => {
    expect(
      entitlementEnds(
        [
          { id: 'ent_b', kind: 'disability_allowance', startsOn: '2025-10-01' },
          { id: 'ent_a', kind: 'disability_allowance', startsOn: '2025-07-01' },
          { id: 'ent_c', kind: 'nursing_allowance', startsOn: '2025-07-01' },
        ],
        '2025-09-15',
      ),
    ).toEqual([
      { entitlementId: 'ent_a', kind: 'disability_allowance', endsOn: '2025-09-15' },
      { entitlementId: 'ent_b', kind: 'disability_allowance', endsOn: null },
    ]);
  });

  it('ends every periodic item where the insurance relationship ends with the separation', () => {
    expect(
      entitlementEnds(
        [
          { id: 'ent_c', kind: 'nursing_allowance', startsOn: '2025-07-01' },
          { id: 'ent_a', kind: 'disability_allowance', startsOn: '2025-07-01' },
        ],
        '2025-09-15',
        'all',
      ),
    ).toEqual([
      { entitlementId: 'ent_a', kind: 'disability_allowance', endsOn: '2025-09-15' },
      { entitlementId: 'ent_c', kind: 'nursing_allowance', endsOn: '2025-09-15' },
    ]);
  });
});

describe('separation input and ledger', () => {
  it('adds the separation to the approved input, keeping every other field', () => {
    const input = separationInputOf({ region: '330100', disabilityGrade: 7 }, facts);
    expect(input).toEqual({
      region: '330100',
      disabilityGrade: 7,
      separation: {
        date: '2025-09-15',
        birthDate: '1980-04-02',
        retirementAge: { years: 60, months: 0 },
      },
    });
  });

  it('posts Dr 5109 / Cr 2102 for the fund’s grant, nothing without one', () => {
    const tx = separationPayableTransaction({
      separationId: 'bsp_330100_0000000000000001',
      segment: '330100',
      effectiveDate: '2025-09-22',
      snapshotId: 'a'.repeat(64),
      lumpSums: [{ code: 'medical_separation_grant', account: '5109', amountFen: 7_200_000 }],
    });
    expect(tx?.id).toBe('benefit-separation:bsp_330100_0000000000000001:approved');
    expect(tx?.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['5109', 'debit', 7_200_000],
      ['2102', 'credit', 7_200_000],
    ]);
    expect(
      separationPayableTransaction({
        separationId: 'bsp_330100_0000000000000001',
        segment: '330100',
        effectiveDate: '2025-09-22',
        snapshotId: 'a'.repeat(64),
        lumpSums: [],
      }),
    ).toBeNull();
  });
});

/**
 * 《浙江省工伤保险条例》第二十八条: "…一次性工伤医疗补助金和一次性伤残就业补助金按照最高伤残等级计发。" The highest
 * grade is the smallest number; its case's decision input carries the grants.
 */
describe('highestGradeCase (浙江 第二十八条)', () => {
  const seven = { caseId: 'cas_b', decisionId: 'bdc_b', grade: 7 };
  const nine = { caseId: 'cas_a', decisionId: 'bdc_a', grade: 9 };

  it('takes grade 7 over grade 9 whichever case is asked for; of equal grades the asked one', () => {
    expect(highestGradeCase('cas_a', [nine, seven])).toEqual(seven);
    expect(highestGradeCase('cas_b', [seven, nine])).toEqual(seven);
    const otherSeven = { caseId: 'cas_c', decisionId: 'bdc_c', grade: 7 };
    expect(highestGradeCase('cas_c', [seven, otherSeven, nine])).toEqual(otherSeven);
    expect(highestGradeCase('cas_a', [otherSeven, seven, nine])).toEqual(seven);
  });

  it('grades 7 and 9 in 浙江 2025: grade 7’s 10 and 10 months of 7,200 元 = 72,000.00 元 each', () => {
    const lead = highestGradeCase('cas_a', [nine, seven]);
    const input = separationInputOf(
      {
        region: '330000',
        kind: 'disability',
        injuryDate: '2025-03-10',
        decisionDate: '2025-07-01',
        monthlyWagesFen: [600_000],
        disabilityGrade: lead.grade,
      },
      { date: '2025-09-15', birthDate: '1980-01-15', retirementAge: { years: 60, months: 0 } },
    );
    const r = calculateFromUnknown(input, testRuleBook().benefits);
    if (!r.ok) throw new Error(JSON.stringify(r.body));
    // 《浙江省工伤保险条例》第二十七条第二款 "七级伤残为十个月": 720,000 fen × 10 = 7,200,000 fen (grade 9: 4 months, 2,880,000).
    expect(separationItems(r.body.items).map((i) => [i.code, i.amountFen])).toEqual([
      ['medical_separation_grant', 7_200_000],
      ['employment_separation_grant', 7_200_000],
    ]);
  });

  it('a combined payload names the grade used and every case, in case order; a single one has no combined part', () => {
    const base = {
      separationId: 'bsp_1',
      caseId: 'cas_a',
      decisionId: 'bdc_b',
      workerId: 'wkr_1',
      date: '2025-09-15',
      reason: 'worker_request' as const,
      birthDate: '1980-01-15',
      retirementDate: '2040-01-15',
      items: [],
      entitlementEnds: [],
      snapshotId: 's',
    };
    const citation = '《浙江省工伤保险条例》第二十八条';
    expect(
      separationPayload({ ...base, combined: { grade: 7, citation, cases: [seven, nine] } })
        .combined,
    ).toEqual({ grade: 7, citation, cases: [nine, seven] });
    expect('combined' in separationPayload(base)).toBe(false);
  });
});
