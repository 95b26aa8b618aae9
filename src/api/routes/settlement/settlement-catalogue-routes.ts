import type { FastifyInstance } from 'fastify';
import {
  catalogueImport,
  catalogueImportParams,
  catalogueImportReport,
  catalogueSearchQuery,
  catalogueSearchResponse,
  catalogueUploadQuery,
} from '../../../contract/settlement/settlement-reference-contract.ts';
import {
  catalogueReportXlsx,
  getCatalogueImport,
  searchCatalogue,
} from '../../../usecases/settlement/settlement-catalogue.ts';
import { importCatalogue } from '../../../usecases/settlement/settlement-catalogue-import.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';
import { acceptFileBodies, settlementRawBody, withUploadedFile } from './settlement-upload.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const importExample = () => ({ params: { importId: `cim_${'0'.repeat(16)}` } });

/**
 * The catalogue (工伤保险目录): province-wide reference data (one pool), so its routes name no
 * region: staff with settlement:read browse it, a city handler (settlement:write) imports it.
 */
export function registerSettlementCatalogueRoutes(app: FastifyInstance): void {
  app.register(async (scoped) => {
    acceptFileBodies(scoped);
    registerSearch(scoped);
    registerUpload(scoped);
    registerReport(scoped);
    registerReportXlsx(scoped);
  });
}

function registerSearch(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/settlement/catalogue/items',
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.catalogue.search',
      summary:
        '目录: the items in force on a day, by code or name prefix and kind, a page at a time',
      tags: ['settlement'],
      schema: { querystring: catalogueSearchQuery, response: { 200: catalogueSearchResponse } },
      example: () => ({ query: { prefix: 'X', date: '2026-01-01' } }),
    },
    async (request) => {
      const { date, ...rest } = request.query;
      return searchCatalogue(app.deps.db, { ...rest, date: date ?? today() });
    },
  );
}

function registerUpload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/settlement/catalogue/imports',
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.catalogue.import',
      summary:
        '目录导入: a CSV (UTF-8 or GBK) or xlsx file as the body; refused whole with a row report when any row is wrong; the same bytes twice import once',
      rawBody: settlementRawBody,
      tags: ['settlement'],
      schema: {
        querystring: catalogueUploadQuery,
        response: { 200: catalogueImport, 201: catalogueImport },
      },
      example: () => ({ query: { fileName: 'catalogue.csv' } }),
    },
    async (request, reply) =>
      withUploadedFile(request, async (path) => {
        const out = await importCatalogue(app.deps.db, request.actor!, {
          source: { kind: 'file', path },
          fileName: request.query.fileName,
        });
        // The use case audits what it records (an import, or a refused one with its report).
        request.audited = out.ok ? !out.value.repeated : true;
        if (!out.ok) throw refusalError(out);
        reply.status(out.value.repeated ? 200 : 201);
        return out.value;
      }),
  );
}

async function reportOf(app: FastifyInstance, importId: string) {
  const found = await getCatalogueImport(app.deps.db, importId);
  if (!found) throw new ProblemError('record.not_found', `catalogue import ${importId} not found`);
  return found;
}

function registerReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/settlement/catalogue/imports/:importId',
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.catalogue.import_report',
      summary: 'A catalogue import and its row report (row, column, code, message zh / en)',
      tags: ['settlement'],
      schema: { params: catalogueImportParams, response: { 200: catalogueImportReport } },
      example: importExample,
    },
    async (request) => reportOf(app, request.params.importId),
  );
}

function registerReportXlsx(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/settlement/catalogue/imports/:importId/report.xlsx',
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.catalogue.import_report_xlsx',
      summary:
        'A catalogue import’s row report as an Excel workbook (行 / 列 / 代码 / 说明 / message)',
      tags: ['settlement'],
      schema: { params: catalogueImportParams },
      example: importExample,
    },
    async (request, reply) => {
      const report = await reportOf(app, request.params.importId);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="catalogue-report-${report.id}.xlsx"`)
        .send(await catalogueReportXlsx(report));
    },
  );
}
