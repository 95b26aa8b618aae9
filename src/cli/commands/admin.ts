import type { Command } from 'commander';
import { intOf, withColumns } from '../../db/rows.ts';
import { describeDatabase } from '../../runtime/database.ts';
import { verifyAuditChain } from '../../usecases/audit/audit-log.ts';
import { DEMO_PASSWORD, seedDemo } from '../../usecases/seed/seed-demo.ts';
import { withDatabase } from '../io.ts';
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
      'Create the demo province (浙江, 11 cities) and one demo user per role; idempotent',
    )
    .option(
      '--seed <number>',
      'seed number for the deterministic demo data (default: SEED or 2019164)',
    )
    .action((opts: { seed?: string }) =>
      withDatabase(async ({ db, config, actor }) => {
        const seed = opts.seed === undefined ? config.SEED : Number(opts.seed);
        if (!Number.isSafeInteger(seed) || seed < 0) {
          process.stderr.write(`--seed: expected a non-negative integer, got ${opts.seed}\n`);
          return 2;
        }
        const report = await seedDemo(db, actor, { seed });
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

function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Audit log tools');
  audit
    .command('verify')
    .description('Check the whole audit hash chain; names the first broken event')
    .action(() =>
      withDatabase(async ({ db }) => {
        const v = await verifyAuditChain(db);
        if (v.ok) {
          console.log(`audit chain OK: ${v.events} events, head ${v.headHash}`);
          return 0;
        }
        console.error(`audit chain BROKEN at event seq ${v.brokenSeq}: ${v.reason}`);
        return 1;
      }),
    );
}
