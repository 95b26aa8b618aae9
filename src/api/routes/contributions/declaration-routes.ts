import type { FastifyInstance } from 'fastify';
import {
  DECLARATION_UPLOAD_TYPES,
  declarationImportParams,
  declarationLinesQuery,
  declarationListQuery,
  declarationListResponse,
  declarationParams,
  declarationReportResponse,
  declarationResponse,
  declarationUploadQuery,
  declarationUploadResponse,
  employerDeclarationsParams,
} from '../../../contract/contributions/declarations-contract.ts';
import { listDeclarations } from '../../../usecases/contributions/declaration-reads.ts';
import { findEmployer } from '../../../usecases/registry/employer-page.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError } from '../../errors.ts';
import { registryExamples } from '../registry/registry-route-kit.ts';
import {
  declarationRawBody,
  importReport,
  sendReportXlsx,
  showDeclaration,
  uploadDeclaration,
} from './declaration-route-kit.ts';
import { registerOwnDeclarationRoutes } from './own-declaration-routes.ts';

/**
 * Payroll declarations (缴费工资申报) of a city's employers (staff, scoped like the register: a
 * city handler its city, the province all with the province code) and of the employer role's own
 * employer (/api/v1/employer/…). The upload's body is the file itself: a content-type parser local
 * to these routes leaves the request stream unread, and the handler spools it to a temporary file
 * (bounded by DECLARATION_FILE_BYTES_MAX, 64 MB: 1 M rows) before the use case opens a transaction.
 */
export function registerDeclarationRoutes(app: FastifyInstance): void {
  app.register(async (scoped) => {
    scoped.addContentTypeParser([...DECLARATION_UPLOAD_TYPES], (_request, _payload, done) =>
      done(null, undefined),
    );
    registerUpload(scoped);
    registerList(scoped);
    registerShow(scoped);
    registerReport(scoped);
    registerReportXlsx(scoped);
    registerOwnDeclarationRoutes(scoped);
  });
}

const example = (regionCode: string) => ({
  params: { regionCode, employerId: registryExamples.employerId(regionCode) },
});

function registerUpload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/employers/:employerId/declarations',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.declaration.upload',
      regionParam: 'regionCode',
      summary:
        '缴费工资申报: upload a CSV (UTF-8 or GBK) or xlsx file as the body; refused whole with a row report when any row is wrong',
      rawBody: declarationRawBody,
      tags: ['contributions'],
      schema: {
        params: employerDeclarationsParams,
        querystring: declarationUploadQuery,
        response: { 200: declarationUploadResponse, 201: declarationUploadResponse },
      },
      example: (ctx) => ({
        ...example(ctx.regionCode),
        query: { month: '2025-03', fileName: 'a.csv' },
      }),
    },
    async (request, reply) =>
      uploadDeclaration(app, request, reply, { ...request.params, ...request.query }),
  );
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/employers/:employerId/declarations',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.declarations.list',
      regionParam: 'regionCode',
      summary: 'An employer’s declaration versions (newest month first) and its latest uploads',
      tags: ['contributions'],
      schema: {
        params: employerDeclarationsParams,
        querystring: declarationListQuery,
        response: { 200: declarationListResponse },
      },
      example: (ctx) => example(ctx.regionCode),
    },
    async (request) => {
      const { regionCode, employerId } = request.params;
      if (!(await findEmployer(app.deps.db, regionCode, employerId)))
        throw new ProblemError('record.not_found', `employer ${employerId} not found`);
      return listDeclarations(app.deps.db, request.params, request.query.limit);
    },
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/declarations/:declarationId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.declaration.show',
      regionParam: 'regionCode',
      summary: 'One declaration version with its lines in file order (ID numbers masked)',
      tags: ['contributions'],
      schema: {
        params: declarationParams,
        querystring: declarationLinesQuery,
        response: { 200: declarationResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, declarationId: `dcl_${regionCode}_${'0'.repeat(16)}` },
      }),
    },
    async (request) =>
      showDeclaration(app, request.actor!, { ...request.params, ...request.query }),
  );
}

const importExample = ({ regionCode }: { regionCode: string }) => ({
  params: { regionCode, importId: `dci_${regionCode}_${'0'.repeat(16)}` },
});

function registerReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/declaration-imports/:importId',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.declaration.report',
      regionParam: 'regionCode',
      summary: 'An upload and its row report (row, column, code, message zh / en)',
      tags: ['contributions'],
      schema: { params: declarationImportParams, response: { 200: declarationReportResponse } },
      example: importExample,
    },
    async (request) => importReport(app, request.params),
  );
}

function registerReportXlsx(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/declaration-imports/:importId/report.xlsx',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.declaration.report_xlsx',
      regionParam: 'regionCode',
      summary: 'An upload’s row report as an Excel workbook (行 / 列 / 代码 / 说明 / message)',
      tags: ['contributions'],
      schema: { params: declarationImportParams },
      example: importExample,
    },
    async (request, reply) => sendReportXlsx(app, reply, request.params),
  );
}
