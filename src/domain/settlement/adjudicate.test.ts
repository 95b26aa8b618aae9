import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdjudicatedLine,
  type AdjudicationInput,
  adjudicate,
  diagnosisRelated,
  lineAmountFen,
} from './adjudicate.ts';

/** A recognised case, an inpatient stay 2026-03-02…2026-03-10, three catalogue items mapped. */
function base(lines: AdjudicatedLine[], over: Partial<AdjudicationInput> = {}): AdjudicationInput {
  return {
    caseFacts: { outcome: 'recognised', accidentDate: '2026-03-01', injuryDiagnoses: ['S82.2'] },
    visit: {
      kind: 'inpatient',
      openedOn: '2026-03-02',
      closedOn: '2026-03-10',
      diagnosisCode: 'S82.2',
    },
    agreement: {
      scopes: ['inpatient', 'outpatient'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    },
    lines,
    codeMaps: [
      { ownCode: 'H-DRUG', validFrom: '2026-01-01', validTo: null, catalogueCode: 'D001' },
      { ownCode: 'H-REHAB', validFrom: '2026-01-01', validTo: null, catalogueCode: 'R001' },
      { ownCode: 'H-DEV', validFrom: '2026-01-01', validTo: null, catalogueCode: 'A001' },
      { ownCode: 'H-OLD', validFrom: '2026-01-01', validTo: null, catalogueCode: 'GONE' },
    ],
    catalogue: [
      {
        code: 'D001',
        validFrom: '2026-01-01',
        validTo: null,
        kind: 'drug',
        priceCapFen: 1000,
        quantityLimit: 10,
      },
      {
        code: 'R001',
        validFrom: '2026-01-01',
        validTo: null,
        kind: 'rehabilitation',
        priceCapFen: null,
        quantityLimit: null,
      },
      {
        code: 'A001',
        validFrom: '2026-01-01',
        validTo: null,
        kind: 'device',
        priceCapFen: null,
        quantityLimit: null,
      },
      {
        code: 'GONE',
        validFrom: '2025-01-01',
        validTo: '2025-12-31',
        kind: 'service',
        priceCapFen: null,
        quantityLimit: null,
      },
    ],
    earlierLines: [],
    foodAllowanceFen: 0,
    ...over,
  };
}

function line(lineNo: number, over: Partial<AdjudicatedLine> = {}): AdjudicatedLine {
  const quantityMilli = over.quantityMilli ?? 2000;
  const unitPriceFen = over.unitPriceFen ?? 800;
  return {
    lineNo,
    ownCode: 'H-DRUG',
    servedOn: '2026-03-03',
    quantityMilli,
    unitPriceFen,
    amountFen: lineAmountFen(quantityMilli, unitPriceFen),
    ...over,
  };
}

const only = (input: AdjudicationInput) => adjudicate(input).lines[0]!;

describe('adjudicate: accepted lines', () => {
  it('pays a mapped catalogue line whole, booked by the item kind', () => {
    const r = adjudicate(
      base([line(1), line(2, { ownCode: 'H-REHAB' }), line(3, { ownCode: 'H-DEV' })]),
    );
    expect(r.lines.map((l) => [l.outcome, l.payableFen, l.category, l.catalogueCode])).toEqual([
      ['payable', 1600, 'medical', 'D001'],
      ['payable', 1600, 'rehabilitation', 'R001'],
      ['payable', 1600, 'device', 'A001'],
    ]);
    expect(r.totals).toMatchObject({
      claimedFen: 4800,
      payableFen: 4800,
      rejectedFen: 0,
      fundFen: 4800,
      byCategory: { medical: 1600, rehabilitation: 1600, device: 1600 },
    });
  });

  it('counts a diagnosis of the same ICD-10 category as related', () => {
    expect(diagnosisRelated('S82.1', ['S82.2'])).toBe(true);
    expect(diagnosisRelated('S83', ['S82.2'])).toBe(false);
    const visit = {
      kind: 'inpatient' as const,
      openedOn: '2026-03-02',
      closedOn: null,
      diagnosisCode: 'S82.9',
    };
    expect(only(base([line(1)], { visit })).outcome).toBe('payable');
  });

  it('adds the food allowance to the fund share, not to any line', () => {
    const r = adjudicate(base([line(1)], { foodAllowanceFen: 5000 }));
    expect(r.totals).toMatchObject({ payableFen: 1600, foodAllowanceFen: 5000, fundFen: 6600 });
  });

  it('pays no food allowance for a visit the fund does not cover (a visit-level reason)', () => {
    const r = adjudicate(
      base([line(1)], {
        foodAllowanceFen: 5000,
        caseFacts: {
          outcome: 'not_recognised',
          accidentDate: '2026-03-01',
          injuryDiagnoses: ['S82.2'],
        },
      }),
    );
    expect(r.totals).toMatchObject({ payableFen: 0, foodAllowanceFen: 0, fundFen: 0 });
  });

  it('rounds the line amount half up: 1.5 × 0.33 元 = 0.495 → 0.50 元', () => {
    expect(lineAmountFen(1500, 33)).toBe(50);
    expect(lineAmountFen(1500, 31)).toBe(47);
  });
});

describe('adjudicate: a coded reason for each visit refusal', () => {
  const visitCases: [string, Partial<AdjudicationInput>, string][] = [
    [
      'case not recognised',
      {
        caseFacts: {
          outcome: 'not_recognised',
          accidentDate: '2026-03-01',
          injuryDiagnoses: ['S82.2'],
        },
      },
      'case_not_recognised',
    ],
    [
      'case undecided',
      { caseFacts: { outcome: null, accidentDate: '2026-03-01', injuryDiagnoses: ['S82.2'] } },
      'case_not_recognised',
    ],
    [
      'visit before the accident',
      { caseFacts: { outcome: 'deemed', accidentDate: '2026-03-05', injuryDiagnoses: ['S82.2'] } },
      'visit_outside_case_dates',
    ],
    ['no agreement', { agreement: null }, 'visit_outside_agreement'],
    [
      'kind outside the agreement',
      { agreement: { scopes: ['device'], validFrom: '2026-01-01', validTo: '2026-12-31' } },
      'visit_outside_agreement',
    ],
    [
      'diagnosis unrelated',
      {
        caseFacts: {
          outcome: 'recognised',
          accidentDate: '2026-03-01',
          injuryDiagnoses: ['T20.1'],
        },
      },
      'diagnosis_unrelated',
    ],
  ];
  for (const [name, over, reason] of visitCases)
    it(`rejects every line: ${name}`, () => {
      const r = adjudicate(base([line(1), line(2, { ownCode: 'H-REHAB' })], over));
      for (const l of r.lines) {
        expect(l.outcome).toBe('rejected');
        expect(l.payableFen).toBe(0);
        expect(l.reasons).toContain(reason);
      }
      expect(r.totals.fundFen).toBe(0);
    });
});

describe('adjudicate: a coded reason for each line refusal', () => {
  it('rejects an own code with no map on the line date', () => {
    expect(only(base([line(1, { ownCode: 'H-NONE' })]))).toMatchObject({
      outcome: 'rejected',
      reasons: ['unmapped_code'],
      catalogueCode: null,
    });
  });

  it('rejects a mapped code not in the catalogue on that date', () => {
    expect(only(base([line(1, { ownCode: 'H-OLD' })]))).toMatchObject({
      outcome: 'rejected',
      reasons: ['not_in_catalogue'],
      catalogueCode: 'GONE',
    });
  });

  it('pays an over-priced line at the cap × quantity (partial)', () => {
    const l = only(base([line(1, { unitPriceFen: 1250 })]));
    expect(l).toMatchObject({
      outcome: 'partial',
      claimedFen: 2500,
      payableFen: 2000,
      reasons: ['over_price_cap'],
    });
  });

  it('pays a quantity over the per-visit limit up to the limit, counting earlier lines', () => {
    const r = adjudicate(
      base([
        line(1, { quantityMilli: 8000 }),
        line(2, { quantityMilli: 4000, servedOn: '2026-03-04' }),
        line(3, { quantityMilli: 1000, servedOn: '2026-03-05' }),
      ]),
    );
    expect(r.lines.map((l) => [l.outcome, l.payableFen, l.reasons])).toEqual([
      ['payable', 6400, []],
      ['partial', 1600, ['over_quantity_limit']],
      ['rejected', 0, ['over_quantity_limit']],
    ]);
  });

  it('rejects a duplicate of an earlier line of the visit, and of an earlier settled visit', () => {
    const r = adjudicate(
      base([line(1), line(2)], {
        earlierLines: [
          { catalogueCode: 'R001', servedOn: '2026-03-03', quantityMilli: 2000, amountFen: 1600 },
        ],
      }),
    );
    expect(r.lines.map((l) => [l.outcome, l.reasons])).toEqual([
      ['payable', []],
      ['rejected', ['duplicate_line']],
    ]);
    const again = only(
      base([line(1, { ownCode: 'H-REHAB' })], {
        earlierLines: [
          { catalogueCode: 'R001', servedOn: '2026-03-03', quantityMilli: 2000, amountFen: 1600 },
        ],
      }),
    );
    expect(again).toMatchObject({ outcome: 'rejected', reasons: ['duplicate_line'] });
  });

  it('rejects an amount that is not round-half-up(quantity × unit price)', () => {
    expect(only(base([line(1, { amountFen: 1601 })]))).toMatchObject({
      outcome: 'rejected',
      payableFen: 0,
      reasons: ['amount_mismatch'],
    });
  });

  it('rejects a line served outside the visit dates', () => {
    for (const servedOn of ['2026-03-01', '2026-03-11'])
      expect(only(base([line(1, { servedOn })]))).toMatchObject({
        outcome: 'rejected',
        reasons: ['served_outside_visit'],
      });
  });
});

const lineArb = fc.record({
  ownCode: fc.constantFrom('H-DRUG', 'H-REHAB', 'H-DEV', 'H-OLD', 'H-NONE'),
  servedOn: fc.constantFrom('2026-03-01', '2026-03-03', '2026-03-04', '2026-03-11'),
  quantityMilli: fc.integer({ min: 1, max: 20_000 }),
  unitPriceFen: fc.integer({ min: 0, max: 3000 }),
  amountDelta: fc.constantFrom(0, 0, 0, 1),
});
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 12 }).map((ls) =>
  ls.map((l, i) => ({
    lineNo: i + 1,
    ownCode: l.ownCode,
    servedOn: l.servedOn,
    quantityMilli: l.quantityMilli,
    unitPriceFen: l.unitPriceFen,
    amountFen: lineAmountFen(l.quantityMilli, l.unitPriceFen) + l.amountDelta,
  })),
);

