import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { insertCase, insertWorker, setUpBenefits } from '../benefits/testing.ts';
import { HZ, NB } from '../contributions/testing.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { payAdvance, requestAdvance } from './cross-province-advances.ts';
import { advanceBalanceFen, importClearing } from './cross-province-clearing.ts';
import { listFilings, recordFiling, revokeFiling } from './cross-province-filings.ts';

const rules = testRuleBook().benefits;
const PROVINCE = '330000';
const SHANGHAI = '310000';
const JIANGSU = '320000';
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpBenefits>>;

async function newCase(outcome: 'recognised' | 'deemed' | 'not_recognised' | null) {
  const workerId = await insertWorker(t.db);
  const caseId = await insertCase(t.db, {
    workerId,
    employerId: f.employer.id,
    accidentDate: '2025-03-02',
    outcome: outcome ?? 'recognised',
  });
  // A case still under determination has no outcome and is not 'decided' (migration 0019's check).
  if (outcome === null)
    await t.db.query(
      `UPDATE cases SET status = 'applied', determination_outcome = NULL,
         determination_decided_on = NULL WHERE id = $1`,
      [caseId],
    );
  const r = await t.db.query('SELECT id_number FROM workers WHERE id = $1', [workerId]);
  return { caseId, idNumber: String(r.rows[0]?.['id_number']) };
}

function file(rows: readonly (readonly string[])[]): Uint8Array {
  const header =
    '结算流水号,身份证号码,工伤案件编号,就医省份,就医机构名称,费用类别,基金支付金额,结算日期';
  return new TextEncoder().encode([header, ...rows.map((r) => r.join(','))].join('\n'));
}

const clearing = (bytes: Uint8Array) =>
  importClearing(t.db, f.fundMaker, {
    province: PROVINCE,
    fileName: 'clearing-2025-07.csv',
    bytes,
    clearedOn: '2025-07-31',
    today: '2025-08-01',
  });

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-06', '2025-07']);
}, 60_000);
afterAll(() => t.cleanup());

describe('cross-province filing (备案)', () => {
  it('records a filing of an accepted case with its term from the dated parameter', async () => {
    const { caseId } = await newCase('deemed');
    const r = await recordFiling(t.db, f.maker, rules, {
      city: HZ,
      caseId,
      kind: 'referral',
      province: SHANGHAI,
      fromDate: '2025-06-01',
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ status: 'active', validUntil: '2025-11-30' });
    expect(r.value.validityCitation).toContain('17号');
    expect((await listFilings(t.db, { city: HZ, caseId, limit: 10 })).map((x) => x.id)).toEqual([
      r.value.id,
    ]);
  });

  it('refuses a case not accepted, an unknown case and our own province; nothing is written', async () => {
    const pending = await newCase(null);
    const refused = await newCase('not_recognised');
    const base = {
      city: HZ,
      kind: 'referral' as const,
      province: SHANGHAI,
      fromDate: '2025-06-01',
    };
    for (const c of [pending, refused]) {
      const r = await recordFiling(t.db, f.maker, rules, { ...base, caseId: c.caseId });
      expect(!r.ok && r.code).toBe('settlement.cross_province_case_not_accepted');
    }
    const other = await recordFiling(t.db, f.maker, rules, { ...base, caseId: 'cas_none' });
    expect(!other.ok && other.code).toBe('settlement.cross_province_case_not_found');
    const ours = await recordFiling(t.db, f.maker, rules, {
      ...base,
      caseId: pending.caseId,
      province: PROVINCE,
    });
    expect(!ours.ok && ours.code).toBe('settlement.cross_province_own_province');
    const n = await t.db.query(
      'SELECT count(*)::int AS n FROM settlement_xp_filings WHERE case_id = ANY($1::text[])',
      [[pending.caseId, refused.caseId]],
    );
    expect(n.rows[0]?.['n']).toBe(0);
  });

  it('refuses an overlap with another filing of the case; after revocation a later one is accepted', async () => {
    const { caseId } = await newCase('recognised');
    const base = { city: HZ, caseId, kind: 'long_term_residence' as const };
    const first = await recordFiling(t.db, f.maker, rules, {
      ...base,
      province: SHANGHAI,
      fromDate: '2025-06-01',
    });
    if (!first.ok) throw new Error(first.message);
    const overlap = await recordFiling(t.db, f.maker, rules, {
      ...base,
      province: JIANGSU,
      fromDate: '2026-05-31',
    });
    expect(!overlap.ok && overlap.code).toBe('settlement.cross_province_filing_overlap');
    expect(!overlap.ok && overlap.details).toMatchObject({ filingId: first.value.id });
    const revoked = await revokeFiling(t.db, f.maker, {
      city: HZ,
      filingId: first.value.id,
      on: '2025-07-01',
      reason: 'moved back',
    });
    expect(revoked.ok && revoked.value.coveredUntil).toBe('2025-06-30');
    const twice = await revokeFiling(t.db, f.maker, {
      city: HZ,
      filingId: first.value.id,
      on: '2025-07-02',
      reason: 'again',
    });
    expect(!twice.ok && twice.code).toBe('settlement.cross_province_filing_revoked');
    const later = await recordFiling(t.db, f.maker, rules, {
      ...base,
      province: JIANGSU,
      fromDate: '2025-07-01',
    });
    expect(later.ok).toBe(true);
  });
});

