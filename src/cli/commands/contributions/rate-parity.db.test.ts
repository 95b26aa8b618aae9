import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../../api/testing.ts';
import { malformedRateBodyArb, rateInputArb } from '../../../rules/contributions/arbitraries.ts';
import { cliTestsHere } from '../../testing.ts';
import { registerContributionsCommand } from './rate.ts';

/**
 * Issue 10: `tongchou contributions rate` prints the body of POST /api/v1/contributions/rate byte
 * for byte (then a newline); a problem differs only by the API's requestId, which a command line
 * has no request for. Generated bodies (fixed seed): well-formed ones that compute or are refused,
 * and malformed ones. Every body runs the command in this process (its own reading, printing and
 * exit code, on the app's rules); a sample also runs the real `bin/tongchou.mjs` with the rules it
 * loads itself.
 */
const SEED = 20_260_110;
const named = (industry: { standard: string; division: string }, floatingGrade = 'base') => ({
  region: '330100',
  period: '2024-06',
  industry,
  floatingGrade,
  payrollFen: 123_456_789,
});
const bodies: unknown[] = [
  // The worked example and one of each refusal, whatever the generator draws.
  named({ standard: 'GB/T 4754-2017', division: '47' }, 'up1'),
  named({ standard: 'GB/T 4754-2017', division: '79' }),
  named({ standard: 'GB/T 4754-2011', division: '97' }),
  named({ standard: 'GB/T 4754-2011', division: '66' }, 'down2'),
  { ...named({ standard: 'GB/T 4754-2017', division: '47' }), period: '2017-09' },
  ...fc.sample(rateInputArb, { numRuns: 170, seed: SEED }),
  ...fc.sample(malformedRateBodyArb, { numRuns: 60, seed: SEED }),
];
const tmp = mkdtempSync(join(tmpdir(), 'rate-parity-'));

type Answer = { status: number; text: string };

/** The API's answer with a problem's requestId taken out: it must be the last member. */
function apiText(res: { statusCode: number; body: string }): string {
  if (res.statusCode === 200) return res.body;
  const requestId = (JSON.parse(res.body) as { requestId: string }).requestId;
  const tail = `,"requestId":${JSON.stringify(requestId)}}`;
  expect(res.body.endsWith(tail), res.body).toBe(true);
  return `${res.body.slice(0, -tail.length)}}`;
}

const EXIT_BY_STATUS: Record<number, number> = { 200: 0, 400: 2, 422: 3 };

describe.runIf(cliTestsHere)('contribution rate parity: API and CLI', () => {
  let h: TestApp;
  const api = new Map<number, Answer>();
  beforeAll(async () => {
    h = await startTestApp();
    for (const [i, body] of bodies.entries()) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contributions/rate',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      api.set(i, { status: res.statusCode, text: apiText(res) });
    }
  });
  afterAll(async () => h.close());

  /** Runs `contributions rate --input FILE` in this process, capturing stdout and the exit code. */
  async function cliInProcess(i: number): Promise<{ stdout: string; exitCode: number }> {
    const file = join(tmp, `body-${i}.json`);
    writeFileSync(file, JSON.stringify(bodies[i]));
    const program = new Command('tongchou').exitOverride();
    registerContributionsCommand(program, { ruleSet: () => h.app.deps.rules.benefits });
    let stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['node', 'tongchou', 'contributions', 'rate', '--input', file]);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return { stdout, exitCode };
  }

  it(`covers results, every refusal and input problems over ${bodies.length} bodies`, () => {
    expect(bodies.length).toBeGreaterThanOrEqual(200);
    const kinds = new Set(
      [...api.values()].map((a) => (a.status === 200 ? 'ok' : JSON.parse(a.text).code)),
    );
    expect([...kinds].sort()).toEqual(
      [
        'ok',
        'input.invalid',
        'rules.parameter_missing',
        'contribution.division_unknown',
        'contribution.division_unclassified',
        'contribution.grade_not_allowed',
      ].sort(),
    );
  });

  it('prints the API body byte for byte, with the matching exit code, for every body', async () => {
    for (const i of bodies.keys()) {
      const cli = await cliInProcess(i);
      const answer = api.get(i)!;
      expect(cli.stdout, `body ${i}: ${JSON.stringify(bodies[i])}`).toBe(`${answer.text}\n`);
      expect(cli.exitCode, `body ${i}`).toBe(EXIT_BY_STATUS[answer.status]);
    }
  }, 120_000);

  it('the real command (bin/tongchou.mjs, its own rules) agrees on a sample of each kind', () => {
    const firstOfKind = new Map<string, number>();
    for (const [i, a] of api)
      if (a.status === 200 && !firstOfKind.has('ok')) firstOfKind.set('ok', i);
      else if (a.status !== 200) {
        const code = (JSON.parse(a.text) as { code: string }).code;
        if (!firstOfKind.has(code)) firstOfKind.set(code, i);
      }
    // One body of each kind (every body already went through the same program in process above).
    const sample = [...firstOfKind.values()];
    for (const i of sample) {
      const cli = spawnSync(process.execPath, ['bin/tongchou.mjs', 'contributions', 'rate'], {
        input: JSON.stringify(bodies[i]),
        encoding: 'utf8',
        timeout: 60_000,
      });
      const answer = api.get(i)!;
      expect(cli.stdout, `body ${i}: ${cli.stderr}`).toBe(`${answer.text}\n`);
      expect(cli.status, `body ${i}`).toBe(EXIT_BY_STATUS[answer.status]);
    }
  }, 300_000);
});
