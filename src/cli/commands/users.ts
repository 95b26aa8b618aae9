import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { permissions } from '../../identity/roles.ts';
import type { Result } from '../../kernel/result.ts';
import { parseInput } from '../../kernel/validation.ts';
import type { Config } from '../../runtime/config.ts';
import {
  createApiToken,
  listApiTokens,
  newApiTokenSchema,
  revokeApiToken,
} from '../../usecases/identity/api-tokens.ts';
import { passwordSchema } from '../../usecases/identity/passwords.ts';
import {
  disableUser,
  enableUser,
  resetSecondFactor,
  setUserPassword,
  unlockUser,
} from '../../usecases/identity/user-admin.ts';
import { addUser, newUserSchema } from '../../usecases/identity/users.ts';
import { readStdin, withDatabase } from '../io.ts';

/**
 * `tongchou users …`: user and token administration. A password is never an argument (the process
 * list and the shell history would show it): it comes from stdin or a file.
 */
export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('User and API token administration');
  registerUsersAddCommand(users);
  registerUsersPasswordCommand(users);
  registerAccountCommands(users);
  registerTokenCommands(users.command('token').description('API tokens of institutions'));
}

type PasswordSource = { password?: string; passwordStdin?: boolean; passwordFile?: string };

function withPasswordOptions(command: Command): Command {
  return command
    .option('--password-stdin', 'read the password from standard input (one line)')
    .option('--password-file <path>', 'read the password from a file (its first line)')
    .option(
      '--password <password>',
      'refused: a password on the command line is visible to others',
    );
}

/** The password from stdin or a file; null (with the reason on stderr) when none or refused. */
async function passwordOf(opts: PasswordSource): Promise<string | null> {
  if (opts.password !== undefined) {
    console.error(
      '--password: not accepted, the process list and shell history would show it; ' +
        'use --password-stdin or --password-file <path>',
    );
    return null;
  }
  if (opts.passwordStdin) return firstLine(await readStdin());
  if (opts.passwordFile !== undefined) return firstLine(readFileSync(opts.passwordFile, 'utf8'));
  console.error('give the password with --password-stdin or --password-file <path>');
  return null;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}

/** Exit 0 done (the message printed), 3 refused (its code and message printed). */
function report<T>(out: Result<T>, done: (value: T) => string): number {
  if (!out.ok) {
    console.error(`${out.code}: ${out.message}`);
    return 3;
  }
  console.log(done(out.value));
  return 0;
}

interface UsersAddOptions extends PasswordSource {
  username: string;
  displayName: string;
  role: string;
  scopeKind: string;
  scopeCode?: string;
  region: string;
}

function registerUsersAddCommand(users: Command): void {
  withPasswordOptions(
    users
      .command('add')
      .description('Add a user; the password comes from stdin or a file, never an argument')
      .requiredOption('--username <name>', 'log-in name: lower-case letters, digits, . _ -')
      .requiredOption('--display-name <text>', 'name shown in the UI')
      .requiredOption(
        '--role <role>',
        'province_fund_manager | city_handler | determination_officer | appraisal_committee | supervisor | institution | employer | worker',
      )
      .requiredOption('--scope-kind <kind>', 'province | city | institution | employer | self')
      .option(
        '--scope-code <code>',
        'region code (province/city) or institution/employer/person id',
      )
      .requiredOption('--region <code>', '6-digit region code the user belongs to'),
  ).action((opts: UsersAddOptions) =>
    withDatabase(({ db, actor }) => addUserFromCli(db, actor, opts)),
  );
}

/** Exit 0 added, 2 a bad field (each printed), 3 refused (e.g. the user name is taken). */
async function addUserFromCli(db: Database, actor: Actor, opts: UsersAddOptions): Promise<number> {
  const password = await passwordOf(opts);
  if (password === null) return 2;
  const parsed = parseInput(newUserSchema, {
    username: opts.username,
    displayName: opts.displayName,
    role: opts.role,
    scopeKind: opts.scopeKind,
    scopeCode: opts.scopeCode ?? null,
    regionCode: opts.region,
    password,
  });
  if (!parsed.ok) {
    for (const e of parsed.problem?.errors ?? []) console.error(`${e.path}: ${e.message}`);
    return 2;
  }
  const out = await addUser(db, actor, parsed.value);
  return report(out, (v) => `user ${opts.username} added (${v.id})`);
}

