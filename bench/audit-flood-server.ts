/**
 * Child process for the audit-flood benchmark: `tsx bench/audit-flood-server.ts <database url>
 * <port>` serves the real app on a PostgreSQL database (migrated and seeded by the parent) and
 * prints "ready" when listening. Log level warn, as a loaded production server would not log each
 * refused request at info.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { createLocalBlobStore } from '../src/runtime/local-blob-store.ts';
import { loadRuleBook } from '../src/runtime/rule-files.ts';

const [url, portText] = process.argv.slice(2);
const db = await openDatabase({ backend: 'pg', url: url ?? '', poolMax: 10 });
const app = await buildApp({
  db,
  config: loadConfig({
    LOG_LEVEL: 'warn',
    PERSON_REGISTRATIONS_PER_HOUR: '100000',
    LOGIN_RATE_PER_MINUTE: '10000',
  }),
  rules: loadRuleBook(),
  blobs: createLocalBlobStore(mkdtempSync(join(tmpdir(), 'tc-bench-blobs-'))),
});
await app.listen({ host: '127.0.0.1', port: Number(portText) });
process.stdout.write('ready\n');
