import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/**
 * `tongchou contributions experience import` and `floating-review run|show|apply|letters` as an
 * operator runs them, on a database of its own (`cliTestsHere`) seeded with the demo province. The
 * approval itself is decided through the approvals routes (tested in the route and use-case tests);
 * here an undecided one is refused.
 */
const cdb = cliDatabaseForFile('tc-cli-floating-');

/** The seeded demo is a copy of the run's one real seed (seedDemoCopy); the commands run in this process. */
const cli = (args: string[]) => runCliInProcess(['contributions', ...args], cdb.env);

async function importAndRun(): Promise<{ id: string; approvalId: string }> {
  const file = join(cdb.dir, 'experience.csv');
  const code = demoCreditCode('330100', 1);
  const rows = [2023, 2024, 2025].map((y) => `${code},${y},500000,50000,0,20`);
  writeFileSync(
    file,
    [
      'credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount',
      ...rows,
    ].join('\n'),
  );
  const imported = await cli([
    'experience',
    'import',
    '--region',
    '330100',
    '--file',
    file,
    '--as',
    'hz.handler',
  ]);
  expect(imported.code, imported.err).toBe(0);
  expect(JSON.parse(imported.out)).toEqual({ rows: 3, employers: 1, years: [2023, 2024, 2025] });
  const run = ['floating-review', 'run', '--region', '330100', '--year', '2026'];
  const made = await cli([...run, '--effective', '2026-07-01', '--as', 'hz.handler']);
  expect(made.code, made.err).toBe(0);
  const review = JSON.parse(made.out) as { id: string; approvalId: string; status: string };
  expect(review.status).toBe('proposed');
  return review;
}

async function refusals(review: { id: string; approvalId: string }): Promise<void> {
  const where = ['--region', '330100', '--review', review.id];
  const apply = await cli([
    'floating-review',
    'apply',
    ...where,
    '--approval',
    review.approvalId,
    '--as',
    'hz.handler',
  ]);
  expect([apply.code, JSON.parse(apply.out).code]).toEqual([3, 'approval.not_approved']);
  const letters = await cli([
    'floating-review',
    'letters',
    ...where,
    '--out',
    join(cdb.dir, 'letters'),
  ]);
  expect([letters.code, JSON.parse(letters.out).code]).toEqual([3, 'floating_review.not_applied']);
  const shown = await cli(['floating-review', 'show', ...where]);
  expect([shown.code, JSON.parse(shown.out).id]).toEqual([0, review.id]);
  const bad = await cli([
    'floating-review',
    'run',
    '--region',
    '3301',
    '--year',
    'x',
    '--effective',
    '2026-13-01',
    '--as',
    'hz.handler',
  ]);
  expect(bad.code).toBe(2);
  const paths = (JSON.parse(bad.out) as { errors: { path: string }[] }).errors.map((e) => e.path);
  expect(paths.sort()).toEqual(['effectiveFrom', 'regionCode', 'year']);
  const nobody = await cli([
    'floating-review',
    'run',
    '--region',
    '330100',
    '--year',
    '2026',
    '--effective',
    '2026-07-01',
    '--as',
    'hz.supervisor',
  ]);
  expect([nobody.code, JSON.parse(nobody.out).code]).toEqual([3, 'auth.forbidden']);
}

/** `experience derive` (preview, then written) and `refund show|request` of the same use cases. */
async function deriveAndRefund(): Promise<void> {
  const derive = [
    'experience',
    'derive',
    '--region',
    '330100',
    '--year',
    '2025',
    '--as',
    'hz.handler',
  ];
  const preview = await cli([...derive, '--preview']);
  expect(preview.code, preview.err).toBe(0);
  const shown = JSON.parse(preview.out) as {
    status: string;
    rows: { employerId: string; creditCode: string }[];
  };
  expect(shown.status).toBe('preview');
  const written = await cli(derive);
  expect([written.code, JSON.parse(written.out).status]).toEqual([0, 'written']);
  const employerId =
    shown.rows.find((r) => r.creditCode === demoCreditCode('330100', 1))?.employerId ?? '';
  const excess = await cli(['refund', 'show', '--region', '330100', '--employer', employerId]);
  expect(excess.code, excess.err).toBe(0);
  const { excessFen } = JSON.parse(excess.out) as { excessFen: number };
  const file = join(cdb.dir, 'refund.json');
  writeFileSync(
    file,
    JSON.stringify({
      employerId,
      clientKey: 'cli-refund-0001',
      amountFen: excessFen + 1,
      reason: '多缴退还',
      bankName: '中国工商银行',
      accountNumber: '6222020000000001',
      accountName: '测试单位',
      refundOn: '2025-01-15',
    }),
  );
  const asked = ['refund', 'request', '--region', '330100', '--input', file, '--as', 'hz.handler'];
  const refused = await cli(asked);
  expect([refused.code, JSON.parse(refused.out).code]).toEqual([3, 'refund.exceeds_excess']);
}

describe.runIf(cliTestsHere)('floating-review CLI', () => {
  it('imports, runs, shows; refuses an unapproved apply, early letters, bad options, a user who may not', async () => {
    await seedDemoCopy(cdb.env);
    await refusals(await importAndRun());
    await deriveAndRefund();
  }, 300_000);
});
