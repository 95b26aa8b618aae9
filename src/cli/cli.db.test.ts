import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { testBackend } from '../db/testing.ts';
import { runCliInProcess, seedDemoCopy } from './testing.ts';

/**
 * The CLI as an operator runs it, on a file-backed PGlite directory (the embedded default). Runs
 * once (in the pglite project); the server backend is covered by the use-case tests.
 */
const dir = mkdtempSync(join(tmpdir(), 'tc-cli-'));
// The blob directory too: the seed's demo cases store their materials there, not in ./data.
const env = {
  ...process.env,
  TONGCHOU_DATA_DIR: dir,
  TONGCHOU_BLOB_DIR: join(dir, 'blobs'),
  DATABASE_URL: '',
};

/**
 * A real process (bin/tongchou.mjs): the first seed and the commands that read a password from
 * standard input. Every other command runs in this process (the same program; start-up costs
 * seconds a spawn).
 */
function realProcess(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    env,
    encoding: 'utf8',
    input: input ?? '',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const cli = (args: string[]) => runCliInProcess(args, env);

/** users add: a good user from stdin (exit 0), then every bad field named at once (exit 2). */
async function expectUsersAdd(): Promise<void> {
  const add = realProcess(
    [
      'users',
      'add',
      '--username',
      'wz.handler',
      '--display-name',
      '温州经办员',
      '--role',
      'city_handler',
      '--scope-kind',
      'city',
      '--scope-code',
      '330300',
      '--region',
      '330300',
      '--password-stdin',
    ],
    'correct horse battery\n',
  );
  expect(add.code, add.err).toBe(0);
  const bad = realProcess(
    [
      'users',
      'add',
      '--username',
      'X',
      '--display-name',
      'x',
      '--role',
      'boss',
      '--scope-kind',
      'city',
      '--region',
      '33',
      '--password-stdin',
    ],
    'short\n',
  );
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/username: /);
  expect(bad.err).toMatch(/role: /);
  expect(bad.err).toMatch(/regionCode: /);
  expect(bad.err).toMatch(/password: at least 8/);
  // A password on the command line is refused before anything else happens.
  const visible = await cli([
    'users',
    'password',
    '--username',
    'wz.handler',
    '--password',
    'seen-by-ps',
  ]);
  expect(visible.code).toBe(2);
  expect(visible.err).toMatch(/--password: not accepted.*--password-stdin or --password-file/);
}

/** users password (from a file), disable, unlock; exit 3 names the refusal. */
async function expectAccountCommands(): Promise<void> {
  const file = join(dir, 'new-password.txt');
  writeFileSync(file, 'a-password-from-a-file\n', { mode: 0o600 });
  const set = await cli(['users', 'password', '--username', 'wz.handler', '--password-file', file]);
  expect(set.code, set.err).toBe(0);
  expect(set.out).toMatch(/password of wz.handler set; 0 session\(s\) ended/);
  // enable and second-factor-reset share the code path of these two (users.ts, one loop).
  for (const command of ['disable', 'unlock']) {
    const r = await cli(['users', command, '--username', 'wz.handler']);
    expect(r.code, `${command}: ${r.err}`).toBe(0);
  }
  const unknown = await cli(['users', 'unlock', '--username', 'no.such.user']);
  expect(unknown.code).toBe(3);
  expect(unknown.err).toMatch(/user.not_found: no user no.such.user/);
}

/** users token create (scoped, expiring), list (never the token), revoke. */
async function expectTokenCommands(): Promise<void> {
  const create = (scope: string) =>
    cli([
      'users',
      'token',
      'create',
      '--username',
      'demo.institution',
      '--name',
      'HIS',
      '--scope',
      scope,
      '--expires-in-days',
      '30',
    ]);
  const made = await create('bill:read,bill:submit');
  expect(made.code, made.err).toBe(0);
  expect(made.out).toMatch(/tc_[A-Za-z0-9_-]{40,}/);
  const id = /token (tok_[0-9a-f]{16})/.exec(made.out)?.[1] ?? '';
  const outside = await create('pii:reveal');
  expect(outside.code).toBe(3);
  expect(outside.err).toMatch(/token.scope_not_allowed/);
  const listed = await cli(['users', 'token', 'list', '--username', 'demo.institution']);
  expect(listed.out).toContain(`${id}  demo.institution  HIS  bill:read,bill:submit`);
  expect(listed.out).not.toMatch(/tc_/);
  expect(listed.out).toMatch(/last used never {2}active/);
  const revoked = await cli(['users', 'token', 'revoke', '--id', id]);
  expect(revoked.code, revoked.err).toBe(0);
  expect((await cli(['users', 'token', 'list'])).out).toMatch(new RegExp(`${id} .* revoked 20`));
}

/** An audit event and a ledger balance changed behind the write path's back. */
async function tamper(): Promise<void> {
  const db = await openDatabase({ backend: 'pglite', dataDir: dir });
  await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  await db.query(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`);
  // A balance changed behind the write path's back.
  await db.query(
    'UPDATE ledger_balances SET debit_posted = debit_posted + 1 WHERE account_id = (SELECT min(account_id) FROM ledger_balances)',
  );
  await db.close();
}

describe.runIf(testBackend === 'pglite')('tongchou CLI on a PGlite directory', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seed twice, users add, token, audit verify, ledger check; tampering is named', async () => {
    // The first seed is the real `tongchou seed` process the db-pglite set-up runs once per run
    // (tests/setup/db-pglite.ts), copied here with what it printed: running it again in this file
    // cost a whole demo seed (~35 s of a 963 s suite). Outside that set-up it runs here.
    const firstOut = await seedDemoCopy(env);
    expect(firstOut).toContain('hz.handler');
    const second = await cli(['seed']);
    expect(second.out).toContain('nothing created');
    await expectUsersAdd();
    await expectAccountCommands();
    await expectTokenCommands();
    const ok = await cli(['audit', 'verify']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/audit chain OK: \d+ events/);

    const ledgerOk = await cli(['ledger', 'check']);
    expect(ledgerOk.code, ledgerOk.err).toBe(0);
    expect(ledgerOk.out).toMatch(/ledger consistent: [1-9]\d* transactions/);

    await tamper();
    const ledgerBad = await cli(['ledger', 'check']);
    expect(ledgerBad.code).toBe(1);
    expect(ledgerBad.err).toMatch(/ledger INCONSISTENT/);
    const broken = await cli(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/BROKEN at event seq 2/);
  }, 480_000);
});
