import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, listTransactions, trialBalance } from '../fund/ledger/ledger-read.ts';
import { demoCreditCode } from '../seed/demo-ids.ts';
import { listArrears } from './arrears.ts';
import { assessCityMonth } from './assessment.ts';
import { forwardCollectionRecord } from './collection-forward.ts';
import { postCollections } from './collection-posting.ts';
import { importCollections, listCollectionRecords } from './collections.ts';
import {
  approvedRound,
  cityActor,
  declare,
  HZ,
  NB,
  newEmployer,
  POLICY,
  setUpContributions,
} from './testing.ts';

/**
 * Forwarding a record 杭州 received for a 宁波 employer (docs/contributions.md, "Forwarding a
 * record to another city"). Hand figures: 宁波's employer is assessed June 9 000 fen (class 4,
 * 0.009 × 1 000 000); 杭州 receives 120.00 元 = 12 000 fen for it. Forwarded, it is matched in 宁波;
 * 宁波's posting applies 9 000 to 1131 and holds 3 000 in 2103, and the cash passes 杭州 1001 →
 * province → 宁波 1001: 杭州 and the province end where they were, 宁波 1001 + 12 000.
 */
const { benefits: rules } = testRuleBook();
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
const nbMaker = cityActor('nb-maker', 'city_handler', NB);
const nbChecker = cityActor('nb-checker', 'supervisor', NB);
type Emp = { id: string; creditCode: string };
let hzEmp: Emp;
let nbEmp: Emp;
let nbLate: Emp;
// Fresh vouchers per attempt: a retried test never meets a record of the attempt before.
const run = randomBytes(3).toString('hex').toUpperCase();
const V = (n: number) => `FW${run}-${n}`;

const csv = (rows: readonly string[]) =>
  new TextEncoder().encode(
    ['税票号,统一社会信用代码,费款所属期,实缴金额,入库日期', ...rows].join('\n'),
  );

