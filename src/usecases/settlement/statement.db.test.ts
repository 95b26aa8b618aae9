import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { applyOverlay, parseOverlay } from '../../rules/reform/overlay.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { insertWorker, setUpBenefits } from '../benefits/testing.ts';
import { cityActor, HZ, NB, POLICY } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import {
  cancelThroughHis,
  type HisLine,
  serialSampled,
  settleThroughHis,
} from '../seed/seed-settlement-month-demo.ts';
import { recordInjuryDiagnoses } from './case-injury-diagnoses.ts';
import {
  approveGuaranteeRelease,
  listGuaranteeReleases,
  proposeGuaranteeRelease,
  readGuaranteeRelease,
} from './guarantee-release.ts';
import { reviewLine, reviewQueue, settlementDetail } from './settlement-review.ts';
import { declareMonthTotals } from './statement-declare.ts';
import { statementFile } from './statement-documents.ts';
import { approveStatementPayment, proposeStatementPayment } from './statement-payment.ts';
import { readStatement } from './statement-read.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
} from './testing.ts';

/**
 * A hospital managed by 杭州 settles through the real messages (签到, 登记, 明细上报, 结算, 结算撤销)
 * in 2025-09; the adjudication, the sampling and the ledger postings are the real ones. The lines
 * and the adjudicated figures, by hand (fen; catalogue below: STM-A1 a device capped at 4 000 a
 * unit, the others uncapped, no quantity limits, so every line is paid whole but T1's device):
 * - T1 杭州, sampled: H-F1 1 × 10 000 → 10 000 (medical), H-A1 1 × 5 000 capped at 4 000 →
 *   4 000 (device, over_price_cap) → fund 14 000;
 * - T2 杭州: H-R1 1 × 20 000 → 20 000 (rehabilitation);
 * - T3 宁波 (a 宁波 case treated here, one pool, referred here with 宁波's consent), sampled: H-F1 1 × 30 001 → 30 001 (medical);
 * - T4 杭州: H-F1 1 × 7 000 → 7 000, cancelled (结算撤销 2208) the same month by R4 (−7 000).
 * Sampling is the centre's hash of the settlement id (5 %): each serial below is the first of its
 * prefix the hash samples (T1, T3) or does not (T2, T4), so the review queue is known.
 * Ours: 4 settlements − 1 reversal = 3, claimed 65 001, fund 64 001.
 * Review: T1 line 1 accepted, T1 line 2 (device) deducted 1 500, T2 line 1 (rehabilitation,
 * not sampled, found non-compliant) deducted 2 000.
 * 杭州: fund 34 000 − 3 500 = 30 500, guarantee 5 % = 1 525, payable 28 975.
 * 宁波: fund 30 001, guarantee 1 500.05 → 1 500 (half up), payable 28 501.
 * Statement: deducted 3 500, guarantee 3 025, payable 57 476. After payment 2101 keeps the
 * guarantee: 杭州 1 525, 宁波 1 500.
 */
const rules = testRuleBook().benefits;
let INST = '';
const MONTH = '2025-09';
const ON = '2025-09-20';
let institutionActor: Actor;
const ningbo = cityActor('nb-handler', 'city_handler', NB);
const DIAGNOSIS = 'S62.0';

type Fixture = Awaited<ReturnType<typeof setUpBenefits>> & {
  ids: Record<string, string>;
  serials: Record<string, string>;
  hzCase: string;
};

async function nbCase(db: Database, workerId: string, employerId: string): Promise<string> {
  const id = `cas_${NB}_${randomBytes(8).toString('hex')}`;
  await db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, determination_outcome, determination_decided_on, created_by)
     VALUES ($1, $2, $3, $4, $5, 'accident', '2025-06-01', 'decided', 'recognised', '2025-07-11', 'test')`,
    [NB, id, workerId, HZ, employerId],
  );
  return id;
}

/** The real settle takes its accounting month from the clock: run it on `day` (Beijing). */
async function onDay<T>(day: IsoDate, run: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${day}T10:00:00+08:00`) });
  try {
    return await run();
  } finally {
    vi.useRealTimers();
  }
}