describe('adjudicate: properties', () => {
  it('never pays more than claimed, per line and in total; the totals are the sums', () => {
    fc.assert(
      fc.property(linesArb, (lines) => {
        const r = adjudicate(base(lines));
        for (const l of r.lines) {
          expect(l.payableFen).toBeGreaterThanOrEqual(0);
          expect(l.payableFen).toBeLessThanOrEqual(l.claimedFen);
          if (l.outcome === 'rejected') expect(l.payableFen).toBe(0);
          if (l.outcome === 'payable') expect(l.payableFen).toBe(l.claimedFen);
          if (l.outcome === 'partial') expect(l.reasons.length).toBeGreaterThan(0);
        }
        const sum = (f: (l: (typeof r.lines)[number]) => number) =>
          r.lines.reduce((s, l) => s + f(l), 0);
        expect(r.totals.claimedFen).toBe(sum((l) => l.claimedFen));
        expect(r.totals.payableFen).toBe(sum((l) => l.payableFen));
        expect(r.totals.rejectedFen).toBe(r.totals.claimedFen - r.totals.payableFen);
        const { medical, rehabilitation, device } = r.totals.byCategory;
        expect(medical + rehabilitation + device).toBe(r.totals.payableFen);
      }),
    );
  });

  it('does not depend on the order the lines arrive in', () => {
    fc.assert(
      fc.property(
        linesArb.chain((ls) =>
          fc.tuple(fc.constant(ls), fc.shuffledSubarray(ls, { minLength: ls.length })),
        ),
        ([lines, shuffled]) => {
          expect(adjudicate(base(shuffled))).toEqual(adjudicate(base(lines)));
        },
      ),
    );
  });
});
