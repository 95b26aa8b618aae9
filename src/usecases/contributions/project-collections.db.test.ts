import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { getProject, registerProject } from '../registry/projects.ts';
import { listArrears } from './arrears.ts';
import { postCollections } from './collection-posting.ts';
import { resolveCollectionRecord } from './collection-queue.ts';
import { importCollections, listCollectionRecords } from './collections.ts';
import { reconcile } from './reconciliation.ts';
import { approvedRound, HZ, newEmployer, POLICY, setUpContributions } from './testing.ts';

/**
 * 按项目参保 paid through the tax bureau's collection file (docs/contributions.md, "Collection
 * file": the optional 项目编号 column): a record naming a project pays its receivable, posted
 * at registration; partial, exact and over (the excess to 2103); unknown projects and another
 * employer's project wait in the queue.
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
let contractor: { id: string; creditCode: string };
let other: { id: string; creditCode: string };
let projectId = '';
/** 123,456,789.00 元 × 0.2 × 0.013 (class 6) = 320,987.6514 元 → 32,098,765 fen (project.test.ts). */
const OWED = 32_098_765;

const csv = (rows: readonly string[]) =>
  new TextEncoder().encode(
    ['税票号,统一社会信用代码,费款所属期,实缴金额,入库日期,项目编号', ...rows].join('\n'),
  );

async function importFile(name: string, rows: readonly string[]): Promise<string> {
  const r = await importCollections(t.db, f.maker, { city: HZ, fileName: name, bytes: csv(rows) });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value.importId;
}

const post = (importId: string) =>
  approvedRound(t.db, f.checker, HZ, async (approvalId) =>
    postCollections(t.db, f.maker, { city: HZ, importId, approvalId, policy: POLICY }),
  );

async function balances() {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2026-03-31' });
  if (!tb.ok) throw new Error(tb.message);
  return (account: string) => tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function projectMoney() {
  const page = await getProject(t.db, { regionCode: HZ, projectId });
  const p = page?.project;
  return p && [p.receivableFen, p.paidFen, p.outstandingFen, p.overpaidFen];
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2026-03']);
  contractor = await newEmployer(t.db, f.system, rules, {
    sequence: 41,
    industry: { standard: 'GB/T 4754-2017', division: '47' },
  });
  other = await newEmployer(t.db, f.system, rules, { sequence: 42 });
  const p = await registerProject(t.db, f.maker, rules, {
    regionCode: HZ,
    employerId: contractor.id,
    name: '测试住宅项目一期',
    siteAddress: '杭州市测试地块',
    contractValueFen: 12_345_678_900,
    industry: { standard: 'GB/T 4754-2017', division: '47' },
    startDate: '2026-03-01',
    endDate: '2027-06-30',
    registeredOn: '2026-03-02',
    clientKey: 'project-collections-1',
  });
  if (!p.ok) throw new Error(p.message);
  projectId = p.value.id;
});
afterAll(async () => t.cleanup());

