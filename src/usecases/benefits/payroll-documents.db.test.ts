import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { readFixedFile } from '../../domain/benefits/payroll-fixed-file.ts';
import { payrollRunId } from '../../domain/benefits/payroll-lines.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { HZ, POLICY } from '../contributions/testing.ts';
import { approvePayrollRun } from './payroll-approve.ts';
import { issueFixedWidthFile, issuePaymentFile } from './payroll-file.ts';
import { payrollRunView } from './payroll-read.ts';
import { payrollReconciliationReport } from './payroll-reconciliation-report.ts';
import { importBankReturn } from './payroll-return.ts';
import { startPayrollRun } from './payroll-run.ts';
import { linePage } from './payroll-store.ts';
import { insertEntitlement, insertWorker, setUpBenefits } from './testing.ts';

/**
 * The payment file's fixed-width GBK twin and the run's reconciliation report, by hand (fen):
 * 2025-09 pays W1 伤残津贴 680 000 + 生活护理费 270 000 to 张三's account, W2 伤残津贴 450 000 to
 * 买买提·艾力's, and holds W3's 600 000 (no card account): 4 lines, 2 000 000; the file sends 3,
 * 1 400 000. The bank confirms W1's 伤残津贴 (680 000), fails W2's (450 000) and leaves W1's 生活护理费
 * unanswered (270 000): 2102 keeps 2 000 000 − 680 000 = 1 320 000. From 2025-10 W2's card is in
 * 𠮷田's name (𠮷 U+20BB7 is not in GBK) and W3 has one: 2025-10 reissues W2's failed and W3's held
 * line (1 050 000) beside its own 4 month lines (2 000 000), and its fixed file is refused.
 */
const rules = testRuleBook().benefits;
const SEP = payrollRunId(HZ, '2025-09');
const OCT = payrollRunId(HZ, '2025-10');

type Fixture = Awaited<ReturnType<typeof setUpBenefits>>;
let t: TestDatabase;
let f: Fixture;
const w: string[] = [];

async function card(db: Database, workerId: string, validFrom: string, no: string, name: string) {
  await db.query(
    `INSERT INTO social_security_card_accounts (worker_id, valid_from, bank_name, account_number,
       account_name, recorded_by) VALUES ($1, $2::date, '中国工商银行杭州西湖支行', $3, $4, 'test')`,
    [workerId, validFrom, no, name],
  );
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpBenefits(t.db, rules, ['2025-09', '2025-10']);
  for (let n = 0; n < 3; n += 1) w.push(await insertWorker(t.db));
  const [w1 = '', w2 = '', w3 = ''] = w;
  const ent = (n: number, workerId: string, kind: string, amountFen: number) =>
    insertEntitlement(t.db, {
      employerId: f.employer.id,
      workerId,
      entitlementId: `ent_${HZ}_${String(n).padStart(16, '0')}`,
      kind,
      amountFen,
      startsOn: '2025-04-01',
    });
  await ent(1, w1, 'disability_allowance', 680_000);
  await ent(2, w1, 'nursing_allowance', 270_000);
  await ent(3, w2, 'disability_allowance', 450_000);
  await ent(4, w3, 'disability_allowance', 600_000);
  await card(t.db, w1, '2024-01-01', '6222000000010001', '张三');
  await card(t.db, w2, '2024-01-01', '6222000000020001', '买买提·艾力');
  await card(t.db, w2, '2025-10-01', '6222000000020002', '𠮷田');
  await card(t.db, w3, '2025-10-01', '6222000000030001', '李四');
  await runAndApprove(t.db, '2025-09');
}, 120_000);
afterAll(async () => {
  await t.cleanup();
});

async function runAndApprove(db: Database, month: string) {
  const started = await startPayrollRun(
    db,
    f.maker,
    rules,
    { regionCode: HZ, month },
    { policy: POLICY },
  );
  if (!started.ok) throw new Error(started.message);
  const on = `${month}-18`;
  const approved = await approvePayrollRun(db, f.checker, rules, {
    regionCode: HZ,
    runId: started.value.id,
    on,
  });
  if (!approved.ok) throw new Error(approved.message);
}

async function fixedFile(runId: string) {
  const parts: Uint8Array[] = [];
  const r = await issueFixedWidthFile(t.db, f.maker, { regionCode: HZ, runId }, (c) => {
    parts.push(c);
  });
  return { r, bytes: Buffer.concat(parts) };
}

