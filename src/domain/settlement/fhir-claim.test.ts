import { describe, expect, it } from 'vitest';
import { claimFromFhir, type FhirValidate, type NativeClaim } from './fhir-claim.ts';
import { claimResponseOf } from './fhir-claim-response.ts';
import { scaledInteger, yuanOf } from './fhir-read.ts';
import { FHIR_SYSTEMS } from './fhir-systems.ts';
import { exampleFhirClaim } from './testing.ts';

// The schema is checked in src/runtime/fhir-schema.test.ts; here only the mapping is.
const schemaPasses: FhirValidate = () => [];
const map = (claim: unknown) => claimFromFhir(claim, schemaPasses);
const issuesOf = (claim: unknown) => {
  const r = map(claim);
  return r.ok ? [] : r.issues;
};
type Item = ReturnType<typeof exampleFhirClaim>['item'][number];
const withItem = (patch: (item: Item) => Record<string, unknown>) => {
  const claim = exampleFhirClaim();
  const [first, ...rest] = claim.item;
  if (first === undefined) throw new Error('fixture has items');
  return { ...claim, item: [patch(first), ...rest], total: undefined };
};

describe('a FHIR Claim read as the native request', () => {
  it('maps every field: serial, patient, case, visit, lines in milli and fen', () => {
    expect(map(exampleFhirClaim())).toEqual({
      ok: true,
      value: {
        action: 'settle',
        serial: 'H330100-20250304-0001',
        patientIdNumber: '11010519491231002X',
        caseId: 'C-330100-2025-0001',
        visit: {
          hisVisitNo: 'ZY2025030001',
          kind: 'inpatient',
          openedOn: '2025-03-01',
          closedOn: '2025-03-04',
          diagnosisCode: 'S62.3',
        },
        lines: [
          {
            lineNo: 1,
            ownCode: 'YP0001',
            name: '布洛芬缓释胶囊',
            servedOn: '2025-03-01',
            quantityMilli: 1_500,
            unitPriceFen: 1_234,
            amountFen: 1_851,
          },
          {
            lineNo: 2,
            ownCode: 'ZL0002',
            name: '清创缝合术',
            servedOn: '2025-03-01',
            quantityMilli: 1_000,
            unitPriceFen: 35_000,
            amountFen: 35_000,
          },
          {
            lineNo: 3,
            ownCode: 'CW0003',
            name: '普通病房床位费',
            servedOn: '2025-03-02',
            quantityMilli: 3_000,
            unitPriceFen: 4_550,
            amountFen: 13_650,
          },
        ],
      } satisfies NativeClaim,
    });
  });

  it('reads use = predetermination as a pre-settlement and an open period as closedOn null', () => {
    const claim = {
      ...exampleFhirClaim(),
      use: 'predetermination',
      billablePeriod: { start: '2025-03-01T08:00:00+08:00' },
    };
    const r = map(claim);
    expect(r.ok && [r.value.action, r.value.visit.openedOn, r.value.visit.closedOn]).toEqual([
      'pre_settle',
      '2025-03-01',
      null,
    ]);
  });
});

