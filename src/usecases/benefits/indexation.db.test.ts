import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { applyIndexation, approveIndexation } from './indexation-apply.ts';
import { listIndexationBatches } from './indexation-list.ts';
import { isOwnIndexationNotice, ownAdjustmentsOf } from './indexation-notice.ts';
import { proposeIndexation } from './indexation-propose.ts';
import { indexationView } from './indexation-read.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import { insertCardAccount, insertEntitlement, insertWorker, setUpBenefits } from './testing.ts';

/**
 * 待遇调整 of 杭州 for 2025 under the demo 浙江 values (src/rules/values/330000/indexation.yaml,
 * effective 2025-07-01), hand-computed to the fen:
 * - W1, grade 1: 伤残津贴 456 789 → 456 789 × 1.02 + 3 000 = 468 924.78 → 468 925 (half up, once);
 *   生活护理费 (full → complete) 270 000 → 270 000 × 1.05 = 283 500;
 * - W2, grade 5, 伤残津贴 300 000 paid by the employer: 浙江 adjusts it by the employer's own wage
 *   growth (第三十七条第二款), no provincial figure: skipped as not adjusted;
 * - W3, grade 3, 伤残津贴 from 2025-08-01: awarded after the effective date, out of scope.
 * Batch: 2 lines, before 726 789, after 752 425. June's payroll pays the old amounts, September's
 * the new ones.
 */
const rules = testRuleBook().benefits;
const BATCH = `idx_${HZ}_2025`;

type Fixture = Awaited<ReturnType<typeof setUpBenefits>>;
let t: TestDatabase;
let f: Fixture;
const ids: Record<'dis1' | 'nur1' | 'dis2' | 'dis3', string> = {
  dis1: '',
  nur1: '',
  dis2: '',
  dis3: '',
};

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-06', '2025-09']);
  const [w1, w2, w3] = [
    await insertWorker(t.db),
    await insertWorker(t.db),
    await insertWorker(t.db),
  ];
  const ent = (workerId: string, e: Partial<Parameters<typeof insertEntitlement>[1]>) =>
    insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind: 'disability_allowance',
      amountFen: 0,
      startsOn: '2025-04-01',
      ...e,
    });
  ids.dis1 = await ent(w1, { amountFen: 456_789, grade: 1, nursingLevel: 'full' });
  ids.nur1 = await ent(w1, {
    kind: 'nursing_allowance',
    amountFen: 270_000,
    grade: 1,
    nursingLevel: 'full',
  });
  ids.dis2 = await ent(w2, { amountFen: 300_000, grade: 5, payer: 'employer' });
  ids.dis3 = await ent(w3, { amountFen: 500_000, grade: 3, startsOn: '2025-08-01' });
  await insertCardAccount(t.db, {
    workerId: w1,
    validFrom: '2024-01-01',
    accountNumber: '6222000000990001',
  });
}, 120_000);
afterAll(async () => {
  await t.cleanup();
});

async function paid(db: Database, month: string): Promise<Map<string, number>> {
  const run = await startPayrollRun(
    db,
    f.maker,
    rules,
    { regionCode: HZ, month },
    { policy: POLICY },
  );
  if (!run.ok) throw new Error(run.message);
  const lines = await db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId: payrollRunId(HZ, month), afterId: '', limit: 100 }),
  );
  return new Map(lines.map((l) => [l.entitlementId, l.amountFen]));
}

async function entitlement(id: string) {
  const r = await t.db.query(
    `SELECT e.id, e.amount_fen::int AS amount, e.status, e.starts_on::text AS starts, e.ends_on::text AS ends
     FROM benefit_entitlements e WHERE e.region_code = $1 AND (e.id = $2 OR e.id IN
       (SELECT new_entitlement_id FROM benefit_indexation_lines WHERE entitlement_id = $2))
     ORDER BY e.starts_on`,
    [HZ, id],
  );
  return r.rows;
}

