import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { insertCase, insertEntitlement, insertWorker } from '../benefits/testing.ts';
import { insertAgreement, insertInstitution } from '../settlement/testing.ts';
import { deriveExperience } from './experience-derive.ts';
import { importExperience } from './floating-experience.ts';
import { type FloatingReviewView, runFloatingReview } from './floating-review.ts';
import { HZ, newEmployer, POLICY, setUpContributions } from './testing.ts';

/**
 * 杭州's 2025 experience derived from the system's own records, figures by hand:
 *
 * A (class 4, division 01) — contributions paid (applied part of posted records, 入库日期 in 2025):
 *   1 000 000 (2025-03, paid 04-10) + 200 000 (2024-12, paid 2025-01-12) + 50 000 (the applied half
 *   of 100 000, paid 05-10) = 1 250 000; not counted: 300 000 paid 2026-01-10, 70 000 not posted,
 *   the 50 000 overpaid (2103).
 *   benefit costs: lump sum paid 2025-06-30 120 000 (not: 99 999 paid 2026-01-05, 5 000 only
 *   issued) + payroll lines paid 2025-07-15 and 08-15, 30 000 each = 60 000 (not: a line only
 *   issued) + direct settlement 2025-09 fund share 45 000 (not: 8 000 reversed) = 225 000.
 *   injuries: the case recognised with accident 2025-02-10 = 1 (not: not_recognised 2025-05-01,
 *   the entitlement's case of 2024-11-05).
 *   headcount: month-ends open: W1 all year 12 + W2 2025-03-15…09-30 7 (Mar…Sep) + W3 from
 *   2025-12-31 1 + W4 ended 2025-01-30 0 = 20 → 20 ÷ 12 = 1.67 → 2 (half-up).
 * B (class 4) — 400 000 paid 2025-02-10; nothing else; one worker all year → 12 ÷ 12 = 1.
 *   B also has an imported 2025 row (400 000, 200 000, 0, 10): the review reads it.
 * D — registered 2026-01-15: not derived for 2025.
 *
 * Review of 2026 (window 2023–2025, only 2025 held): A 225 000 ÷ 1 250 000 = 0.18 → down2;
 * 1 × 1000 ÷ 2 = 500‰ > 10‰ → one step up: down1. B (import) 200 000 ÷ 400 000 = 0.5 → down1;
 * 0‰: down1. D: left out (no experience).
 */
const rules = testRuleBook().benefits;
const TODAY = '2026-03-01';
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
const e: Record<'a' | 'b' | 'd', { id: string; creditCode: string }> = {
  a: { id: '', creditCode: '' },
  b: { id: '', creditCode: '' },
  d: { id: '', creditCode: '' },
};
const hex = (n: number) => randomBytes(n).toString('hex');

async function record(
  employerKey: 'a' | 'b',
  r: { month: string; amount: number; paidOn: string; applied: number | null },
) {
  const imp = `cim_${HZ}_${hex(8)}`;
  const posted = r.applied !== null;
  await t.db.query(
    `INSERT INTO collection_imports (region_code, id, file_sha256, file_name, record_count, duplicate_count, imported_by)
     VALUES ($1, $2, $3, 'x.csv', 1, 0, 'test')`,
    [HZ, imp, hex(32)],
  );
  const tx = `contributions:collection:${imp}:1`;
  if (posted)
    await t.db.query(
      `INSERT INTO collection_postings (region_code, transaction_id, import_id, seq, record_count, total_fen, applied_fen, overpaid_fen, approval_id, posted_by)
       VALUES ($1, $2, $3, 1, 1, $4, $5, $4::int8 - $5::int8, 'apr_x', 'test')`,
      [HZ, tx, imp, r.amount, r.applied],
    );
  await t.db.query(
    `INSERT INTO collection_records (region_code, voucher, import_id, row_number, credit_code, month, amount_fen, paid_on,
       status, employer_id, match_month, posting_id, applied_fen, overpaid_fen)
     VALUES ($1, $2, $3, 1, $4, $5::date, $6, $7::date, 'matched', $8, $5::date, $9, $10::int8, $6::int8 - $10::int8)`,
    [
      HZ,
      `V-${hex(6)}`,
      imp,
      e[employerKey].creditCode,
      `${r.month}-01`,
      r.amount,
      r.paidOn,
      e[employerKey].id,
      posted ? tx : null,
      r.applied,
    ],
  );
}

