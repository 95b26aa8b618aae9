import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import type { Database } from '../../db/client.ts';
import { systemActor } from '../../identity/actor.ts';
import { startAuditCheckpoints } from '../../jobs/audit/checkpoint-job.ts';
import type { Config } from '../../runtime/config.ts';
import { describeDatabase, openConfiguredDatabase } from '../../runtime/database.ts';
import { installLifecycle, type Lifecycle } from '../../runtime/lifecycle.ts';
import { loadRuleBook } from '../../runtime/rule-files.ts';
import { isEmpty, seedDemo } from '../../usecases/seed/seed-demo.ts';
import { loadCliConfig } from '../io.ts';
import { printLogins } from './admin.ts';

export interface ServeOptions {
  seedIfEmpty?: boolean;
  /** Set by `npm start`, which built the UI in this same process before serving. */
  uiBuildMs?: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the web UI and the API (migrates the database first)')
    .option(
      '--seed-if-empty',
      'seed the demo province when the database has no users (npm start does this)',
    )
    .action(async (opts: ServeOptions) => {
      const config = loadCliConfig();
      if (!config) return;
      // Before migrate and seed: a signal during either stops cleanly at the next step.
      const life = installLifecycle({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
      await serve(config, life, opts);
    });
}

/**
 * Opens (and migrates) the database, seeds it when asked, and serves until a signal. Each slow
 * step is followed by a checkpoint, so a signal during start-up closes what is open and exits 0.
 */
export async function serve(config: Config, life: Lifecycle, opts: ServeOptions): Promise<void> {
  // Broken rule files stop the start before the database is touched.
  const rules = loadRuleBook();
  const db = await openConfiguredDatabase(config);
  life.onStop(() => db.close());
  if (await life.halted()) return;
  await seedWhenAsked(db, config, opts);
  if (await life.halted()) return;
  const app = await buildApp({ db, config, rules });
  life.onStop(() => app.close());
  const checkpoints = startAuditCheckpoints(db, config, app.log);
  life.onStop(() => checkpoints.stop());
  // Requests still running at the deadline lose their connection; the database then closes.
  life.onDeadline(() => app.server.closeAllConnections());
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  if (await life.halted()) return;
  life.ready();
  reportReady(address, config, opts.uiBuildMs);
}

async function seedWhenAsked(db: Database, config: Config, opts: ServeOptions): Promise<void> {
  if (!opts.seedIfEmpty) return;
  if (await isEmpty(db)) {
    const report = await seedDemo(db, systemActor('startup-seed'), { seed: config.SEED });
    console.log(`Seeded the demo province (${report.regions} regions, ${report.users} users).`);
    printLogins(report.logins);
  } else {
    console.log('Demo log-ins: see `tongchou seed` (password Tongchou-Demo-2026).');
  }
}

function reportReady(address: string, config: Config, uiBuildMs: number | undefined): void {
  const sinceLaunchMs = Math.round(process.uptime() * 1000);
  const rssMb = (process.memoryUsage().rss / 1_048_576).toFixed(1);
  console.log(
    `tongchou ready at ${address.replace('127.0.0.1', 'localhost')} — ${describeDatabase(config)}`,
  );
  // npm start builds the UI first in this process: the server's own start-up excludes the build.
  const sinceLaunch =
    uiBuildMs === undefined ? '' : ` (${sinceLaunchMs} ms since npm start, UI build included)`;
  console.log(
    `start-up to ready: ${sinceLaunchMs - (uiBuildMs ?? 0)} ms in the server process${sinceLaunch}; resident memory: ${rssMb} MiB`,
  );
}