describe('indexation batch (待遇调整, 《工伤保险条例》第四十条)', () => {
  it('June, before the effective date, pays the old amounts', async () => {
    const june = await paid(t.db, '2025-06');
    expect(june.get(ids.dis1)).toBe(456_789);
    expect(june.get(ids.nur1)).toBe(270_000);
  });

  it('refuses the year while a run covers its effective month: no arrears are computed', async () => {
    const july = payrollRunId(HZ, '2025-07');
    const run = await startPayrollRun(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, month: '2025-07' },
      { policy: POLICY },
    );
    expect(run.ok).toBe(true);
    const refused = await proposeIndexation(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, year: 2025 },
      { policy: POLICY },
    );
    expect(!refused.ok && [refused.code, refused.details]).toEqual([
      'benefit.indexation_month_paid',
      { month: '2025-07', effectiveMonth: '2025-07' },
    ]);
    // Removed by hand (computed, never approved: nothing posted), as if July had not run yet.
    await t.db.query('DELETE FROM payroll_lines WHERE region_code = $1 AND run_id = $2', [
      HZ,
      july,
    ]);
    await t.db.query('DELETE FROM payroll_runs WHERE region_code = $1 AND id = $2', [HZ, july]);
  });

  it('proposes the before/after lines by hand, and a second proposal changes nothing', async () => {
    const first = await proposeIndexation(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, year: 2025 },
      { policy: POLICY },
    );
    if (!first.ok) throw new Error(first.message);
    expect(first.value).toMatchObject({ batchId: BATCH, status: 'proposed', replayed: false });
    const view = await indexationView(t.db, { regionCode: HZ, batchId: BATCH });
    if (!view.ok) throw new Error(view.message);
    expect(
      view.value.lines.map((l) => [
        l.entitlementId,
        l.ruleKey,
        l.beforeFen,
        l.afterFen,
        l.effectiveOn,
      ]),
    ).toEqual(
      [
        [ids.dis1, '1', 456_789, 468_925, '2025-07-01'],
        [ids.nur1, 'complete', 270_000, 283_500, '2025-07-01'],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
    expect(view.value.payload.skipped).toEqual({ not_adjusted: 1, no_key: 0, unchanged: 0 });
    const beforeTotal = view.value.payload.totals.reduce((s, x) => s + x.beforeFen, 0);
    const afterTotal = view.value.payload.totals.reduce((s, x) => s + x.afterFen, 0);
    expect([beforeTotal, afterTotal]).toEqual([726_789, 752_425]);
    const again = await proposeIndexation(
      t.db,
      f.maker2,
      rules,
      { regionCode: HZ, year: 2025 },
      { policy: POLICY },
    );
    expect(again).toEqual({ ok: true, value: { ...first.value, replayed: true } });
    const none = await proposeIndexation(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, year: 2024 },
      { policy: POLICY },
    );
    expect(!none.ok && none.code).toBe('benefit.indexation_not_set');
  });
});

describe('indexation batch: an approval rejected or run out is asked again', () => {
  const propose = (policy = POLICY) =>
    proposeIndexation(t.db, f.maker, rules, { regionCode: HZ, year: 2025 }, { policy });
  const listed = async () => {
    const [item] = await listIndexationBatches(t.db, { regionCode: HZ });
    return item === undefined ? null : [item.approvalId, item.approvalStatus, item.lineCount];
  };
  const stored = async () => {
    const r = await t.db.query(
      `SELECT b.payload_sha256, a.payload_hash, a.status,
         (SELECT count(*)::int FROM benefit_indexation_lines l
           WHERE l.region_code = b.region_code AND l.batch_id = b.id) AS lines
       FROM benefit_indexation_batches b
       JOIN approvals a ON a.region_code = b.region_code AND a.id = b.approval_id
       WHERE b.region_code = $1 AND b.id = $2`,
      [HZ, BATCH],
    );
    return r.rows[0] ?? {};
  };

  it('a rejected approval: the same payload is asked again, by a new approval', async () => {
    const before = await stored();
    const first = await propose();
    if (!first.ok) throw new Error(first.message);
    const rejected = await decideApproval(t.db, f.checker, {
      regionCode: HZ,
      id: first.value.approvalId,
      decision: 'rejected',
    });
    expect(rejected.ok && rejected.value.status).toBe('rejected');
    expect(await listed()).toEqual([first.value.approvalId, 'rejected', 2]);
    const refused = await applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    expect(!refused.ok && refused.code).toBe('approval.not_approved');
    const renewed = await propose();
    if (!renewed.ok) throw new Error(renewed.message);
    expect(renewed.value).toMatchObject({
      batchId: BATCH,
      status: 'proposed',
      replayed: false,
      renewed: 'approval_rejected',
      previousApprovalId: first.value.approvalId,
    });
    expect(renewed.value.approvalId).not.toBe(first.value.approvalId);
    // The stored lines and payload stand: the new approval binds the same hash.
    expect(await stored()).toEqual({ ...before, status: 'pending' });
    expect(await listed()).toEqual([renewed.value.approvalId, 'pending', 2]);
    const audit = await t.db.query(
      `SELECT details FROM audit_events WHERE action = 'benefits.indexation.propose'
         AND object = $1 ORDER BY seq DESC LIMIT 1`,
      [`indexation/${HZ}/${BATCH}`],
    );
    expect(audit.rows[0]?.['details']).toMatchObject({
      approvalId: renewed.value.approvalId,
      previousApprovalId: first.value.approvalId,
      renewed: true,
      renewedBecause: 'approval_rejected',
      lineCount: 2,
    });
    // A pending approval is replayed as before.
    const again = await propose();
    expect(again.ok && again.value).toMatchObject({
      approvalId: renewed.value.approvalId,
      replayed: true,
      renewed: null,
    });
  });

  it('an approval past its expiry, its row never marked: listed expired and asked again', async () => {
    const rejected = await propose();
    if (!rejected.ok) throw new Error(rejected.message);
    await decideApproval(t.db, f.checker, {
      regionCode: HZ,
      id: rejected.value.approvalId,
      decision: 'rejected',
    });
    // The approval's expiry cannot be moved by an UPDATE (migration 0009): a short-lived one.
    const shortLived = await propose({ ...POLICY, ttlMs: 200 });
    if (!shortLived.ok) throw new Error(shortLived.message);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await stored())['status']).toBe('pending');
    expect(await listed()).toEqual([shortLived.value.approvalId, 'expired', 2]);
    const refused = await applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    expect(!refused.ok && refused.code).toBe('approval.expired');
    const renewed = await propose();
    expect(renewed.ok && renewed.value).toMatchObject({
      replayed: false,
      renewed: 'approval_expired',
      previousApprovalId: shortLived.value.approvalId,
    });
    expect(await listed()).toEqual([renewed.ok && renewed.value.approvalId, 'pending', 2]);
  });
});

