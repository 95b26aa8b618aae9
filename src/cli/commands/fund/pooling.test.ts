import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = `${root}tests/fixtures/pooling/`;

/** Spawns the real CLI entry point, as an operator or a checker would (the first case). */
function spawned(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same program in this process (src/cli/testing.ts): each spawn cost ~4 s of start-up on the
 * suite's loaded 2 cores, five of them 27 s of a unit file; the first case keeps the real process.
 */
async function run(args: string[], stdin?: string) {
  const r = await runCliInProcess(args, {}, { stdin: stdin ?? '' });
  return { status: r.code, stdout: r.out, stderr: r.err };
}

describe('tongchou pooling settle', () => {
  it('prints one JSON result and exits 0 for a worked example (--input FILE)', () => {
    const r = spawned([
      'pooling',
      'settle',
      '--input',
      `${fixtures}02-insufficient-tie.input.json`,
    ]);
    expect(r.status).toBe(0);
    const expected = JSON.parse(
      readFileSync(`${fixtures}02-insufficient-tie.expected.json`, 'utf8'),
    );
    expect(JSON.parse(r.stdout)).toMatchObject(expected);
  }, 30_000);

  it('reads JSON on stdin', async () => {
    const r = await run(
      ['pooling', 'settle'],
      readFileSync(`${fixtures}01-sufficient.input.json`, 'utf8'),
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ adjustmentFundClosingFen: 53_066_667 });
  }, 30_000);

  it('bad input: the problem document lists every bad field, exit 2', async () => {
    const r = await run(['pooling', 'settle', '--input', `${fixtures}05-invalid.input.json`]);
    expect(r.status).toBe(2);
    const problem = JSON.parse(r.stdout) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('input.invalid');
    expect(problem.errors).toHaveLength(8);
    expect(r.stderr).toContain('invalid input');
  }, 30_000);

  it('not JSON and missing file are input problems too (exit 2)', async () => {
    const a = await run(['pooling', 'settle'], '{ not json');
    expect(a.status).toBe(2);
    expect(JSON.parse(a.stdout).errors[0].code).toBe('input.not_json');
    const b = await run(['pooling', 'settle', '--input', `${fixtures}does-not-exist.json`]);
    expect(b.status).toBe(2);
    expect(JSON.parse(b.stdout).errors[0].code).toBe('input.unreadable');
  }, 30_000);

  it('--help describes the input', async () => {
    const r = await run(['pooling', 'settle', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('policyGapCoverageShare');
  }, 30_000);
});
