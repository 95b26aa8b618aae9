import { resolve } from 'node:path';
import type { Command } from 'commander';
import { intOf, withColumns } from '../../db/rows.ts';
import { describeDatabase } from '../../runtime/database.ts';
import { createLocalBlobStore } from '../../runtime/local-blob-store.ts';
import { loadDemoProvince } from '../../runtime/province-files.ts';
import { loadRuleBook } from '../../runtime/rule-files.ts';
import { DEMO_PASSWORD, seedDemo } from '../../usecases/seed/seed-demo.ts';
import { withDatabase } from '../io.ts';
import { registerAuditCommands } from './audit.ts';
import { registerUsersCommands } from './users.ts';

export function printLogins(
  logins: { username: string; role: string; scope: string; displayName: string }[],
): void {
  console.log(`Demo log-ins (password for all: ${DEMO_PASSWORD}):`);
  for (const l of logins)
    console.log(
      `  ${l.username.padEnd(20)} ${l.role.padEnd(24)} ${l.scope.padEnd(20)} ${l.displayName}`,
    );
}

/** migrate, seed, audit verify, and the users … commands (users.ts). */
export function registerAdminCommands(program: Command): void {
  registerMigrateCommand(program);
  registerSeedCommand(program);
  registerAuditCommands(program);
  registerUsersCommands(program);
}

function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending numbered SQL migrations (PGlite under ./data or DATABASE_URL)')
    .action(() =>
      withDatabase(async ({ db, config }) => {
        const r = withColumns(
          await db.query('SELECT max(version)::int AS v FROM schema_migrations'),
          { v: intOf },
        );
        console.log(`${describeDatabase(config)}: schema at version ${r.rows[0]?.v ?? 0}`);
        return 0;
      }),
    );
}

function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description(
      'Demo mode only: create the demo province (provinces/zhejiang-demo.yaml) and one demo user per role; idempotent',
    )
    .option(
      '--seed <number>',
      'seed number for the deterministic demo data (default: SEED or 2019164)',
    )
    .action((opts: { seed?: string }) =>
      withDatabase(async ({ db, config, actor }) => {
        if (config.TONGCHOU_MODE === 'production') {
          process.stderr.write(
            'tongchou seed creates demo users with the password printed in the README: production never seeds. Create the province with `tongchou init --province FILE`, or set TONGCHOU_MODE=demo for a demo database.\n',
          );
          return 2;
        }
        const seed = opts.seed === undefined ? config.SEED : Number(opts.seed);
        if (!Number.isSafeInteger(seed) || seed < 0) {
          process.stderr.write(`--seed: expected a non-negative integer, got ${opts.seed}\n`);
          return 2;
        }
        const report = await seedDemo(db, actor, {
          seed,
          province: loadDemoProvince(),
          rules: loadRuleBook().benefits,
          blobs: createLocalBlobStore(resolve(config.TONGCHOU_BLOB_DIR)),
        });
        console.log(
          report.created
            ? `Seeded demo province: ${report.regions} regions, ${report.users} users, ${report.persons} persons (seed ${seed}).`
            : 'Demo province already present; nothing created.',
        );
        printLogins(report.logins);
        return 0;
      }),
    );
}
