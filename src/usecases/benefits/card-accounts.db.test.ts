import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import type { Actor } from '../../identity/actor.ts';
import { nextMonth } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { cardAccountsOf, type SetCardAccountInput, setCardAccount } from './card-accounts.ts';
import { recordDeath } from './death-record.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { issuePaymentFile } from './payroll-file.ts';
import { NO_DEPENDANT_ACCOUNT, startPayrollRun } from './payroll-run.ts';
import {
  insertCardAccount,
  insertDependants,
  insertEntitlement,
  insertWorker,
  setUpBenefits,
} from './testing.ts';

/**
 * Card accounts (docs/benefits.md, "Card accounts") on both backends: recording and changing a
 * worker's and a dependant's account, the refusals (nothing written), masking and the audit, and
 * the payroll of a death case paying a survivor's pension to the dependant's own account — the
 * line held without one, reissued once one is recorded, the "changed this month" guard raised.
 * Retry-safe: every test makes its own workers, and the payroll takes the first month of 杭州
 * without a run.
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
/** Ledger periods open for the payroll's approvals: a retried test moves on to later months. */
const PERIODS = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'];

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
}, 60_000);
afterAll(() => t.cleanup());

/** A worker of 杭州 with a 伤残津贴 there (so the city knows them); the register names them 工伤职工. */
async function cityWorker(): Promise<string> {
  const workerId = await insertWorker(t.db);
  await insertEntitlement(t.db, {
    employerId: f.employer.id,
    workerId,
    kind: 'disability_allowance',
    amountFen: 500_000,
    startsOn: '2025-04-01',
  });
  return workerId;
}

const account = (over: Partial<SetCardAccountInput> & Pick<SetCardAccountInput, 'beneficiary'>) =>
  setCardAccount(t.db, f.maker, {
    regionCode: HZ,
    validFrom: '2025-08-01',
    bankName: '中国工商银行杭州分行',
    accountNumber: '6222020000001234',
    accountName: '工伤职工',
    today: '2025-08-05',
    ...over,
  });

async function countAccounts(): Promise<number> {
  const r = await t.db.query(
    `SELECT (SELECT count(*) FROM social_security_card_accounts)
          + (SELECT count(*) FROM dependant_card_accounts) AS n`,
  );
  return Number(r.rows[0]?.['n']);
}

describe('card accounts: record, change, read', () => {
  it('records a worker’s account, changes it from a later date, replaces a date; masked unless pii:reveal, audited without the number', async () => {
    const workerId = await cityWorker();
    const beneficiary = { kind: 'worker' as const, workerId };
    const first = await account({ beneficiary });
    if (!first.ok) throw new Error(first.message);
    expect(first.value.current).toMatchObject({
      validFrom: '2025-08-01',
      accountNumberMasked: '************1234',
      recordedBy: f.maker.username,
    });
    expect(first.value.current?.accountNumber).toBeUndefined();
    const later = await account({
      beneficiary,
      validFrom: '2025-09-01',
      accountNumber: '6217000000005678',
      today: '2025-08-20',
    });
    const replaced = await account({
      beneficiary,
      validFrom: '2025-09-01',
      accountNumber: '6217000000009999',
      accountName: ' 工伤 职工 ',
      today: '2025-08-21',
    });
    if (!later.ok || !replaced.ok) throw new Error('refused');
    expect(later.value.current?.validFrom).toBe('2025-08-01');
    expect(replaced.value.accounts.map((a) => [a.validFrom, a.accountNumberMasked])).toEqual([
      ['2025-09-01', '************9999'],
      ['2025-08-01', '************1234'],
    ]);
    const revealer: Actor = { ...f.checker, permissions: [...f.checker.permissions, 'pii:reveal'] };
    const read = await cardAccountsOf(t.db, revealer, {
      regionCode: HZ,
      beneficiary,
      on: '2025-09-02',
    });
    if (!read.ok) throw new Error(read.message);
    expect(read.value.current?.accountNumber).toBe('6217000000009999');
    const events = await t.db.query(
      `SELECT action, details::text AS details FROM audit_events WHERE object = $1 ORDER BY seq`,
      [`worker/${workerId}/card-account`],
    );
    expect(events.rows.map((r) => r['action'])).toEqual([
      'benefits.card_account.set',
      'benefits.card_account.set',
      'benefits.card_account.set',
      'benefits.card_account.show',
    ]);
    const text = events.rows.map((r) => String(r['details'])).join('\n');
    for (const n of ['6222020000001234', '6217000000005678', '6217000000009999'])
      expect(text).not.toContain(n);
    expect(text).toContain('************5678');
  });

  it('records a dependant’s account in the dependant’s own name', async () => {
    const workerId = await cityWorker();
    const { dependantIds, caseId } = await insertDependants(t.db, {
      workerId,
      employerId: f.employer.id,
      names: ['王丽'],
    });
    const dependantId = dependantIds[0] ?? '';
    const set = await account({
      beneficiary: { kind: 'dependant', dependantId },
      accountName: '王丽',
    });
    if (!set.ok) throw new Error(set.message);
    expect(set.value).toMatchObject({
      beneficiary: 'dependant',
      workerId,
      dependantId,
      caseId,
      name: '王丽',
      current: { validFrom: '2025-08-01', accountName: '王丽' },
    });
  });
});