async function spell(employerId: string, start: string, end: string | null) {
  const worker = await insertWorker(t.db);
  await t.db.query(
    `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date, end_date, hired_by, left_by)
     VALUES ($1, $2, $3, $4, '职工', $5::date, $6::date, 'test', CASE WHEN $6::date IS NULL THEN NULL ELSE 'test' END)`,
    [HZ, `spl_${HZ}_${hex(8)}`, employerId, worker, start, end],
  );
}

async function lumpSum(decisionId: string, amount: number, paidOn: string | null) {
  await t.db.query(
    `INSERT INTO benefit_payments (region_code, id, decision_id, item_code, account, amount_fen, attempt, status,
       payable_transaction_id, paid_transaction_id, bank_reference, paid_on, issued_by)
     VALUES ($1, $2, $3, $4, '5104', $5, 1, $6, 'tx-payable', $7, $8, $9::date, 'test')`,
    [
      HZ,
      `bpy_${HZ}_${hex(8)}`,
      decisionId,
      `item_${hex(3)}`,
      amount,
      paidOn === null ? 'issued' : 'paid',
      paidOn === null ? null : `tx-${hex(4)}`,
      paidOn === null ? null : 'BANK-1',
      paidOn,
    ],
  );
}

async function payrollLine(ent: { id: string; worker: string }, month: string, paidOn: string) {
  const run = `prl_${HZ}_${month.replace('-', '')}`;
  await t.db.query(
    `INSERT INTO payroll_runs (region_code, id, month, status, totals, anomalies, totals_sha256, computed_at,
       approved_by, approved_on, file_sha256, started_by)
     VALUES ($1, $2, $3, 'reconciled', '{}', '[]', $4, now(), 'test', $5::date, $4, 'test')`,
    [HZ, run, month, 'b'.repeat(64), `${month}-10`],
  );
  // A line only issued (not paid) of another pensioner: not a cost.
  const other = await insertWorker(t.db);
  for (const paid of [true, false])
    await t.db.query(
      `INSERT INTO payroll_lines (region_code, id, run_id, entitlement_id, worker_id, kind, expense_account, amount_fen,
         status, bank_reference, paid_on, paid_transaction_id)
       VALUES ($1, $2, $3, $4, $5, 'disability_allowance', '5108', $6, $7, $8, $9::date, $10)`,
      [
        HZ,
        `pln_${hex(10)}`,
        run,
        paid ? ent.id : await insertEntitlement(t.db, entitlementOf(e.a.id, other)),
        paid ? ent.worker : other,
        paid ? 30_000 : 11_111,
        paid ? 'paid' : 'issued',
        paid ? 'BANK-2' : null,
        paid ? paidOn : null,
        paid ? `tx-${hex(4)}` : null,
      ],
    );
}

function entitlementOf(employerId: string, workerId: string) {
  return {
    employerId,
    workerId,
    kind: 'disability_allowance',
    amountFen: 30_000,
    startsOn: '2025-04-01',
  };
}

async function settlement(caseId: string, workerId: string) {
  const inst = await insertInstitution(t.db);
  const agreement = await insertAgreement(t.db, { institutionId: inst.id, scopes: ['inpatient'] });
  const visit = `vis_${hex(8)}`;
  await t.db.query(
    `INSERT INTO settlement_visits (region_code, id, institution_id, his_visit_no, case_id, worker_id, agreement_id,
       kind, opened_on, closed_on, diagnosis_code, status, opened_serial)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'inpatient', '2025-09-01', '2025-09-10', 'S82.1', 'settled', 'S1')`,
    [HZ, visit, inst.id, `H-${hex(4)}`, caseId, workerId, agreement],
  );
  for (const [fund, status] of [
    [45_000, 'active'],
    [8_000, 'reversed'],
  ] as const)
    await t.db.query(
      `INSERT INTO settlement_settlements (region_code, id, visit_id, institution_id, kind, serial, accounting_month,
         line_count, claimed_fen, fund_fen, rejected_fen, status)
       VALUES ($1, $2, $3, $4, 'settlement', $5, '2025-09', 1, $6, $6, 0, $7)`,
      [HZ, `stl_${hex(8)}`, visit, inst.id, `SER-${hex(4)}`, fund, status],
    );
}

