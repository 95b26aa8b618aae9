import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixedFile } from '../../../domain/benefits/payroll-fixed-file.ts';
import { decideApproval } from '../../../usecases/approvals/approvals.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
} from '../../../usecases/benefits/testing.ts';
import { userActorOf } from '../../../usecases/identity/user-actor.ts';
import { demoCreditCode } from '../../../usecases/seed/demo-ids.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/**
 * `tongchou payroll run|approve|file|return|show` as an operator runs them, on a database of its own
 * (`cliTestsHere`) seeded with the demo province and two entitlements of 杭州: the handler runs and may
 * not approve, the supervisor approves, the file is written and hashed, the bank's return is
 * imported with one failure.
 */
const cdb = cliDatabaseForFile('tc-cli-payroll-');
const cli = (args: string[]) => runCliInProcess(['payroll', ...args], cdb.env);

/** The entitlements inserted directly (the demo seed makes none yet); returns the open month. */
async function fixture(): Promise<string> {
  const db = await cdb.open();
  try {
    const open = await db.query(
      `SELECT to_char(p.month, 'YYYY-MM') AS m FROM ledger_periods p
         JOIN ledger_segments s ON s.id = p.segment_id
       WHERE s.code = '330100' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
    );
    const employer = await db.query('SELECT id FROM employers WHERE credit_code = $1', [
      demoCreditCode('330100', 1),
    ]);
    const employerId = String(employer.rows[0]?.['id']);
    for (const [amountFen, accountNumber] of [
      [680_000, '6222000000080001'],
      [270_000, '6222000000080002'],
    ] as const) {
      const workerId = await insertWorker(db, '1972-05-05');
      await insertEntitlement(db, {
        employerId,
        workerId,
        kind: 'disability_allowance',
        amountFen,
        startsOn: '2025-01-01',
      });
      await insertCardAccount(db, { workerId, validFrom: '2024-01-01', accountNumber });
    }
    const month = String(open.rows[0]?.['m']);
    // The demo's own 杭州 entitlements (seed-benefits-demo.ts: paid through 2025 and on) end before
    // this month, so the run pays exactly the two above and the figures below stay the hand ones.
    await db.query(
      `UPDATE benefit_entitlements SET status = 'ended', ends_on = $1::date - 1
        WHERE region_code = '330100' AND status = 'active' AND starts_on < $1::date
          AND worker_id NOT IN (SELECT worker_id FROM social_security_card_accounts
                                 WHERE account_number IN ('6222000000080001', '6222000000080002'))`,
      [`${month}-01`],
    );
    return month;
  } finally {
    await db.close();
  }
}

/** The payment file written and hashed, then the bank's return with one failure imported. */
async function fileAndReturn(where: string[], month: string): Promise<void> {
  const out = join(cdb.dir, 'payroll.csv');
  const file = await cli(['file', ...where, '--as', 'hz.handler', '--out', out]);
  expect(file.code, file.out).toBe(0);
  const bytes = readFileSync(out);
  expect(JSON.parse(file.out)).toMatchObject({
    lines: 2,
    totalFen: 950_000,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  const ids = bytes
    .toString('utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((r) => r.split(',')[0]);
  const back = join(cdb.dir, 'return.csv');
  writeFileSync(
    back,
    `line_id,status,bank_reference,paid_on,reason\n${ids[0]},paid,BK-9,${month}-20,\n${ids[1]},failed,,,账户冻结\n`,
  );
  const imported = await cli(['return', ...where, '--as', 'hz.handler', '--file', back]);
  expect(imported.code, imported.out).toBe(0);
}

/** The same run's fixed-width GBK file and its reconciliation report as PDF. */
async function fixedAndReport(where: string[]): Promise<void> {
  const out = join(cdb.dir, 'payroll.txt');
  const fixed = await cli([
    'file',
    ...where,
    '--as',
    'hz.handler',
    '--out',
    out,
    '--format',
    'fixed-gbk',
  ]);
  expect(fixed.code, fixed.out).toBe(0);
  const bytes = readFileSync(out);
  expect(JSON.parse(fixed.out)).toMatchObject({
    format: 'fixed-gbk',
    lines: 2,
    totalFen: 950_000,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  expect(readFixedFile(bytes).header).toMatchObject({ lines: 2, totalFen: 950_000 });
  const pdf = join(cdb.dir, 'report.pdf');
  const report = await cli([
    'report',
    ...where,
    '--as',
    'hz.handler',
    '--out',
    pdf,
    '--format',
    'pdf',
  ]);
  expect(report.code, report.out).toBe(0);
  expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
}

/**
 * `tongchou benefits indexation list`, on the database the run test seeded (a CLI database costs a
 * demo copy): 杭州 paid its payroll of 2025 (the demo seed), so its 2025 batch is refused; 宁波 has
 * none yet.
 */
async function indexationList(): Promise<void> {
  const ix = (args: string[]) => runCliInProcess(['benefits', 'indexation', ...args], cdb.env);
  const paid = await ix(['propose', '--region', '330100', '--year', '2025', '--as', 'hz.handler']);
  expect([paid.code, JSON.parse(paid.out).code]).toEqual([3, 'benefit.indexation_month_paid']);
  const none = await ix(['list', '--region', '330100']);
  expect([none.code, JSON.parse(none.out)]).toEqual([0, { items: [] }]);
  const made = await ix(['propose', '--region', '330200', '--year', '2025', '--as', 'nb.handler']);
  expect(made.code, made.out).toBe(0);
  const listed = await ix(['list', '--region', '330200']);
  expect(listed.code, listed.out).toBe(0);
  expect(JSON.parse(listed.out).items).toMatchObject([
    {
      batchId: 'idx_330200_2025',
      year: 2025,
      status: 'proposed',
      lineCount: JSON.parse(made.out).payload.lineCount,
      proposedBy: 'nb.handler',
      approvalStatus: 'pending',
      checkerUsername: null,
    },
  ]);
  expect((await ix(['list', '--region', '33'])).code).toBe(2);
  await rejectedAskedAgain(ix, JSON.parse(made.out).approvalId);
}

/**
 * 宁波's batch rejected by the province's supervisor (a province decides its cities' approvals):
 * the same `propose` asks a new approval of the same payload, and its `proposal` says so.
 */
async function rejectedAskedAgain(
  ix: (args: string[]) => ReturnType<typeof runCliInProcess>,
  approvalId: string,
): Promise<void> {
  const db = await cdb.open();
  try {
    const checker = await userActorOf(db, {
      username: 'province.supervisor',
      permissions: ['fund:approve'],
      owner: { regionCode: '330200' },
    });
    if (checker === null) throw new Error('no province.supervisor in the demo');
    const rejected = await decideApproval(db, checker, {
      regionCode: '330200',
      id: approvalId,
      decision: 'rejected',
    });
    expect(rejected.ok && rejected.value.status).toBe('rejected');
  } finally {
    await db.close();
  }
  const again = await ix(['propose', '--region', '330200', '--year', '2025', '--as', 'nb.handler']);
  expect(again.code, again.out).toBe(0);
  const out = JSON.parse(again.out);
  expect(out.proposal).toEqual({
    replayed: false,
    renewed: 'approval_rejected',
    previousApprovalId: approvalId,
  });
  expect(out.approvalId).not.toBe(approvalId);
}

/** `payroll reissue list` and `payroll release list`: the same use cases as the API's lists. */
async function lists(): Promise<void> {
  const batches = await cli(['reissue', 'list', '--region', '330100', '--limit', '5']);
  expect(batches.code, batches.out).toBe(0);
  expect(JSON.parse(batches.out)).toMatchObject({ items: expect.any(Array) });
  const releases = await cli(['release', 'list', '--region', '330100', '--status', 'applied']);
  expect(releases.code, releases.out).toBe(0);
  expect(JSON.parse(releases.out)).toMatchObject({ items: expect.any(Array) });
  const bad = await cli(['release', 'list', '--region', '330100', '--status', 'done']);
  expect(bad.code).toBe(2);
}

describe.runIf(cliTestsHere)('payroll CLI', () => {
  it('runs, refuses the handler’s approval, approves, writes the file, imports the return', async () => {
    await seedDemoCopy(cdb.env);
    const month = await fixture();
    const runId = `prl_330100_${month.replace('-', '')}`;
    const where = ['--region', '330100', '--run', runId];
    const run = await cli(['run', '--region', '330100', '--month', month, '--as', 'hz.handler']);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ id: runId, status: 'computed', totalFen: 950_000 });
    const bad = await cli([
      'run',
      '--region',
      '330100',
      '--month',
      '2025-13',
      '--as',
      'hz.handler',
    ]);
    expect(bad.code).toBe(2);
    const byHandler = await cli(['approve', ...where, '--as', 'hz.handler', '--on', `${month}-15`]);
    expect([byHandler.code, JSON.parse(byHandler.out).code]).toEqual([3, 'auth.forbidden']);
    const approved = await cli([
      'approve',
      ...where,
      '--as',
      'hz.supervisor',
      '--on',
      `${month}-15`,
    ]);
    expect(approved.code, approved.out).toBe(0);
    await fileAndReturn(where, month);
    const shown = await cli(['show', ...where]);
    expect(JSON.parse(shown.out)).toMatchObject({
      status: 'reconciled',
      reconciliation: { confirmed: { lines: 1 }, failed: { lines: 1 } },
    });
    await fixedAndReport(where);
    const failed = await cli(['reissue', 'failed', '--region', '330100', '--on', `${month}-22`]);
    expect(failed.code, failed.out).toBe(0);
    // The bank failed the file's second line (lines go in id order: either entitlement).
    const frozen = JSON.parse(failed.out).items.filter(
      (l: { runId: string | null }) => l.runId === runId,
    );
    expect(frozen).toHaveLength(1);
    const tail = frozen[0].amountFen === 680_000 ? '0001' : '0002';
    expect([680_000, 270_000]).toContain(frozen[0].amountFen);
    expect(frozen[0]).toMatchObject({
      failureReason: '账户冻结',
      account: { accountNumberMasked: `************${tail}` },
      reissuable: true,
    });
    await lists();
    const missing = await cli([
      'file',
      '--region',
      '330100',
      '--run',
      'prl_330100_199901',
      '--as',
      'hz.handler',
      '--out',
      join(cdb.dir, 'none.csv'),
    ]);
    expect([missing.code, JSON.parse(missing.out).code]).toEqual([
      3,
      'benefit.payroll_run_not_found',
    ]);
    expect(existsSync(join(cdb.dir, 'none.csv'))).toBe(false);
  }, 300_000);

  it(
    'lists a city’s indexation batches (tongchou benefits indexation list)',
    indexationList,
    120_000,
  );
});
