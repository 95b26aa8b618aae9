import type { FastifyInstance } from 'fastify';
import {
  caseMaterialParams,
  caseMaterialsParams,
  MATERIAL_UPLOAD_TYPES,
  materialResponse,
  materialsListResponse,
  materialUploadQuery,
  materialWithdrawBody,
  selfCaseMaterialParams,
  selfCaseMaterialsParams,
} from '../../../contract/cases/materials-contract.ts';
import { withdrawMaterial } from '../../../usecases/cases/materials.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';
import {
  materialsPage,
  selfCase,
  sendMaterial,
  staffCase,
  uploadMaterial,
} from './material-kit.ts';

/**
 * A case's materials (《工伤保险条例》第十八条): staff of the case's city (case:read to list and
 * download, case:write to upload and withdraw) under /regions/:regionCode/cases/:caseId/…, and the
 * employer or worker of the case under /my/cases/:caseId/… (self:read, self:write). The upload's
 * body is the file itself: a content-type parser local to these routes leaves the stream unread and
 * the handler reads it, bounded by MATERIAL_FILE_BYTES_MAX.
 */
export function registerMaterialRoutes(app: FastifyInstance): void {
  app.register(async (scoped) => {
    scoped.addContentTypeParser([...MATERIAL_UPLOAD_TYPES], (_request, _payload, done) =>
      done(null, undefined),
    );
    registerStaffUpload(scoped);
    registerStaffList(scoped);
    registerStaffDownload(scoped);
    registerStaffWithdraw(scoped);
    registerSelfUpload(scoped);
    registerSelfList(scoped);
    registerSelfDownload(scoped);
  });
}

const zeros = '0'.repeat(16);
const caseExample = (regionCode: string) => ({ regionCode, caseId: `cas_${regionCode}_${zeros}` });
const materialExample = (regionCode: string) => ({
  ...caseExample(regionCode),
  materialId: `mat_${regionCode}_${zeros}`,
});
const rawBody = {
  mediaTypes: MATERIAL_UPLOAD_TYPES,
  description: 'the file itself: PDF, JPEG or PNG (the type is read from its first bytes)',
};
const uploadSummary =
  'the file itself as the body (PDF, JPEG or PNG, decided by its content; Content-Type application/octet-stream or the file type), the checklist item and file name in the query';

function registerStaffUpload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/materials',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'case.material.add',
      regionParam: 'regionCode',
      summary: `工伤认定申请材料: upload ${uploadSummary}`,
      rawBody,
      tags: ['cases'],
      schema: {
        params: caseMaterialsParams,
        querystring: materialUploadQuery,
        response: { 201: materialResponse },
      },
      example: ({ regionCode }) => ({
        params: caseExample(regionCode),
        query: { itemCode: 'application_form', fileName: 'a.pdf' },
      }),
    },
    async (request, reply) => {
      const kase = await staffCase(app, request.params.regionCode, request.params.caseId);
      return uploadMaterial(app, request, reply, { kase, ...request.query });
    },
  );
}

function registerStaffList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/materials',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'case.materials.list',
      regionParam: 'regionCode',
      summary: 'A case’s materials and its checklist (present / missing items, 第十八条)',
      tags: ['cases'],
      schema: { params: caseMaterialsParams, response: { 200: materialsListResponse } },
      example: ({ regionCode }) => ({ params: caseExample(regionCode) }),
    },
    async (request) =>
      materialsPage(
        app,
        await staffCase(app, request.params.regionCode, request.params.caseId),
        'staff',
      ),
  );
}

function registerStaffDownload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/cases/:caseId/materials/:materialId/file',
      access: { kind: 'permission', permission: 'case:read' },
      action: 'case.material.download',
      regionParam: 'regionCode',
      summary: 'One material’s file (checked against its sha256 before it is sent; audited)',
      tags: ['cases'],
      schema: { params: caseMaterialParams },
      example: ({ regionCode }) => ({ params: materialExample(regionCode) }),
    },
    async (request, reply) => {
      const kase = await staffCase(app, request.params.regionCode, request.params.caseId);
      const materialId = request.params.materialId;
      return sendMaterial(app, request, reply, { kase, materialId, reader: 'staff' });
    },
  );
}

function registerStaffWithdraw(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/cases/:caseId/materials/:materialId/withdrawal',
      access: { kind: 'permission', permission: 'case:write' },
      action: 'case.material.withdraw',
      regionParam: 'regionCode',
      summary: 'Withdraw a material (kept on record, no longer counted on the checklist)',
      tags: ['cases'],
      schema: {
        params: caseMaterialParams,
        body: materialWithdrawBody,
        response: { 200: materialResponse },
      },
      example: ({ regionCode }) => ({
        params: materialExample(regionCode),
        body: { reason: 'wrong file' },
      }),
    },
    async (request) => {
      const kase = await staffCase(app, request.params.regionCode, request.params.caseId);
      const out = await withdrawMaterial(app.deps.db, request.actor!, {
        regionCode: kase.regionCode,
        caseId: kase.id,
        materialId: request.params.materialId,
        reason: request.body.reason,
        today: today(),
      });
      if (!out.ok) throw refusalError(out);
      request.audited = true;
      return out.value;
    },
  );
}

function registerSelfUpload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/my/cases/:caseId/materials',
      access: { kind: 'permission', permission: 'self:write' },
      action: 'case.self.material.add',
      summary: `Your case’s materials (employer or worker): upload ${uploadSummary}`,
      rawBody,
      tags: ['cases'],
      schema: {
        params: selfCaseMaterialsParams,
        querystring: materialUploadQuery,
        response: { 201: materialResponse },
      },
      example: () => ({
        params: { caseId: `cas_330100_${zeros}` },
        query: { itemCode: 'application_form', fileName: 'a.pdf' },
      }),
    },
    async (request, reply) => {
      const kase = await selfCase(app, request, request.params.caseId);
      return uploadMaterial(app, request, reply, { kase, ...request.query });
    },
  );
}

function registerSelfList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/my/cases/:caseId/materials',
      access: { kind: 'permission', permission: 'self:read' },
      action: 'case.self.materials.list',
      summary: 'Your case’s materials and checklist (employer or worker)',
      tags: ['cases'],
      schema: { params: selfCaseMaterialsParams, response: { 200: materialsListResponse } },
      example: () => ({ params: { caseId: `cas_330100_${zeros}` } }),
    },
    async (request) =>
      materialsPage(app, await selfCase(app, request, request.params.caseId), 'self'),
  );
}

function registerSelfDownload(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/my/cases/:caseId/materials/:materialId/file',
      access: { kind: 'permission', permission: 'self:read' },
      action: 'case.self.material.download',
      summary: 'One of your case’s material files',
      tags: ['cases'],
      schema: { params: selfCaseMaterialParams },
      example: () => ({
        params: { caseId: `cas_330100_${zeros}`, materialId: `mat_330100_${zeros}` },
      }),
    },
    async (request, reply) => {
      const kase = await selfCase(app, request, request.params.caseId);
      const materialId = request.params.materialId;
      return sendMaterial(app, request, reply, { kase, materialId, reader: 'self' });
    },
  );
}