async function seedA(): Promise<void> {
  const a = e.a.id;
  await record('a', {
    month: '2025-03',
    amount: 1_000_000,
    paidOn: '2025-04-10',
    applied: 1_000_000,
  });
  await record('a', { month: '2024-12', amount: 200_000, paidOn: '2025-01-12', applied: 200_000 });
  await record('a', { month: '2025-05', amount: 100_000, paidOn: '2025-05-10', applied: 50_000 });
  await record('a', { month: '2025-12', amount: 300_000, paidOn: '2026-01-10', applied: 300_000 });
  await record('a', { month: '2025-06', amount: 70_000, paidOn: '2025-06-10', applied: null });
  const injured = await insertWorker(t.db);
  const c1 = await insertCase(t.db, {
    workerId: injured,
    employerId: a,
    accidentDate: '2025-02-10',
    outcome: 'recognised',
  });
  await insertCase(t.db, {
    workerId: await insertWorker(t.db),
    employerId: a,
    accidentDate: '2025-05-01',
    outcome: 'not_recognised',
  });
  const pensioner = await insertWorker(t.db);
  const ent = await insertEntitlement(t.db, entitlementOf(a, pensioner));
  const d = await t.db.query(
    'SELECT decision_id FROM benefit_entitlements WHERE region_code = $1 AND id = $2',
    [HZ, ent],
  );
  const decision = withColumns(d, { decision_id: textOf }).rows[0]?.decision_id ?? '';
  await lumpSum(decision, 120_000, '2025-06-30');
  await lumpSum(decision, 99_999, '2026-01-05');
  await lumpSum(decision, 5_000, null);
  await payrollLine({ id: ent, worker: pensioner }, '2025-07', '2025-07-15');
  await payrollLine({ id: ent, worker: pensioner }, '2025-08', '2025-08-15');
  await settlement(c1, injured);
  await spell(a, '2020-01-01', null);
  await spell(a, '2025-03-15', '2025-09-30');
  await spell(a, '2025-12-31', null);
  await spell(a, '2024-06-01', '2025-01-30');
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, []);
  e.a = await newEmployer(t.db, f.system, rules, {
    sequence: 81,
    industry: { standard: 'GB/T 4754-2017', division: '01' },
  });
  e.b = await newEmployer(t.db, f.system, rules, {
    sequence: 82,
    industry: { standard: 'GB/T 4754-2017', division: '01' },
  });
  e.d = await newEmployer(t.db, f.system, rules, { sequence: 83, registeredOn: '2026-01-15' });
  await seedA();
  await record('b', { month: '2025-01', amount: 400_000, paidOn: '2025-02-10', applied: 400_000 });
  await spell(e.b.id, '2021-05-01', null);
  const imported = await importExperience(t.db, f.maker, {
    regionCode: HZ,
    csv: `credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount\n${e.b.creditCode},2025,400000,200000,0,10\n`,
    today: TODAY,
  });
  if (!imported.ok) throw new Error(imported.message);
}, 120_000);
afterAll(async () => t?.cleanup());

async function storedRows() {
  const r = await t.db.query(
    `SELECT employer_id, source, contributions_fen, benefit_costs_fen, injuries, average_headcount
       FROM employer_experience WHERE region_code = $1 AND year = 2025 ORDER BY employer_id, source`,
    [HZ],
  );
  return withColumns(r, {
    employer_id: textOf,
    source: textOf,
    contributions_fen: intOf,
    benefit_costs_fen: intOf,
    injuries: intOf,
    average_headcount: intOf,
  }).rows;
}

async function previewsHandFigures(): Promise<void> {
  const r = await deriveExperience(t.db, f.maker, {
    regionCode: HZ,
    year: 2025,
    today: TODAY,
    write: false,
  });
  if (!r.ok) throw new Error(r.message);
  expect(r.value).toMatchObject({ status: 'preview', employers: 2, overriddenByImport: 1 });
  const a = r.value.rows.find((x) => x.employerId === e.a.id);
  expect(a).toMatchObject({
    contributionsFen: 1_250_000,
    lumpSumsFen: 120_000,
    payrollFen: 60_000,
    medicalFen: 45_000,
    benefitCostsFen: 225_000,
    injuries: 1,
    headcountMonthEnds: 20,
    averageHeadcount: 2,
    imported: null,
  });
  expect(r.value.rows.find((x) => x.employerId === e.b.id)).toMatchObject({
    contributionsFen: 400_000,
    benefitCostsFen: 0,
    injuries: 0,
    averageHeadcount: 1,
    imported: {
      contributionsFen: 400_000,
      benefitCostsFen: 200_000,
      injuries: 0,
      averageHeadcount: 10,
    },
  });
  expect(r.value.totals).toEqual({
    contributionsFen: 1_650_000,
    benefitCostsFen: 225_000,
    injuries: 1,
  });
  expect((await storedRows()).map((x) => x.source)).toEqual(['import']);
}