describe('cross-province advance (预付金): maker-checker', () => {
  const advance = {
    province: PROVINCE,
    advanceId: 'YF-2025-07',
    amountFen: 50_000_00,
    paidOn: '2025-07-01',
  };

  it('pays only an approved advance, exactly as approved, once; a retry posts nothing', async () => {
    const asked = await requestAdvance(t.db, f.fundMaker, {
      ...advance,
      policy: DEFAULT_APPROVAL_POLICY,
    });
    if (!asked.ok) throw new Error(asked.message);
    const early = await payAdvance(t.db, f.fundMaker, {
      ...advance,
      approvalId: asked.value.approvalId,
    });
    expect(!early.ok && early.code).toBe('approval.not_approved');
    const self = await decideApproval(t.db, f.fundMaker, {
      regionCode: PROVINCE,
      id: asked.value.approvalId,
      decision: 'approved',
    });
    expect(self.ok).toBe(false);
    const d = await decideApproval(t.db, f.fundChecker, {
      regionCode: PROVINCE,
      id: asked.value.approvalId,
      decision: 'approved',
    });
    expect(d.ok && d.value.status).toBe('approved');
    const more = await payAdvance(t.db, f.fundMaker, {
      ...advance,
      amountFen: advance.amountFen + 1,
      approvalId: asked.value.approvalId,
    });
    expect(!more.ok && more.code).toBe('approval.payload_mismatch');
    const paid = await payAdvance(t.db, f.fundMaker, {
      ...advance,
      approvalId: asked.value.approvalId,
    });
    expect(paid.ok && paid.value.replayed).toBe(false);
    const again = await payAdvance(t.db, f.fundMaker, {
      ...advance,
      approvalId: asked.value.approvalId,
    });
    expect(again.ok && again.value.replayed).toBe(true);
    const tb = await trialBalance(t.db, { segment: PROVINCE, asOf: '2025-07-31' });
    if (!tb.ok) throw new Error(tb.message);
    const advanceAccount = tb.value.rows.find((r) => r.account === '1132');
    expect(advanceAccount?.balanceFen).toBe(advance.amountFen);
    expect(await advanceBalanceFen(t.db, PROVINCE)).toBe(advance.amountFen);
  });

  it('refuses an advance at a city and a reused advance id with another amount', async () => {
    const city = await requestAdvance(t.db, f.fundMaker, {
      ...advance,
      province: HZ,
      policy: DEFAULT_APPROVAL_POLICY,
    });
    expect(!city.ok && city.code).toBe('settlement.cross_province_not_province');
    const reused = await requestAdvance(t.db, f.fundMaker, {
      ...advance,
      amountFen: 1,
      policy: DEFAULT_APPROVAL_POLICY,
    });
    expect(!reused.ok && reused.code).toBe('settlement.cross_province_advance_conflict');
  });
});

