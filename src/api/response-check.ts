import { isDeepStrictEqual } from 'node:util';
import { serializerCompiler } from 'fastify-type-provider-zod';

/**
 * The zod serializer keeps only the keys a response schema names, so a field missing from a
 * contract schema would silently vanish from the answer. In tests every JSON answer is compared
 * with what the handler returned; a difference fails the request (500) and names the route.
 */
export const checkingSerializerCompiler: typeof serializerCompiler = (routeSchema) => {
  const serialize = serializerCompiler(routeSchema);
  return (data) => {
    const json = serialize(data);
    const expected: unknown = JSON.parse(JSON.stringify(data));
    if (!isDeepStrictEqual(JSON.parse(json), expected))
      throw new Error(
        `the response schema of ${routeSchema.method} ${routeSchema.url} (${routeSchema.httpStatus}) changes the answer: sent ${json.slice(0, 2000)}, returned ${JSON.stringify(expected).slice(0, 2000)}`,
      );
    return json;
  };
};
