import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SETTLEMENT_UPLOAD_TYPES } from '../../../contract/settlement/settlement-reference-contract.ts';
import { spoolToFile } from '../../../usecases/contributions/declaration-source.ts';
import { ProblemError } from '../../errors.ts';

/** The upload's body in the API document: the file itself (RouteSpec.rawBody). */
export const settlementRawBody = {
  mediaTypes: SETTLEMENT_UPLOAD_TYPES,
  description: 'the file itself: CSV (UTF-8 or GBK, by its bytes) or xlsx',
};

/** Routes whose body is a file: a parser that leaves the stream unread for the handler to spool. */
export function acceptFileBodies(app: FastifyInstance): void {
  app.addContentTypeParser([...SETTLEMENT_UPLOAD_TYPES], (_request, _payload, done) =>
    done(null, undefined),
  );
}

async function* requestChunks(request: FastifyRequest): AsyncGenerator<Uint8Array> {
  for await (const chunk of request.raw) {
    if (!(chunk instanceof Uint8Array)) throw new Error('request stream gave a non-byte chunk');
    yield chunk;
  }
}

/**
 * Spools the request's body to a temporary file (the declarations' spooler, same bound) and runs
 * `use` on it; the file is removed afterwards. A body that is not a file is refused first.
 */
export async function withUploadedFile<T>(
  request: FastifyRequest,
  use: (path: string) => Promise<T>,
): Promise<T> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!SETTLEMENT_UPLOAD_TYPES.some((t) => t === type))
    throw new ProblemError(
      'settlement.upload_content_type',
      `send the file itself as the body, typed ${SETTLEMENT_UPLOAD_TYPES.join(', ')}`,
      { accepted: SETTLEMENT_UPLOAD_TYPES },
    );
  const spooled = await spoolToFile(requestChunks(request));
  try {
    if (spooled.tooLarge)
      throw new ProblemError('settlement.upload_too_large', 'the file is too large: split it');
    return await use(spooled.path);
  } finally {
    await spooled.remove();
  }
}
