/**
 * Child process for the health benchmark: `tsx bench/servers.ts app|bare <port>` serves either the
 * real tongchou app (PGlite in memory, migrated, health route through every hook) or a bare Fastify
 * route, and prints "ready" when listening.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/api/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { createLocalBlobStore } from '../src/runtime/local-blob-store.ts';
import { loadRuleBook } from '../src/runtime/rule-files.ts';

const [mode, portText] = process.argv.slice(2);
const port = Number(portText);
if (mode === 'bare') {
  const bare = Fastify({ logger: false });
  bare.get('/api/v1/health', async () => ({ status: 'ok' }));
  await bare.listen({ host: '127.0.0.1', port });
} else {
  const db = await openDatabase({ backend: 'pglite' });
  await migrate(db);
  const app = await buildApp({
    db,
    config: loadConfig({ LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' }),
    rules: loadRuleBook(),
    blobs: createLocalBlobStore(mkdtempSync(join(tmpdir(), 'tc-bench-blobs-'))),
  });
  await app.listen({ host: '127.0.0.1', port });
}
process.stdout.write('ready\n');
