import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { periodicStart } from '../../rules/benefits/periodic-start.ts';
import { applyOverlay, calculateFromUnknown, parseOverlay } from '../../rules/calculator/index.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { caseTimeline } from '../cases/case-events.ts';
import { approve, HZ, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { transactionCount } from '../fund/pooling/testing.ts';
import { approveBenefitDecision } from './benefit-decision-approve.ts';
import { proposeBenefitDecision } from './benefit-decision-propose.ts';
import { benefitPanel, recomputeBenefitDecision } from './benefit-decision-read.ts';
import {
  confirmBenefitPayment,
  failBenefitPayment,
  reissueBenefitPayment,
} from './benefit-payments.ts';
import { snapshotRules } from './snapshot-rules.ts';
import {
  declareWage,
  insertAppraisal,
  insertCase,
  insertWorker,
  setUpBenefits,
} from './testing.ts';

const rules = testRuleBook().benefits;
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;
let workerId = '';
let caseId = '';

const ENTERED = [
  { month: '2024-03', wageFen: 550_000 },
  { month: '2024-04', wageFen: 550_000 },
];
const DECLARED_MONTHS = [
  '2024-05',
  '2024-06',
  '2024-07',
  '2024-08',
  '2024-09',
  '2024-10',
  '2024-11',
  '2024-12',
  '2025-01',
  '2025-02',
];

const propose = (
  over: { entered?: typeof ENTERED; evidence?: string | null; caseId?: string } = {},
) =>
  proposeBenefitDecision(t.db, f.maker, rules, {
    regionCode: HZ,
    caseId: over.caseId ?? caseId,
    enteredWages: over.entered ?? ENTERED,
    wageEvidence:
      over.evidence === undefined ? '工资条 2024-03/04, material mat_demo' : over.evidence,
    employerArrangedWork: false,
    on: '2025-07-01',
    policy: POLICY,
  });

async function balance(account: string): Promise<number> {
  const tb = await trialBalance(t.db, { segment: HZ, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function newCase(
  grade: number | null,
  outcome: 'recognised' | 'not_recognised' = 'recognised',
) {
  const w = await insertWorker(t.db);
  for (const month of DECLARED_MONTHS)
    await declareWage(t.db, { employerId: f.employer.id, workerId: w, month, wageFen: 600_000 });
  const c = await insertCase(t.db, {
    workerId: w,
    employerId: f.employer.id,
    accidentDate: '2025-03-10',
    outcome,
  });
  await insertAppraisal(t.db, {
    caseId: c,
    concludedOn: '2025-06-20',
    grade,
    nursingLevel: 'partial',
  });
  return { workerId: w, caseId: c };
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-06', '2025-07', '2025-08']);
  ({ workerId, caseId } = await newCase(3));
}, 60_000);
afterAll(() => t.cleanup());

describe('benefit decision: proposal', () => {
  it('runs the public calculator on the case: same input, same amounts, declared and entered months shown', async () => {
    const p = await propose();
    if (!p.ok) throw new Error(p.message);
    const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
    if (!panel.ok) throw new Error(panel.message);
    const d = panel.value.current;
    expect(d?.wageMonths.map((m) => m.source)).toEqual([
      'entered',
      'entered',
      ...DECLARED_MONTHS.map(() => 'declaration'),
    ]);
    // The public calculator, given the same facts written by hand, answers the same figures.
    const publicAnswer = calculateFromUnknown(
      {
        region: HZ,
        kind: 'disability',
        injuryDate: '2025-03-10',
        decisionDate: '2025-06-20',
        monthlyWagesFen: [550_000, 550_000, ...DECLARED_MONTHS.map(() => 600_000)],
        disabilityGrade: 3,
        nursingLevel: 'partly',
      },
      rules,
    );
    if (!publicAnswer.ok) throw new Error(JSON.stringify(publicAnswer.body));
    expect(d?.result.items).toEqual(publicAnswer.body.items);
    expect(d?.result.baseWageFen).toBe(publicAnswer.body.baseWageFen);
    expect(d?.result.trace).not.toBeNull();
    expect(d?.result.items.map((i) => i.code)).toEqual(
      expect.arrayContaining(['disability_lump_sum', 'disability_allowance', 'nursing_allowance']),
    );
    expect(d?.status).toBe('proposed');
  });

  it('refuses entered wages without evidence, an unrecognised case and an ungraded appraisal', async () => {
    const noEvidence = await propose({ evidence: null });
    const refused = await newCase(5, 'not_recognised');
    const ungraded = await newCase(null);
    const codes = [
      noEvidence,
      await propose({ caseId: refused.caseId }),
      await propose({ caseId: ungraded.caseId }),
    ];
    expect(codes.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'benefit.wage_evidence_required',
      'benefit.case_not_recognised',
      'benefit.not_graded',
    ]);
  });
});

describe('benefit decision: maker-checker, ledger, payment', () => {
  it('refuses the handler approving their own proposal', async () => {
    const p = await propose();
    if (!p.ok) throw new Error(p.message);
    const own = await decideApproval(t.db, f.maker, {
      regionCode: HZ,
      id: p.value.approvalId,
      decision: 'approved',
    });
    expect(own.ok ? 'ok' : own.code).toBe('approval.self_approval');
  });

  it('binds the approval to the exact proposal: a changed proposal no longer fits it', async () => {
    const first = await propose();
    if (!first.ok) throw new Error(first.message);
    await approve(t.db, f.checker, HZ, first.value.approvalId);
    const changed = await propose({ entered: [{ month: '2024-03', wageFen: 700_000 }] });
    if (!changed.ok) throw new Error(changed.message);
    const before = await transactionCount(t.db);
    const wrong = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: changed.value.decisionId,
      approvalId: first.value.approvalId,
      on: '2025-07-10',
    });
    // The new proposal withdrew the first one's approval (migration 0068): it fits nothing now.
    expect(wrong.ok ? 'ok' : wrong.code).toBe('approval.withdrawn');
    const old = await t.db.query('SELECT status FROM approvals WHERE id = $1', [
      first.value.approvalId,
    ]);
    expect(old.rows[0]?.['status']).toBe('withdrawn');
    const stale = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: first.value.decisionId,
      on: '2025-07-10',
    });
    expect(stale.ok ? 'ok' : stale.code).toBe('benefit.decision_superseded');
    expect(await transactionCount(t.db)).toBe(before);
  });
});

