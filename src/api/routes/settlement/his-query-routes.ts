import type { FastifyInstance } from 'fastify';
import {
  caseDiagnosesBody,
  caseDiagnosesParams,
  caseDiagnosesResponse,
  hisRecord,
  messageQueryParams,
  settlementQueryParams,
  visitQueryParams,
} from '../../../contract/settlement/his-messages.ts';
import {
  injuryDiagnosesOf,
  recordInjuryDiagnoses,
} from '../../../usecases/settlement/case-injury-diagnoses.ts';
import {
  messageStatus,
  settlementDetail,
  visitDetail,
} from '../../../usecases/settlement/his-queries.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The transaction set's queries (bill:read): what happened to a message — the answer to a
 * timeout, before any resend — a visit and a settlement of the institution's own. And the case's
 * injury diagnoses, recorded by the city (case:write) and read by it (case:read).
 */
export function registerHisQueryRoutes(app: FastifyInstance): void {
  registerMessageQuery(app);
  registerVisitQuery(app);
  registerSettlementQuery(app);
  registerCaseDiagnoses(app);
}

function registerMessageQuery(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/settlement/his/messages/:txCode/:serial',
      access: { kind: 'permission', permission: 'bill:read' },
      action: 'settlement.his.message.show',
      summary:
        'What happened to a message (code, serial): done, reversed or a tombstone, and its stored answer',
      tags: ['settlement'],
      schema: { params: messageQueryParams, response: { 200: hisRecord } },
      example: () => ({ params: { txCode: '2207', serial: 'NEVER-SENT' } }),
    },
    async (request) => {
      const out = await messageStatus(app.deps.db, request.actor!, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerVisitQuery(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/settlement/his/visits/:visitId',
      access: { kind: 'permission', permission: 'bill:read' },
      action: 'settlement.his.visit.show',
      summary: 'A visit of the institution: registration, fee lines, settlements',
      tags: ['settlement'],
      schema: { params: visitQueryParams, response: { 200: hisRecord } },
      example: () => ({ params: { visitId: 'vis_0000000000000000' } }),
    },
    async (request) => {
      const out = await visitDetail(app.deps.db, request.actor!, request.params.visitId);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerSettlementQuery(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/settlement/his/settlements/:settlementId',
      access: { kind: 'permission', permission: 'bill:read' },
      action: 'settlement.his.settlement.show',
      summary: 'A settlement (or its negative twin) of the institution with its line results',
      tags: ['settlement'],
      schema: { params: settlementQueryParams, response: { 200: hisRecord } },
      example: () => ({ params: { settlementId: 'stl_0000000000000000' } }),
    },
    async (request) => {
      const out = await settlementDetail(app.deps.db, request.actor!, request.params.settlementId);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerCaseDiagnoses(app: FastifyInstance): void {
  const url = '/api/v1/regions/:regionCode/cases/:caseId/injury-diagnoses';
  addRoute(
    app,
    {
      method: 'POST',
      url,
      access: { kind: 'permission', permission: 'case:write' },
      action: 'cases.injury_diagnoses.record',
      regionParam: 'regionCode',
      summary: 'Record ICD-10 injury diagnoses of a case (added, never removed)',
      tags: ['settlement'],
      schema: {
        params: caseDiagnosesParams,
        body: caseDiagnosesBody,
        response: { 200: caseDiagnosesResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: `cas_${regionCode}_0000000000000000` },
        body: { codes: ['S82.2'] },
      }),
    },
    async (request) => {
      const out = await recordInjuryDiagnoses(app.deps.db, request.actor!, {
        ...request.params,
        codes: request.body.codes,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
  addRoute(
    app,
    {
      method: 'GET',
      url,
      access: { kind: 'permission', permission: 'case:read' },
      action: 'cases.injury_diagnoses.show',
      regionParam: 'regionCode',
      summary: 'The injury diagnoses recorded on a case',
      tags: ['settlement'],
      schema: { params: caseDiagnosesParams, response: { 200: caseDiagnosesResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, caseId: `cas_${regionCode}_0000000000000000` },
      }),
    },
    async (request) => {
      const out = await injuryDiagnosesOf(app.deps.db, request.params);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