describe('card accounts: refusals change nothing', () => {
  it('refuses another name, a date in a paid month, an unknown or other city’s worker or dependant', async () => {
    const workerId = await cityWorker();
    const { dependantIds } = await insertDependants(t.db, {
      workerId,
      employerId: f.employer.id,
      names: ['王丽'],
    });
    const dependant = { kind: 'dependant' as const, dependantId: dependantIds[0] ?? '' };
    const before = await countAccounts();
    const refusals = [
      await account({ beneficiary: { kind: 'worker', workerId }, accountName: '李四' }),
      await account({ beneficiary: dependant, accountName: '工伤职工' }),
      await account({ beneficiary: { kind: 'worker', workerId }, validFrom: '2025-07-31' }),
      await account({
        beneficiary: { kind: 'worker', workerId: `wkr_${randomBytes(8).toString('hex')}` },
      }),
      await account({ beneficiary: { kind: 'worker', workerId }, regionCode: '330200' }),
      await account({
        beneficiary: { kind: 'dependant', dependantId: `dep_${HZ}_${'0'.repeat(16)}` },
      }),
      await account({ beneficiary: dependant, regionCode: '330200', accountName: '王丽' }),
    ];
    expect(refusals.map((r) => r.ok || r.code)).toEqual([
      'benefit.card_account_name_mismatch',
      'benefit.card_account_name_mismatch',
      'benefit.card_account_backdated',
      'benefit.worker_not_found',
      'benefit.worker_not_found',
      'benefit.dependant_not_found',
      'benefit.dependant_not_found',
    ]);
    expect(refusals[2]?.ok === false && refusals[2].details).toEqual({
      field: 'validFrom',
      earliest: '2025-08-01',
    });
    expect(await countAccounts()).toBe(before);
    // The database refuses a malformed number whatever the caller (the schema's check at the edge).
    await expect(
      t.db.query(
        `INSERT INTO dependant_card_accounts (region_code, dependant_id, valid_from, bank_name,
           account_number, account_name, recorded_by)
         VALUES ($1, $2, '2025-08-01', '银行', '6222-0200', '王丽', 'test')`,
        [HZ, dependant.dependantId],
      ),
    ).rejects.toThrow();
  });
});

/** The first month of 杭州 from 2025-08 without a run (a retried test takes the next). */
async function freeMonth(): Promise<string> {
  const r = await t.db.query(
    `SELECT max(month)::text AS m FROM payroll_runs WHERE region_code = $1`,
    [HZ],
  );
  const last = r.rows[0]?.['m'];
  return typeof last === 'string' ? nextMonth(last) : '2025-08';
}

async function runMonth(month: string) {
  const run = await startPayrollRun(
    t.db,
    f.maker,
    rules,
    { regionCode: HZ, month },
    { policy: POLICY },
  );
  if (!run.ok) throw new Error(run.message);
  return run.value;
}

async function approveAndFile(month: string): Promise<string> {
  const runId = payrollRunId(HZ, month);
  const approved = await approvePayrollRun(t.db, f.checker, rules, {
    regionCode: HZ,
    runId,
    on: `${month}-18`,
  });
  if (!approved.ok) throw new Error(approved.message);
  const chunks: string[] = [];
  const file = await issuePaymentFile(t.db, f.maker, { regionCode: HZ, runId }, (c) => {
    chunks.push(c);
  });
  if (!file.ok) throw new Error(file.message);
  return chunks.join('');
}

async function linesOf(entitlementIds: readonly string[], runId: string) {
  const r = await t.db.query(
    `SELECT entitlement_id, status, account_number, account_name, failure_reason,
       reissue_of IS NOT NULL AS reissue, amount_fen::int AS amount
     FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND entitlement_id = ANY($3::text[])
     ORDER BY amount_fen DESC, reissue_of NULLS FIRST`,
    [HZ, runId, [...entitlementIds]],
  );
  return r.rows;
}

async function anomaliesOf(runId: string, lineIds: readonly string[]) {
  const r = await t.db.query(
    `SELECT anomalies FROM payroll_runs WHERE region_code = $1 AND id = $2`,
    [HZ, runId],
  );
  const all: unknown = r.rows[0]?.['anomalies'];
  const list = Array.isArray(all) ? all : [];
  return list
    .filter((a: { lineIds: string[] }) => a.lineIds.some((id) => lineIds.includes(id)))
    .map((a: { code: string }) => a.code)
    .sort();
}