async function csvFile(runId: string) {
  const chunks: string[] = [];
  const r = await issuePaymentFile(t.db, f.maker, { regionCode: HZ, runId }, (c) => {
    chunks.push(c);
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.value, text: chunks.join('') };
}

async function fileEvents(runId: string) {
  const r = await t.db.query(
    `SELECT details::text AS details FROM audit_events
     WHERE action = 'benefits.payroll.file' AND object = $1 ORDER BY seq`,
    [`payroll-run/${HZ}/${runId}`],
  );
  return r.rows.map((row) => String(row['details']));
}

const line = async (runId: string, entitlement: number, reissue = false) => {
  const lines = await t.db.withConnection((ex) =>
    linePage(ex, { regionCode: HZ, runId, afterId: '', limit: 100 }),
  );
  const found = lines.find(
    (l) => l.entitlementId.endsWith(`${entitlement}`) && (l.reissueOf !== null) === reissue,
  );
  if (found === undefined) throw new Error(`no line of entitlement ${entitlement}`);
  return found;
};

describe('the fixed-width GBK payment file', () => {
  it('carries the CSV’s lines in its order; byte-identical and the same sha256 when issued again', async () => {
    const first = await fixedFile(SEP);
    if (!first.r.ok) throw new Error(first.r.message);
    const sha256 = createHash('sha256').update(first.bytes).digest('hex');
    expect(first.r.value).toMatchObject({
      sha256,
      lines: 3,
      totalFen: 1_400_000,
      format: 'fixed-gbk',
    });
    expect(first.bytes.length).toBe(4 * 324);
    const file = readFixedFile(first.bytes);
    expect(file.header).toEqual({
      runId: SEP,
      regionCode: HZ,
      month: '2025-09',
      lines: 3,
      totalFen: 1_400_000,
    });
    const csv = await csvFile(SEP);
    const rows = csv.text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((r) => r.split(','));
    expect(
      file.details.map((d) => [
        d.id,
        SEP,
        '2025-09',
        d.workerId,
        d.kind,
        d.accountName,
        d.bankName,
        d.accountNumber,
        String(d.amountFen),
      ]),
    ).toEqual(rows.map((r) => r.slice(0, 9)));
    expect(file.details.map((d) => d.sequence)).toEqual([1, 2, 3]);
    expect(file.details.find((d) => d.amountFen === 450_000)?.accountName).toBe('买买提·艾力');
    // The run keeps the CSV's hash whichever format was issued first.
    expect(first.r.value.runFileSha256).toBe(csv.sha256);
    const run = await payrollRunView(t.db, { regionCode: HZ, runId: SEP });
    expect(run.ok && run.value).toMatchObject({ status: 'file_issued', fileSha256: csv.sha256 });
    const again = await fixedFile(SEP);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(again.r.ok && again.r.value.sha256).toBe(sha256);
    const events = await fileEvents(SEP);
    const fixed = events.filter((e) => /"format": ?"fixed-gbk"/.test(e));
    expect(fixed.length).toBeGreaterThanOrEqual(2);
    expect(fixed.every((e) => e.includes(sha256))).toBe(true);
    expect(events.some((e) => /"format": ?"csv"/.test(e) && e.includes(csv.sha256))).toBe(true);
  });
});

/** The summary sheet's figure rows (label → [lines, fen] per kind and total) and ledger rows. */
async function summaryOf(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const ws = wb.getWorksheet('对账汇总');
  if (ws === undefined) throw new Error('no summary sheet');
  const figures = new Map<string, unknown[]>();
  ws.eachRow((row) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    const [label, ...rest] = values;
    if (typeof label === 'string') figures.set(label, rest);
  });
  return { figures, sheets: wb.worksheets.map((s) => s.name) };
}