const one = (ownCode: string, unitPriceFen: number): HisLine => ({
  ownCode,
  name: ownCode,
  quantityMilli: 1000,
  unitPriceFen,
});

/** A visit of `caseId` settled through the messages on `day`: the settlement's id. */
async function settleOn(
  db: Database,
  day: IsoDate,
  input: { serial: string; caseId: string; lines: HisLine[] },
) {
  return onDay(day, () =>
    settleThroughHis(db, rules, institutionActor, { ...input, on: day, diagnosisCode: DIAGNOSIS }),
  );
}

async function reference(db: Database): Promise<void> {
  const hospital = await insertInstitution(db);
  INST = hospital.id;
  key.institutionId = INST;
  institutionActor = hospital.actor;
  await insertAgreement(db, {
    institutionId: INST,
    scopes: ['outpatient', 'inpatient', 'rehabilitation', 'device'],
    validFrom: '2025-01-01',
    validTo: '2027-12-31',
  });
  await insertCatalogueRows(db, [
    { code: 'STM-F1', kind: 'service' },
    { code: 'STM-A1', kind: 'device', priceCapFen: 4_000 },
    { code: 'STM-R1', kind: 'rehabilitation' },
    { code: 'STM-A2', kind: 'device' },
  ]);
  await insertCodeMaps(db, INST, [
    { ownCode: 'H-F1', catalogueCode: 'STM-F1' },
    { ownCode: 'H-A1', catalogueCode: 'STM-A1' },
    { ownCode: 'H-R1', catalogueCode: 'STM-R1' },
    { ownCode: 'H-A2', catalogueCode: 'STM-A2' },
  ]);
}

async function seed(db: Database): Promise<Fixture> {
  const f = await setUpBenefits(db, rules, ['2025-09', '2025-10', '2025-11', '2025-12']);
  await reference(db);
  const hz = await insertAcceptedCase(db, {
    employerId: f.employer.id,
    accidentDate: '2025-06-01',
    diagnoses: [DIAGNOSIS],
  });
  const nbWorker = await insertWorker(db);
  const nbCaseId = await nbCase(db, nbWorker, f.employer.id);
  // A 宁波 case treated at a 杭州 hospital: settled as at home (one pool), paid from 宁波's segment.
  const recorded = await recordInjuryDiagnoses(db, ningbo, {
    regionCode: NB,
    caseId: nbCaseId,
    codes: [DIAGNOSIS],
  });
  if (!recorded.ok) throw new Error(recorded.message);
  const serials = {
    t1: serialSampled(rules, INST, 'T1-', true),
    t2: serialSampled(rules, INST, 'T2-', false),
    t3: serialSampled(rules, INST, 'T3-', true),
    t4: serialSampled(rules, INST, 'T4-', false),
    t5: serialSampled(rules, INST, 'T5-', true),
    t6: serialSampled(rules, INST, 'T6-', false),
  };
  const hzCase = hz.caseId;
  const t1 = await settleOn(db, ON, {
    serial: serials.t1,
    caseId: hzCase,
    lines: [one('H-F1', 10_000), one('H-A1', 5_000)],
  });
  const t2 = await settleOn(db, ON, {
    serial: serials.t2,
    caseId: hzCase,
    lines: [one('H-R1', 20_000)],
  });
  const t3 = await settleOn(db, ON, {
    serial: serials.t3,
    caseId: nbCaseId,
    lines: [one('H-F1', 30_001)],
  });
  const t4 = await settleOn(db, ON, {
    serial: serials.t4,
    caseId: hzCase,
    lines: [one('H-F1', 7_000)],
  });
  await onDay(ON, () =>
    cancelThroughHis(db, institutionActor, {
      serial: 'R4',
      signInId: t4.signInId,
      settlementId: t4.settlementId,
    }),
  );
  const ids = {
    t1: t1.settlementId,
    t2: t2.settlementId,
    t3: t3.settlementId,
    t4: t4.settlementId,
  };
  return { ...f, ids, serials, hzCase };
}

