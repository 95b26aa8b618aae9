import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../testing.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'calc-cli-'));

/** The real CLI entry point in its own process, as an operator or a checker would run it. */
function spawned(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', 'calc', ...args], {
    cwd: root,
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same program in this process (src/cli/testing.ts): each spawn costs seconds of start-up. */
async function run(args: string[], stdin?: string) {
  const r = await runCliInProcess(['calc', ...args], {}, { stdin: stdin ?? '' });
  return { status: r.code, stdout: r.out, stderr: r.err };
}

const grade5 = {
  region: '330000',
  kind: 'disability',
  injuryDate: '2026-02-01',
  decisionDate: '2026-08-01',
  monthlyWagesFen: [600000],
  disabilityGrade: 5,
  employerArrangedWork: true,
  overrides: { averageMonthlyWageFen: 800000 },
};

describe('tongchou calc: results', () => {
  it('prints one JSON result with its trace and exits 0 (--input FILE)', async () => {
    const file = join(tmp, 'grade5.json');
    writeFileSync(file, JSON.stringify(grade5));
    const r = spawned(['--input', file]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.items).toEqual([
      {
        code: 'disability_lump_sum',
        amountFen: 10800000,
        frequency: 'once',
        payer: 'fund',
        citation: '《工伤保险条例》第三十六条',
      },
    ]);
    expect(out.trace.items[0].formula.zh).toBe(
      '一次性伤残补助金 = 本人工资 6,000.00 元 × 18 个月 = 108,000.00 元(《工伤保险条例》第三十六条)',
    );
  }, 90_000);

  it('reads stdin, honours --no-trace and --reform (different snapshot)', async () => {
    const base = await run(['--no-trace'], JSON.stringify(grade5));
    expect(base.status).toBe(0);
    const reformed = await run(
      ['--no-trace', '--reform', 'src/rules/reform/examples/grade5-lump-20.yaml'],
      JSON.stringify(grade5),
    );
    expect(reformed.status).toBe(0);
    const a = JSON.parse(base.stdout);
    const b = JSON.parse(reformed.stdout);
    expect(a.trace).toBeNull();
    expect(b.items[0].amountFen).toBe(12000000);
    expect(b.snapshotId).not.toBe(a.snapshotId);
  }, 90_000);
});

describe('tongchou calc: problems, refusals, help', () => {
  it('lists every bad field by path and exits 2', async () => {
    const r = await run(
      [],
      JSON.stringify({ ...grade5, region: 'zj', monthlyWagesFen: [1.5, -2], colour: 'red' }),
    );
    expect(r.status).toBe(2);
    const problem = JSON.parse(r.stdout);
    expect(problem.code).toBe('input.invalid');
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['colour', 'monthlyWagesFen.0', 'monthlyWagesFen.1', 'region'].sort(),
    );
    expect(r.stderr).toMatch(/^calc: invalid input \(4 problem\(s\)\)/);
  }, 90_000);

  it('answers unusable input (not JSON, empty, missing file, bad reform) with a problem and exit 2', async () => {
    expect((await run([], '{not json')).status).toBe(2);
    expect((await run([], '')).status).toBe(2);
    const missing = await run(['--input', join(tmp, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stdout).errors[0].path).toBe('(input)');
    const badReform = join(tmp, 'bad-reform.yaml');
    writeFileSync(
      badReform,
      'name: x\nchanges: [{ region: "1", path: a.b, from: nope, value: 1 }]\n',
    );
    const r = await run(['--reform', badReform], JSON.stringify(grade5));
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).errors.map((e: { path: string }) => e.path)).toContain(
      'reform.changes.0.from',
    );
    for (const body of [[], 'x', { kind: 'death' }, { ...grade5, separation: { date: 'x' } }]) {
      const f = await run([], JSON.stringify(body));
      expect(f.status).toBe(2);
      expect(JSON.parse(f.stdout).errors.length).toBeGreaterThan(0);
    }
  }, 180_000);

  it('exits 3 with a refusal problem when no parameter is in force', async () => {
    const r = await run([], JSON.stringify({ ...grade5, region: '000000', overrides: {} }));
    expect(r.status).toBe(3);
    const problem = JSON.parse(r.stdout);
    expect(problem).toMatchObject({ status: 422, code: 'rules.parameter_missing' });
    expect(problem.detail).toContain('overrides.averageMonthlyWageFen');
  }, 90_000);

  it('--help works', async () => {
    const r = spawnSync(process.execPath, ['bin/tongchou.mjs', 'calc', '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--reform <file>');
  }, 90_000);
});
