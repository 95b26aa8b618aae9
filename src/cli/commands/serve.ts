import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import type { Database } from '../../db/client.ts';
import { systemActor } from '../../identity/actor.ts';
import { startAuditCheckpoints } from '../../jobs/audit/checkpoint-job.ts';
import { todayInChina } from '../../kernel/dates.ts';
import type { RuleBook } from '../../rules/rule-book.ts';
import type { Config } from '../../runtime/config.ts';
import { describeDatabase, openConfiguredDatabase } from '../../runtime/database.ts';
import { installLifecycle, type Lifecycle } from '../../runtime/lifecycle.ts';
import { createLocalBlobStore } from '../../runtime/local-blob-store.ts';
import { refusalMessage, type StartProblem, startProblems } from '../../runtime/production.ts';
import { loadDemoProvince } from '../../runtime/province-files.ts';
import { loadRuleBook } from '../../runtime/rule-files.ts';
import type { BlobStore } from '../../usecases/cases/blob-store.ts';
import { openPeriod } from '../../usecases/fund/ledger/periods.ts';
import { demoUsersOf, isEmpty, seedDemo } from '../../usecases/seed/seed-demo.ts';
import { seedSettlementMonthDemo } from '../../usecases/seed/seed-settlement-month-demo.ts';
import { productionDatabaseProblems } from '../../usecases/system/production-readiness.ts';
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
    .description(
      'Serve the web UI and the API (migrates the database first); in production mode (TONGCHOU_MODE) refuses an unsafe set-up',
    )
    .option(
      '--seed-if-empty',
      'demo mode: seed the demo province when the database has no users (npm start does this)',
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
 * Opens (and migrates) the database, seeds it when asked (demo mode only), and serves until a
 * signal. Each slow step is followed by a checkpoint, so a signal during start-up closes what is
 * open and exits 0. Production mode refuses an unsafe configuration before the database is opened
 * (no PGlite directory is created) and an unsafe database before anything listens; both print
 * every problem with its fix and exit 2.
 */
export async function serve(config: Config, life: Lifecycle, opts: ServeOptions): Promise<void> {
  // Broken rule files stop the start before the database is touched.
  const rules = loadRuleBook();
  if (refused(config, startProblems(config))) return;
  const db = await openConfiguredDatabase(config);
  life.onStop(() => db.close());
  if (await life.halted()) return;
  if (config.TONGCHOU_MODE === 'production') {
    // Production never seeds; it checks what the database holds instead.
    const demoUsernames = demoUsersOf(loadDemoProvince()).map((u) => u.username);
    if (refused(config, await productionDatabaseProblems(db, demoUsernames))) {
      await db.close();
      return;
    }
  }
  const blobs = createLocalBlobStore(resolve(config.TONGCHOU_BLOB_DIR));
  if (config.TONGCHOU_MODE !== 'production') await seedWhenAsked(db, config, opts, rules, blobs);
  if (await life.halted()) return;
  const app = await buildApp({ db, config, rules, blobs });
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

function refused(config: Config, problems: readonly StartProblem[]): boolean {
  if (problems.length === 0) return false;
  process.stderr.write(`${refusalMessage(config.TONGCHOU_MODE, problems)}\n`);
  process.exitCode = 2;
  return true;
}

async function seedWhenAsked(
  db: Database,
  config: Config,
  opts: ServeOptions,
  rules: RuleBook,
  blobs: BlobStore,
): Promise<void> {
  if (!opts.seedIfEmpty) return;
  if (await isEmpty(db)) {
    const report = await seedDemo(db, systemActor('startup-seed'), {
      seed: config.SEED,
      province: loadDemoProvince(),
      rules: rules.benefits,
      blobs,
    });
    console.log(`Seeded the demo province (${report.regions} regions, ${report.users} users).`);
    printLogins(report.logins);
  } else {
    console.log('Demo log-ins: see `tongchou seed` (password Tongchou-Demo-2026).');
  }
  await openDemoMonth(db);
  await settleDemoMonth(db, rules);
}

/**
 * The demo hospital's visits of this month settled through the transaction set (as its HIS would
 * send them), so `demo.institution` and the review pages open on a month with settlements.
 * Idempotent: a month already settled is left as it is.
 */
async function settleDemoMonth(db: Database, rules: RuleBook): Promise<void> {
  const done = await seedSettlementMonthDemo(
    db,
    rules.benefits,
    systemActor('startup-demo-month'),
    {
      on: todayInChina(),
    },
  );
  if (done.settlements > 0)
    console.log(`Demo direct settlement: ${done.settlements} visit(s) of this month settled.`);
}

/**
 * A demo start stands in for the province's month-start routine (`tongchou ledger open --period YYYY-MM`): the
 * current month's ledger period is opened for every segment, so a decision approved in the demo
 * today can post. Idempotent; a closed period stays closed (the ledger says so, nothing is forced).
 */
async function openDemoMonth(db: Database): Promise<void> {
  const month = todayInChina().slice(0, 7);
  const opened = await openPeriod(db, systemActor('startup-demo-month'), {
    segment: 'all',
    period: month,
  });
  if (!opened.ok) console.log(`Demo ledger period ${month} not opened: ${opened.message}`);
  else if (opened.value.opened.length > 0)
    console.log(`Demo ledger period ${month} opened for ${opened.value.opened.length} segment(s).`);
}

function reportReady(address: string, config: Config, uiBuildMs: number | undefined): void {
  const sinceLaunchMs = Math.round(process.uptime() * 1000);
  const rssMb = (process.memoryUsage().rss / 1_048_576).toFixed(1);
  // Fastify names the scheme from its own `https` option; our TLS server comes from a serverFactory.
  const url = config.TLS_CERT_FILE === undefined ? address : address.replace(/^http:/, 'https:');
  console.log(
    `tongchou ready at ${url.replace('127.0.0.1', 'localhost')} — ${config.TONGCHOU_MODE} mode — ${describeDatabase(config)}`,
  );
  // npm start builds the UI first in this process: the server's own start-up excludes the build.
  const sinceLaunch =
    uiBuildMs === undefined ? '' : ` (${sinceLaunchMs} ms since npm start, UI build included)`;
  console.log(
    `start-up to ready: ${sinceLaunchMs - (uiBuildMs ?? 0)} ms in the server process${sinceLaunch}; resident memory: ${rssMb} MiB`,
  );
}
