import { describe, expect, it } from 'vitest';
import { fromDecimal, fromInt } from '../../kernel/rational.ts';
import type { KindAdjustment } from '../../rules/benefits/indexation.ts';
import {
  foldedPayload,
  foldPage,
  type IndexationEntitlement,
  indexationFold,
  indexationPayload,
  indexationPlan,
  indexationScope,
  linesDigest,
  pageLines,
  registerTerm,
  successorId,
} from './indexation.ts';

const disability: KindAdjustment = {
  kind: 'disability_allowance',
  effectiveOn: '2025-07-01',
  terms: new Map([
    ['1', { rate: fromDecimal('0.02'), fixedFen: fromInt(3000) }],
    ['5', null],
  ]),
  nullReason: 'per employer',
  status: 'demo',
  citation: '《浙江省工伤保险条例》第三十七条',
  rounding: 'half_up',
};

const base: IndexationEntitlement = {
  id: 'ent_330100_0000000000000001',
  workerId: 'wkr_1',
  dependantId: null,
  decisionId: 'bdc_1',
  kind: 'disability_allowance',
  payer: 'fund',
  amountFen: 456789,
  startsOn: '2025-04-01',
  endsOn: null,
  grade: 1,
  nursingLevel: null,
};

const plan = (entitlements: IndexationEntitlement[], adjustments = [disability]) =>
  indexationPlan({ regionCode: '330100', year: 2025, adjustments, entitlements });

describe('indexation plan (《工伤保险条例》第四十条)', () => {
  it('adjusts a grade-1 allowance once: 4 567.89 × 1.02 + 30.00 = 4 689.2478 → 4 689.25 元', () => {
    const out = plan([base]);
    if (!out.ok) throw new Error(out.message);
    expect(out.value.lines).toEqual([
      {
        entitlementId: base.id,
        newEntitlementId: successorId('330100', 'idx_330100_2025', base.id),
        workerId: 'wkr_1',
        dependantId: null,
        decisionId: 'bdc_1',
        kind: 'disability_allowance',
        payer: 'fund',
        ruleKey: '1',
        effectiveOn: '2025-07-01',
        endsOn: null,
        beforeFen: 456789,
        afterFen: 468925,
        citation: '《浙江省工伤保险条例》第三十七条',
      },
    ]);
    expect(out.value.totals).toEqual([
      {
        kind: 'disability_allowance',
        payer: 'fund',
        lines: 1,
        beforeFen: 456789,
        afterFen: 468925,
      },
    ]);
  });

  it('leaves out what started on or after the date or ended before it, and counts the skipped', () => {
    const out = plan([
      { ...base, id: 'ent_a', startsOn: '2025-07-01' },
      { ...base, id: 'ent_b', endsOn: '2025-06-30' },
      { ...base, id: 'ent_c', grade: 5, payer: 'employer' },
      { ...base, id: 'ent_d', grade: null },
      { ...base, id: 'ent_e', kind: 'nursing_allowance', nursingLevel: 'full' },
    ]);
    if (!out.ok) throw new Error(out.message);
    expect(out.value.lines).toEqual([]);
    expect(out.value.skipped).toEqual({ not_adjusted: 1, no_key: 1, unchanged: 0 });
  });
});

describe('indexation plan: survivors and nursing levels', () => {
  it('reads a survivor pension by its one value and a nursing allowance by its level', () => {
    const survivor: KindAdjustment = {
      ...disability,
      kind: 'survivor_pension',
      terms: new Map([['all', { rate: fromDecimal('0.03'), fixedFen: fromInt(0) }]]),
    };
    const nursing: KindAdjustment = {
      ...disability,
      kind: 'nursing_allowance',
      terms: new Map([['mostly', { rate: fromInt(0), fixedFen: fromInt(8000) }]]),
    };
    const out = plan(
      [
        {
          ...base,
          id: 'ent_s',
          kind: 'survivor_pension',
          dependantId: 'dep_1',
          grade: null,
          amountFen: 123_457,
        },
        {
          ...base,
          id: 'ent_n',
          kind: 'nursing_allowance',
          nursingLevel: 'major',
          amountFen: 360_000,
        },
      ],
      [survivor, nursing],
    );
    if (!out.ok) throw new Error(out.message);
    // 1 234.57 元 × 1.03 = 1 271.6071 → 1 271.61 元; 3 600.00 + 80.00 = 3 680.00 元.
    expect(
      out.value.lines.map((l) => [l.entitlementId, l.ruleKey, l.afterFen, l.dependantId]),
    ).toEqual([
      ['ent_n', 'mostly', 368_000, null],
      ['ent_s', 'all', 127_161, 'dep_1'],
    ]);
  });
});