describe('indexation batch: maker-checker, apply and the payroll after it', () => {
  it('the maker cannot approve, nor another of the maker’s role', async () => {
    const self = await approveIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    expect(!self.ok && self.code).toBe('approval.self_approval');
    const same = await approveIndexation(t.db, f.maker2, { regionCode: HZ, batchId: BATCH });
    expect(!same.ok && same.code).toBe('approval.same_role');
    const early = await applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    expect(!early.ok && early.code).toBe('approval.not_approved');
    const checked = await approveIndexation(t.db, f.checker, { regionCode: HZ, batchId: BATCH });
    expect(checked.ok).toBe(true);
  });
});

describe('indexation batch: the apply binds the approval to the register and the stored lines', () => {
  it('refuses to apply once an entitlement changed after the approval', async () => {
    await t.db.query(
      'UPDATE benefit_entitlements SET amount_fen = 270001 WHERE region_code = $1 AND id = $2',
      [HZ, ids.nur1],
    );
    const changed = await applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    expect(!changed.ok && changed.code).toBe('approval.payload_mismatch');
    expect((await entitlement(ids.dis1)).length).toBe(1);
    await t.db.query(
      'UPDATE benefit_entitlements SET amount_fen = 270000 WHERE region_code = $1 AND id = $2',
      [HZ, ids.nur1],
    );
  });

  it('refuses a register that gained an entitlement, and stored lines not the approved ones', async () => {
    const apply = () => applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    // W4's grade-1 allowance from April, added after the proposal: the batch should cover it.
    const late = await insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId: await insertWorker(t.db),
      kind: 'disability_allowance',
      amountFen: 100_000,
      startsOn: '2025-04-01',
      grade: 1,
    });
    const gained = await apply();
    expect(!gained.ok && gained.code).toBe('approval.payload_mismatch');
    await t.db.query(
      `UPDATE benefit_entitlements SET status = 'ended', ends_on = '2025-04-30'
        WHERE region_code = $1 AND id = $2`,
      [HZ, late],
    );
    const line = 'region_code = $1 AND batch_id = $2 AND entitlement_id = $3';
    await t.db.query(
      `UPDATE benefit_indexation_lines SET after_fen = after_fen + 1 WHERE ${line}`,
      [HZ, BATCH, ids.dis1],
    );
    const tampered = await apply();
    expect(!tampered.ok && tampered.code).toBe('approval.payload_mismatch');
    await t.db.query(
      `UPDATE benefit_indexation_lines SET after_fen = after_fen - 1 WHERE ${line}`,
      [HZ, BATCH, ids.dis1],
    );
  });
});

