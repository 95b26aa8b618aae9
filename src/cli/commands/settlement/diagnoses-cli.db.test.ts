import { describe, expect, it } from 'vitest';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/**
 * `tongchou settlement diagnoses show|record` on a database of its own (`cliTestsHere`) seeded
 * with the demo province.
 */
const cdb = cliDatabaseForFile('tc-cli-diagnoses-');
const cli = (args: string[]) => runCliInProcess(['settlement', 'diagnoses', ...args], cdb.env);

async function aCase(): Promise<string> {
  await seedDemoCopy(cdb.env);
  const db = await cdb.open();
  try {
    const c = await db.query(
      `SELECT id FROM cases WHERE region_code = '330100' ORDER BY id LIMIT 1`,
    );
    return String(c.rows[0]?.['id']);
  } finally {
    await db.close();
  }
}

describe.runIf(cliTestsHere)('settlement diagnoses commands', () => {
  it('records a case’s diagnoses (added, never removed) and shows them; refuses bad input and users', async () => {
    const caseId = await aCase();
    const where = ['--region', '330100', '--case', caseId];
    const before = await cli(['show', ...where, '--as', 'hz.handler']);
    expect(before.code, before.err).toBe(0);
    const known = (JSON.parse(before.out) as { codes: string[] }).codes;
    const bad = await cli(['record', ...where, '--code', 'S82.2', 'broken', '--as', 'hz.handler']);
    const named = (JSON.parse(bad.out) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect([bad.code, named]).toEqual([2, ['code.1']]);
    const stranger = await cli(['record', ...where, '--code', 'S82.2', '--as', 'province.fund']);
    expect([stranger.code, JSON.parse(stranger.out).code]).toEqual([3, 'auth.forbidden']);
    const made = await cli(['record', ...where, '--code', 'S82.2', 'T14.0', '--as', 'hz.handler']);
    expect(made.code, made.err).toBe(0);
    const again = await cli(['record', ...where, '--code', 'S82.2', '--as', 'hz.handler']);
    expect(again.code, again.err).toBe(0);
    const shown = await cli(['show', ...where, '--as', 'hz.supervisor']);
    expect(shown.code, shown.err).toBe(0);
    const codes = (JSON.parse(shown.out) as { caseId: string; codes: string[] }).codes;
    expect([...codes].sort()).toEqual([...new Set([...known, 'S82.2', 'T14.0'])].sort());
    const missing = await cli([
      'show',
      '--region',
      '330100',
      '--case',
      'cas_none',
      '--as',
      'hz.handler',
    ]);
    expect([missing.code, JSON.parse(missing.out).code]).toEqual([3, 'settlement.case_not_found']);
  }, 300_000);
});