describe(`project payments matched on import on ${testBackend}`, () => {
  it('matches a record naming the contractor’s project; queues an unknown project and another employer’s', async () => {
    const importId = await importFile('p1.csv', [
      `P001,${contractor.creditCode},2026-03,100000.00,2026-03-10,${projectId}`,
      `P002,${contractor.creditCode},2026-03,5.00,2026-03-10,prj_330100_ffffffffffffffff`,
      `P003,${other.creditCode},2026-03,6.00,2026-03-10,${projectId}`,
    ]);
    const records = await listCollectionRecords(t.db, { regionCode: HZ, limit: 100 });
    expect(
      records.map((r) => [r.voucher, r.status, r.unmatchedReason, r.projectId, r.matchMonth]),
    ).toEqual([
      ['P001', 'matched', null, projectId, null],
      ['P002', 'unmatched', 'unknown_project', null, null],
      ['P003', 'unmatched', 'project_other_employer', null, null],
    ]);
    expect(records.map((r) => r.projectRef)).toEqual([
      projectId,
      'prj_330100_ffffffffffffffff',
      projectId,
    ]);
    // Partial: 10 000 000 of 32 098 765 applied, nothing overpaid.
    const posted = await post(importId);
    expect(posted.payload).toMatchObject({
      recordCount: 1,
      totalFen: 10_000_000,
      appliedFen: 10_000_000,
      overpaidFen: 0,
    });
    expect(await projectMoney()).toEqual([OWED, 10_000_000, OWED - 10_000_000, 0]);
    const b = await balances();
    expect([b('1131'), b('4101'), b('1001'), b('2103')]).toEqual([
      OWED - 10_000_000,
      OWED,
      10_000_000,
      0,
    ]);
  });

  it('settles the rest exactly, and the excess of a later record goes to 2103', async () => {
    const rest = OWED - 10_000_000; // 22 098 765 fen = 220 987.65 元
    const importId = await importFile('p2.csv', [
      `P004,${contractor.creditCode},2026-03,220987.65,2026-03-20,${projectId}`,
      `P005,${contractor.creditCode},2026-03,1000.00,2026-03-21,${projectId}`,
    ]);
    const posted = await post(importId);
    expect(posted.payload).toMatchObject({
      recordCount: 2,
      totalFen: rest + 100_000,
      appliedFen: rest,
      overpaidFen: 100_000,
    });
    const records = await listCollectionRecords(t.db, {
      regionCode: HZ,
      employerId: contractor.id,
      limit: 100,
    });
    expect(records.map((r) => [r.voucher, r.appliedFen, r.overpaidFen])).toEqual([
      ['P001', 10_000_000, 0],
      ['P004', rest, 0],
      ['P005', 0, 100_000],
    ]);
    expect(await projectMoney()).toEqual([OWED, OWED, 0, 100_000]);
    const b = await balances();
    expect([b('1131'), b('4101'), b('1001'), b('2103')]).toEqual([
      0,
      OWED,
      OWED + 100_000,
      100_000,
    ]);
  });
});

describe(`project payments in arrears and reconciliation on ${testBackend}`, () => {
  it('pays no employer-month: no arrears, and the city reconciliation balances with the ledger', async () => {
    const arrears = await listArrears(t.db, rules, { regionCode: HZ, on: '2026-04-30' });
    expect(arrears.ok && arrears.value.filter((r) => r.employerId === contractor.id)).toEqual([]);
    const r = await reconcile(t.db, { city: HZ, month: '2026-03' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({
      assessedFen: 0,
      collectedFen: 0,
      unmatchedCount: 2,
      unmatchedFen: 1_100,
      balanced: true,
    });
    expect(r.value.ledger).toMatchObject({
      receivableFen: 0,
      bookReceivableFen: 0,
      suspenseFen: 100_000,
      bookSuspenseFen: 100_000,
    });
    expect((await checkLedger(t.db)).ok).toBe(true);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

describe(`project payments from the queue on ${testBackend}`, () => {
  it('assigns a queued record to a project of the city; an unknown project is refused', async () => {
    const unknown = await resolveCollectionRecord(t.db, f.maker, {
      city: HZ,
      voucher: 'P002',
      resolution: { action: 'assign_project', projectId: 'prj_330100_ffffffffffffffff' },
    });
    expect(unknown.ok ? 'ok' : unknown.code).toBe('contributions.not_found');
    const assigned = await resolveCollectionRecord(t.db, f.maker, {
      city: HZ,
      voucher: 'P002',
      resolution: { action: 'assign_project', projectId },
    });
    expect(assigned.ok && assigned.value).toMatchObject({
      status: 'matched',
      employerId: contractor.id,
      projectId,
      matchMonth: null,
    });
    const importId = assigned.ok ? assigned.value.importId : '';
    // The project is settled already: the 5.00 元 is all excess, to 2103.
    const posted = await post(importId);
    expect(posted.payload).toMatchObject({ recordCount: 1, appliedFen: 0, overpaidFen: 500 });
    expect(await projectMoney()).toEqual([OWED, OWED, 0, 100_500]);
    const queue = await listCollectionRecords(t.db, { regionCode: HZ, queue: true, limit: 100 });
    expect(queue.map((q) => q.voucher)).toEqual(['P003']);
    const r = await reconcile(t.db, { city: HZ, month: '2026-03' });
    expect(r.ok && r.value.balanced).toBe(true);
  });
});
