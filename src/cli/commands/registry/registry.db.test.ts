import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { holdsIdNumber } from '../../../identity/masking.ts';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/** `tongchou registry employer …` as an operator runs it, on a database of its own (`cliTestsHere`). */
const cdb = cliDatabaseForFile('tc-cli-registry-');

/** The real entry point, once: bin/tongchou.mjs in its own process. */
function spawned(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', ...args], {
    env: { ...process.env, ...cdb.env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every other command in this process (src/cli/testing.ts): the same program, seconds cheaper. */
const cli = (args: string[]) => runCliInProcess(args, cdb.env);

const code = demoCreditCode('330300', 77);

/** add: registered (exit 0), the same code again refused (exit 3), bad options all named (exit 2). */
async function expectAdd(): Promise<void> {
  const add = ['registry', 'employer', 'add', '--region', '330300', '--credit-code', code];
  const rest = ['--name', '温州命令行公司', '--address', '温州市命令行路1号', '--division', '34'];
  const args = [...add, ...rest, '--registered-on', '2024-01-01'];
  const added = spawned(args);
  expect(added.code, added.err).toBe(0);
  expect(JSON.parse(added.out)).toMatchObject({ creditCode: code, riskClass: 4 });
  const again = await cli(args);
  expect([again.code, JSON.parse(again.out).code]).toEqual([3, 'employer.credit_code_taken']);
  const badArgs = ['--region', '3303', '--credit-code', 'x', '--name', 'n', '--address', 'a'];
  const bad = await cli([
    'registry',
    'employer',
    'add',
    ...badArgs,
    '--division',
    '345',
    '--category',
    'huge',
  ]);
  expect(bad.code).toBe(2);
  const paths = (JSON.parse(bad.out) as { errors: { path: string }[] }).errors.map((e) => e.path);
  expect(paths.sort()).toEqual(['category', 'creditCode', 'industry.division', 'regionCode']);
}

/** show: the demo employer's roster, ID numbers masked; status: suspended from a date. */
async function expectShowAndStatus(): Promise<void> {
  const demo = demoCreditCode('330100', 1);
  const shown = await cli([
    'registry',
    'employer',
    'show',
    '--credit-code',
    demo,
    '--date',
    '2025-01-01',
  ]);
  expect(shown.code, shown.err).toBe(0);
  expect(JSON.parse(shown.out).roster.length).toBeGreaterThan(0);
  expect(holdsIdNumber(shown.out)).toBe(false);
  const change = ['--status', 'suspended', '--from', '2025-01-01', '--reason', '停产整顿'];
  const status = await cli(['registry', 'employer', 'status', '--credit-code', code, ...change]);
  expect(status.code, status.err).toBe(0);
  expect(JSON.parse(status.out)).toMatchObject({ status: 'suspended', statusFrom: '2025-01-01' });
}

describe.runIf(cliTestsHere)('tongchou registry employer', () => {
  it('adds, refuses a taken or malformed code, shows masked, changes status', async () => {
    await seedDemoCopy(cdb.env);
    await expectAdd();
    await expectShowAndStatus();
  }, 240_000);
});
