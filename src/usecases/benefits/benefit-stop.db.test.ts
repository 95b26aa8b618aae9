import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import type { StopGround } from '../../domain/benefits/stop.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { resumeBenefits } from './benefit-resume.ts';
import { stopBenefits } from './benefit-stop.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { runReview } from './payroll-review-read.ts';
import { recomputePayrollRun, startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import {
  insertCardAccount,
  insertEntitlement,
  insertWorker,
  payMonth,
  setUpBenefits,
} from './testing.ts';

/**
 * 停止享受工伤保险待遇 (条例 第四十二条) by hand, amounts in fen. 杭州 pays from 2025-04: W1 伤残津贴
 * 680 000 and 生活护理费 270 000; W2 伤残津贴 500 000 (never stopped); W3 伤残津贴 400 000; W4 伤残津贴
 * 300 000. The runs of 2025-07, 08 and 09 are paid, but the bank failed W1's two lines of 09. On
 * 2025-10-05:
 * - W1 refused treatment on 2025-07-10 (三): both items end 2025-07-31; overpaid 伤残津贴 08 =
 *   680 000, 生活护理费 08 = 270 000, in all 950 000 (09 failed: paid nothing, and the 2025-10 run
 *   does not reissue it);
 * - W3 refused the appraisal on 2025-09-15 (二): ends 2025-09-30, nothing overpaid; lifted from
 *   2025-11-03, so paid again from 2025-11: 400 000;
 * - W4 lost the conditions on 2025-09-20 (一): final, a resumption is refused.
 * The 2025-10 run pays W2 only (500 000, no reissue of W1's failed lines); the 2025-11 run W2 and
 * W3 (900 000). The 2025-12 run is computed (900 000), then W2's stop from 2025-11-20 is recorded:
 * its review flags W2's line, the approval is refused, and computed again it pays W3 (400 000).
 */
const rules = testRuleBook().benefits;
const PERIODS = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];
const TODAY = '2025-10-05';

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
const w: string[] = [];
let disability = '';
let nursing = '';

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query(sql, params);
  return intOf(r.rows[0] ?? {}, 'n');
}

const codeOf = (r: { ok: true } | { ok: false; code: string }) => (r.ok ? 'ok' : r.code);

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, PERIODS);
  for (let i = 0; i < 5; i += 1) w.push(await insertWorker(t.db));
  const ent = (workerId: string, kind: string, amountFen: number, endsOn: string | null = null) =>
    insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      kind,
      amountFen,
      startsOn: '2025-04-01',
      endsOn,
    });
  const [w1 = '', w2 = '', w3 = '', w4 = '', w5 = ''] = w;
  disability = await ent(w1, 'disability_allowance', 680_000);
  nursing = await ent(w1, 'nursing_allowance', 270_000);
  await ent(w2, 'disability_allowance', 500_000);
  await ent(w3, 'disability_allowance', 400_000);
  await ent(w4, 'disability_allowance', 300_000);
  await ent(w5, 'disability_allowance', 300_000, '2025-06-30');
  for (const [i, workerId] of [w1, w2, w3, w4].entries())
    await insertCardAccount(t.db, {
      workerId,
      validFrom: '2024-01-01',
      accountNumber: `622200000001000${i}`,
    });
  await payMonth(t.db, f, rules, { month: '2025-07' });
  await payMonth(t.db, f, rules, { month: '2025-08' });
  // The bank fails W1's two lines of September: paid nothing, so not overpaid, and never reissued.
  await payMonth(t.db, f, rules, { month: '2025-09', failing: [w1] });
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

const stop = (
  workerId: string,
  ground: StopGround,
  effectiveOn: string,
  approvalId?: string,
  today = TODAY,
) =>
  stopBenefits(t.db, f.maker, {
    regionCode: HZ,
    workerId,
    ground,
    effectiveOn,
    reason: '拒绝治疗：经两次书面通知未到指定医疗机构就诊',
    approvalId,
    policy: POLICY,
    today,
  });

/** The maker asks, the checker approves: the approval's id. */
async function approved(asked: Awaited<ReturnType<typeof stop>>): Promise<string> {
  if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
  await approve(t.db, f.checker, HZ, asked.value.approval.id);
  return asked.value.approval.id;
}

describe('stopping benefits (第四十二条): refusals', () => {
  it('refuses a future date, a worker with nothing to stop, and a stranger, writing nothing', async () => {
    const approvals = await count(t.db, 'SELECT count(*)::int AS n FROM approvals');
    expect(codeOf(await stop(w[0] ?? '', 'refused_treatment', '2025-10-06'))).toBe(
      'benefit.stop_in_future',
    );
    expect(codeOf(await stop(w[4] ?? '', 'refused_treatment', '2025-07-10'))).toBe(
      'benefit.no_active_entitlement',
    );
    expect(codeOf(await stop(await insertWorker(t.db), 'refused_treatment', '2025-07-10'))).toBe(
      'benefit.worker_not_found',
    );
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM approvals')).toBe(approvals);
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM benefit_stops')).toBe(0);
  });
});

