import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../db/testing.ts';
import { runCliInProcess } from '../testing.ts';

/**
 * `tongchou init` as an operator runs it, on a file-backed PGlite directory: the password comes
 * from a file or standard input, never from an argument, and every refusal has its exit status.
 * Runs once (in the pglite project); tests/process/production.test.ts runs it on the server.
 */
const dir = mkdtempSync(join(tmpdir(), 'tc-init-'));
const env = { TONGCHOU_DATA_DIR: join(dir, 'pglite'), DATABASE_URL: '' };

/** The real entry point, once: bin/tongchou.mjs in its own process. */
function spawned(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    input,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every other command in this process (src/cli/testing.ts), standard input piped as given. */
const tongchou = (args: string[], input = '') => runCliInProcess(args, env, { stdin: input });

const example = ['init', '--province', 'provinces/example-anhui.yaml'];

describe.runIf(testBackend === 'pglite')('tongchou init on a PGlite directory', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the password from stdin or a file, never from an argument', async () => {
    const argv = spawned([...example, '--password', 'visible in ps']);
    expect(argv.code).not.toBe(0);
    expect(argv.err).toMatch(/unknown option '--password'/);
    const short = await tongchou(example, 'short\n');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/^password: at least 8 characters/);
    const demo = await tongchou(example, 'Tongchou-Demo-2026\n');
    expect(demo.code).toBe(3);
    expect(demo.err).toMatch(/^province\.password_published: /);
    const file = join(dir, 'admin-password');
    writeFileSync(file, 'the anhui administrator pass phrase\nignored second line\n');
    const created = await tongchou([...example, '--password-file', file]);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(
      /Province 340000 安徽省 created: 16 cities; administrator ah\.admin/,
    );
    expect(created.out).toMatch(/Pooling mode unified \(src\/rules\/values\/pooling\/340000\.yaml/);
    expect(created.out).toMatch(/Ledger: 18 segment\(s\) provisioned/);
  }, 180_000);

  it('is idempotent, names every problem of a bad file, refuses a second province', async () => {
    const again = await tongchou(example, 'any other password\n');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/already initialised from this definition; nothing created/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'code: "41"\nname: 河南省\npoolingMode: mixed\n');
    const invalid = await tongchou(['init', '--province', bad], 'a good long password\n');
    expect(invalid.code).toBe(2);
    expect(invalid.err.split('\n').filter((l) => l !== '')).toEqual([
      'code: a 6-digit province code ending in 0000 (GB/T 2260)',
      'nameEn: Invalid input: expected string, received undefined',
      'poolingMode: Invalid option: expected one of "adjustment_fund"|"unified"',
      'cities: Invalid input: expected array, received undefined',
      'administrator: Invalid input: expected object, received undefined',
    ]);
    const henan = join(dir, 'henan.yaml');
    writeFileSync(
      henan,
      [
        'code: "410000"',
        'name: 河南省',
        'nameEn: Henan',
        'poolingMode: adjustment_fund',
        'cities: [{ code: "410100", name: 郑州市, nameEn: Zhengzhou }]',
        'administrator: { username: ha.admin, displayName: 管理员, role: supervisor }',
      ].join('\n'),
    );
    const second = await tongchou(['init', '--province', henan], 'a good long password\n');
    expect(second.code).toBe(3);
    expect(second.err).toMatch(/^province\.another_province: .*340000 安徽省/);
  }, 180_000);
});
