import type { FastifyInstance } from 'fastify';
import {
  codeMap,
  codeMapImportResponse,
  codeMapListResponse,
  codeMapSetBody,
  institutionParams,
} from '../../../contract/settlement/settlement-reference-contract.ts';
import {
  importCodeMaps,
  listCodeMaps,
  setCodeMap,
} from '../../../usecases/settlement/settlement-code-maps.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { acceptFileBodies, settlementRawBody, withUploadedFile } from './settlement-upload.ts';

/** An institution's code maps (机构项目编码 → 目录编码), dated: list, set one, import a file. */
export function registerSettlementCodeMapRoutes(app: FastifyInstance): void {
  app.register(async (scoped) => {
    acceptFileBodies(scoped);
    registerList(scoped);
    registerSet(scoped);
    registerImport(scoped);
  });
}

const url = '/api/v1/settlement/regions/:regionCode/institutions/:institutionId/code-maps';
const example = ({ regionCode }: { regionCode: string }) => ({
  params: {
    regionCode,
    institutionId: `INST-${regionCode.endsWith('0000') ? '330100' : regionCode}-0001`,
  },
});

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url,
      access: { kind: 'permission', permission: 'settlement:read' },
      action: 'settlement.code_maps.list',
      regionParam: 'regionCode',
      summary: 'An institution’s own codes mapped to catalogue codes, by own code and date',
      tags: ['settlement'],
      schema: { params: institutionParams, response: { 200: codeMapListResponse } },
      example,
    },
    async (request) => {
      const out = await listCodeMaps(
        app.deps.db,
        request.params.regionCode,
        request.params.institutionId,
      );
      if (!out.ok) throw refusalError(out);
      return { codeMaps: out.value };
    },
  );
}

function registerSet(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.code_map.set',
      regionParam: 'regionCode',
      summary:
        'Map one own code to a catalogue code from a date (the previous map closes the day before)',
      tags: ['settlement'],
      schema: { params: institutionParams, body: codeMapSetBody, response: { 201: codeMap } },
      example: (ctx) => ({
        ...example(ctx),
        body: { ownCode: 'HIS-0001', catalogueCode: 'DEMO-F-001', validFrom: '2031-01-01' },
      }),
    },
    async (request, reply) => {
      const out = await setCodeMap(app.deps.db, request.actor!, {
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

function registerImport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: `${url}/import`,
      access: { kind: 'permission', permission: 'settlement:write' },
      action: 'settlement.code_maps.import',
      regionParam: 'regionCode',
      summary:
        'Import code maps from a CSV (UTF-8 or GBK) or xlsx file (机构编码, 目录编码, 开始日期): all or none',
      rawBody: settlementRawBody,
      tags: ['settlement'],
      schema: { params: institutionParams, response: { 201: codeMapImportResponse } },
      example,
    },
    async (request, reply) =>
      withUploadedFile(request, async (path) => {
        const out = await importCodeMaps(app.deps.db, request.actor!, {
          ...request.params,
          source: { kind: 'file', path },
        });
        request.audited = out.ok;
        if (!out.ok) throw refusalError(out);
        reply.status(201);
        return out.value;
      }),
  );
}
