import type { FastifyInstance } from 'fastify';
import {
  agreement,
  agreementParams,
  agreementSignBody,
  agreementTerminateBody,
  institution,
  institutionCreateBody,
  institutionListParams,
  institutionListQuery,
  institutionListResponse,
  institutionPageResponse,
  institutionParams,
  institutionStatusBody,
} from '../../../contract/settlement/settlement-reference-contract.ts';
import {
  listAgreements,
  signAgreement,
  terminateAgreement,
} from '../../../usecases/settlement/settlement-agreements.ts';
import {
  changeInstitutionStatus,
  createInstitution,
  getInstitution,
  listInstitutions,
} from '../../../usecases/settlement/settlement-institutions.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * Institutions (协议机构) and their agreements (服务协议) of a city — or, with the province code, of
 * the whole province (province staff and the supervisor read all). The policy checks the region of
 * the path; the use cases check the institution is managed within it (else 404).
 */
export function registerSettlementInstitutionRoutes(app: FastifyInstance): void {
  registerList(app);
  registerCreate(app);
  registerShow(app);
  registerStatus(app);
  registerSign(app);
  registerTerminate(app);
}

const base = '/api/v1/settlement/regions/:regionCode/institutions';
const exampleInstitution = (regionCode: string) =>
  `INST-${regionCode.endsWith('0000') ? '330100' : regionCode}-0001`;

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.institutions.list',
      regionParam: 'regionCode',
      summary:
        '协议机构: the institutions a city manages (or the province’s), by id, a page at a time',
      tags: ['settlement'],
      schema: {
        params: institutionListParams,
        querystring: institutionListQuery,
        response: { 200: institutionListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) =>
      listInstitutions(app.deps.db, { regionCode: request.params.regionCode, ...request.query }),
  );
}

function registerCreate(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: base,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.institution.create',
      regionParam: 'regionCode',
      summary:
        'Create an institution of the city (统一社会信用代码 checked by GB 32100); id INST-<city>-<4 digits>',
      tags: ['settlement'],
      schema: {
        params: institutionListParams,
        body: institutionCreateBody,
        response: { 201: institution },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: {
          name: '示例协议医院',
          kind: 'hospital',
          level: 'secondary',
          createdOn: '2026-01-01',
        },
      }),
    },
    async (request, reply) => {
      const out = await createInstitution(app.deps.db, request.actor!, {
        regionCode: request.params.regionCode,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:institutionId`,
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.institution.show',
      regionParam: 'regionCode',
      summary: 'One institution with its agreements, oldest first',
      tags: ['settlement'],
      schema: { params: institutionParams, response: { 200: institutionPageResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, institutionId: exampleInstitution(regionCode) },
      }),
    },
    async (request) => {
      const { regionCode, institutionId } = request.params;
      const found = await getInstitution(app.deps.db, regionCode, institutionId);
      if (!found.ok) throw refusalError(found);
      const agreements = await listAgreements(app.deps.db, regionCode, institutionId);
      if (!agreements.ok) throw refusalError(agreements);
      return { institution: found.value, agreements: agreements.value };
    },
  );
}

function registerStatus(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:institutionId/status`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.institution.status',
      regionParam: 'regionCode',
      summary: 'Suspend (暂停), resume or terminate (终止, final) an institution from a date',
      tags: ['settlement'],
      schema: {
        params: institutionParams,
        body: institutionStatusBody,
        response: { 200: institution },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, institutionId: exampleInstitution(regionCode) },
        body: { status: 'suspended', effectiveFrom: '2026-03-01', reason: '协议考核不合格' },
      }),
    },
    async (request) => {
      const out = await changeInstitutionStatus(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerSign(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${base}/:institutionId/agreements`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.agreement.sign',
      regionParam: 'regionCode',
      summary:
        'Sign a service agreement (服务协议) for scopes and dates; valid province-wide; an overlap is refused',
      tags: ['settlement'],
      schema: { params: institutionParams, body: agreementSignBody, response: { 201: agreement } },
      example: ({ regionCode }) => ({
        params: { regionCode, institutionId: exampleInstitution(regionCode) },
        body: { scopes: ['outpatient'], validFrom: '2031-01-01', validTo: '2031-12-31' },
      }),
    },
    async (request, reply) => {
      const out = await signAgreement(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      reply.status(201);
      return out.value;
    },
  );
}

function registerTerminate(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/settlement/regions/:regionCode/agreements/:agreementId/terminate',
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.agreement.terminate',
      regionParam: 'regionCode',
      summary: 'Terminate an agreement from a date (终止协议); the days before stay covered',
      tags: ['settlement'],
      schema: {
        params: agreementParams,
        body: agreementTerminateBody,
        response: { 200: agreement },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, agreementId: `agr_${'0'.repeat(16)}` },
        body: { effectiveFrom: '2026-07-01', reason: '协议到期前解除' },
      }),
    },
    async (request) => {
      const out = await terminateAgreement(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
