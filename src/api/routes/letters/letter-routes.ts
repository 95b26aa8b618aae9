import type { FastifyInstance } from 'fastify';
import { regionParams } from '../../../contract/common.ts';
import {
  letterListQuery,
  letterListResponse,
  letterParams,
} from '../../../contract/letters/letters-contract.ts';
import { downloadLetter, listLetters } from '../../../usecases/letters/issue-letter.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import type { Access } from '../../route-spec.ts';

/**
 * Letters (docs/letters.md): a city's issued letters and their stored PDFs, for staff who read
 * cases (case:read) or appraisals (appraisal:read) in the city's scope. Each download is audited
 * as a read by the use case. Self-service downloads come with the case portal.
 */
export function registerLetterRoutes(app: FastifyInstance): void {
  registerLetterList(app);
  registerLetterPdf(app);
}

const base = '/api/v1/regions/:regionCode/letters';
const access: Access = {
  kind: 'permission',
  permission: 'case:read',
  orPermission: 'appraisal:read',
};
const letterExample = (regionCode: string) => `ltr_${regionCode}_${'0'.repeat(15)}1`;

function registerLetterList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: base,
      access,
      action: 'letters.list',
      regionParam: 'regionCode',
      summary:
        'The letters a city issued (of one case with ?caseId=), newest first: 发文字号, type, title, recipient, date, sha256',
      tags: ['letters'],
      schema: {
        params: regionParams,
        querystring: letterListQuery,
        response: { 200: letterListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => ({
      letters: await app.deps.db.withConnection((ex) =>
        listLetters(ex, { regionCode: request.params.regionCode, caseId: request.query.caseId }),
      ),
    }),
  );
}

function registerLetterPdf(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: `${base}/:letterId/pdf`,
      access,
      action: 'letters.download',
      regionParam: 'regionCode',
      summary: 'The PDF of an issued letter, byte for byte the copy that was issued (audited read)',
      tags: ['letters'],
      schema: { params: letterParams },
      example: ({ regionCode }) => ({
        params: { regionCode, letterId: letterExample(regionCode) },
      }),
    },
    async (request, reply) => {
      const out = await downloadLetter(app.deps.db, request.actor!, request.params);
      if (!out.ok) throw refusalError(out);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${out.value.fileName}"`)
        .header('x-content-sha256', out.value.sha256)
        .send(out.value.pdf);
    },
  );
}