describe('indexation plan: refusals and the payload', () => {
  it('refuses a year with no adjustment and a mid-month effective date', () => {
    expect(plan([base], []).ok).toBe(false);
    const odd = plan([base], [{ ...disability, effectiveOn: '2025-07-15' }]);
    expect(!odd.ok && odd.code).toBe('benefit.indexation_date_invalid');
  });

  it('binds every line in the payload: one fen more is another digest', () => {
    const a = plan([base]);
    const b = plan([{ ...base, amountFen: 456790 }]);
    if (!a.ok || !b.ok) throw new Error('plan refused');
    const pa = indexationPayload('330100', 2025, 's'.repeat(64), a.value);
    const pb = indexationPayload('330100', 2025, 's'.repeat(64), b.value);
    expect(pa.lineCount).toBe(1);
    expect(pa.linesSha256).not.toBe(pb.linesSha256);
  });
});

describe('indexation fold: the register page by page', () => {
  // Five entitlements in id order: three adjusted (grade 1, the last employer-paid: 100 × 1.02 +
  // 3 000 = 3 102), one not adjusted (grade 5), one of an item not adjusted this year (nursing).
  const register: IndexationEntitlement[] = [
    { ...base, id: 'ent_330100_0000000000000001' },
    { ...base, id: 'ent_330100_0000000000000002', amountFen: 300_000 },
    { ...base, id: 'ent_330100_0000000000000003', grade: 5 },
    { ...base, id: 'ent_330100_0000000000000004', kind: 'nursing_allowance', nursingLevel: 'full' },
    { ...base, id: 'ent_330100_0000000000000005', payer: 'employer', amountFen: 100 },
  ];

  it('folds pages of two into the payload of the whole plan: same digest, totals and counts', () => {
    const whole = plan(register);
    if (!whole.ok) throw new Error(whole.message);
    const scope = indexationScope({ regionCode: '330100', year: 2025, adjustments: [disability] });
    if (!scope.ok) throw new Error(scope.message);
    const fold = indexationFold();
    for (let i = 0; i < register.length; i += 2) {
      const page = register.slice(i, i + 2);
      foldPage(fold, page, pageLines(scope.value, page));
    }
    const paged = foldedPayload(scope.value, 2025, 's'.repeat(64), fold);
    const once = indexationPayload('330100', 2025, 's'.repeat(64), whole.value);
    expect(whole.value.lines.length).toBe(3);
    expect(paged).toEqual({
      ...once,
      register: expect.objectContaining({ entitlements: 5 }),
    });
    expect(paged.linesSha256).toBe(linesDigest(whole.value.lines));
  });

  it('witnesses the register read: count, sum and the md5 checksum the SQL aggregate also sums', () => {
    const fold = indexationFold();
    const read = [
      { ...base, id: 'ent_330100_0000000000000001' },
      { ...base, id: 'ent_330100_0000000000000002', endsOn: '2025-06-30' },
    ];
    foldPage(fold, read, { lines: [], skipped: { not_adjusted: 0, no_key: 0, unchanged: 0 } });
    const scope = indexationScope({ regionCode: '330100', year: 2025, adjustments: [disability] });
    if (!scope.ok) throw new Error(scope.message);
    // md5("ent_330100_0000000000000001|disability_allowance|456789|2025-04-01|") = 54c0db2426ab871…
    // → 0x54c0db2426ab871 = 381 695 127 689 279 601; md5("…0002|disability_allowance|456789|
    // 2025-04-01|2025-06-30") = 171ffdf1f2c422d… → 104 145 600 172 016 173 (md5sum, python int()).
    expect(registerTerm(read[0] ?? base)).toBe(381_695_127_689_279_601n);
    expect(foldedPayload(scope.value, 2025, 's'.repeat(64), fold).register).toEqual({
      entitlements: 2,
      amountFen: 913_578,
      // 485 840 727 861 295 774 in hexadecimal.
      checksum: 'md5sum:6be0d916196fa9e',
    });
  });
});
