import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { recordRetirement } from './benefit-retirement.ts';
import { recordDeath } from './death-record.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
  setUpZhengzhou,
  ZZ,
} from './testing.ts';

/**
 * The two variants of a retirement by hand, amounts in fen (docs/benefits.md, "Retirement").
 * 杭州 pays from 2025-04: V1 and V2 grade 1, 伤残津贴 400 000 (4 000.00 元) each. June and July are paid.
 * - V1 reaches the statutory age on 2025-07-15 without a right to a monthly pension (《浙江省工伤保险条例》
 *   第二十六条第二款), personal account 1 000 000 (10 000.00), offset 150 000 (1 500.00) a month:
 *   10 000 ÷ 1 500 = 6 whole months and 1 000.00 left, so 400 000 − 150 000 = 250 000 for 2025-08…
 *   2026-01, 400 000 − 100 000 = 300 000 in 2026-02, then 400 000 from 2026-03. August pays V1
 *   250 000. V1 dies on 2025-10-20: 08, 09, 10 offset 3 × 150 000 = 450 000, the heirs' balance
 *   1 000 000 − 450 000 = 550 000 (shown, never posted).
 * - V2 retires on 2025-06-15 on a pension of 300 000, recorded on 2025-08-28 after July and August
 *   paid the allowance whole: overpaid 2 × 400 000 = 800 000, the difference owed 2 × (400 000 −
 *   300 000) = 200 000, net 600 000 to recover (one open overpayment, reason 'retirement').
 *   September pays V2 the difference 100 000.
 * - V3 likewise (allowance 400 000, retired 2025-06-20, pension 300 000, recorded 2025-08-28), but
 *   its August line failed at the bank: July paid 400 000, 07 and 08 owed 2 × 100 000, net 200 000
 *   to recover; September does not reissue the failed allowance line and pays the difference 100 000.
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-06', '2025-07', '2025-08', '2025-09'];
const EVIDENCE = '杭社保养〔2025〕456号 个人账户对账单';
const ACCOUNT = { balanceFen: 1_000_000, monthlyOffsetFen: 150_000 };

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let v1 = '';
let v2 = '';
let v3 = '';
let allowance2 = '';
let zz: Awaited<ReturnType<typeof setUpZhengzhou>>;

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query(sql, params);
  return intOf(r.rows[0] ?? {}, 'n');
}

const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  v1 = await insertWorker(t.db, '1965-07-15');
  v2 = await insertWorker(t.db, '1965-06-15');
  v3 = await insertWorker(t.db, '1965-06-20');
  for (const workerId of [v1, v2, v3]) {
    const id = await insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind: 'disability_allowance',
      amountFen: 400_000,
      startsOn: '2025-04-01',
      grade: 1,
    });
    if (workerId === v2) allowance2 = id;
    await insertCardAccount(t.db, {
      workerId,
      validFrom: '2024-01-01',
      accountNumber: `62220000000${randomBytes(4).readUInt32BE() % 100_000_000}`.padEnd(19, '0'),
    });
  }
  await payMonth(t.db, f, rules, { month: '2025-06' });
  await payMonth(t.db, f, rules, { month: '2025-07' });
  zz = await setUpZhengzhou(t.db, f.system, rules, PERIODS, 74);
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

type Ask = {
  workerId: string;
  retiredOn: string;
  pensionFen?: number;
  personalAccount?: { balanceFen: number; monthlyOffsetFen: number };
  today: string;
  regionCode?: string;
  actor?: typeof f.maker;
};

const retire = (a: Ask, approvalId?: string) =>
  recordRetirement(t.db, a.actor ?? f.maker, {
    regionCode: a.regionCode ?? HZ,
    workerId: a.workerId,
    retiredOn: a.retiredOn,
    pensionFen: a.pensionFen ?? 0,
    personalAccount: a.personalAccount ?? null,
    evidence: EVIDENCE,
    approvalId,
    policy: POLICY,
    today: a.today,
    rules,
  });

async function retireApproved(a: Ask) {
  const asked = await retire(a);
  if (!asked.ok || asked.value.approval === null)
    throw new Error(asked.ok ? 'no approval asked' : asked.message);
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  const done = await retire(a, asked.value.approval.id);
  if (!done.ok) throw new Error(done.message);
  return { ...done.value, approvalId: asked.value.approval.id };
}

async function rowsOf(workerId: string) {
  const r = await t.db.query(
    `SELECT kind, amount_fen::text AS a, status, starts_on::text AS s,
       coalesce(ends_on::text, '') AS e, citation
     FROM benefit_entitlements WHERE worker_id = $1 ORDER BY starts_on, kind`,
    [workerId],
  );
  return r.rows.map((row) => ['kind', 'a', 'status', 's', 'e'].map((k) => textOf(row, k)));
}

const state = () =>
  t.db
    .query(
      `SELECT string_agg(id || status || coalesce(ends_on::text, ''), ',' ORDER BY id) AS s
       FROM benefit_entitlements WHERE worker_id = ANY($1)`,
      [[v1, v2]],
    )
    .then((r) => textOf(r.rows[0] ?? {}, 's'));

describe('retirement without a monthly pension (浙江 第二十六条第二款): refusals', () => {
  it('refuses figures that do not fit, a date before the rule, and a province without it', async () => {
    const before = await state();
    const approvals = await count(t.db, 'SELECT count(*)::int AS n FROM approvals');
    const base = { workerId: v1, retiredOn: '2025-07-15', today: '2025-07-25' };
    expect(
      codeOf(await retire({ ...base, personalAccount: { ...ACCOUNT, monthlyOffsetFen: 400_001 } })),
    ).toBe('benefit.retirement_account_invalid');
    expect(codeOf(await retire({ ...base, personalAccount: { ...ACCOUNT, balanceFen: 0 } }))).toBe(
      'benefit.retirement_account_invalid',
    );
    // Before 2018-01-01 no 浙江 rule is loaded (a declared gap).
    expect(
      codeOf(await retire({ ...base, retiredOn: '2017-12-31', personalAccount: ACCOUNT })),
    ).toBe('benefit.retirement_offset_not_in_province');
    // 河南's 条例 has no such rule: a 郑州 worker (known by a case there) is refused.
    const w = await insertWorker(t.db, '1965-07-15');
    await t.db.query(
      `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
         accident_date, status, determination_outcome, determination_decided_on, created_by)
       VALUES ($1, $2, $3, $1, $4, 'accident', '2024-03-01', 'decided', 'recognised',
         '2024-04-10', 'test')`,
      [ZZ, `cas_${ZZ}_${randomBytes(8).toString('hex')}`, w, zz.employerId],
    );
    expect(
      codeOf(
        await retire({
          ...base,
          workerId: w,
          regionCode: ZZ,
          actor: zz.maker,
          personalAccount: ACCOUNT,
        }),
      ),
    ).toBe('benefit.retirement_offset_not_in_province');
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM approvals')).toBe(approvals);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM benefit_retirements')).toBe(0);
    expect(await state()).toBe(before);
  });
});

describe('retirement without a monthly pension: the allowance net of the offset', () => {
  it('ends the allowance with July, pays 2 500.00 × 6, 3 000.00, then 4 000.00; the heirs keep the rest', async () => {
    const done = await retireApproved({
      workerId: v1,
      retiredOn: '2025-07-15',
      personalAccount: ACCOUNT,
      today: '2025-07-25',
    });
    expect(done.retirement).toMatchObject({
      pensionFen: 0,
      topUpFen: 0,
      personalAccount: { ...ACCOUNT, months: 7 },
      overpaymentId: null,
    });
    expect(await rowsOf(v1)).toEqual([
      ['disability_allowance', '400000', 'ended', '2025-04-01', '2025-07-31'],
      ['disability_allowance', '250000', 'ended', '2025-08-01', '2026-01-31'],
      ['disability_allowance', '300000', 'ended', '2026-02-01', '2026-02-28'],
      ['disability_allowance', '400000', 'active', '2026-03-01', ''],
    ]);
    // Replayed: the same answer, nothing written twice.
    const again = await retire(
      { workerId: v1, retiredOn: '2025-07-15', personalAccount: ACCOUNT, today: '2025-07-25' },
      done.approvalId,
    );
    expect(again.ok && again.value.replayed).toBe(true);
    expect((await rowsOf(v1)).length).toBe(4);
    // The letter's words are the unit test's (change-letter.test.ts); here: issued once.
    const letters = await t.db.query(
      `SELECT l.title FROM benefit_change_letters c
         JOIN letters l ON l.region_code = c.region_code AND l.id = c.letter_id
        WHERE c.event_kind = 'retirement' AND c.event_id = $1`,
      [done.retirement?.id],
    );
    expect(letters.rows.map((r) => textOf(r, 'title'))).toEqual([
      '工伤职工退休后工伤保险待遇变更通知书',
    ]);
  });
});

describe('a back-dated retirement nets the allowance paid against the difference owed', () => {
  it('August pays V1 2 500.00; V2 retired in June recorded after August: 6 000.00 to recover', async () => {
    const august = await payMonth(t.db, f, rules, { month: '2025-08', failing: [v3] });
    // V1 250 000 (the net allowance), V2 400 000 (not yet retired on record); V3's 400 000 failed.
    expect(august).toMatchObject({ paidFen: 250_000 + 400_000, failedFen: 400_000 });
    const done = await retireApproved({
      workerId: v2,
      retiredOn: '2025-06-15',
      pensionFen: 300_000,
      today: '2025-08-28',
    });
    // By hand: overpaid 2 × 400 000, owed 2 × 100 000, net −600 000.
    expect(done.plan.backDated).toMatchObject({
      months: ['2025-07', '2025-08'],
      overpaidFen: 800_000,
      arrearsFen: 200_000,
      netFen: -600_000,
    });
    const o = await t.db.query(
      `SELECT id, entitlement_id, reason, amount_fen::text AS a, status, months::text AS m
       FROM benefit_overpayments WHERE worker_id = $1`,
      [v2],
    );
    expect(
      o.rows.map((r) => ['entitlement_id', 'reason', 'a', 'status'].map((k) => textOf(r, k))),
    ).toEqual([[allowance2, 'retirement', '600000', 'open']]);
    expect(done.retirement?.overpaymentId).toBe(textOf(o.rows[0] ?? {}, 'id'));
    // Replay writes nothing more.
    const again = await retire(
      { workerId: v2, retiredOn: '2025-06-15', pensionFen: 300_000, today: '2025-08-28' },
      done.approvalId,
    );
    expect(again.ok && again.value.replayed).toBe(true);
    expect(
      await count(
        t.db,
        'SELECT count(*)::int AS n FROM benefit_overpayments WHERE worker_id = $1',
        [v2],
      ),
    ).toBe(1);
    const three = await retireApproved({
      workerId: v3,
      retiredOn: '2025-06-20',
      pensionFen: 300_000,
      today: '2025-08-28',
    });
    expect(three.plan.backDated).toMatchObject({
      months: ['2025-07', '2025-08'],
      paidMonths: ['2025-07'],
      overpaidFen: 400_000,
      arrearsFen: 200_000,
      netFen: -200_000,
    });
    const september = await payMonth(t.db, f, rules, { month: '2025-09' });
    // V1 250 000 again; V2 and V3 the difference 100 000 each; V3's failed August line is not
    // reissued (its month is netted above).
    expect(september.paidFen).toBe(250_000 + 100_000 + 100_000);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });

  it('shows the heirs’ balance on V1’s death (information, no posting)', async () => {
    const dead = await recordDeath(t.db, f.maker, {
      regionCode: HZ,
      workerId: v1,
      diedOn: '2025-10-20',
      source: '死亡医学证明 No.1',
      today: '2025-10-25',
    });
    if (!dead.ok) throw new Error(dead.message);
    // 1 000 000 − 3 × 150 000 (08, 09, 10) = 550 000.
    expect(dead.value.personalAccountLeft).toMatchObject({
      balanceFen: 1_000_000,
      leftFen: 550_000,
      citation: '《浙江省工伤保险条例》第二十六条第二款',
    });
  });
});
