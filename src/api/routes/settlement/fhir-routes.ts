import type { FastifyInstance } from 'fastify';
import { capabilityStatementResponse } from '../../../contract/settlement/fhir-contract.ts';
import { SETTLEMENT_MESSAGE_VERSION } from '../../../contract/settlement/settlement-lines.ts';
import {
  capabilityStatementOf,
  FHIR_INTERFACE_DATE,
  FHIR_JSON,
} from '../../../domain/settlement/fhir-capability.ts';
import { addRoute } from '../../add-route.ts';

/**
 * The FHIR R4 face of direct settlement, at base /fhir (docs/fhir.md). POST /fhir/Claim is wired
 * at merge to the native settle use case: validate (runtime/fhir-schema.ts) → claimFromFhir →
 * settle → claimResponseOf, or operationOutcomeOf on a refused Claim.
 */
export function registerFhirRoutes(app: FastifyInstance): void {
  registerMetadata(app);
}

function registerMetadata(app: FastifyInstance): void {
  // Built once: it depends on nothing but the software.
  const statement = capabilityStatementOf({
    version: `message format ${SETTLEMENT_MESSAGE_VERSION}`,
    date: FHIR_INTERFACE_DATE,
  });
  addRoute(
    app,
    {
      method: 'GET',
      url: '/fhir/metadata',
      // Public as R4 expects of `metadata`: it says what the server can do, nothing of anyone.
      access: { kind: 'public' },
      action: 'settlement.fhir_metadata',
      summary: 'FHIR R4 CapabilityStatement of the settlement interface (application/fhir+json)',
      tags: ['settlement'],
      schema: { response: { 200: capabilityStatementResponse } },
    },
    async (_request, reply) => reply.type(FHIR_JSON).send(statement),
  );
}
