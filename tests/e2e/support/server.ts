import { startTestApp } from '../../../src/api/testing.ts';

/**
 * The real server for browser journeys: the same Fastify app as `npm start`, on an ephemeral port,
 * over a fresh in-memory PGlite database migrated and seeded with the demo province. It serves the
 * built web UI from dist/web (build it first: see build-web.ts).
 */
export async function startTestServer(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const h = await startTestApp();
  const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
  return { baseUrl: address, close: h.close };
}
