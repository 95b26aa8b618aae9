import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ProblemError, problemBody } from './errors.ts';

type ProblemBody = ReturnType<typeof problemBody>;

function fieldPath(instancePath: string, context: string | undefined): string {
  const inner = instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (context === 'body') return inner || '(root)';
  return inner ? `${context}.${inner}` : (context ?? '(root)');
}

function unknownKeysOf(params: unknown): string[] {
  if (typeof params !== 'object' || params === null || !('keys' in params)) return [];
  return Array.isArray(params.keys) ? params.keys.map(String) : [];
}

function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

function validationProblem(error: unknown, request: FastifyRequest): ProblemBody | null {
  if (!hasZodFastifySchemaValidationErrors(error)) return null;
  const errors = error.validation.map((v) => ({
    path: fieldPath(v.instancePath, error.validationContext),
    code: v.keyword,
    message:
      v.keyword === 'unrecognized_keys'
        ? `unknown field(s): ${unknownKeysOf(v.params).join(', ')}; remove them`
        : (v.message ?? 'invalid'),
  }));
  return problemBody(
    'input.invalid',
    errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    request.id,
    { errors },
  );
}

/** Every error becomes one problem document (RFC 9457), its status from the one code table. */
function problemOf(error: unknown, request: FastifyRequest): ProblemBody {
  const validation = validationProblem(error, request);
  if (validation) return validation;
  if (error instanceof ProblemError)
    return problemBody(error.code, error.message, request.id, {
      details: error.details,
      errors: error.errors,
    });
  const statusCode = statusCodeOf(error);
  if (statusCode === 429)
    return problemBody(
      'auth.rate_limited',
      '请求过于频繁,请稍后再试 / too many requests, retry later',
      request.id,
    );
  // Fastify's own 4xx (malformed JSON, wrong content type, body too large): input problems.
  if (statusCode !== undefined && statusCode < 500)
    return {
      ...problemBody(
        'input.invalid',
        error instanceof Error ? error.message : String(error),
        request.id,
      ),
      status: statusCode,
    };
  request.log.error({ err: error }, 'unhandled error');
  return problemBody('server.error', `internal error; quote request id ${request.id}`, request.id);
}

export function setProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler(async (error, request, reply) => {
    const body = problemOf(error, request);
    request.problemCode = body.code;
    return reply.status(body.status).type('application/problem+json').send(body);
  });
}
