import type { FastifyInstance } from 'fastify';
import {
  collectionImportBody,
  collectionImportResponse,
  collectionListQuery,
  collectionListResponse,
  collectionPostingBody,
  collectionPostingResponse,
  collectionRecordView,
  contributionRegionParams,
  forwardBody,
  forwardResponse,
  importParams,
  resolutionBody,
  voucherParams,
} from '../../../contract/contributions/assessment-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { forwardCollectionRecord } from '../../../usecases/contributions/collection-forward.ts';
import { postCollections } from '../../../usecases/contributions/collection-posting.ts';
import { resolveCollectionRecord } from '../../../usecases/contributions/collection-queue.ts';
import {
  importCollections,
  listCollectionRecords,
} from '../../../usecases/contributions/collections.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/** The tax bureau's collection records (征收) of a city: import, post, list, resolve the queue. ADR 0010. */
export function registerCollectionRoutes(app: FastifyInstance): void {
  registerImport(app);
  registerPosting(app);
  registerList(app);
  registerResolution(app);
  registerForward(app);
}

/** An example file (one record of an unknown employer: it queues) for the generated tests. */
const EXAMPLE_CSV = Buffer.from(
  '税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nEX-0001,91330100MA0009909C,2025-01,100.00,2025-02-10\n',
).toString('base64');

function registerImport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/collections/imports',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.collections.import',
      regionParam: 'regionCode',
      summary:
        'Import a tax-bureau collection file (CSV, docs/contributions.md): refused whole on any bad row; idempotent per file and per 税票号; unmatched records queue',
      tags: ['contributions'],
      schema: {
        params: contributionRegionParams,
        body: collectionImportBody,
        response: { 200: collectionImportResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode },
        body: { fileName: 'example.csv', contentBase64: EXAMPLE_CSV },
      }),
    },
    async (request) => {
      const out = await importCollections(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        fileName: request.body.fileName,
        bytes: Buffer.from(request.body.contentBase64, 'base64'),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerPosting(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/collections/imports/:importId/postings',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.collections.post',
      regionParam: 'regionCode',
      summary:
        'Post an import’s matched records (Dr 1001 / Cr 1131, beyond the assessment Cr 2103): without approvalId, asks for approval of the exact batch',
      tags: ['contributions'],
      schema: {
        params: importParams,
        body: collectionPostingBody,
        response: { 200: collectionPostingResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, importId: `cim_${regionCode}_${'0'.repeat(16)}` },
        body: {},
      }),
    },
    async (request) => {
      const out = await postCollections(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        importId: request.params.importId,
        approvalId: request.body.approvalId,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/contributions/collections',
      access: { kind: 'permission', permission: 'contribution:read' },
      action: 'contributions.collections.list',
      regionParam: 'regionCode',
      summary: 'Collection records of a city or the province; queue=true lists the unmatched queue',
      tags: ['contributions'],
      schema: {
        params: contributionRegionParams,
        querystring: collectionListQuery,
        response: { 200: collectionListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { queue: 'true' } }),
    },
    async (request) => ({
      records: await listCollectionRecords(app.deps.db, {
        regionCode: request.params.regionCode,
        employerId: request.query.employerId,
        queue: request.query.queue === 'true',
        unposted: request.query.unposted === 'true',
        limit: request.query.limit,
      }),
    }),
  );
}

function registerResolution(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/collections/:voucher/resolution',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.collections.resolve',
      regionParam: 'regionCode',
      summary:
        'Resolve an unmatched record: assign it to an employer-month with an assessment or to a project of the city (按项目参保), or reject it with a reason',
      tags: ['contributions'],
      schema: {
        params: voucherParams,
        body: resolutionBody,
        response: { 200: collectionRecordView },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, voucher: 'EX-0000' },
        body: { action: 'reject', reason: '示例' },
      }),
    },
    async (request) => {
      const out = await resolveCollectionRecord(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        voucher: request.params.voucher,
        resolution: request.body,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerForward(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/contributions/collections/:voucher/forward',
      access: { kind: 'permission', permission: 'contribution:write' },
      action: 'contributions.collections.forward',
      regionParam: 'regionCode',
      summary:
        'Forward an unmatched record of another city’s employer to that city (转交): matched there when its assessment exists, else in its queue; the cash moves when that city posts it',
      tags: ['contributions'],
      schema: {
        params: voucherParams,
        body: forwardBody,
        response: { 200: forwardResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode, voucher: 'EX-0000' }, body: {} }),
    },
    async (request) => {
      const out = await forwardCollectionRecord(app.deps.db, request.actor!, {
        city: request.params.regionCode,
        voucher: request.params.voucher,
        employerId: request.body.employerId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
