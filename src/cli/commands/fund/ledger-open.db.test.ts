import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess } from '../../testing.ts';

/**
 * `tongchou ledger open` as the province runs it at month start, on a database of its own
 * initialised from the example province (18 segments). Runs once (`cliTestsHere`).
 */
const cdb = cliDatabaseForFile('tc-ledger-open-');
const cli = (args: string[]) => runCliInProcess(args, cdb.env);

describe.runIf(cliTestsHere)('tongchou ledger open', () => {
  it('opens a month for every segment once, one segment by code, and refuses bad input', async () => {
    const password = join(cdb.dir, 'password');
    writeFileSync(password, 'the anhui administrator pass phrase\n');
    const init = await cli([
      'init',
      '--province',
      'provinces/example-anhui.yaml',
      '--password-file',
      password,
    ]);
    expect(init.code, init.err).toBe(0);
    const segments = Number(/Ledger: (\d+) segment/.exec(init.out)?.[1]);
    expect(segments).toBe(18);

    const first = await cli(['ledger', 'open', '--period', '2026-12']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`period 2026-12: opened ${segments}, already open 0, closed 0`);
    const again = await cli(['ledger', 'open', '--period', '2026-12']);
    expect(again.out).toContain(`period 2026-12: opened 0, already open ${segments}, closed 0`);

    const one = await cli(['ledger', 'open', '--period', '2027-01', '--segment', '340100']);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toContain('period 2027-01: opened 1, already open 0, closed 0');

    const unknown = await cli(['ledger', 'open', '--period', '2027-01', '--segment', '999900']);
    expect([unknown.code, unknown.err]).toEqual([
      3,
      expect.stringMatching(/^ledger\.unknown_segment: /),
    ]);
    const bad = await cli(['ledger', 'open', '--period', '2027-13']);
    expect([bad.code, bad.err]).toEqual([2, expect.stringMatching(/^ledger\.invalid_period: /)]);
    const missing = await cli(['ledger', 'open']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/required option '--period/);
  }, 180_000);
});
