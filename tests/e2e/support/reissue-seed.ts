import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import { textOf, withColumns } from '../../../src/db/rows.ts';
import { payrollRunId } from '../../../src/domain/benefits/payroll-lines.ts';
import { todayInChina } from '../../../src/kernel/dates.ts';
import { testRuleBook } from '../../../src/runtime/testing.ts';
import { recordDeath } from '../../../src/usecases/benefits/death-record.ts';
import { approvePayrollRun } from '../../../src/usecases/benefits/payroll-approve.ts';
import { issuePaymentFile } from '../../../src/usecases/benefits/payroll-file.ts';
import { importBankReturn } from '../../../src/usecases/benefits/payroll-return.ts';
import { startPayrollRun } from '../../../src/usecases/benefits/payroll-run.ts';
import { linePage } from '../../../src/usecases/benefits/payroll-store.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
} from '../../../src/usecases/benefits/testing.ts';
import { cityActor, HZ, POLICY } from '../../../src/usecases/contributions/testing.ts';

/** The failed line's amount: 4 321.00 yuan. */
export const reissueAmountFen = 432_100;
export const reissueAccount = '6222000000095001';

/** The second worker's failed line, owed to no one (died before the month): 1 234.00 yuan. */
export const releaseAmountFen = 123_400;

export type FailedLineSeed = {
  workerId: string;
  runId: string;
  lineId: string;
  /** The worker whose line failed after his death was recorded (its release's journey). */
  deadWorkerId: string;
  deadLineId: string;
};

const seeded = new WeakMap<Database, Promise<FailedLineSeed>>();

/**
 * One failed payroll line in 杭州 for the reissue journey, made through the use cases: a worker's
 * 伤残津贴 of 4 321.00 yuan with a card account, this month's run started by hz.handler, approved
 * by hz.supervisor today, its file issued and the bank's return failing the line (账户已销户). A
 * second worker's 伤残津贴 of 1 234.00 yuan is in the same run; his death, on the first day of the
 * month before, is recorded after the file was issued and before the return fails his line too, so
 * the line is owed to no one and the death's own reversal (which takes only lines failed when it
 * is recorded) left it: the release's journey. The demo seed has no entitlement in 杭州, so the run
 * holds these two lines only. Once per server: a retry of the journey on the same server finds the
 * same lines (a run is one per city and month).
 */
export function seedFailedLine(db: Database): Promise<FailedLineSeed> {
  const known = seeded.get(db);
  if (known !== undefined) return known;
  const made = makeFailedLine(db);
  seeded.set(db, made);
  return made;
}

/** A demo user of 杭州 as an actor of the use cases (the approvals name real user ids). */
async function demoActor(db: Database, username: string, role: 'city_handler' | 'supervisor') {
  const r = withColumns(await db.query('SELECT id FROM users WHERE username = $1', [username]), {
    id: textOf,
  });
  const id = r.rows[0]?.id;
  if (id === undefined) throw new Error(`reissue seed: no demo user ${username}`);
  return { ...cityActor(username, role), userId: id };
}

async function makeFailedLine(db: Database): Promise<FailedLineSeed> {
  const maker = await demoActor(db, 'hz.handler', 'city_handler');
  const checker = await demoActor(db, 'hz.supervisor', 'supervisor');
  const rules = testRuleBook().benefits;
  const today = todayInChina();
  const workerId = await insertWorker(db, '1977-05-05');
  await insertEntitlement(db, {
    employerId: registryExamples.employerId(HZ),
    workerId,
    kind: 'disability_allowance',
    amountFen: reissueAmountFen,
    startsOn: '2025-01-01',
  });
  await insertCardAccount(db, { workerId, validFrom: '2024-06-01', accountNumber: reissueAccount });
  const deadWorkerId = await insertWorker(db, '1975-03-03');
  await insertEntitlement(db, {
    employerId: registryExamples.employerId(HZ),
    workerId: deadWorkerId,
    kind: 'disability_allowance',
    amountFen: releaseAmountFen,
    startsOn: '2025-01-01',
  });
  await insertCardAccount(db, {
    workerId: deadWorkerId,
    validFrom: '2024-06-01',
    accountNumber: '6222000000095002',
  });
  const month = today.slice(0, 7);
  const runId = payrollRunId(HZ, month);
  const started = await startPayrollRun(
    db,
    maker,
    rules,
    { regionCode: HZ, month },
    { policy: POLICY },
  );
  if (!started.ok) throw new Error(`reissue seed: ${started.message}`);
  const approved = await approvePayrollRun(db, checker, rules, {
    regionCode: HZ,
    runId,
    on: today,
  });
  if (!approved.ok) throw new Error(`reissue seed: ${approved.message}`);
  const file = await issuePaymentFile(db, maker, { regionCode: HZ, runId }, () => {});
  if (!file.ok) throw new Error(`reissue seed: ${file.message}`);
  const lines = await db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId, afterId: '', limit: 100, withAccount: true }),
  );
  const ours = lines.find((l) => l.workerId === workerId);
  const dead = lines.find((l) => l.workerId === deadWorkerId);
  if (ours === undefined || dead === undefined)
    throw new Error('reissue seed: the run lacks a line of the two workers');
  const died = await recordDeath(db, maker, {
    regionCode: HZ,
    workerId: deadWorkerId,
    diedOn: `${previousMonth(month)}-01`,
    source: '居民死亡医学证明（推断）书',
    today,
  });
  if (!died.ok) throw new Error(`reissue seed: ${died.message}`);
  const failing = new Set([ours.id, dead.id]);
  const text = `line_id,status,bank_reference,paid_on,reason\n${lines
    .map((l) => (failing.has(l.id) ? `${l.id},failed,,,账户已销户` : `${l.id},paid,BK-S,${today},`))
    .join('\n')}\n`;
  const back = await importBankReturn(db, maker, { regionCode: HZ, runId, text });
  if (!back.ok) throw new Error(`reissue seed: ${back.message}`);
  return { workerId, runId, lineId: ours.id, deadWorkerId, deadLineId: dead.id };
}

function previousMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
