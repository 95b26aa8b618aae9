import { FHIR_SYSTEMS } from './fhir-systems.ts';

/** The media type of every FHIR answer (R4 http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json';

/** The day this FHIR interface was last changed (CapabilityStatement.date). */
export const FHIR_INTERFACE_DATE = '2026-12-06';

/**
 * The R4 CapabilityStatement of this server (GET /fhir/metadata): what an institution's HIS may
 * call. Public, as R4 expects of `metadata` (it says what the server does, nothing of anyone's
 * data); POST /fhir/Claim itself needs the institution's API token. `date` is the software's
 * release day and `version` its version, passed in (the domain has no clock).
 */
export function capabilityStatementOf(input: { version: string; date: string }) {
  return {
    resourceType: 'CapabilityStatement' as const,
    status: 'active',
    date: input.date,
    publisher: 'tongchou',
    kind: 'instance',
    software: { name: 'tongchou', version: input.version },
    implementation: {
      description: '工伤保险协议机构联网直接结算 / direct settlement (FHIR R4 face)',
    },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Settle a visit by POSTing a Claim (use = claim: 结算; predetermination: 预结算). ' +
          'Authenticate with the institution’s API token (Authorization: Bearer). docs/fhir.md.',
        security: {
          cors: false,
          description: 'Bearer API token of the institution, scoped to the settlement permissions',
        },
        resource: [
          {
            type: 'Claim',
            documentation: `Identified by ${FHIR_SYSTEMS.messageSerial}; idempotent by it`,
            interaction: [{ code: 'create' }],
          },
          {
            type: 'ClaimResponse',
            documentation: 'Returned by the create of a Claim (not stored as a resource)',
            interaction: [],
          },
        ],
      },
    ],
  };
}
