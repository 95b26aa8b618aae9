import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { openTestDatabase } from '../../../db/testing.ts';
import { systemActor } from '../../../identity/actor.ts';
import { todayInChina } from '../../../kernel/dates.ts';
import { seedTestDemo, testRuleBook } from '../../../runtime/testing.ts';
import { openPeriod } from '../../../usecases/fund/ledger/periods.ts';
import {
  DEMO_INSTITUTION,
  seedSettlementMonthDemo,
} from '../../../usecases/seed/seed-settlement-month-demo.ts';
import { cliTestsHere, runCliInProcess } from '../../testing.ts';

/**
 * `tongchou settlement statement …` and `settlement review …` as an operator runs them, on a
 * server database named by DATABASE_URL (`cliTestsHere`). The demo province with the demo hospital's month of today
 * (seed-settlement-month-demo.ts: three visits, one sampled for review) is the starting point.
 */
let env: Record<string, string | undefined> = {};
let cleanup: () => Promise<void> = async () => {};
const month = todayInChina().slice(0, 7);
const where = ['--institution', DEMO_INSTITUTION, '--month', month];
const cli = (args: string[]) => runCliInProcess(['settlement', ...args], env);
const json = (out: string) => JSON.parse(out) as Record<string, unknown>;

/** The demo province (from the run's template when there is one) and today's settled month. */
async function settledMonth(db: Database, seeded: boolean): Promise<void> {
  if (!seeded) await seedTestDemo(db);
  const system = systemActor('test-statement-cli');
  const opened = await openPeriod(db, system, { segment: 'all', period: month });
  if (!opened.ok) throw new Error(opened.message);
  const done = await seedSettlementMonthDemo(db, testRuleBook().benefits, system, {
    on: todayInChina(),
  });
  expect(done.settlements).toBe(3);
}

// The server's database only (`cliTestsHere`): the file's tests do not run on PGlite.
beforeAll(async () => {
  if (!cliTestsHere) return;
  const t = await openTestDatabase({ template: 'demo' });
  await settledMonth(t.db, t.fromTemplate);
  env = { ...process.env, DATABASE_URL: t.url ?? '', TONGCHOU_DATA_DIR: undefined };
  cleanup = t.cleanup;
}, 300_000);

afterAll(async () => {
  await cleanup();
});

/** The sampled settlement from the queue: its first line accepted, its second deducted 100 fen. */
async function review(): Promise<void> {
  const queue = await cli(['review', 'queue', '--month', month, '--as', 'hz.handler']);
  expect(queue.code, queue.out).toBe(0);
  const entries = json(queue.out)['entries'] as { regionCode: string; settlementId: string }[];
  expect(entries).toHaveLength(1);
  const at = ['--region', '330100', '--settlement', entries[0]?.settlementId ?? ''];
  const shown = await cli(['review', 'show', ...at, '--as', 'hz.handler']);
  expect((json(shown.out)['lines'] as unknown[]).length).toBe(2);
  const accepted = await cli([
    ...['review', 'decide', ...at, '--line', '1', '--decision', 'accepted'],
    ...['--as', 'hz.handler'],
  ]);
  expect([accepted.code, json(accepted.out)['decision']], accepted.out).toEqual([0, 'accepted']);
  const noReason = ['review', 'decide', ...at, '--line', '2', '--decision', 'deducted'];
  const bad = await cli([...noReason, '--deducted-fen', '100', '--as', 'hz.handler']);
  expect([bad.code, bad.out]).toEqual([2, expect.stringContaining('"path": "reason"')]);
  const deducted = await cli([
    ...noReason,
    ...['--deducted-fen', '100', '--reason', '不合规收费', '--as', 'hz.handler'],
  ]);
  expect([deducted.code, json(deducted.out)['deductedFen']], deducted.out).toEqual([0, 100]);
}

/** The institution declares the totals `show` reports as ours; the handler may not. */
async function declare(): Promise<void> {
  const shown = await cli(['statement', 'show', ...where]);
  expect(shown.code, shown.out).toBe(0);
  const totals = json(shown.out)['totals'] as { netCount: number; fundFen: number };
  const figures = ['--settlement-count', String(totals.netCount), '--fund-fen'];
  const byStaff = await cli([
    ...['statement', 'declare', ...where, ...figures, String(totals.fundFen)],
    ...['--as', 'hz.handler'],
  ]);
  expect([byStaff.code, json(byStaff.out)['code']]).toEqual([3, 'auth.forbidden']);
  const declared = await cli([
    ...['statement', 'declare', ...where, ...figures, String(totals.fundFen)],
    ...['--as', 'demo.institution'],
  ]);
  expect(declared.code, declared.out).toBe(0);
  const after = await cli(['statement', 'show', ...where, '--as', 'demo.institution']);
  expect(json(after.out)['reconciliation']).toMatchObject({ status: 'reconciled' });
}

describe.runIf(cliTestsHere)('settlement statement and review commands', () => {
  it('reviews, declares, proposes; the maker may not approve, a second person does', async () => {
    const months = await cli(['statement', 'months', '--institution', DEMO_INSTITUTION]);
    expect(json(months.out)['months']).toEqual([
      expect.objectContaining({ month, settlements: 3, status: 'open' }),
    ]);
    await review();
    await declare();
    const proposed = await cli(['statement', 'propose', ...where, '--as', 'province.fund']);
    expect(proposed.code, proposed.out).toBe(0);
    expect(json(proposed.out)).toMatchObject({ replayed: false, approvalId: expect.any(String) });
    const byMaker = await cli(['statement', 'approve', ...where, '--as', 'province.fund']);
    expect([byMaker.code, json(byMaker.out)['code']]).toEqual([3, 'approval.self_approval']);
    const byHandler = await cli(['statement', 'approve', ...where, '--as', 'hz.handler']);
    expect([byHandler.code, json(byHandler.out)['code']]).toEqual([3, 'auth.forbidden']);
    const approved = await cli(['statement', 'approve', ...where, '--as', 'hz.supervisor']);
    expect(approved.code, approved.out).toBe(0);
    expect(json(approved.out)).toMatchObject({ replayed: false });
    const shown = await cli(['statement', 'show', ...where]);
    expect(json(shown.out)['stored']).toMatchObject({
      status: 'paid',
      proposedBy: 'province.fund',
      approvedBy: 'hz.supervisor',
    });
  }, 300_000);

  it('refuses a bad month with exit 2 naming the field', async () => {
    const bad = await cli([
      'statement',
      'show',
      '--institution',
      DEMO_INSTITUTION,
      '--month',
      '2025-13',
    ]);
    expect(bad.code).toBe(2);
    const problem = json(bad.out) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['month']);
  });
});
