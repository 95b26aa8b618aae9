import { describe, expect, it } from 'vitest';
import { insertAppraisal, insertCase, insertWorker } from '../../../usecases/benefits/testing.ts';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/**
 * `tongchou benefits separation propose|show` as an operator runs them, on a database of its own
 * (`cliTestsHere`) seeded with the demo province: a malformed command is refused before the database
 * (exit 2, every problem named), a case whose decision is not approved is refused (exit 3, nothing
 * written), and `show` lists the case's separations (none). The whole flow with money is in
 * src/api/routes/benefits/separation-routes.db.test.ts (the same use cases).
 */
const cdb = cliDatabaseForFile('tc-cli-separation-');
const cli = (args: string[]) => runCliInProcess(['benefits', 'separation', ...args], cdb.env);

/** A graded 杭州 case with no benefit decision yet. */
async function gradedCase(): Promise<string> {
  const db = await cdb.open();
  try {
    const employer = await db.query('SELECT id FROM employers WHERE credit_code = $1', [
      demoCreditCode('330100', 1),
    ]);
    const workerId = await insertWorker(db, '1980-04-02');
    const caseId = await insertCase(db, {
      workerId,
      employerId: String(employer.rows[0]?.['id']),
      accidentDate: '2025-03-10',
      outcome: 'recognised',
    });
    await insertAppraisal(db, { caseId, concludedOn: '2025-06-20', grade: 7 });
    return caseId;
  } finally {
    await db.close();
  }
}

describe.runIf(cliTestsHere)('separation CLI', () => {
  it('refuses malformed input and a case without an approved decision; shows none', async () => {
    await seedDemoCopy(cdb.env);
    const caseId = await gradedCase();
    const where = ['--region', '330100', '--case', caseId];
    const bad = await cli([
      'propose',
      ...where,
      '--date',
      '2025-02-30',
      '--reason',
      'fired',
      '--retirement-age',
      'sixty',
      '--as',
      'hz.handler',
    ]);
    expect(bad.code, bad.out).toBe(2);
    expect(JSON.parse(bad.out).errors).toHaveLength(3);
    const early = await cli([
      'propose',
      ...where,
      '--date',
      '2025-09-15',
      '--reason',
      'contract_expiry',
      '--retirement-age',
      '60',
      '--as',
      'hz.handler',
      '--on',
      '2025-09-20',
    ]);
    expect([early.code, JSON.parse(early.out).code]).toEqual([3, 'benefit.separation_no_decision']);
    const shown = await cli(['show', ...where]);
    expect([shown.code, JSON.parse(shown.out)]).toEqual([0, []]);
  }, 300_000);
});