async function writesBesideImport(): Promise<void> {
  for (let i = 0; i < 2; i += 1) {
    const r = await deriveExperience(t.db, f.maker, {
      regionCode: HZ,
      year: 2025,
      today: TODAY,
      write: true,
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.status).toBe('written');
  }
  const rows = await storedRows();
  const key = (id: string, source: string) =>
    rows.find((x) => x.employer_id === id && x.source === source);
  expect(rows).toHaveLength(3);
  expect(key(e.a.id, 'system')).toMatchObject({
    contributions_fen: 1_250_000,
    benefit_costs_fen: 225_000,
    injuries: 1,
    average_headcount: 2,
  });
  expect(key(e.b.id, 'system')).toMatchObject({
    contributions_fen: 400_000,
    average_headcount: 1,
  });
  expect(key(e.b.id, 'import')).toMatchObject({ benefit_costs_fen: 200_000 });
  const audit = await t.db.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'contributions.experience.derive'`,
  );
  expect(withColumns(audit, { n: intOf }).rows[0]?.n).toBeGreaterThanOrEqual(2);
}

async function refusesWritingNothing(): Promise<void> {
  const before = await storedRows();
  const open = await deriveExperience(t.db, f.maker, {
    regionCode: HZ,
    year: 2026,
    today: TODAY,
    write: true,
  });
  expect(open).toMatchObject({ ok: false, code: 'experience.year_not_closed' });
  const province = await deriveExperience(t.db, f.maker, {
    regionCode: '330000',
    year: 2025,
    today: TODAY,
    write: true,
  });
  expect(province).toMatchObject({ ok: false, code: 'experience.not_in_city' });
  expect(await storedRows()).toEqual(before);
}

async function reviewGivesHandGrades(): Promise<void> {
  const d = await deriveExperience(t.db, f.maker, {
    regionCode: HZ,
    year: 2025,
    today: TODAY,
    write: true,
  });
  if (!d.ok) throw new Error(d.message);
  const r = await runFloatingReview(t.db, f.maker, rules, {
    regionCode: HZ,
    year: 2026,
    effectiveFrom: '2026-07-01',
    policy: POLICY,
  });
  if (!r.ok) throw new Error(r.message);
  const item = (v: FloatingReviewView, id: string) => v.items.find((i) => i.employerId === id);
  expect(item(r.value, e.a.id)).toMatchObject({
    riskClass: 4,
    proposedGrade: 'down1',
    contributionsFen: 1_250_000,
    benefitCostsFen: 225_000,
    injuries: 1,
    headcountYears: 2,
    ratio: '0.18',
    incidence: '500',
  });
  expect(item(r.value, e.a.id)?.trail[0]).toBe('experience 2025: system');
  expect(item(r.value, e.b.id)).toMatchObject({
    proposedGrade: 'down1',
    contributionsFen: 400_000,
    benefitCostsFen: 200_000,
    ratio: '0.5',
  });
  expect(item(r.value, e.b.id)?.trail[0]).toBe(
    'experience 2025: import; 2025: system row not used (the import overrides it)',
  );
  expect(item(r.value, e.d.id)).toMatchObject({
    outcome: 'left_out',
    leftOutReason: 'no_experience',
  });
}

describe(`experience from the system's records on ${testBackend}`, () => {
  it('previews the hand-computed figures of each employer without writing', previewsHandFigures);
  it('writes system rows beside the import, twice the same, audited', writesBesideImport);
  it('refuses a year not closed and a province, writing nothing', refusesWritingNothing);
  it(
    'a review reads the derived rows (the import winning its year) and gives the hand grades',
    reviewGivesHandGrades,
  );
});
