/**
 * Child process for the settlement benchmark: `tsx bench/settlement-server.ts app|bare <database
 * url> <port>` serves, on a PostgreSQL database migrated and set up by the parent, either the real
 * tongchou app (the 2207 route through every hook) or a bare Fastify route that inserts a
 * settlement's lines in one statement into the scratch table `bench_settlement_lines` (the shape of
 * settlement_line_results), and prints "ready" when listening. Same process kind, same pool size,
 * same database: only the work per request differs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { z } from 'zod';
import { buildApp } from '../src/api/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { loadConfig } from '../src/runtime/config.ts';
import { createLocalBlobStore } from '../src/runtime/local-blob-store.ts';
import { loadRuleBook } from '../src/runtime/rule-files.ts';

const [mode, url, portText] = process.argv.slice(2);
const port = Number(portText);
const db = await openDatabase({ backend: 'pg', url: url ?? '', poolMax: 10 });

/** What the bare route receives: about the size of a 2207 body plus its 20 adjudicated lines. */
const bareBody = z.object({
  settlementId: z.string(),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      catalogueCode: z.string(),
      category: z.string(),
      outcome: z.string(),
      claimedFen: z.number().int(),
      payableFen: z.number().int(),
    }),
  ),
});

if (mode === 'bare') {
  const bare = Fastify({ logger: false });
  bare.post('/bare/settle', async (request) => {
    const { settlementId, lines } = bareBody.parse(request.body);
    const col = <K extends keyof (typeof lines)[number]>(k: K) => lines.map((l) => l[k]);
    await db.query(
      `INSERT INTO bench_settlement_lines (region_code, settlement_id, line_no, catalogue_code,
         category, outcome, claimed_fen, payable_fen, reasons)
       SELECT '330100', $1, u.line_no, u.catalogue_code, u.category, u.outcome, u.claimed, u.payable, '{}'
         FROM unnest($2::int4[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[])
           AS u(line_no, catalogue_code, category, outcome, claimed, payable)`,
      [
        settlementId,
        col('lineNo'),
        col('catalogueCode'),
        col('category'),
        col('outcome'),
        col('claimedFen'),
        col('payableFen'),
      ],
    );
    return { settlementId, lineCount: lines.length };
  });
  await bare.listen({ host: '127.0.0.1', port });
} else {
  const app = await buildApp({
    db,
    config: loadConfig({ LOG_LEVEL: 'warn' }),
    rules: loadRuleBook(),
    blobs: createLocalBlobStore(mkdtempSync(join(tmpdir(), 'tc-bench-blobs-'))),
  });
  await app.listen({ host: '127.0.0.1', port });
}
// A signal ends the process through exit, so a --cpu-prof run writes its profile.
process.on('SIGTERM', () => process.exit(0));
process.stdout.write('ready\n');
