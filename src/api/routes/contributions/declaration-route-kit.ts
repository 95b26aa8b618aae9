import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DECLARATION_UPLOAD_TYPES } from '../../../contract/contributions/declarations-contract.ts';
import type { Actor } from '../../../identity/actor.ts';
import {
  type DeclarationImportInput,
  importDeclaration,
} from '../../../usecases/contributions/declaration-import.ts';
import {
  type DeclarationScope,
  getDeclaration,
  getImportReport,
  reportXlsx,
} from '../../../usecases/contributions/declaration-reads.ts';
import { spoolToFile } from '../../../usecases/contributions/declaration-source.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/** The upload's body in the API document: the file itself (RouteSpec.rawBody). */
export const declarationRawBody = {
  mediaTypes: DECLARATION_UPLOAD_TYPES,
  description:
    'the declaration file itself: CSV (UTF-8 or GBK, by its bytes) or xlsx; at most DECLARATION_FILE_BYTES_MAX',
};

/** What the staff routes and the employer's own routes of declarations share. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function* requestChunks(request: FastifyRequest): AsyncGenerator<Uint8Array> {
  for await (const chunk of request.raw) {
    if (!(chunk instanceof Uint8Array)) throw new Error('request stream gave a non-byte chunk');
    yield chunk;
  }
}

/**
 * Spools the body, imports it, answers 201 (a new version) or 200 (the same bytes: exists). A
 * refused file answers 422 `declaration.refused` with `details.importId` (its report).
 */
export async function uploadDeclaration(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  input: Omit<DeclarationImportInput, 'source' | 'today'>,
) {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!DECLARATION_UPLOAD_TYPES.some((t) => t === type))
    throw new ProblemError(
      'declaration.content_type',
      `send the file itself as the body, typed ${DECLARATION_UPLOAD_TYPES.join(', ')}`,
      { accepted: DECLARATION_UPLOAD_TYPES },
    );
  const spooled = await spoolToFile(requestChunks(request));
  try {
    const actor: Actor = request.actor!;
    const out = await importDeclaration(app.deps.db, actor, app.deps.rules.benefits, {
      ...input,
      source: { kind: 'file', path: spooled.path },
      today: today(),
    });
    // The use case audits what it writes (a version, or a refused upload and its report); an
    // upload answered `exists` wrote nothing and is audited at the edge like any other request.
    request.audited = out.ok ? out.value.status === 'accepted' : out.code === 'declaration.refused';
    if (!out.ok) throw refusalError(out);
    reply.status(out.value.status === 'accepted' ? 201 : 200);
    return out.value;
  } finally {
    await spooled.remove();
  }
}

/** One version with a page of its lines, or 404 outside the scope. */
export async function showDeclaration(
  app: FastifyInstance,
  actor: Actor,
  input: DeclarationScope & { declarationId: string; offset: number; limit: number },
) {
  const found = await getDeclaration(app.deps.db, actor, input);
  if (!found)
    throw new ProblemError('record.not_found', `declaration ${input.declarationId} not found`);
  return found;
}

/** An upload's report, or 404 outside the scope. */
export async function importReport(
  app: FastifyInstance,
  input: DeclarationScope & { importId: string },
) {
  const found = await getImportReport(app.deps.db, input);
  if (!found) throw new ProblemError('record.not_found', `upload ${input.importId} not found`);
  return found;
}

/** The report as .xlsx (every text cell safe from formula injection). */
export async function sendReportXlsx(
  app: FastifyInstance,
  reply: FastifyReply,
  input: DeclarationScope & { importId: string },
) {
  const report = await importReport(app, input);
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="declaration-report-${report.id}.xlsx"`)
    .send(await reportXlsx(report));
}
