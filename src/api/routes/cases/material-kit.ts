import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MATERIAL_UPLOAD_TYPES } from '../../../contract/cases/materials-contract.ts';
import { EXTENSION_OF } from '../../../domain/cases/material-files.ts';
import { regionOfCaseId, selfOwns, selfScopeOf } from '../../../usecases/cases/case-page.ts';
import {
  addMaterial,
  type CaseOwnership,
  findCaseOwnership,
  listMaterials,
  type MaterialReader,
  openMaterial,
} from '../../../usecases/cases/materials.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/** What the staff routes and the self-service routes of case materials share. */

/**
 * Reads the raw body into memory up to `bytesMax` bytes and counts the rest: a body over the limit
 * is never buffered. A declared Content-Length over the limit is refused before a byte is read.
 */
export async function readUpload(
  request: FastifyRequest,
  bytesMax: number,
): Promise<{ bytes: Uint8Array; byteCount: number }> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isSafeInteger(declared) && declared > bytesMax)
    return { bytes: new Uint8Array(0), byteCount: declared };
  const chunks: Uint8Array[] = [];
  let byteCount = 0;
  for await (const chunk of request.raw) {
    if (!(chunk instanceof Uint8Array)) throw new Error('request stream gave a non-byte chunk');
    byteCount += chunk.length;
    // Past the limit the rest is read and dropped, not left unread: breaking off would destroy the
    // socket before the refusal is sent (Node drains an unread body itself only after the reply).
    if (byteCount <= bytesMax) chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), byteCount };
}

/** The case in the region, or 404 (the policy already checked the region is the caller's). */
export async function staffCase(
  app: FastifyInstance,
  regionCode: string,
  caseId: string,
): Promise<CaseOwnership> {
  const kase = await app.deps.db.withConnection((ex) => findCaseOwnership(ex, regionCode, caseId));
  if (!kase) throw new ProblemError('record.not_found', `case ${caseId} not found`);
  return kase;
}

/**
 * The self-service check: the case flow's one rule (selfScopeOf / selfOwns, case-page.ts) decides
 * what an employer or a worker owns, here as on the portal's other /my/cases routes. Anything else
 * answers 404 exactly like a case that does not exist, and is audited as a denial.
 */
export async function selfCase(
  app: FastifyInstance,
  request: FastifyRequest,
  caseId: string,
): Promise<CaseOwnership> {
  const actor = request.actor!;
  const regionCode = regionOfCaseId(caseId);
  const found = await app.deps.db.withConnection(async (ex) => {
    const kase = regionCode === null ? null : await findCaseOwnership(ex, regionCode, caseId);
    const scope = kase ? await selfScopeOf(ex, actor) : null;
    return { kase, owns: kase !== null && scope !== null && selfOwns(scope, kase) };
  });
  if (found.kase && found.owns) return found.kase;
  if (found.kase) request.denied = true;
  throw new ProblemError('record.not_found', `case ${caseId} not found`);
}

/** Stores the body as a material of the case: 201 with the row, or the typed refusal. */
export async function uploadMaterial(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  input: {
    kase: CaseOwnership;
    itemCode: string;
    fileName: string;
    dependantId?: string | undefined;
  },
) {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  // A JSON or form body was parsed by Fastify already: it is not a file, and its stream is spent.
  if (!MATERIAL_UPLOAD_TYPES.some((t) => t === type))
    throw new ProblemError(
      'material.content_type',
      `send the file itself as the body, typed ${MATERIAL_UPLOAD_TYPES.join(', ')}`,
      { accepted: MATERIAL_UPLOAD_TYPES },
    );
  const bytesMax = app.deps.config.MATERIAL_FILE_BYTES_MAX;
  const body = await readUpload(request, bytesMax);
  const out = await addMaterial(app.deps.db, app.deps.blobs, request.actor!, {
    regionCode: input.kase.regionCode,
    caseId: input.kase.id,
    itemCode: input.itemCode,
    fileName: input.fileName,
    dependantId: input.dependantId,
    ...body,
    bytesMax,
    today: today(),
  });
  if (!out.ok) throw refusalError(out);
  request.audited = true;
  reply.status(201);
  return out.value;
}

export async function materialsPage(
  app: FastifyInstance,
  kase: CaseOwnership,
  reader: MaterialReader,
) {
  const out = await listMaterials(app.deps.db, app.deps.rules.benefits, kase, today(), reader);
  if (!out.ok) throw refusalError(out);
  return { ...out.value, bytesMax: app.deps.config.MATERIAL_FILE_BYTES_MAX };
}

/** The file, typed by what its content showed at upload, offered under its stored name. */
export async function sendMaterial(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  at: { kase: CaseOwnership; materialId: string; reader: MaterialReader },
) {
  const out = await openMaterial(app.deps.db, app.deps.blobs, request.actor!, {
    regionCode: at.kase.regionCode,
    caseId: at.kase.id,
    materialId: at.materialId,
    reader: at.reader,
  });
  if (!out.ok) throw refusalError(out);
  const { material, bytes } = out.value;
  const ascii = `${material.id}.${EXTENSION_OF[material.mediaType]}`;
  return reply
    .type(material.mediaType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(material.fileName)}`,
    )
    .header('cache-control', 'no-store')
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