async function balance(segment: string) {
  const tb = await trialBalance(t.db, { segment, asOf: '2024-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return (account: string) => tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, ['2024-06', '2024-07']);
  for (const [u, role] of [
    ['nb-maker', 'city_handler'],
    ['nb-checker', 'supervisor'],
  ] as const)
    await t.db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $2, 'city', $3::text, $3::text, 'x') ON CONFLICT DO NOTHING`,
      [u, role, NB],
    );
  hzEmp = await newEmployer(t.db, f.system, rules, { sequence: 11 });
  nbEmp = await newEmployer(t.db, f.system, rules, { sequence: 12, regionCode: NB });
  nbLate = await newEmployer(t.db, f.system, rules, { sequence: 13, regionCode: NB });
  await declare(t.db, { employerId: nbEmp.id, month: '2024-06', basesFen: [1_000_000], city: NB });
  await approvedRound(t.db, nbChecker, NB, async (approvalId) =>
    assessCityMonth(t.db, nbMaker, rules, {
      city: NB,
      month: '2024-06',
      approvalId,
      policy: POLICY,
    }),
  );
  const imported = await importCollections(t.db, f.maker, {
    city: HZ,
    fileName: `forward-${run}.csv`,
    bytes: csv([
      `${V(1)},${nbEmp.creditCode},2024-06,120.00,2024-07-10`,
      `${V(2)},${nbLate.creditCode},2024-06,50.00,2024-07-10`,
      `${V(3)},${hzEmp.creditCode},2024-06,10.00,2024-07-10`,
      `${V(4)},${demoCreditCode(HZ, 998)},2024-06,11.00,2024-07-10`,
    ]),
  });
  if (!imported.ok) throw new Error(imported.message);
});
afterAll(async () => t.cleanup());

const forward = (voucher: string, employerId?: string) =>
  forwardCollectionRecord(t.db, f.maker, { city: HZ, voucher, employerId });

describe(`forwarding a collection record on ${testBackend}`, () => {
  it('refuses a record of this city’s employer, of no employer, and a voucher nobody holds', async () => {
    const same = await forward(V(3));
    expect(same.ok || same.code).toBe('forward.same_city');
    const nobody = await forward(V(4));
    expect(nobody.ok || nobody.code).toBe('forward.unknown_employer');
    const named = await forward(V(4), 'emp_330200_0000000000000000');
    expect(named.ok || named.code).toBe('forward.unknown_employer');
    const missing = await forward(V(9));
    expect(missing.ok || missing.code).toBe('contributions.not_found');
    const hzQueue = await listCollectionRecords(t.db, { regionCode: HZ, queue: true, limit: 100 });
    expect(hzQueue.filter((r) => r.voucher.startsWith(`FW${run}`)).map((r) => r.voucher)).toEqual([
      V(1),
      V(2),
      V(3),
      V(4),
    ]);
  });

  it('moves a record with an assessment there, matched; one without one to that city’s queue', async () => {
    const hz = await balance(HZ);
    const cashBefore = hz('1001');
    const one = await forward(V(1));
    if (!one.ok) throw new Error(one.message);
    expect(one.value).toMatchObject({ fromCity: HZ, toCity: NB });
    expect(one.value.record).toMatchObject({
      voucher: V(1),
      status: 'matched',
      employerId: nbEmp.id,
      matchMonth: '2024-06',
      importId: one.value.toImportId,
      postingId: null,
    });
    const two = await forward(V(2));
    expect(two.ok && two.value.record).toMatchObject({
      status: 'unmatched',
      unmatchedReason: 'no_assessment',
      employerId: null,
    });
    const hzQueue = await listCollectionRecords(t.db, { regionCode: HZ, queue: true, limit: 100 });
    expect(hzQueue.map((r) => r.voucher)).not.toContain(V(1));
    expect(hzQueue.map((r) => r.voucher)).not.toContain(V(2));
    const nbQueue = await listCollectionRecords(t.db, { regionCode: NB, queue: true, limit: 100 });
    expect(nbQueue.map((r) => r.voucher)).toContain(V(2));
    // A forward moves no money: 杭州's 1001 is untouched until 宁波 posts.
    expect((await balance(HZ))('1001')).toBe(cashBefore);
  });

  it('refuses a second forward (the record is no longer held here) and a matched record', async () => {
    const again = await forward(V(1));
    expect(again.ok || again.code).toBe('forward.not_in_city');
    expect(again.ok || again.details).toMatchObject({ regionCode: NB });
    const matched = await forwardCollectionRecord(t.db, nbMaker, { city: NB, voucher: V(1) });
    expect(matched.ok || matched.code).toBe('forward.already_matched');
  });
});

describe(`posting a forwarded record on ${testBackend}`, () => {
  it('宁波 posts it under its maker-checker; the cash moves 杭州 → province → 宁波 through the ledger', async () => {
    const records = await listCollectionRecords(t.db, { regionCode: NB, limit: 100 });
    const importId = records.find((r) => r.voucher === V(1))?.importId ?? '';
    const [hz, prov, nb] = [await balance(HZ), await balance('330000'), await balance(NB)];
    const posted = await approvedRound(t.db, nbChecker, NB, async (approvalId) =>
      postCollections(t.db, nbMaker, { city: NB, importId, approvalId, policy: POLICY }),
    );
    expect(posted.payload).toMatchObject({
      city: NB,
      recordCount: 1,
      totalFen: 12_000,
      appliedFen: 9_000,
      overpaidFen: 3_000,
    });
    const [hz2, prov2, nb2] = [await balance(HZ), await balance('330000'), await balance(NB)];
    const delta = (a: (x: string) => number, b: (x: string) => number, account: string) =>
      b(account) - a(account);
    expect(['1001', `2151:330000`].map((a) => delta(hz, hz2, a))).toEqual([0, 0]);
    expect(['1001', `1151:${HZ}`, `2151:${NB}`].map((a) => delta(prov, prov2, a))).toEqual([
      0, 0, 0,
    ]);
    expect(['1001', '1131', '2103', '1151:330000'].map((a) => delta(nb, nb2, a))).toEqual([
      12_000, -9_000, 3_000, 0,
    ]);
    const arrears = await listArrears(t.db, rules, { regionCode: NB, on: '2024-07-31' });
    if (!arrears.ok) throw new Error(arrears.message);
    expect(arrears.value.find((r) => r.employerId === nbEmp.id)).toBeUndefined();
    const journal = await listTransactions(t.db, { segment: HZ, limit: 5 });
    const entry = journal.entries.find((e) => e.id === posted.transactionId);
    expect(
      entry?.postings.map((p) => `${p.segment} ${p.side} ${p.account} ${p.amountFen}`),
    ).toEqual([
      `${HZ} debit 1001 12000`,
      `${HZ} credit 2151:330000 12000`,
      `330000 debit 1151:${HZ} 12000`,
      `330000 credit 2151:${NB} 12000`,
      `${NB} debit 1151:330000 12000`,
      `${NB} credit 1131 9000`,
      `${NB} credit 2103 3000`,
    ]);
    expect((await checkLedger(t.db)).differences).toEqual([]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

describe(`forwards in opposite directions at once on ${testBackend}`, () => {
  it('杭州 → 宁波 and 宁波 → 杭州 together both land', async () => {
    // Three pairs: each pair a record 杭州 holds for 宁波's employer and one 宁波 holds for 杭州's,
    // forwarded at the same moment (on the server the two transactions overlap).
    const pairs = [7, 8, 9];
    const nbImport = await importCollections(t.db, nbMaker, {
      city: NB,
      fileName: `forward-back-${run}.csv`,
      bytes: csv(pairs.map((n) => `${V(n)}B,${hzEmp.creditCode},2024-06,1.00,2024-07-10`)),
    });
    if (!nbImport.ok) throw new Error(nbImport.message);
    const hzImport = await importCollections(t.db, f.maker, {
      city: HZ,
      fileName: `forward-out-${run}.csv`,
      bytes: csv(pairs.map((n) => `${V(n)}A,${nbEmp.creditCode},2024-06,1.00,2024-07-10`)),
    });
    if (!hzImport.ok) throw new Error(hzImport.message);
    for (const n of pairs) {
      const [out, back] = await Promise.all([
        forward(`${V(n)}A`),
        forwardCollectionRecord(t.db, nbMaker, { city: NB, voucher: `${V(n)}B` }),
      ]);
      expect([out.ok || out.message, back.ok || back.message]).toEqual([true, true]);
      expect([out.ok && out.value.toCity, back.ok && back.value.toCity]).toEqual([NB, HZ]);
    }
  });
});
