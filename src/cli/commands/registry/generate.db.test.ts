import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/** `tongchou generate` as an operator runs it: files, the same bytes twice, bad options, --into-db. */
const cdb = cliDatabaseForFile('tc-cli-generate-');

/** The first run is a real process (bin/tongchou.mjs); the rest run in this one (same program). */
function realProcess(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    env: cdb.env,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCliInProcess(args, { ...cdb.env, ...extraEnv });

const small = ['--seed', '5', '--employers', '30', '--workers', '240', '--months', '12'];

describe.runIf(cliTestsHere)('tongchou generate', () => {
  it('writes the same files for the same seed, names every bad option, loads the register', async () => {
    const a = realProcess(['generate', ...small, '--out', join(cdb.dir, 'a')]);
    expect(a.code, a.err).toBe(0);
    expect(JSON.parse(a.out)).toMatchObject({
      files: { employers: 30, workers: 240 },
      database: null,
    });
    expect((await cli(['generate', ...small, '--out', join(cdb.dir, 'b')])).code).toBe(0);
    for (const f of [
      'employers.csv',
      'workers.csv',
      'spells.csv',
      'declarations.csv',
      'collections/330100.csv',
    ])
      expect(
        readFileSync(join(cdb.dir, 'b', f)).equals(readFileSync(join(cdb.dir, 'a', f))),
        f,
      ).toBe(true);
    const bad = await cli([
      'generate',
      '--seed',
      'x',
      '--employers',
      '0',
      '--workers',
      '1',
      '--months',
      '999',
      '--from',
      '2016-01',
      '--out',
      cdb.dir,
    ]);
    expect(bad.code).toBe(2);
    const paths = (JSON.parse(bad.out) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths.sort()).toEqual(['employers', 'from', 'months', 'seed']);
    expect((await cli(['generate', ...small])).code).toBe(2);
    await seedDemoCopy(cdb.env);
    const loaded = await cli(['generate', ...small, '--into-db']);
    expect(loaded.code, loaded.err).toBe(0);
    expect(JSON.parse(loaded.out)).toMatchObject({
      files: null,
      database: { employers: 30, workers: 240 },
    });
    const prod = await cli(['generate', ...small, '--seed', '6', '--into-db'], {
      TONGCHOU_MODE: 'production',
    });
    expect(prod.code).not.toBe(0);
  }, 240_000);
});
