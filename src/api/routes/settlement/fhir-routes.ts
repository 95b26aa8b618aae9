import type { FastifyInstance } from 'fastify';
import {
  capabilityStatementResponse,
  claimResponseResponse,
  fhirClaimBody,
} from '../../../contract/settlement/fhir-contract.ts';
import { SETTLEMENT_MESSAGE_VERSION } from '../../../contract/settlement/settlement-lines.ts';
import {
  capabilityStatementOf,
  FHIR_INTERFACE_DATE,
  FHIR_JSON,
} from '../../../domain/settlement/fhir-capability.ts';
import { claimFromFhir } from '../../../domain/settlement/fhir-claim.ts';
import {
  claimResponseOf,
  operationOutcomeOf,
} from '../../../domain/settlement/fhir-claim-response.ts';
import { exampleFhirClaim } from '../../../domain/settlement/testing.ts';
import { chinaInstant } from '../../../kernel/dates.ts';
import { fhirValidator } from '../../../runtime/fhir-schema.ts';
import { settleFhirClaim } from '../../../usecases/settlement/fhir-claim-settle.ts';
import { addRoute } from '../../add-route.ts';

/**
 * The FHIR R4 face of direct settlement, at base /fhir (docs/fhir.md): GET /fhir/metadata, and
 * POST /fhir/Claim — validate against the R4 schema (runtime/fhir-schema.ts) → claimFromFhir → the
 * native transaction set (settleFhirClaim) → claimResponseOf; an invalid Claim is answered 400 (FHIR: "failed basic FHIR validation rules"; malformed input, not audited) with
 * an OperationOutcome naming every problem.
 */
export function registerFhirRoutes(app: FastifyInstance): void {
  // FHIR's own media type carries JSON: parsed by Fastify's JSON parser (prototype-poisoning safe).
  if (!app.hasContentTypeParser('application/fhir+json'))
    app.addContentTypeParser(
      'application/fhir+json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'error'),
    );
  registerMetadata(app);
  registerClaim(app);
}

function registerClaim(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/fhir/Claim',
      access: { kind: 'permission', permission: 'bill:submit' },
      action: 'settlement.fhir_claim',
      summary:
        'FHIR R4 Claim → ClaimResponse: the same adjudication as the native 2207 (use claim) or 2206 (predetermination)',
      tags: ['settlement'],
      // The R4 schema, not zod, judges the body (all problems at once, by FHIR path).
      skipValidation: true,
      schema: {
        body: fhirClaimBody,
        // 400 answers an OperationOutcome (a refused Claim) or the API's problem (unparsable JSON): not declared.
        response: { 200: claimResponseResponse },
      },
      example: () => ({ body: exampleFhirClaim() }),
    },
    async (request, reply) => {
      const claim = claimFromFhir(request.body, fhirValidator());
      if (!claim.ok) return reply.code(400).type(FHIR_JSON).send(operationOutcomeOf(claim.issues));
      const out = await settleFhirClaim(
        app.deps.db,
        app.deps.rules.benefits,
        request.actor!,
        claim.value,
        { respondedAt: chinaInstant() },
      );
      request.audited = true;
      return reply.type(FHIR_JSON).send(claimResponseOf(claim.value, out));
    },
  );
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
