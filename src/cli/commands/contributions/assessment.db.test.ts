import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/** `tongchou contributions …` as an operator runs it, on a database of its own (`cliTestsHere`). */
const cdb = cliDatabaseForFile('tc-cli-contributions-');

/** In this process (start-up costs seconds a spawn); the seed is a copy of the run's real one. */
function cli(args: string[]) {
  return runCliInProcess(['contributions', ...args], cdb.env);
}

describe.runIf(cliTestsHere)('contributions commands', () => {
  it('refuses a region the database does not hold, then works once seeded', async () => {
    const file = join(cdb.dir, 'early.csv');
    writeFileSync(
      file,
      `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nE-1,${demoCreditCode('330100', 992)},2024-06,1.00,2024-07-10\n`,
    );
    const early = await cli(['collections', 'import', '--region', '330100', '--file', file]);
    expect([early.code, JSON.parse(early.out).code]).toEqual([3, 'contributions.invalid_request']);
    await seedDemoCopy(cdb.env);
  }, 180_000);

  it('imports a collection file, queues what it cannot match, and lists the queue', async () => {
    const file = join(cdb.dir, 'collections.csv');
    const unknown = demoCreditCode('330100', 991);
    writeFileSync(
      file,
      `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\nCLI-1,${unknown},2024-06,12.34,2024-07-10\n`,
    );
    const imported = await cli(['collections', 'import', '--region', '330100', '--file', file]);
    expect(imported.code, imported.err).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({
      status: 'created',
      recordCount: 1,
      unmatchedCount: 1,
    });
    const again = await cli(['collections', 'import', '--region', '330100', '--file', file]);
    expect(JSON.parse(again.out)).toMatchObject({ status: 'exists' });
    const queue = await cli(['collections', 'queue', '--region', '330100']);
    expect(JSON.parse(queue.out)).toEqual([
      expect.objectContaining({
        voucher: 'CLI-1',
        amountFen: 1_234,
        unmatchedReason: 'unknown_credit_code',
      }),
    ]);
  }, 120_000);

  it('refuses a bad file whole (exit 3) and bad options by name (exit 2)', async () => {
    const file = join(cdb.dir, 'bad.csv');
    writeFileSync(file, '税票号,统一社会信用代码,费款所属期,实缴金额\nX,1,2024-06,1\n');
    const bad = await cli(['collections', 'import', '--region', '330100', '--file', file]);
    expect([bad.code, JSON.parse(bad.out).code]).toEqual([3, 'collection.file_invalid']);
    const opts = await cli(['assess', '--region', '3301', '--month', '2024-13']);
    expect(opts.code).toBe(2);
    const paths = (JSON.parse(opts.out) as { errors: { path: string }[] }).errors.map(
      (e) => e.path,
    );
    expect(paths.sort()).toEqual(['month', 'region']);
  }, 120_000);

  it('previews an assessment without an approval, reconciles and lists arrears', async () => {
    const preview = await cli(['assess', '--region', '330100', '--month', '2024-06']);
    expect(preview.code, preview.err).toBe(0);
    expect(preview.err).toContain('preview only');
    expect(JSON.parse(preview.out)).toMatchObject({ status: 'nothing', city: '330100' });
    const rec = await cli(['reconcile', '--region', '330100', '--month', '2024-06']);
    expect(rec.code, rec.err).toBe(0);
    expect(JSON.parse(rec.out)).toMatchObject({
      balanced: true,
      unmatchedCount: 1,
      unmatchedFen: 1_234,
    });
    const arrears = await cli(['arrears', '--region', '330000', '--on', '2024-08-01']);
    expect(arrears.code, arrears.err).toBe(0);
    expect(Array.isArray(JSON.parse(arrears.out))).toBe(true);
  }, 120_000);
});

// After the commands above (their reconciliation counts CLI-1 in 杭州's queue).
describe.runIf(cliTestsHere)('contributions forward command', () => {
  it('forwards a queued record to another city’s employer, refused with its code first', async () => {
    const unknown = await cli([
      'collections',
      'forward',
      '--region',
      '330100',
      '--voucher',
      'CLI-1',
    ]);
    expect([unknown.code, JSON.parse(unknown.out).code]).toEqual([3, 'forward.unknown_employer']);
    const nbEmployer = `emp_330200_${'0'.repeat(15)}1`;
    const args = ['collections', 'forward', '--region', '330100', '--voucher', 'CLI-1'];
    const done = await cli([...args, '--employer', nbEmployer]);
    expect(done.code, done.err).toBe(0);
    expect(JSON.parse(done.out)).toMatchObject({
      fromCity: '330100',
      toCity: '330200',
      record: { voucher: 'CLI-1', status: 'unmatched', unmatchedReason: 'no_assessment' },
    });
    const again = await cli([...args, '--employer', nbEmployer]);
    expect([again.code, JSON.parse(again.out).code]).toEqual([3, 'forward.not_in_city']);
    const queue = await cli(['collections', 'queue', '--region', '330100']);
    expect(JSON.parse(queue.out).map((r: { voucher: string }) => r.voucher)).not.toContain('CLI-1');
  }, 120_000);
});