describe('a FHIR Claim that cannot be read as the native request', () => {
  it('refuses a quantity with more than 3 decimals and a price with a fraction of a fen', () => {
    const claim = withItem((i) => ({
      ...i,
      quantity: { value: 1.0005 },
      unitPrice: { value: 12.345, currency: 'CNY' },
      net: { value: 18.51, currency: 'USD' },
    }));
    expect(issuesOf(claim)).toEqual([
      { path: 'item[0].quantity.value', message: 'has more than 3 decimals' },
      { path: 'item[0].unitPrice.value', message: 'has more than 2 decimals' },
      { path: 'item[0].net.currency', message: 'must be CNY' },
    ]);
  });

  it('names every unmappable field at once, never the ID number', () => {
    const claim = {
      ...exampleFhirClaim(),
      status: 'draft',
      identifier: [{ system: FHIR_SYSTEMS.messageSerial, value: 'bad serial!' }],
      contained: [],
      related: [],
      subType: { coding: [{ system: FHIR_SYSTEMS.visitKind, code: 'spa' }] },
      billablePeriod: { start: '2025-03-04', end: '2025-03-01' },
      diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { text: '骨折' } }],
    };
    const paths = issuesOf(claim).map((i) => i.path);
    expect(paths).toEqual([
      'identifier',
      'identifier',
      'identifier',
      'status',
      'patient',
      'related',
      'subType',
      'billablePeriod.end',
      'diagnosis[0]',
    ]);
    expect(JSON.stringify(issuesOf(claim))).not.toContain('11010519491231002X');
  });

  it('refuses repeated item sequences, no items, and a total that is not the sum', () => {
    const claim = exampleFhirClaim();
    const twice = { ...claim, item: [claim.item[0], claim.item[0]], total: undefined };
    expect(issuesOf(twice)).toEqual([
      { path: 'item[1].sequence', message: 'repeats another item’s' },
    ]);
    expect(issuesOf({ ...claim, item: [], total: undefined })).toEqual([
      { path: 'item', message: 'needs at least one fee line' },
    ]);
    expect(issuesOf({ ...claim, total: { value: 505, currency: 'CNY' } })).toEqual([
      { path: 'total.value', message: 'is not the sum of the items’ net' },
    ]);
  });

  it('refuses an item without our code system, a zero quantity and a negative price', () => {
    const claim = withItem((i) => ({
      ...i,
      productOrService: { coding: [{ system: 'http://loinc.org', code: 'x', display: 'x' }] },
      quantity: { value: 0 },
      unitPrice: { value: -1, currency: 'CNY' },
    }));
    expect(issuesOf(claim).map((i) => i.path)).toEqual([
      'item[0].productOrService',
      'item[0].productOrService',
      'item[0].quantity.value',
      'item[0].unitPrice.value',
    ]);
  });
});

describe('exact decimals', () => {
  it('scales JSON decimals exactly or says why not', () => {
    expect(scaledInteger(1.5, 3)).toBe(1_500);
    expect(scaledInteger(0.001, 3)).toBe(1);
    expect(scaledInteger(0.1 + 0.2, 3)).toBe('has more than 3 decimals');
    expect(scaledInteger(12.34, 2)).toBe(1_234);
    expect(scaledInteger(-0.07, 2)).toBe(-7);
    expect(scaledInteger(1e21, 2)).toBe('is not a plain decimal');
  });
  it('writes fen as yuan exactly', () => {
    expect([yuanOf(0), yuanOf(7), yuanOf(1_851), yuanOf(-29), yuanOf(50_501)]).toEqual([
      0, 0.07, 18.51, -0.29, 505.01,
    ]);
  });
});

describe('the ClaimResponse of an outcome', () => {
  const claim = map(exampleFhirClaim());
  if (!claim.ok) throw new Error('fixture maps');
  const response = claimResponseOf(claim.value, {
    settlementId: 'S-1',
    status: 'settled',
    lines: [
      {
        lineNo: 3,
        outcome: 'rejected',
        claimedFen: 13_650,
        payableFen: 0,
        reasons: ['not_in_catalogue', 'duplicate_line'],
        catalogueCode: null,
      },
    ],
    totals: { claimedFen: 13_650, payableFen: 0 },
    respondedAt: '2025-03-04T10:00:05+08:00',
    fundRegion: '330000',
  });

  it('answers submitted and benefit per item, the first reason on benefit, others as reasons', () => {
    const item = response.item?.[0];
    expect(item?.itemSequence).toBe(3);
    expect(item?.adjudication.map((a) => a.category.coding[0]?.code)).toEqual([
      'submitted',
      'benefit',
      'reason',
    ]);
    expect(
      item?.adjudication.map((a) => ('reason' in a ? a.reason?.coding[0]?.code : null)),
    ).toEqual([null, 'not_in_catalogue', 'duplicate_line']);
    expect(item?.adjudication[1]?.reason?.coding[0]?.display).toBe('不在工伤保险目录内');
  });

  it('points back at the Claim by its serial and is complete', () => {
    expect(response.request.identifier.value).toBe('H330100-20250304-0001');
    expect(response.outcome).toBe('complete');
    expect(response.identifier).toEqual([{ system: FHIR_SYSTEMS.settlementId, value: 'S-1' }]);
  });

  it('names the patient masked, never by the full ID number', () => {
    expect(response.patient).toEqual({ display: '110105********002X' });
    expect(JSON.stringify(response)).not.toContain('11010519491231002X');
  });
});