describe('indexation batch: the apply and the payroll after it', () => {
  it('applies once: old amounts end the day before, the new start on the effective date', async () => {
    const applied = await applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.value).toMatchObject({ batchId: BATCH, lineCount: 2, replayed: false });
    // The batch's notice, numbered in 杭州's 工待调 series of the year it was applied.
    expect(applied.value.notice.documentNumber).toMatch(/^杭人社工待调〔20\d\d〕[1-9]\d*号$/);
    const twice = await applyIndexation(t.db, f.maker, { regionCode: HZ, batchId: BATCH });
    expect(twice).toEqual({ ok: true, value: { ...applied.value, replayed: true } });
    const notice = await t.db.query(
      `SELECT l.case_id, l.title, l.recipient, l.issuer, l.issued_on::text AS issued_on,
              (b.applied_at AT TIME ZONE 'Asia/Shanghai')::date::text AS applied_on,
              substring(l.pdf from 1 for 5) = '%PDF-'::bytea AS pdf
         FROM letters l JOIN benefit_indexation_batches b ON b.region_code = l.region_code AND b.id = $3
        WHERE l.region_code = $1 AND l.id = $2`,
      [HZ, applied.value.notice.letterId, BATCH],
    );
    const row = notice.rows[0] ?? {};
    expect(row).toMatchObject({
      case_id: null,
      title: '关于调整2025年工伤保险定期待遇的通知',
      recipient: '杭州市领取工伤保险定期待遇的工伤职工及供养亲属',
      issuer: '杭州市人力资源和社会保障局',
      pdf: true,
    });
    expect(row['issued_on']).toBe(row['applied_on']);
    expect(await entitlement(ids.dis1)).toEqual([
      { id: ids.dis1, amount: 456_789, status: 'ended', starts: '2025-04-01', ends: '2025-06-30' },
      expect.objectContaining({
        amount: 468_925,
        status: 'active',
        starts: '2025-07-01',
        ends: null,
      }),
    ]);
    expect((await entitlement(ids.dis2)).map((e) => e['amount'])).toEqual([300_000]);
    expect((await entitlement(ids.dis3)).map((e) => e['amount'])).toEqual([500_000]);
    const view = await indexationView(t.db, { regionCode: HZ, batchId: BATCH });
    expect(view.ok && [view.value.status, view.value.approvedBy, view.value.notice]).toEqual([
      'applied',
      'hz-checker',
      {
        letterId: applied.value.notice.letterId,
        documentNumber: applied.value.notice.documentNumber,
      },
    ]);
    const replay = await proposeIndexation(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, year: 2025 },
      { policy: POLICY },
    );
    expect(replay.ok && replay.value).toMatchObject({ status: 'applied', replayed: true });
  });

  it('September’s payroll pays the new amounts, once each', async () => {
    const september = await paid(t.db, '2025-09');
    const amounts = [...september.values()].sort((a, b) => a - b);
    // W3's 500 000 from August is paid as before; W1's two items at their new amounts.
    expect(amounts).toEqual([283_500, 468_925, 500_000]);
    expect(september.has(ids.dis1)).toBe(false);
  });
});

describe('indexation batch: what a beneficiary sees', () => {
  it('the worker sees each adjustment of his items with the notice; no other case gets it', async () => {
    const view = await indexationView(t.db, { regionCode: HZ, batchId: BATCH });
    const notice = view.ok ? view.value.notice : null;
    if (notice === null) throw new Error('the applied batch has no notice');
    const caseOf = async (entitlementId: string) => {
      const r = await t.db.query(
        `SELECT d.case_id FROM benefit_entitlements e JOIN benefit_decisions d
           ON d.region_code = e.region_code AND d.id = e.decision_id
          WHERE e.region_code = $1 AND e.id = $2`,
        [HZ, entitlementId],
      );
      return String(r.rows[0]?.['case_id']);
    };
    const [c1, c3] = [await caseOf(ids.dis1), await caseOf(ids.dis3)];
    const own = await t.db.withConnection((ex) =>
      ownAdjustmentsOf(ex, { regionCode: HZ, caseId: c1, dependantIds: null }),
    );
    // insertEntitlement gives each entitlement a case of its own: W1's allowance's case holds it alone.
    expect(own).toEqual([
      {
        year: 2025,
        kind: 'disability_allowance',
        effectiveOn: '2025-07-01',
        beforeFen: 456_789,
        afterFen: 468_925,
        notice,
      },
    ]);
    const mine = (caseId: string, dependantIds: string[] | null) =>
      t.db.withConnection((ex) =>
        isOwnIndexationNotice(ex, {
          regionCode: HZ,
          caseId,
          letterId: notice.letterId,
          dependantIds,
        }),
      );
    // W3's allowance started after the effective date (not adjusted); a survivor reading W1's case
    // holds no adjusted pension of it.
    expect([await mine(c1, null), await mine(c3, null), await mine(c1, ['dep_none'])]).toEqual([
      true,
      false,
      false,
    ]);
  });
});
