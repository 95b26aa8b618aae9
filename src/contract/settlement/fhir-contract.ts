import { z } from 'zod';

/**
 * FHIR answers are R4 resources, checked against the official R4 JSON schema where they are built
 * (src/runtime/fhir-schema.test.ts), not restated in zod: these schemas name the resource and pass
 * every element through.
 */
export const capabilityStatementResponse = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  fhirVersion: z.literal('4.0.1'),
});

/** POST /fhir/Claim's body: an R4 Claim, validated against the R4 schema by the route itself. */
export const fhirClaimBody = z.looseObject({ resourceType: z.literal('Claim') });

/** Its answer: an R4 ClaimResponse (an invalid Claim: 400 with an OperationOutcome). */
export const claimResponseResponse = z.looseObject({
  resourceType: z.literal('ClaimResponse'),
  outcome: z.enum(['complete', 'error', 'queued', 'partial']),
});