async function lineIdsOf(runId: string, entitlementIds: readonly string[]): Promise<string[]> {
  const r = await t.db.query(
    `SELECT id FROM payroll_lines WHERE region_code = $1 AND run_id = $2
       AND entitlement_id = ANY($3::text[])`,
    [HZ, runId, [...entitlementIds]],
  );
  return r.rows.map((row) => String(row['id']));
}

/**
 * A death case of 杭州: the worker (伤残津贴 500 000, card 6222020000000001) died 2025-07-10; the
 * spouse 王丽 (240 000 a month) and the child 李明 (180 000) hold survivor’s pensions from
 * 2025-08-01.
 */
async function deathCase() {
  const workerId = await cityWorker();
  await insertCardAccount(t.db, {
    workerId,
    validFrom: '2020-01-01',
    accountNumber: '6222020000000001',
  });
  const { dependantIds } = await insertDependants(t.db, {
    workerId,
    employerId: f.employer.id,
    names: ['王丽', '李明'],
  });
  const [spouse = '', child = ''] = dependantIds;
  const pension = (dependantId: string, amountFen: number) =>
    insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind: 'survivor_pension',
      amountFen,
      startsOn: '2025-08-01',
      dependantId,
    });
  const entitlements = [await pension(spouse, 240_000), await pension(child, 180_000)];
  const died = await recordDeath(t.db, f.maker, {
    regionCode: HZ,
    workerId,
    diedOn: '2025-07-10',
    source: '居民死亡医学证明',
    today: '2025-07-21',
  });
  if (!died.ok) throw new Error(died.message);
  return { workerId, spouse, child, entitlements };
}

describe('card accounts: the payroll pays a survivor’s pension to the dependant’s account', () => {
  it('pays the spouse to her account (in the file), holds the child’s line, then reissues it to the child’s new account', async () => {
    const c = await deathCase();
    const month = await freeMonth();
    const spouseSet = await account({
      beneficiary: { kind: 'dependant', dependantId: c.spouse },
      validFrom: `${month}-01`,
      accountNumber: '6217000011112222',
      accountName: '王丽',
      today: `${month}-05`,
    });
    if (!spouseSet.ok) throw new Error(spouseSet.message);
    const run = await runMonth(month);
    expect(await linesOf(c.entitlements, run.id)).toEqual([
      {
        entitlement_id: c.entitlements[0],
        status: 'issued',
        account_number: '6217000011112222',
        account_name: '王丽',
        failure_reason: null,
        reissue: false,
        amount: 240_000,
      },
      {
        entitlement_id: c.entitlements[1],
        status: 'failed',
        account_number: null,
        account_name: null,
        failure_reason: NO_DEPENDANT_ACCOUNT,
        reissue: false,
        amount: 180_000,
      },
    ]);
    const [spouseLine, childLine] = [
      await lineIdsOf(run.id, [c.entitlements[0] ?? '']),
      await lineIdsOf(run.id, [c.entitlements[1] ?? '']),
    ];
    // The spouse's account is the month's own: the guard raises it, as for a worker's account.
    expect(await anomaliesOf(run.id, spouseLine)).toEqual(['account_changed_this_month']);
    expect(await anomaliesOf(run.id, childLine)).toEqual(['account_missing']);
    const file = await approveAndFile(month);
    const rows = file.split('\n').filter((l) => spouseLine.some((id) => l.startsWith(id)));
    expect(rows).toEqual([
      `${spouseLine[0]},${run.id},${month},${c.workerId},survivor_pension,王丽,中国工商银行杭州分行,6217000011112222,240000,2400.00`,
    ]);
    expect(file).not.toContain(childLine[0]);
    expect(file).not.toContain('6222020000000001');

    const next = nextMonth(month);
    const childSet = await account({
      beneficiary: { kind: 'dependant', dependantId: c.child },
      validFrom: `${next}-01`,
      accountNumber: '6217000033334444',
      accountName: '李明',
      today: `${next}-03`,
    });
    if (!childSet.ok) throw new Error(childSet.message);
    const second = await runMonth(next);
    const lines = await linesOf(c.entitlements, second.id);
    expect(lines.map((l) => [l['amount'], l['status'], l['account_number'], l['reissue']])).toEqual(
      [
        [240_000, 'issued', '6217000011112222', false],
        [180_000, 'issued', '6217000033334444', false],
        [180_000, 'issued', '6217000033334444', true],
      ],
    );
    // The spouse's account predates this month: no guard; the child's is the month's own.
    const secondSpouse = await lineIdsOf(second.id, [c.entitlements[0] ?? '']);
    expect(await anomaliesOf(second.id, secondSpouse)).toEqual([]);
    const secondChild = await lineIdsOf(second.id, [c.entitlements[1] ?? '']);
    expect(await anomaliesOf(second.id, secondChild)).toEqual([
      'account_changed_this_month',
      'account_changed_this_month',
    ]);
  });
});
