import type { Command } from 'commander';
import type { Database } from '../../db/client.ts';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import { parseInput } from '../../kernel/validation.ts';
import { describeDatabase } from '../../runtime/database.ts';
import { loadDemoProvince } from '../../runtime/province-files.ts';
import { createApiToken } from '../../usecases/identity/sessions.ts';
import { addUser, newUserSchema } from '../../usecases/identity/users.ts';
import { DEMO_PASSWORD, seedDemo } from '../../usecases/seed/seed-demo.ts';
import { readStdin, withDatabase } from '../io.ts';
import { registerAuditCommands } from './audit.ts';

export function printLogins(
  logins: { username: string; role: string; scope: string; displayName: string }[],
): void {
  console.log(`Demo log-ins (password for all: ${DEMO_PASSWORD}):`);
  for (const l of logins)
    console.log(
      `  ${l.username.padEnd(20)} ${l.role.padEnd(24)} ${l.scope.padEnd(20)} ${l.displayName}`,
    );
}

/** migrate, seed, audit verify, users add, users token. */
export function registerAdminCommands(program: Command): void {
  registerMigrateCommand(program);
  registerSeedCommand(program);
  registerAuditCommands(program);
  const users = program.command('users').description('User administration');
  registerUsersAddCommand(users);
  registerUsersTokenCommand(users);
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
        const report = await seedDemo(db, actor, { seed, province: loadDemoProvince() });
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

interface UsersAddOptions {
  username: string;
  displayName: string;
  role: string;
  scopeKind: string;
  scopeCode?: string;
  region: string;
  password?: string;
  passwordStdin?: boolean;
}

function registerUsersAddCommand(users: Command): void {
  users
    .command('add')
    .description(
      'Add a user (password read from --password or, safer, stdin with --password-stdin)',
    )
    .requiredOption('--username <name>', 'log-in name: lower-case letters, digits, . _ -')
    .requiredOption('--display-name <text>', 'name shown in the UI')
    .requiredOption(
      '--role <role>',
      'province_fund_manager | city_handler | determination_officer | appraisal_committee | supervisor | institution | employer | worker',
    )
    .requiredOption('--scope-kind <kind>', 'province | city | institution | employer | self')
    .option('--scope-code <code>', 'region code (province/city) or institution/employer/person id')
    .requiredOption('--region <code>', '6-digit region code the user belongs to')
    .option(
      '--password <password>',
      'the password (visible in the shell history: prefer --password-stdin)',
    )
    .option('--password-stdin', 'read the password from standard input')
    .action((opts: UsersAddOptions) =>
      withDatabase(({ db, actor }) => addUserFromCli(db, actor, opts)),
    );
}

/** Exit 0 added, 2 a bad field (each printed), 3 refused (e.g. the user name is taken). */
async function addUserFromCli(db: Database, actor: Actor, opts: UsersAddOptions): Promise<number> {
  const password = opts.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : opts.password;
  const parsed = parseInput(newUserSchema, {
    username: opts.username,
    displayName: opts.displayName,
    role: opts.role,
    scopeKind: opts.scopeKind,
    scopeCode: opts.scopeCode ?? null,
    regionCode: opts.region,
    password: password ?? '',
  });
  if (!parsed.ok) {
    for (const e of parsed.problem?.errors ?? []) console.error(`${e.path}: ${e.message}`);
    return 2;
  }
  const out = await addUser(db, actor, parsed.value);
  if (!out.ok) {
    console.error(`${out.code}: ${out.message}`);
    return 3;
  }
  console.log(`user ${opts.username} added (${out.value.id})`);
  return 0;
}

function registerUsersTokenCommand(users: Command): void {
  users
    .command('token')
    .description('Create an API token for a user (institutions call the API with it); shown once')
    .requiredOption('--username <name>', 'the user the token acts as')
    .requiredOption('--name <text>', 'what the token is for, e.g. "HIS interface"')
    .action((opts: { username: string; name: string }) =>
      withDatabase(async ({ db, actor }) => {
        const u = withColumns(
          await db.query('SELECT id FROM users WHERE username = $1', [opts.username]),
          { id: textOf },
        );
        const id = u.rows[0]?.id;
        if (!id) {
          console.error(`--username: no user ${opts.username}`);
          return 2;
        }
        const t = await createApiToken(db, actor, { userId: id, name: opts.name });
        console.log(`token ${t.id} for ${opts.username} (store it now; only its hash is kept):`);
        console.log(t.token);
        return 0;
      }),
    );
}