describe('cross-province clearing (费用清算)', () => {
  it('posts accepted rows in the case city and the province, every segment balanced; re-import is idempotent', async () => {
    const { caseId, idNumber } = await newCase('recognised');
    const filed = await recordFiling(t.db, f.maker, rules, {
      city: HZ,
      caseId,
      kind: 'long_term_residence',
      province: SHANGHAI,
      fromDate: '2025-06-01',
    });
    if (!filed.ok) throw new Error(filed.message);
    const rows = [
      [
        'SH-0001',
        idNumber,
        caseId,
        SHANGHAI,
        '上海市第六人民医院',
        'medical',
        '1200.50',
        '2025-07-10',
      ],
      ['SH-0002', idNumber, caseId, SHANGHAI, '上海市第六人民医院', 'device', '300', '2025-07-12'],
    ];
    const cityBefore = await trialBalance(t.db, { segment: HZ, asOf: '2025-07-31' });
    const r = await clearing(file(rows));
    if (!r.ok) throw new Error(`${r.message} ${JSON.stringify(r.details)}`);
    expect(r.value).toMatchObject({ replayed: false, rowCount: 2, clearedFen: 150_050 });
    expect(r.value.rows.map((x) => [x.status, x.city, x.filingId])).toEqual([
      ['cleared', HZ, filed.value.id],
      ['cleared', HZ, filed.value.id],
    ]);
    const city = await trialBalance(t.db, { segment: HZ, asOf: '2025-07-31' });
    const province = await trialBalance(t.db, { segment: PROVINCE, asOf: '2025-07-31' });
    if (!city.ok || !province.ok || !cityBefore.ok) throw new Error('trial balance');
    const at = (tb: typeof city, account: string) =>
      tb.value.rows.find((x) => x.account === account)?.balanceFen ?? 0;
    expect(at(city, '5101') - at(cityBefore, '5101')).toBe(120_050);
    expect(at(city, '5105') - at(cityBefore, '5105')).toBe(30_000);
    expect(at(city, `2151:${PROVINCE}`) - at(cityBefore, `2151:${PROVINCE}`)).toBe(150_050);
    expect(at(province, `1151:${HZ}`)).toBe(150_050);
    expect(city.value.totals.balanced && province.value.totals.balanced).toBe(true);
    expect((await checkLedger(t.db)).differences).toEqual([]);

    const replay = await clearing(file(rows));
    expect(replay.ok && replay.value).toMatchObject({
      replayed: true,
      clearingId: r.value.clearingId,
    });
    // Another file carrying a cleared row with the same content: skipped, nothing posted twice.
    const next = await clearing(file([rows[1]!]));
    expect(next.ok && next.value.rows.map((x) => x.status)).toEqual(['already_cleared']);
    expect(next.ok && next.value.clearedFen).toBe(0);
    const after = await trialBalance(t.db, { segment: HZ, asOf: '2025-07-31' });
    expect(after.ok && after.value.rows.find((x) => x.account === '5105')?.balanceFen).toBe(
      at(city, '5105'),
    );
  });
});

