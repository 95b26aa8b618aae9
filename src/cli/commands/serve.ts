import type { Command } from 'commander';
import { buildApp } from '../../api/app.ts';
import { systemActor } from '../../identity/actor.ts';
import { describeDatabase, openConfiguredDatabase } from '../../runtime/database.ts';
import { isEmpty, seedDemo } from '../../usecases/seed/seed-demo.ts';
import { loadCliConfig } from '../io.ts';
import { printLogins } from './admin.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the web UI and the API (migrates the database first)')
    .option(
      '--seed-if-empty',
      'seed the demo province when the database has no users (npm start does this)',
    )
    .action(async (opts: { seedIfEmpty?: boolean }) => {
      const config = loadCliConfig();
      if (!config) return;
      const db = await openConfiguredDatabase(config);
      if (opts.seedIfEmpty && (await isEmpty(db))) {
        const report = await seedDemo(db, systemActor('startup-seed'), { seed: config.SEED });
        console.log(`Seeded the demo province (${report.regions} regions, ${report.users} users).`);
        printLogins(report.logins);
      } else if (opts.seedIfEmpty) {
        console.log('Demo log-ins: see `tongchou seed` (password Tongchou-Demo-2026).');
      }
      const app = await buildApp({ db, config });
      const address = await app.listen({ host: config.HOST, port: config.PORT });
      const readyMs = Math.round(process.uptime() * 1000);
      const rssMb = (process.memoryUsage().rss / 1_048_576).toFixed(1);
      console.log(
        `tongchou ready at ${address.replace('127.0.0.1', 'localhost')} — ${describeDatabase(config)}`,
      );
      const launchedAt = Number(process.env['TONGCHOU_LAUNCHED_AT'] ?? Number.NaN);
      const sinceLaunch = Number.isFinite(launchedAt)
        ? ` (${Date.now() - launchedAt} ms since npm start, UI build included)`
        : '';
      console.log(
        `start-up to ready: ${readyMs} ms in the server process${sinceLaunch}; resident memory: ${rssMb} MiB`,
      );
      const stop = async () => {
        await app.close();
        await db.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