async function report(runId: string, format: 'xlsx' | 'pdf') {
  const r = await payrollReconciliationReport(t.db, f.maker, { regionCode: HZ, runId, format });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('the reconciliation report', () => {
  it('after a return with one failure and one unanswered line: figures per kind, 2102 beside them', async () => {
    await fixedFile(SEP);
    const paid = await line(SEP, 1);
    const failed = await line(SEP, 3);
    const text = [
      'line_id,status,bank_reference,paid_on,reason',
      `${paid.id},paid,BK0001,2025-09-20,`,
      `${failed.id},failed,,,户名不符`,
      '',
    ].join('\n');
    const back = await importBankReturn(t.db, f.maker, { regionCode: HZ, runId: SEP, text });
    if (!back.ok) throw new Error(back.message);
    const xlsx = await report(SEP, 'xlsx');
    const { figures, sheets } = await summaryOf(xlsx.bytes);
    expect(sheets).toEqual(['对账汇总', '未确认明细']);
    expect(figures.get('项目')).toEqual([
      '伤残津贴 笔数',
      '伤残津贴 金额(分)',
      '生活护理费 笔数',
      '生活护理费 金额(分)',
      '合计 笔数',
      '合计 金额(分)',
    ]);
    // [伤残津贴 lines, fen, 生活护理费 lines, fen, total lines, fen]
    expect(figures.get('本月明细')).toEqual([3, 1_730_000, 1, 270_000, 4, 2_000_000]);
    expect(figures.get('已发送')).toEqual([2, 1_130_000, 1, 270_000, 3, 1_400_000]);
    expect(figures.get('银行确认')).toEqual([1, 680_000, 0, 0, 1, 680_000]);
    expect(figures.get('银行失败')).toEqual([1, 450_000, 0, 0, 1, 450_000]);
    expect(figures.get('已发送未回盘')).toEqual([0, 0, 1, 270_000, 1, 270_000]);
    expect(figures.get('暂缓（无账户，未发送）')).toEqual([1, 600_000, 0, 0, 1, 600_000]);
    expect(figures.get('待发送（未出支付文件）')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(figures.get('2102 应付待遇款 贷方（审核入账）')).toEqual([2_000_000]);
    expect(figures.get('2102 借方（银行确认）')).toEqual([680_000]);
    expect(figures.get('2102 本批次余额（账）')).toEqual([1_320_000]);
    expect(figures.get('按明细推算余额（本月明细 − 银行确认）')).toEqual([1_320_000]);
    expect(figures.get('差额（账 − 明细）')).toEqual([0]);
    const again = await report(SEP, 'xlsx');
    expect(again.sha256).toBe(xlsx.sha256);
    const pdf = await report(SEP, 'pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.bytes.includes(Buffer.from(SEP))).toBe(true);
    expect(pdf.fileName).toBe(`${SEP}-reconciliation.pdf`);
    const audited = await t.db.query(
      `SELECT count(*)::int AS n FROM audit_events
       WHERE action = 'benefits.payroll.reconciliation' AND object = $1`,
      [`payroll-run/${HZ}/${SEP}`],
    );
    expect(Number(audited.rows[0]?.['n'])).toBeGreaterThanOrEqual(3);
  });
});

describe('the reconciliation report of the next run', () => {
  it('the next run reissues the failed and the held line: both reports show it', async () => {
    await runAndApprove(t.db, '2025-10');
    const sep = await summaryOf((await report(SEP, 'xlsx')).bytes);
    expect(sep.figures.get('由后续批次补发')).toEqual([2, 1_050_000, 0, 0, 2, 1_050_000]);
    const oct = await summaryOf((await report(OCT, 'xlsx')).bytes);
    expect(oct.figures.get('本月明细')).toEqual([3, 1_730_000, 1, 270_000, 4, 2_000_000]);
    expect(oct.figures.get('补发明细（前期失败）')).toEqual([2, 1_050_000, 0, 0, 2, 1_050_000]);
    expect(oct.figures.get('待发送（未出支付文件）')).toEqual([
      5, 2_780_000, 1, 270_000, 6, 3_050_000,
    ]);
    expect(oct.figures.get('已发送')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(oct.figures.get('2102 本批次余额（账）')).toEqual([2_000_000]);
    expect(oct.figures.get('差额（账 − 明细）')).toEqual([0]);
  });
});

describe('the fixed-width file of a name GBK cannot carry', () => {
  it('a name GBK cannot carry refuses the fixed file naming its lines; nothing is issued; the CSV still is', async () => {
    const month = await line(OCT, 3);
    const reissue = await line(OCT, 3, true);
    const refused = await fixedFile(OCT);
    expect(refused.r.ok ? 'ok' : refused.r.code).toBe('benefit.payroll_fixed_file_unfit');
    if (refused.r.ok) return;
    expect(refused.r.details).toEqual({
      lineCount: 2,
      problems: [month.id, reissue.id].sort().map((lineId) => ({
        lineId,
        field: 'account_name',
        reason: 'unencodable',
        characters: ['U+20BB7'],
        widthBytes: 60,
      })),
    });
    expect(refused.r.message).not.toContain('𠮷田');
    const run = await payrollRunView(t.db, { regionCode: HZ, runId: OCT });
    expect(run.ok && run.value).toMatchObject({ status: 'approved', fileSha256: null });
    expect(await fileEvents(OCT)).toEqual([]);
    const csv = await csvFile(OCT);
    expect(csv).toMatchObject({ lines: 6, totalFen: 3_050_000 });
    expect(csv.text).toContain(',𠮷田,');
  });
});
