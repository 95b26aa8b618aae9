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