describe('benefit decision: two-phase payment through the ledger', () => {
  it('posts the lump sum payable on approval, once, and the entitlements; then pays it on confirmation', async () => {
    const p = await propose();
    if (!p.ok) throw new Error(p.message);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const before = await transactionCount(t.db);
    const applied = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: p.value.decisionId,
      on: '2025-07-10',
    });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.value.ledgerTransactionId).toBe(
      `benefit-decision:${p.value.decisionId}:approved`,
    );
    const retry = await approveBenefitDecision(t.db, f.maker, {
      regionCode: HZ,
      decisionId: p.value.decisionId,
      on: '2025-07-10',
    });
    expect(retry.ok && retry.value.replayed).toBe(true);
    expect(await transactionCount(t.db)).toBe(before + 1);
    const lump =
      p.value.payload.items.find((i) => i.code === 'disability_lump_sum')?.amountFen ?? 0;
    expect(lump).toBeGreaterThan(0);
    expect(await balance('5107')).toBe(lump);
    expect(await balance('2102')).toBe(lump);

    const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
    if (!panel.ok) throw new Error(panel.message);
    expect(panel.value.entitlements.map((e) => [e.kind, e.payer, e.startsOn]).sort()).toEqual([
      ['disability_allowance', 'fund', '2025-07-01'],
      ['nursing_allowance', 'fund', '2025-07-01'],
    ]);
    // The 工伤保险待遇核定通知书 is numbered in 杭州's benefit_decision series of the year.
    expect(panel.value.current?.letter?.documentNumber).toMatch(/〔2025〕\d+号$/);
    const [payment] = panel.value.payments;
    if (payment === undefined) throw new Error('no payment issued');
    const paid = await confirmBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: payment.id,
      bankReference: 'BK-001',
      paidOn: '2025-07-15',
    });
    if (!paid.ok) throw new Error(paid.message);
    const again = await confirmBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: payment.id,
      bankReference: 'BK-001',
      paidOn: '2025-07-15',
    });
    expect(again.ok).toBe(true);
    expect(await transactionCount(t.db)).toBe(before + 2);
    expect(await balance('2102')).toBe(0);
    const tb = await trialBalance(t.db, { segment: 'all', asOf: '2025-12-31' });
    if (!tb.ok) throw new Error(tb.message);
    expect(tb.value.totals.debitFen).toBe(tb.value.totals.creditFen);
    expect((await checkLedger(t.db)).differences).toEqual([]);

    const timeline = await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId));
    expect(timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'benefit.decision_proposed',
        'benefit.decision_approved',
        'letter.issued',
        'benefit.payment_confirmed',
      ]),
    );
  });
});

