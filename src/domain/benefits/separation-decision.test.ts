import { describe, expect, it } from 'vitest';
import {
  checkSeparation,
  entitlementEnds,
  type SeparationFacts,
  separationInputOf,
  separationPayableTransaction,
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
