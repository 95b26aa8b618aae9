import { parseCookie, type SetCookie, stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Cookies without @fastify/cookie: the plugin added an onRequest and an onSend hook to every
 * request, the liveness probe included, although only the session gate reads a cookie and only
 * log-in and log-out write one (the health benchmark, `npm run bench platform`). Parsing happens
 * where a cookie is read; writing is a plain Set-Cookie header, which Fastify appends rather than
 * replaces.
 */
export function requestCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  return parseCookie(header)[name];
}

type CookieOptions = Omit<SetCookie, 'name' | 'value'>;

export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: CookieOptions,
): void {
  reply.header('set-cookie', stringifySetCookie({ name, value, ...options }));
}

/** Expires the cookie at once, as browsers expect of a log-out (RFC 6265 §3.1). */
export function clearCookie(reply: FastifyReply, name: string, options: CookieOptions): void {
  setCookie(reply, name, '', { ...options, expires: new Date(0), maxAge: 0 });
}