describe('cross-province clearing (费用清算): refusals', () => {
  it('refuses the whole file with a row report; nothing is posted', async () => {
    const { caseId, idNumber } = await newCase('recognised');
    const filed = await recordFiling(t.db, f.maker, rules, {
      city: HZ,
      caseId,
      kind: 'referral',
      province: SHANGHAI,
      fromDate: '2025-06-01',
    });
    if (!filed.ok) throw new Error(filed.message);
    const other = await newCase('recognised');
    const good = [
      'SH-1001',
      idNumber,
      caseId,
      SHANGHAI,
      '瑞金医院',
      'rehabilitation',
      '10',
      '2025-07-10',
    ];
    const bad = [
      good,
      ['SH-1002', idNumber, caseId, JIANGSU, '江苏省人民医院', 'medical', '10', '2025-07-10'],
      ['SH-1003', idNumber, caseId, SHANGHAI, '瑞金医院', 'food', '10', '2025-07-10'],
      ['SH-1004', other.idNumber, caseId, SHANGHAI, '瑞金医院', 'medical', '10', '2025-07-10'],
      [
        'SH-1005',
        other.idNumber,
        other.caseId,
        SHANGHAI,
        '瑞金医院',
        'medical',
        '10',
        '2025-07-10',
      ],
      ['SH-1006', idNumber, caseId, SHANGHAI, '瑞金医院', 'medical', '10', '2025-05-31'],
      ['SH-1007', idNumber, 'cas_none', SHANGHAI, '瑞金医院', 'medical', '10', '2025-07-10'],
      ['SH-1008', idNumber, caseId, PROVINCE, '浙一医院', 'medical', '10', '2025-07-10'],
      ['SH-1001', idNumber, caseId, SHANGHAI, '瑞金医院', 'rehabilitation', '10', '2025-07-10'],
    ];
    const before = await checkLedger(t.db);
    const r = await clearing(file(bad));
    expect(!r.ok && r.code).toBe('settlement.cross_province_clearing_invalid');
    const problems = !r.ok ? (r.details?.['problems'] as { row: number; code: string }[]) : [];
    // Parse problems first (a file is refused before it is matched), then matching problems.
    expect(problems.map((p) => [p.row, p.code])).toEqual([
      [3, 'category_not_covered'],
      [8, 'province_is_ours'],
      [9, 'serial_repeated'],
    ]);
    const fixed = bad.filter((_, i) => i !== 2 && i !== 7 && i !== 8);
    const m = await clearing(file(fixed));
    const matched = !m.ok ? (m.details?.['problems'] as { row: number; code: string }[]) : [];
    expect(matched.map((p) => [p.row, p.code])).toEqual([
      [2, 'no_active_filing'],
      [3, 'worker_mismatch'],
      [4, 'no_active_filing'],
      [5, 'no_active_filing'],
      [6, 'case_not_found'],
    ]);
    expect(JSON.stringify(matched)).not.toContain(idNumber);
    expect((await checkLedger(t.db)).transactions).toBe(before.transactions);
    const stored = await t.db.query(
      "SELECT count(*)::int AS n FROM settlement_xp_clearing_rows WHERE serial LIKE 'SH-10%'",
    );
    expect(stored.rows[0]?.['n']).toBe(0);
  });
});

describe('cross-province clearing (费用清算): row idempotency and scope', () => {
  it('a changed row under a serial already cleared is refused (serial_conflict)', async () => {
    const { caseId, idNumber } = await newCase('recognised');
    await recordFiling(t.db, f.maker, rules, {
      city: HZ,
      caseId,
      kind: 'referral',
      province: SHANGHAI,
      fromDate: '2025-06-01',
    });
    const row = ['SH-2001', idNumber, caseId, SHANGHAI, '华山医院', 'medical', '20', '2025-07-10'];
    expect((await clearing(file([row]))).ok).toBe(true);
    const changed = await clearing(file([[...row.slice(0, 6), '21', row[7]!]]));
    const problems = !changed.ok ? (changed.details?.['problems'] as { code: string }[]) : [];
    expect(problems.map((p) => p.code)).toEqual(['serial_conflict']);
  });

  it('refuses clearing at a city: it is the province fund’s', async () => {
    const r = await importClearing(t.db, f.fundMaker, {
      province: NB,
      fileName: 'x.csv',
      bytes: file([]),
      clearedOn: '2025-07-31',
      today: '2025-08-01',
    });
    expect(!r.ok && r.code).toBe('settlement.cross_province_not_province');
  });
});