function registerUsersPasswordCommand(users: Command): void {
  withPasswordOptions(
    users
      .command('password')
      .description("Set a user's password (stdin or a file); ends their sessions and lifts a lock")
      .requiredOption('--username <name>', 'whose password'),
  ).action((opts: PasswordSource & { username: string }) =>
    withDatabase(async ({ db, actor }) => {
      const password = await passwordOf(opts);
      if (password === null) return 2;
      const parsed = parseInput(passwordSchema, password);
      if (!parsed.ok) {
        console.error(`password: ${parsed.problem?.errors?.[0]?.message ?? 'invalid'}`);
        return 2;
      }
      const out = await setUserPassword(db, actor, { username: opts.username, password });
      return report(
        out,
        (v) => `password of ${opts.username} set; ${v.sessionsEnded} session(s) ended`,
      );
    }),
  );
}

/** disable, enable, unlock, second-factor-reset: one user name each, the same exit codes. */
function registerAccountCommands(users: Command): void {
  type AccountAction = (db: Database, actor: Actor, username: string) => Promise<Result<unknown>>;
  const commands: readonly (readonly [string, string, AccountAction])[] = [
    ['disable', 'Disable a user: log-in refused, sessions ended, API tokens stop', disableUser],
    ['enable', 'Enable a disabled user again', enableUser],
    ['unlock', "Lift an account lock and the user name's log-in throttles now", unlockUser],
    [
      'second-factor-reset',
      "Remove a user's TOTP second factor (a lost phone); they enrol again",
      resetSecondFactor,
    ],
  ];
  for (const [name, description, action] of commands)
    users
      .command(name)
      .description(description)
      .requiredOption('--username <name>', 'the user')
      .action((opts: { username: string }) =>
        withDatabase(async ({ db, actor }) =>
          report(await action(db, actor, opts.username), () => `${name}: ${opts.username} done`),
        ),
      );
}

function registerTokenCommands(token: Command): void {
  token
    .command('create')
    .description('Create an API token, shown once: a name, the permissions it carries, an expiry')
    .requiredOption('--username <name>', 'the user the token acts as')
    .requiredOption('--name <text>', 'what the token is for, e.g. "HIS interface"')
    .requiredOption(
      '--scope <permissions>',
      `comma-separated subset of the role's: ${permissions.join(', ')}`,
    )
    .option('--expires-in-days <days>', 'lifetime in days (at most API_TOKEN_MAX_DAYS)', '90')
    .action((opts: { username: string; name: string; scope: string; expiresInDays: string }) =>
      withDatabase(({ db, actor, config }) => createTokenFromCli(db, actor, config, opts)),
    );
  token
    .command('list')
    .description('List API tokens (never the token itself), newest first')
    .option('--username <name>', "only this user's tokens")
    .action((opts: { username?: string }) =>
      withDatabase(async ({ db }) => {
        for (const t of await listApiTokens(db, { username: opts.username, limit: 1000 }))
          console.log(
            [
              t.id,
              t.username,
              t.name,
              t.permissions.join(','),
              `expires ${t.expiresAt.toISOString()}`,
              `last used ${t.lastUsedAt?.toISOString() ?? 'never'}`,
              t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active',
            ].join('  '),
          );
        return 0;
      }),
    );
  token
    .command('revoke')
    .description('Revoke an API token at once')
    .requiredOption('--id <id>', 'the token id (tok_…), as `users token list` shows it')
    .action((opts: { id: string }) =>
      withDatabase(async ({ db, actor }) =>
        report(await revokeApiToken(db, actor, { id: opts.id }), (v) =>
          v.alreadyRevoked ? `token ${opts.id} was already revoked` : `token ${opts.id} revoked`,
        ),
      ),
    );
}

async function createTokenFromCli(
  db: Database,
  actor: Actor,
  config: Config,
  opts: { username: string; name: string; scope: string; expiresInDays: string },
): Promise<number> {
  const parsed = parseInput(newApiTokenSchema, {
    username: opts.username,
    name: opts.name,
    permissions: opts.scope
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    expiresInDays: Number(opts.expiresInDays),
  });
  if (!parsed.ok) {
    for (const e of parsed.problem?.errors ?? []) console.error(`${e.path}: ${e.message}`);
    return 2;
  }
  const out = await createApiToken(db, actor, parsed.value, { maxDays: config.API_TOKEN_MAX_DAYS });
  if (!out.ok) return report(out, () => '');
  console.log(
    `token ${out.value.id} for ${opts.username}, expires ${out.value.expiresAt.toISOString()} ` +
      '(store it now; only its hash is kept):',
  );
  console.log(out.value.token);
  return 0;
}