async function balance(db: Database, segment: string, account: string): Promise<number> {
  const tb = await trialBalance(db, { segment, asOf: '2025-12-31' });
  if (!tb.ok) throw new Error(tb.message);
  return tb.value.rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

async function transactionsLike(db: Database, prefix: string): Promise<number> {
  const r = await db.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE id LIKE $1`, [
    `${prefix}%`,
  ]);
  return Number(r.rows[0]?.['n']);
}

let t: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  t = await openTestDatabase();
  f = await seed(t.db);
}, 180_000);
afterAll(async () => {
  await t.cleanup();
});

describe('manual review (人工审核)', () => {
  it('queues the sampled settlements of the month in the reviewer’s city only', async () => {
    const hz = await reviewQueue(t.db, f.maker, { month: MONTH });
    expect(hz.map((q) => q.settlementId)).toEqual([f.ids['t1']]);
    const nb = await reviewQueue(t.db, ningbo, { month: MONTH, institutionId: INST });
    expect(nb.map((q) => q.settlementId)).toEqual([f.ids['t3']]);
    expect(nb[0]).toMatchObject({ lineCount: 1, fundFen: 30_001, reviewedLines: 0 });
    // The settlements are the real settle's: its ledger transaction, in the case's segment.
    const posted = await t.db.query(
      `SELECT s.ledger_transaction_id FROM settlement_settlements s
         JOIN ledger_transactions l ON l.id = s.ledger_transaction_id WHERE s.id = $1`,
      [f.ids['t3']],
    );
    expect(posted.rows[0]?.['ledger_transaction_id']).toBe(`settlement:${f.ids['t3']}:settled`);
  });

  it('accepts a line and deducts another, booking Dr 2101 / Cr 51xx in the settlement’s segment', async () => {
    const id = f.ids['t1'] ?? '';
    const accepted = await reviewLine(t.db, f.maker, {
      regionCode: HZ,
      settlementId: id,
      lineNo: 1,
      decision: 'accepted',
      on: ON,
    });
    expect(accepted).toMatchObject({ ok: true, value: { ledgerTransactionId: null } });
    const before5105 = await balance(t.db, HZ, '5105');
    const deducted = await reviewLine(t.db, f.maker, {
      regionCode: HZ,
      settlementId: id,
      lineNo: 2,
      decision: 'deducted',
      deductedFen: 1_500,
      reason: '辅助器具超出处方数量',
      on: ON,
    });
    expect(deducted).toMatchObject({
      ok: true,
      value: { deductedFen: 1_500, replayed: false },
    });
    expect(await balance(t.db, HZ, '5105')).toBe(before5105 - 1_500);
    const detail = await settlementDetail(t.db, f.maker, { regionCode: HZ, settlementId: id });
    if (!detail.ok) throw new Error(detail.message);
    expect(
      detail.value.lines.map((l) => [l.lineNo, l.review?.decision, l.review?.deductedFen]),
    ).toEqual([
      [1, 'accepted', 0],
      [2, 'deducted', 1_500],
    ]);
    const queue = await reviewQueue(t.db, f.maker, { month: MONTH });
    expect(queue[0]).toMatchObject({ reviewedLines: 2, deductedFen: 1_500 });
  });
});

describe('manual review: replays and refusals', () => {
  it('deducts a non-sampled line; a replay posts nothing; another review of it is refused', async () => {
    const req = {
      regionCode: HZ,
      settlementId: f.ids['t2'] ?? '',
      lineNo: 1,
      decision: 'deducted' as const,
      deductedFen: 2_000,
      reason: '康复项目超出疗程',
      on: ON,
    };
    const over = await reviewLine(t.db, f.maker, { ...req, deductedFen: 20_001 });
    expect(over).toMatchObject({ ok: false, code: 'settlement.deduction_over_payable' });
    const first = await reviewLine(t.db, f.maker, req);
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    const again = await reviewLine(t.db, f.maker, { ...req, on: '2025-09-25' });
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await transactionsLike(t.db, `settlement-review:${HZ}:${req.settlementId}`)).toBe(1);
    const other = await reviewLine(t.db, f.maker, { ...req, deductedFen: 500 });
    expect(other).toMatchObject({ ok: false, code: 'settlement.line_already_reviewed' });
  });

  it('refuses a reversed settlement, another city’s settlement and a deduction without a reason', async () => {
    const reversed = await reviewLine(t.db, f.maker, {
      regionCode: HZ,
      settlementId: f.ids['t4'] ?? '',
      lineNo: 1,
      decision: 'accepted',
      on: ON,
    });
    expect(reversed).toMatchObject({ ok: false, code: 'settlement.settlement_reversed' });
    const foreign = await reviewLine(t.db, ningbo, {
      regionCode: HZ,
      settlementId: f.ids['t1'] ?? '',
      lineNo: 1,
      decision: 'accepted',
      on: ON,
    });
    expect(foreign).toMatchObject({ ok: false, code: 'settlement.settlement_not_found' });
    const bare = await reviewLine(t.db, ningbo, {
      regionCode: NB,
      settlementId: f.ids['t3'] ?? '',
      lineNo: 1,
      decision: 'deducted',
      deductedFen: 1,
      on: ON,
    });
    expect(bare).toMatchObject({ ok: false, code: 'settlement.deduction_invalid' });
  });
});

const key = { institutionId: '', month: MONTH };

describe('the monthly statement and its reconciliation', () => {
  it('is not proposed before the institution declares, nor while its totals differ', async () => {
    const none = await proposeStatementPayment(t.db, f.maker, rules, key, POLICY);
    expect(none).toMatchObject({ ok: false, code: 'settlement.statement_not_reconciled' });
    const declared = await declareMonthTotals(t.db, institutionActor, {
      ...key,
      settlementCount: 3,
      fundFen: 64_000,
      detail: [
        { serial: f.serials['t1'] ?? '', fundFen: 14_000 },
        { serial: f.serials['t2'] ?? '', fundFen: 20_000 },
        { serial: f.serials['t3'] ?? '', fundFen: 30_000 },
        { serial: f.serials['t4'] ?? '', fundFen: 7_000 },
        { serial: 'R4', fundFen: -7_000 },
      ],
    });
    expect(declared.ok).toBe(true);
    const view = await readStatement(t.db, institutionActor, rules, key);
    if (!view.ok) throw new Error(view.message);
    expect(view.value.reconciliation).toMatchObject({
      status: 'differs',
      differences: [{ serial: f.serials['t3'], oursFen: 30_001, theirsFen: 30_000 }],
    });
    const refused = await proposeStatementPayment(t.db, f.maker, rules, key, POLICY);
    expect(refused).toMatchObject({ ok: false, code: 'settlement.statement_not_reconciled' });
  });

  it('reconciles, and computes deductions, the guarantee and the payable per segment', async () => {
    const other = await declareMonthTotals(
      t.db,
      { ...institutionActor, scopeCode: 'INST-330100-0002' },
      {
        ...key,
        settlementCount: 3,
        fundFen: 64_001,
      },
    );
    expect(other).toMatchObject({ ok: false, code: 'settlement.institution_not_found' });
    await declareMonthTotals(t.db, institutionActor, {
      ...key,
      settlementCount: 3,
      fundFen: 64_001,
    });
    const view = await readStatement(t.db, f.maker, rules, key);
    if (!view.ok) throw new Error(view.message);
    expect(view.value.reconciliation.status).toBe('reconciled');
    expect(view.value.totals).toEqual({
      settlementCount: 4,
      reversalCount: 1,
      netCount: 3,
      claimedFen: 65_001,
      fundFen: 64_001,
      deductedFen: 3_500,
      guaranteeFen: 3_025,
      payableFen: 57_476,
    });
    expect(view.value.segments).toEqual([
      { segment: HZ, fundFen: 34_000, deductedFen: 3_500, guaranteeFen: 1_525, payableFen: 28_975 },
      { segment: NB, fundFen: 30_001, deductedFen: 0, guaranteeFen: 1_500, payableFen: 28_501 },
    ]);
    // The share is the parameter: a rule set where it is 3 % from 2025-09-30 (the month's last
    // day is read) retains 3 % × 30 500 = 915 (杭州) and 3 % × 30 001 = 900.03 → 900 (宁波).
    const overlay = parseOverlay({
      name: 'guarantee-3',
      changes: [
        {
          region: '330000',
          path: 'settlement.guarantee.retained_share',
          from: '2025-09-30',
          value: '0.03',
        },
      ],
    });
    if (!overlay.ok) throw new Error('overlay');
    const threePercent = applyOverlay(rules, overlay.value);
    if (!threePercent.ok) throw new Error(threePercent.message);
    const other3 = await readStatement(t.db, f.maker, threePercent.value, key);
    if (!other3.ok) throw new Error(other3.message);
    expect(other3.value.guaranteeShare).toBe('0.03');
    expect(other3.value.segments.map((s) => [s.segment, s.guaranteeFen, s.payableFen])).toEqual([
      [HZ, 915, 29_585],
      [NB, 900, 29_101],
    ]);
    expect(await readStatement(t.db, ningbo, rules, key)).toMatchObject({
      ok: false,
      code: 'settlement.institution_not_found',
    });
  });
});

describe('the statement’s payment (maker-checker)', () => {
  it('is paid once a second person approves: Dr 2101 / Cr 1003 per segment, the guarantee stays', async () => {
    const proposed = await proposeStatementPayment(t.db, f.maker, rules, key, POLICY);
    if (!proposed.ok) throw new Error(proposed.message);
    expect(proposed.value).toMatchObject({ payableFen: 57_476, replayed: false });
    const again = await proposeStatementPayment(t.db, f.maker, rules, key, POLICY);
    expect(again).toMatchObject({
      ok: true,
      value: { approvalId: proposed.value.approvalId, replayed: true },
    });
    const self = await approveStatementPayment(t.db, f.maker, rules, { ...key, on: ON });
    expect(self).toMatchObject({ ok: false, code: 'approval.self_approval' });
    const hz1003 = await balance(t.db, HZ, '1003');
    const paid = await approveStatementPayment(t.db, f.checker, rules, { ...key, on: ON });
    expect(paid).toMatchObject({ ok: true, value: { payableFen: 57_476, replayed: false } });
    expect(await balance(t.db, HZ, '2101')).toBe(1_525);
    expect(await balance(t.db, NB, '2101')).toBe(1_500);
    expect(await balance(t.db, HZ, '1003')).toBe(hz1003 - 28_975);
    const rerun = await approveStatementPayment(t.db, f.checker, rules, { ...key, on: ON });
    expect(rerun).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await transactionsLike(t.db, `settlement-statement:${INST}:${MONTH}`)).toBe(2);
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });

  it('closes the paid month to reviews and declarations', async () => {
    const late = await reviewLine(t.db, ningbo, {
      regionCode: NB,
      settlementId: f.ids['t3'] ?? '',
      lineNo: 1,
      decision: 'accepted',
      on: ON,
    });
    expect(late).toMatchObject({ ok: false, code: 'settlement.statement_paid' });
    const declared = await declareMonthTotals(t.db, institutionActor, {
      ...key,
      settlementCount: 3,
      fundFen: 64_001,
    });
    expect(declared).toMatchObject({ ok: false, code: 'settlement.statement_paid' });
  });
});

describe('the approval binds the payload', () => {
  it('binds the approval to the payload: a deduction after the proposal voids it', async () => {
    const month = '2025-10';
    // T5: H-F1 1 × 10 000 → fund 10 000 (guarantee 500, payable 9 500; after a 1 000 deduction
    // 9 000 − 450 = 8 550).
    const s = await settleOn(t.db, '2025-10-08', {
      serial: f.serials['t5'] ?? '',
      caseId: f.hzCase,
      lines: [one('H-F1', 10_000)],
    });
    const k = { institutionId: INST, month };
    await declareMonthTotals(t.db, institutionActor, { ...k, settlementCount: 1, fundFen: 10_000 });
    const proposed = await proposeStatementPayment(t.db, f.maker, rules, k, POLICY);
    expect(proposed).toMatchObject({ ok: true, value: { payableFen: 9_500 } });
    await reviewLine(t.db, f.maker, {
      regionCode: HZ,
      settlementId: s.settlementId,
      lineNo: 1,
      decision: 'deducted',
      deductedFen: 1_000,
      reason: '重复收费',
      on: '2025-10-09',
    });
    const stale = await approveStatementPayment(t.db, f.checker, rules, { ...k, on: '2025-10-20' });
    expect(stale).toMatchObject({ ok: false, code: 'approval.payload_mismatch' });
    expect(await transactionsLike(t.db, `settlement-statement:${INST}:${month}`)).toBe(0);
    const renewed = await proposeStatementPayment(t.db, f.maker, rules, k, POLICY);
    expect(renewed).toMatchObject({ ok: true, value: { payableFen: 8_550, replayed: false } });
    const paid = await approveStatementPayment(t.db, f.checker, rules, { ...k, on: '2025-10-20' });
    expect(paid).toMatchObject({ ok: true, value: { payableFen: 8_550 } });
  });
});

describe('the statement documents', () => {
  it('renders the paid statement as xlsx (amounts in fen) and PDF, for the institution itself', async () => {
    const xlsx = await statementFile(t.db, institutionActor, rules, { ...key, format: 'xlsx' });
    if (!xlsx.ok) throw new Error(xlsx.message);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.value.bytes as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['结算单', '结算明细', '拒付明细']);
    const values = new Map<string, unknown>();
    wb.getWorksheet('结算单')?.eachRow((row) => {
      values.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(values.get('应支付(分)')).toBe(57_476);
    expect(values.get('审核扣款(分)')).toBe(3_500);
    expect(values.get('质量保证金 0.05(分)')).toBe(3_025);
    expect(wb.getWorksheet('结算明细')?.rowCount).toBe(6);
    const pdf = await statementFile(t.db, institutionActor, rules, { ...key, format: 'pdf' });
    if (!pdf.ok) throw new Error(pdf.message);
    expect(pdf.value.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const foreign = await statementFile(t.db, ningbo, rules, { ...key, format: 'pdf' });
    expect(foreign).toMatchObject({ ok: false, code: 'settlement.institution_not_found' });
  });
});

describe('a payment killed between the decision and its application', () => {
  it('is applied once by the rerun: the decision is not asked again, the ledger posts once', async () => {
    const month = '2025-11';
    // T6: H-A2 (an uncapped device) 1 × 20 000 → fund 20 000, guarantee 1 000, payable 19 000.
    await settleOn(t.db, '2025-11-03', {
      serial: f.serials['t6'] ?? '',
      caseId: f.hzCase,
      lines: [one('H-A2', 20_000)],
    });
    const k = { institutionId: INST, month };
    await declareMonthTotals(t.db, institutionActor, { ...k, settlementCount: 1, fundFen: 20_000 });
    const proposed = await proposeStatementPayment(t.db, f.maker, rules, k, POLICY);
    if (!proposed.ok) throw new Error(proposed.message);
    // The checker's decision is recorded, then the process dies before the payment is applied.
    const decided = await decideApproval(t.db, f.checker, {
      regionCode: HZ,
      id: proposed.value.approvalId,
      decision: 'approved',
    });
    expect(decided).toMatchObject({ ok: true, value: { status: 'approved' } });
    const rerun = await approveStatementPayment(t.db, f.checker, rules, { ...k, on: '2025-11-28' });
    expect(rerun).toMatchObject({ ok: true, value: { payableFen: 19_000, replayed: false } });
    const again = await approveStatementPayment(t.db, f.checker, rules, { ...k, on: '2025-11-28' });
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await transactionsLike(t.db, `settlement-statement:${INST}:${month}`)).toBe(1);
  });
});

/**
 * The year-end release (settlement.guarantee.release = year_end, demo), after the months above:
 * 2025-09 retained 杭州 1 525 and 宁波 1 500; 2025-10, 杭州 450 (5 % of 9 000 after the deduction);
 * 2025-11, 杭州 1 000. T7 settles 10 000 in 2025-12 (guarantee 500, payable 9 500) and blocks the
 * release until its month is paid. Release: 杭州 1 525 + 450 + 1 000 + 500 = 3 475, 宁波 1 500;
 * 4 975 in all, and 2101 owes the institution nothing more.
 */
describe('the year-end release of the guarantee (maker-checker)', () => {
  const year = { institutionId: '', year: 2025 };
  const propose = (on: IsoDate, actor: Actor = f.maker) =>
    proposeGuaranteeRelease(t.db, actor, rules, { ...year, on }, POLICY);

  it('is refused before the year’s last day, outside the city, and while a month owing is unpaid', async () => {
    year.institutionId = INST;
    expect(await propose('2025-12-30')).toMatchObject({
      ok: false,
      code: 'settlement.guarantee_year_open',
      details: { releaseDay: '2025-12-31' },
    });
    expect(await propose('2025-12-31', ningbo)).toMatchObject({
      ok: false,
      code: 'settlement.institution_not_found',
    });
    await settleOn(t.db, '2025-12-05', {
      serial: serialSampled(rules, INST, 'T7-', false),
      caseId: f.hzCase,
      lines: [one('H-F1', 10_000)],
    });
    expect(await propose('2025-12-31')).toMatchObject({
      ok: false,
      code: 'settlement.guarantee_months_unpaid',
      details: { months: ['2025-12'] },
    });
    const k = { institutionId: INST, month: '2025-12' };
    await declareMonthTotals(t.db, institutionActor, { ...k, settlementCount: 1, fundFen: 10_000 });
    await proposeStatementPayment(t.db, f.maker, rules, k, POLICY);
    const paid = await approveStatementPayment(t.db, f.checker, rules, { ...k, on: '2025-12-31' });
    expect(paid).toMatchObject({ ok: true, value: { payableFen: 9_500 } });
  });

  it('releases the year’s retained guarantee per segment once a second person approves', async () => {
    const view = await readGuaranteeRelease(t.db, institutionActor, rules, year);
    expect(view).toMatchObject({
      ok: true,
      value: {
        unpaidMonths: [],
        release: {
          months: ['2025-09', '2025-10', '2025-11', '2025-12'],
          segments: [
            { segment: HZ, retainedFen: 3_475, laterDeductedFen: 0, releaseFen: 3_475 },
            { segment: NB, retainedFen: 1_500, laterDeductedFen: 0, releaseFen: 1_500 },
          ],
          totals: { releaseFen: 4_975 },
        },
      },
    });
    const proposed = await propose('2025-12-31');
    if (!proposed.ok) throw new Error(proposed.message);
    expect(proposed.value).toMatchObject({ releaseFen: 4_975, replayed: false });
    expect(await propose('2025-12-31')).toMatchObject({ ok: true, value: { replayed: true } });
    const self = await approveGuaranteeRelease(t.db, f.maker, rules, { ...year, on: '2025-12-31' });
    expect(self).toMatchObject({ ok: false, code: 'approval.self_approval' });
    const hz2101 = await balance(t.db, HZ, '2101');
    const nb1003 = await balance(t.db, NB, '1003');
    const done = await approveGuaranteeRelease(t.db, f.checker, rules, {
      ...year,
      on: '2025-12-31',
    });
    expect(done).toMatchObject({ ok: true, value: { releaseFen: 4_975 } });
    expect(await balance(t.db, HZ, '2101')).toBe(hz2101 - 3_475);
    expect(await balance(t.db, NB, '1003')).toBe(nb1003 - 1_500);
    const again = await approveGuaranteeRelease(t.db, f.checker, rules, {
      ...year,
      on: '2025-12-31',
    });
    expect(again).toMatchObject({ ok: true, value: { replayed: true, releaseFen: 4_975 } });
    expect(await propose('2025-12-31')).toMatchObject({
      ok: false,
      code: 'settlement.guarantee_released',
    });
    expect(await transactionsLike(t.db, `settlement-guarantee:${INST}:2025:`)).toBe(2);
    expect(await listGuaranteeReleases(t.db, institutionActor, INST)).toMatchObject({
      ok: true,
      value: [{ year: 2025, status: 'paid', releaseFen: 4_975, paidOn: '2025-12-31' }],
    });
    expect((await checkLedger(t.db)).differences).toEqual([]);
  });
});
