import { registryExamples } from '../../../src/api/routes/registry/registry-route-kit.ts';
import type { Database } from '../../../src/db/client.ts';
import { textOf, withColumns } from '../../../src/db/rows.ts';
import { payrollRunId } from '../../../src/domain/benefits/payroll-lines.ts';
import { todayInChina } from '../../../src/kernel/dates.ts';
import { testRuleBook } from '../../../src/runtime/testing.ts';
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

export type FailedLineSeed = { workerId: string; runId: string; lineId: string };

const seeded = new WeakMap<Database, Promise<FailedLineSeed>>();

/**
 * One failed payroll line in 杭州 for the reissue journey, made through the use cases: a worker's
 * 伤残津贴 of 4 321.00 yuan with a card account, this month's run started by hz.handler, approved
 * by hz.supervisor today, its file issued and the bank's return failing the line (账户已销户). The
 * demo seed has no entitlement in 杭州, so the run holds this line only. Once per server: a retry
 * of the journey on the same server finds the same line (a run is one per city and month).
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
  if (ours === undefined) throw new Error('reissue seed: the run has no line of the worker');
  const text = `line_id,status,bank_reference,paid_on,reason\n${lines
    .map((l) => (l.id === ours.id ? `${l.id},failed,,,账户已销户` : `${l.id},paid,BK-S,${today},`))
    .join('\n')}\n`;
  const back = await importBankReturn(db, maker, { regionCode: HZ, runId, text });
  if (!back.ok) throw new Error(`reissue seed: ${back.message}`);
  return { workerId, runId, lineId: ours.id };
}