describe('benefit decision: a failed payment and the entitlements', () => {
  it('a returned payment puts the liability back and is reissued and paid again', async () => {
    const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
    if (!panel.ok) throw new Error(panel.message);
    const [first] = panel.value.payments;
    if (first === undefined) throw new Error('no payment');
    const failed = await failBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: first.id,
      reason: '账户已销户 account closed',
      on: '2025-07-20',
    });
    if (!failed.ok) throw new Error(failed.message);
    expect(await balance('2102')).toBe(first.amountFen);
    const confirmFailed = await confirmBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: first.id,
      bankReference: 'BK-X',
      paidOn: '2025-07-21',
    });
    expect(confirmFailed.ok ? 'ok' : confirmFailed.code).toBe('benefit.payment_not_issued');
    const reissued = await reissueBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: first.id,
      on: '2025-07-21',
    });
    if (!reissued.ok) throw new Error(reissued.message);
    expect(reissued.value.attempt).toBe(2);
    const twice = await reissueBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: first.id,
      on: '2025-07-21',
    });
    expect(twice.ok ? 'ok' : twice.code).toBe('benefit.payment_already_reissued');
    const paid = await confirmBenefitPayment(t.db, f.maker, {
      regionCode: HZ,
      paymentId: reissued.value.id,
      bankReference: 'BK-002',
      paidOn: '2025-07-25',
    });
    if (!paid.ok) throw new Error(paid.message);
    expect(await balance('2102')).toBe(0);
    expect(await balance('1003')).toBe(-first.amountFen);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });

  it('the database keeps one active entitlement per person and kind', async () => {
    const insert = () =>
      t.db.query(
        `INSERT INTO benefit_entitlements (region_code, id, worker_id, kind, frequency, amount_fen, payer, starts_on,
           status, decision_id, snapshot_id, citation, created_by)
         SELECT region_code, 'ent_330100_' || substr(md5(random()::text), 1, 16), worker_id, kind, frequency, amount_fen,
           payer, starts_on, 'active', decision_id, snapshot_id, citation, 'raw-sql'
           FROM benefit_entitlements WHERE worker_id = $1 AND kind = 'disability_allowance'`,
        [workerId],
      );
    await expect(insert()).rejects.toThrow(/benefit_entitlements_one_active/);
  });
});

describe('benefit decision: the pinned parameter snapshot', () => {
  it('recomputes the stored decision with the same figures after the live parameters changed', async () => {
    const panel = await benefitPanel(t.db, { regionCode: HZ, caseId });
    if (!panel.ok || panel.value.current === null) throw new Error('no decision');
    const decision = panel.value.current;
    // The live parameters change: grade 3's lump sum goes from 23 to 30 months.
    const overlay = parseOverlay({
      name: 'grade3-lump-30',
      changes: [
        {
          region: '000000',
          path: 'disability.lump_sum_months',
          from: '2011-01-01',
          merge: { '3': 30 },
        },
      ],
    });
    if (!overlay.ok) throw new Error(overlay.message);
    const changed = applyOverlay(rules, overlay.value);
    if (!changed.ok) throw new Error(changed.message);
    const stored = await t.db.query(
      'SELECT calculation_input FROM benefit_decisions WHERE id = $1',
      [decision.id],
    );
    const live = calculateFromUnknown(stored.rows[0]?.['calculation_input'], changed.value);
    if (!live.ok) throw new Error('live calculation refused');
    const liveLump = live.body.items.find((i) => i.code === 'disability_lump_sum')?.amountFen;
    const storedLump = decision.result.items.find(
      (i) => i.code === 'disability_lump_sum',
    )?.amountFen;
    expect(liveLump).not.toBe(storedLump);

    const again = await recomputeBenefitDecision(t.db, { regionCode: HZ, decisionId: decision.id });
    if (!again.ok) throw new Error(again.message);
    expect(again.value.same).toBe(true);
    expect(again.value.recomputed).toEqual(again.value.stored);
    expect(again.value.snapshotId).toBe(rules.snapshotId);
  });
});

describe('benefit decision: the pinned snapshot', () => {
  it("gives the approval its start month: the stored snapshot rebuilds the proposal's rule set; an unknown one is refused", async () => {
    const other = await newCase(7);
    const p = await propose({ caseId: other.caseId });
    if (!p.ok) throw new Error(p.message);
    const stored = await t.db.query('SELECT snapshot_id FROM benefit_decisions WHERE id = $1', [
      p.value.decisionId,
    ]);
    const snapshotId = String(stored.rows[0]?.['snapshot_id']);
    const pinned = await t.db.withConnection((ex) => snapshotRules(ex, snapshotId));
    if (!pinned.ok) throw new Error(pinned.message);
    expect(pinned.value.snapshotId).toBe(rules.snapshotId);
    const fromSnapshot = periodicStart(pinned.value, HZ, '2025-06-15');
    expect(fromSnapshot.ok && fromSnapshot.value.startsOn).toBe('2025-07-01');
    expect(fromSnapshot).toEqual(periodicStart(rules, HZ, '2025-06-15'));
    const unknown = await t.db.withConnection((ex) => snapshotRules(ex, 'f'.repeat(64)));
    expect(unknown.ok ? 'ok' : unknown.code).toBe('benefit.snapshot_invalid');
  });
});

describe('benefit decision: concurrent applications', () => {
  it('two applications of one approved decision at once post the payable once, both answer approved', async () => {
    const other = await newCase(7);
    const p = await propose({ caseId: other.caseId });
    if (!p.ok) throw new Error(p.message);
    await approve(t.db, f.checker, HZ, p.value.approvalId);
    const before = await transactionCount(t.db);
    const apply = () =>
      approveBenefitDecision(t.db, f.maker, {
        regionCode: HZ,
        decisionId: p.value.decisionId,
        on: '2025-07-11',
      });
    const [a, b] = await Promise.all([apply(), apply()]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect([a.ok && a.value.replayed, b.ok && b.value.replayed].sort()).toEqual([false, true]);
    expect(await transactionCount(t.db)).toBe(before + 1);
  });
});
