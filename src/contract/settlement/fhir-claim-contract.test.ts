import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ClaimFeeLine } from '../../domain/settlement/fhir-claim.ts';
import { claimFromFhir } from '../../domain/settlement/fhir-claim.ts';
import type { LineOutcome } from '../../domain/settlement/fhir-claim-response.ts';
import { FHIR_LINE_REASONS, FHIR_VISIT_KINDS } from '../../domain/settlement/fhir-systems.ts';
import { exampleFhirClaim } from '../../domain/settlement/testing.ts';
import {
  type FeeLineInput,
  feeLineInput,
  type LineAdjudication,
  lineReasonCodes,
  visitKinds,
} from './settlement-lines.ts';

// The domain floor cannot import the contract, so the FHIR mapping keeps its own copies of the
// native message's lists and shapes; this test holds them equal.
describe('the FHIR mapping speaks the native message', () => {
  it('has the same visit kinds and line reason codes, each with a Chinese name', () => {
    expect(Object.keys(FHIR_VISIT_KINDS).sort()).toEqual([...visitKinds].sort());
    expect(Object.keys(FHIR_LINE_REASONS).sort()).toEqual([...lineReasonCodes].sort());
  });

  it('maps lines the native fee-line schema accepts as they are', () => {
    const r = claimFromFhir(exampleFhirClaim(), () => []);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const line of r.value.lines) expect(feeLineInput.parse(line)).toEqual(line);
  });

  it('has the same line and adjudication shapes', () => {
    expectTypeOf<ClaimFeeLine>().toEqualTypeOf<FeeLineInput>();
    expectTypeOf<LineAdjudication>().toExtend<LineOutcome>();
  });
});
