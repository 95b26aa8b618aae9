import type { FastifyInstance } from 'fastify';
import {
  declarationLinesQuery,
  declarationListQuery,
  declarationListResponse,
  declarationReportResponse,
  declarationResponse,
  declarationUploadQuery,
  declarationUploadResponse,
  ownDeclarationImportParams,
  ownDeclarationParams,
} from '../../../contract/contributions/declarations-contract.ts';
import type { Actor } from '../../../identity/actor.ts';
import { listDeclarations } from '../../../usecases/contributions/declaration-reads.ts';
import type { EmployerRow } from '../../../usecases/registry/employers.ts';
import { addRoute } from '../../add-route.ts';
import { ownEmployer } from '../registry/registry-route-kit.ts';
import {
  declarationRawBody,
  importReport,
  sendReportXlsx,
  showDeclaration,
  uploadDeclaration,
} from './declaration-route-kit.ts';

/**
 * The employer role's own declarations: its employer is the one its scope names (its credit code);
 * every read is limited to that employer, so another employer's version or report answers 404.
 */
export function registerOwnDeclarationRoutes(app: FastifyInstance): void {
  registerOwnUpload(app);
  registerOwnList(app);
  registerOwnShow(app);
  registerOwnReport(app);
  registerOwnReportXlsx(app);
}

async function own(
  app: FastifyInstance,
  actor: Actor,
): Promise<{ regionCode: string; employerId: string; row: EmployerRow }> {
  const employer = await ownEmployer(app, actor);
  return { regionCode: employer.regionCode, employerId: employer.id, row: employer };
}

const zeros = '0'.repeat(16);

function registerOwnUpload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/employer/declarations',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.own.declaration.upload',
      summary: '缴费工资申报 of your employer: the CSV or xlsx file as the body',
      rawBody: declarationRawBody,
      tags: ['contributions'],
      schema: {
        querystring: declarationUploadQuery,
        response: { 200: declarationUploadResponse, 201: declarationUploadResponse },
      },
      example: () => ({ query: { month: '2025-03', fileName: 'a.csv' } }),
    },
    async (request, reply) => {
      const { regionCode, employerId } = await own(app, request.actor!);
      return uploadDeclaration(app, request, reply, { regionCode, employerId, ...request.query });
    },
  );
}

function registerOwnList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/declarations',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.declarations.list',
      summary: 'Your employer’s declaration versions and uploads',
      tags: ['contributions'],
      schema: { querystring: declarationListQuery, response: { 200: declarationListResponse } },
      example: () => ({}),
    },
    async (request) => {
      const { regionCode, employerId } = await own(app, request.actor!);
      return listDeclarations(app.deps.db, { regionCode, employerId }, request.query.limit);
    },
  );
}

function registerOwnShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/declarations/:declarationId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.declaration.show',
      summary: 'One of your employer’s declaration versions with its lines',
      tags: ['contributions'],
      schema: {
        params: ownDeclarationParams,
        querystring: declarationLinesQuery,
        response: { 200: declarationResponse },
      },
      example: () => ({ params: { declarationId: `dcl_330100_${zeros}` } }),
    },
    async (request) => {
      const { regionCode, employerId } = await own(app, request.actor!);
      return showDeclaration(app, request.actor!, {
        regionCode,
        employerId,
        ...request.params,
        ...request.query,
      });
    },
  );
}

function registerOwnReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/declaration-imports/:importId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.declaration.report',
      summary: 'One of your uploads and its row report',
      tags: ['contributions'],
      schema: { params: ownDeclarationImportParams, response: { 200: declarationReportResponse } },
      example: () => ({ params: { importId: `dci_330100_${zeros}` } }),
    },
    async (request) => {
      const { regionCode, employerId } = await own(app, request.actor!);
      return importReport(app, { regionCode, employerId, ...request.params });
    },
  );
}

function registerOwnReportXlsx(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/employer/declaration-imports/:importId/report.xlsx',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.own.declaration.report_xlsx',
      summary: 'One of your uploads’ row report as an Excel workbook',
      tags: ['contributions'],
      schema: { params: ownDeclarationImportParams },
      example: () => ({ params: { importId: `dci_330100_${zeros}` } }),
    },
    async (request, reply) => {
      const { regionCode, employerId } = await own(app, request.actor!);
      return sendReportXlsx(app, reply, { regionCode, employerId, ...request.params });
    },
  );
}