describe('stopping benefits (第四十二条): a back-dated stop', () => {
  it('a back-dated stop ends the items with the month and records the later months overpaid, once', async () => {
    const w1 = w[0] ?? '';
    const asked = await stop(w1, 'refused_treatment', '2025-07-10');
    expect(asked.ok && asked.value.status).toBe('approval_requested');
    const approvalId = asked.ok ? (asked.value.approval?.id ?? '') : '';
    const self = await decideApproval(t.db, f.maker, {
      regionCode: HZ,
      id: approvalId,
      decision: 'approved',
    });
    expect(codeOf(self)).toBe('approval.self_approval');
    await approve(t.db, f.checker, HZ, approvalId);
    // The same approval for another ground, or another date, is refused and changes nothing.
    expect(codeOf(await stop(w1, 'refused_appraisal', '2025-07-10', approvalId))).toBe(
      'approval.payload_mismatch',
    );
    expect(codeOf(await stop(w1, 'refused_treatment', '2025-07-11', approvalId))).toBe(
      'approval.payload_mismatch',
    );
    const done = await stop(w1, 'refused_treatment', '2025-07-10', approvalId);
    if (!done.ok || done.value.stop === null) throw new Error(done.ok ? 'no stop' : done.message);
    expect(done.value.status).toBe('stopped');
    const s = done.value.stop;
    expect(s.ended.map((e) => [e.id, e.endsOn]).sort()).toEqual(
      [
        [disability, '2025-07-31'],
        [nursing, '2025-07-31'],
      ].sort(),
    );
    const byEntitlement = new Map(s.overpayments.map((o) => [o.entitlementId, o]));
    expect(byEntitlement.get(disability)?.amountFen).toBe(680_000);
    expect(byEntitlement.get(disability)?.months).toEqual(['2025-08']);
    expect(byEntitlement.get(nursing)?.amountFen).toBe(270_000);
    expect(s.overpaidFen).toBe(950_000);
    // The 停止工伤保险待遇通知书: one per case of the items (each test entitlement has its own case),
    // numbered in 杭州's benefit_change series of 2025 (工待变), on the case's timeline.
    expect(s.letters.map((l) => l.event)).toEqual(['stop', 'stop']);
    for (const l of s.letters) expect(l.documentNumber).toMatch(/^杭人社工待变〔2025〕\d+号$/);
    const onTimeline = await count(
      t.db,
      `SELECT count(*)::int AS n FROM case_events WHERE kind = 'letter.issued' AND case_id = ANY($1::text[])
          AND data->>'letterType' = 'benefit_change'`,
      [s.letters.map((l) => l.caseId)],
    );
    expect(onTimeline).toBe(2);
    const again = await stop(w1, 'refused_treatment', '2025-07-10', approvalId);
    expect(again.ok && again.value.replayed).toBe(true);
    expect(again.ok && again.value.stop?.id).toBe(s.id);
    // The replay issues no letter: the same two.
    expect(again.ok && again.value.stop?.letters.map((l) => l.letterId)).toEqual(
      s.letters.map((l) => l.letterId),
    );
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM benefit_overpayments WHERE reason = 'suspension'`,
      ),
    ).toBe(2);
    expect(codeOf(await stop(w1, 'refused_appraisal', '2025-08-01'))).toBe(
      'benefit.already_stopped',
    );
    // The used approval for another stop of the worker writes nothing more.
    expect(codeOf(await stop(w1, 'refused_appraisal', '2025-07-10', approvalId))).toBe(
      'benefit.already_stopped',
    );
    expect(await count(t.db, 'SELECT count(*)::int AS n FROM benefit_stops')).toBe(1);
  });
});

describe('stopping benefits (第四十二条): resumption', () => {
  it('ground (一) is final; (二) is lifted from a later month only', async () => {
    const w3 = w[2] ?? '';
    const w4 = w[3] ?? '';
    const s4 = await stop(w4, 'lost_conditions', '2025-09-20');
    const done4 = await stop(w4, 'lost_conditions', '2025-09-20', await approved(s4));
    const stop4 = done4.ok ? (done4.value.stop?.id ?? '') : '';
    const resume = (stopId: string, resumedOn: string, approvalId?: string) =>
      resumeBenefits(t.db, f.maker, {
        regionCode: HZ,
        stopId,
        resumedOn,
        reason: '已到指定机构接受劳动能力鉴定',
        approvalId,
        policy: POLICY,
      });
    expect(codeOf(await resume(stop4, '2025-11-03'))).toBe('benefit.stop_final');
    const s3 = await stop(w3, 'refused_appraisal', '2025-09-15');
    const done3 = await stop(w3, 'refused_appraisal', '2025-09-15', await approved(s3));
    if (!done3.ok || done3.value.stop === null) throw new Error('no stop');
    expect(done3.value.stop.overpaidFen).toBe(0);
    const stop3 = done3.value.stop.id;
    expect(codeOf(await resume(stop3, '2025-09-30'))).toBe('benefit.resume_before_stop');
    const asked = await resume(stop3, '2025-11-03');
    if (!asked.ok || asked.value.approval === null) throw new Error('no approval asked');
    await approve(t.db, f.checker, HZ, asked.value.approval.id);
    expect(codeOf(await resume(stop3, '2025-12-01', asked.value.approval.id))).toBe(
      'approval.payload_mismatch',
    );
    const back = await resume(stop3, '2025-11-03', asked.value.approval.id);
    if (!back.ok) throw new Error(back.message);
    expect(back.value.started.map((e) => [e.kind, e.amountFen, e.startsOn, e.endsOn])).toEqual([
      ['disability_allowance', 400_000, '2025-11-01', null],
    ]);
    // The 恢复工伤保险待遇通知书 after the stop's letter, on the item's case.
    expect(back.value.stop.letters.map((l) => l.event)).toEqual(['stop', 'resume']);
    const twice = await resume(stop3, '2025-11-03', asked.value.approval.id);
    expect(twice.ok && twice.value.replayed).toBe(true);
    expect(twice.ok && twice.value.stop.letters.length).toBe(2);
    expect(
      await count(
        t.db,
        `SELECT count(*)::int AS n FROM benefit_entitlements WHERE worker_id = $1 AND status = 'active'`,
        [w3],
      ),
    ).toBe(1);
  });
});

describe('stopping benefits (第四十二条): the next runs', () => {
  it('the next runs pay no stopped worker, and the resumed one from the resumption month', async () => {
    const october = await payMonth(t.db, f, rules, { month: '2025-10' });
    expect(october.paidFen).toBe(500_000);
    const octLines = await t.db.withConnection((ex) =>
      linePage(ex, {
        regionCode: HZ,
        runId: october.runId,
        afterId: '',
        limit: 100,
        withAccount: false,
      }),
    );
    expect(octLines.map((l) => l.workerId)).toEqual([w[1]]);
    const november = await payMonth(t.db, f, rules, { month: '2025-11' });
    expect(november.paidFen).toBe(900_000);
    const novLines = await t.db.withConnection((ex) =>
      linePage(ex, {
        regionCode: HZ,
        runId: november.runId,
        afterId: '',
        limit: 100,
        withAccount: false,
      }),
    );
    expect(novLines.map((l) => l.workerId).sort()).toEqual([w[1], w[2]].sort());
  });
});

describe('stopping benefits (第四十二条): a stop recorded after the month was computed', () => {
  it('flags the computed run’s line (entitlement_not_in_force), refuses its approval; computed again it pays W3 alone', async () => {
    const dec = payrollRunId(HZ, '2025-12');
    const started = await startPayrollRun(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, month: '2025-12' },
      { policy: POLICY },
    );
    expect(started.ok && [started.value.lineCount, started.value.totalFen]).toEqual([2, 900_000]);
    // W2 refused treatment on 2025-11-20 (三), recorded on 2025-12-05: 2025-12 is no longer owed.
    const asked = await stop(
      w[1] ?? '',
      'refused_treatment',
      '2025-11-20',
      undefined,
      '2025-12-05',
    );
    const done = await stop(
      w[1] ?? '',
      'refused_treatment',
      '2025-11-20',
      await approved(asked),
      '2025-12-05',
    );
    expect(done.ok).toBe(true);
    const review = await t.db.withConnection((ex) =>
      runReview(
        ex,
        { regionCode: HZ, id: dec, month: '2025-12' },
        { minFen: 50_000, maxFen: 2_000_000 },
      ),
    );
    expect(review.anomalies.map((a) => [a.code, a.workerId])).toEqual([
      ['entitlement_not_in_force', w[1]],
    ]);
    const refused = await approvePayrollRun(t.db, f.checker, rules, {
      regionCode: HZ,
      runId: dec,
      on: '2025-12-18',
    });
    expect(codeOf(refused)).toBe('approval.payload_mismatch');
    const again = await recomputePayrollRun(
      t.db,
      f.maker,
      rules,
      { regionCode: HZ, runId: dec, reason: 'W2 停止享受待遇（第四十二条第（三）项）已登记' },
      { policy: POLICY },
    );
    expect(
      again.ok && [again.value.lineCount, again.value.totalFen, again.value.anomalies],
    ).toEqual([1, 400_000, []]);
    const approvedRun = await approvePayrollRun(t.db, f.checker, rules, {
      regionCode: HZ,
      runId: dec,
      on: '2025-12-18',
    });
    expect(approvedRun.ok && approvedRun.value.run.totalFen).toBe(400_000);
  });
});
