import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideApproval } from '../../../usecases/approvals/approvals.ts';
import { payrollActorOf } from '../../../usecases/benefits/payroll-actor.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/**
 * `tongchou settlement cross-province …` on a database of its own (`cliTestsHere`), migrated on
 * open.
 */
const cdb = cliDatabaseForFile('tc-cli-cross-province-');
const cli = (args: string[]) => runCliInProcess(['settlement', 'cross-province', ...args], cdb.env);
const json = (out: string) => JSON.parse(out) as Record<string, unknown>;
/** The fields an input problem (exit 2) names. */
const fields = (out: string) =>
  (JSON.parse(out) as { errors: { path: string }[] }).errors.map((e) => e.path);

/** An accepted case of 杭州 and an open month of the province segment, from the demo seed. */
async function seeded(): Promise<{ caseId: string; month: string }> {
  await seedDemoCopy(cdb.env);
  const db = await cdb.open();
  try {
    const c = await db.query(
      `SELECT id FROM cases WHERE region_code = '330100'
         AND determination_outcome IN ('recognised', 'deemed') ORDER BY id LIMIT 1`,
    );
    const open = await db.query(
      `SELECT to_char(p.month, 'YYYY-MM') AS m FROM ledger_periods p
         JOIN ledger_segments s ON s.id = p.segment_id
       WHERE s.code = '330000' AND p.status = 'open' ORDER BY p.month DESC LIMIT 1`,
    );
    return { caseId: String(c.rows[0]?.['id']), month: String(open.rows[0]?.['m']) };
  } finally {
    await db.close();
  }
}

/** The checker's side, as the approvals route decides it: another user than the maker. */
async function approveAs(username: string, approvalId: string): Promise<void> {
  const db = await cdb.open();
  try {
    const checker = await payrollActorOf(db, {
      username,
      permission: 'fund:approve',
      regionCode: '330000',
    });
    if (checker === null) throw new Error(`${username} cannot approve`);
    const d = await decideApproval(db, checker, {
      regionCode: '330000',
      id: approvalId,
      decision: 'approved',
    });
    expect(d.ok && d.value.status).toBe('approved');
  } finally {
    await db.close();
  }
}

async function filings(caseId: string): Promise<void> {
  const where = ['--region', '330100'];
  const add = ['filings', 'add', ...where, '--case', caseId, '--kind', 'referral'];
  const bad = await cli([...add, '--province', '31', '--from', '2025-06-31', '--as', 'hz.handler']);
  expect([bad.code, fields(bad.out)]).toEqual([2, ['province', 'from']]);
  const stranger = await cli([
    ...add,
    '--province',
    '310000',
    '--from',
    '2025-06-01',
    '--as',
    'province.fund',
  ]);
  expect([stranger.code, json(stranger.out)['code']]).toEqual([3, 'auth.forbidden']);
  const made = await cli([
    ...add,
    '--province',
    '310000',
    '--from',
    '2025-06-01',
    '--as',
    'hz.handler',
  ]);
  expect(made.code, made.err).toBe(0);
  const filing = json(made.out);
  expect(filing).toMatchObject({ caseId, status: 'active', province: '310000' });
  const listed = await cli(['filings', ...where, '--case', caseId]);
  expect([listed.code, JSON.parse(listed.out).map((f: { id: string }) => f.id)]).toEqual([
    0,
    [filing['id']],
  ]);
  const revoked = await cli([
    'filings',
    'revoke',
    ...where,
    '--filing',
    String(filing['id']),
    '--on',
    '2025-07-01',
    '--reason',
    '返回参保地治疗',
    '--as',
    'hz.handler',
  ]);
  expect(revoked.code, revoked.err).toBe(0);
  expect(json(revoked.out)).toMatchObject({ status: 'revoked', revokedOn: '2025-07-01' });
}

async function advances(month: string): Promise<void> {
  const payload = [
    '--province',
    '330000',
    '--advance-id',
    'YF-CLI-1',
    '--amount-fen',
    '5000000',
    '--paid-on',
    `${month}-01`,
    '--as',
    'province.fund',
  ];
  const bad = await cli([
    'advances',
    'request',
    ...payload.slice(0, 5),
    '12x',
    ...payload.slice(6),
  ]);
  expect([bad.code, fields(bad.out)]).toEqual([2, ['amountFen']]);
  const asked = await cli(['advances', 'request', ...payload]);
  expect(asked.code, asked.err).toBe(0);
  const approvalId = String(json(asked.out)['approvalId']);
  const pay = ['advances', 'pay', ...payload, '--approval', approvalId];
  const early = await cli(pay);
  expect([early.code, json(early.out)['code']]).toEqual([3, 'approval.not_approved']);
  await approveAs('province.supervisor', approvalId);
  const paid = await cli(pay);
  expect(paid.code, paid.err).toBe(0);
  expect(json(paid.out)).toMatchObject({ advanceId: 'YF-CLI-1', replayed: false });
  const again = await cli(pay);
  expect([again.code, json(again.out)['replayed']]).toEqual([0, true]);
  const listed = await cli(['advances', 'list', '--province', '330000', '--as', 'province.fund']);
  expect(listed.code, listed.err).toBe(0);
  const view = JSON.parse(listed.out) as { advances: { advanceId: string }[] };
  expect(view.advances.map((a) => a.advanceId)).toEqual(['YF-CLI-1']);
  expect(view).toMatchObject({ advanceBalanceFen: 5_000_000 });
}

describe.runIf(cliTestsHere)('settlement cross-province commands', () => {
  it('refuses a clearing file with a bad row (exit 3, the row report on stdout) and bad options (exit 2)', async () => {
    const file = join(cdb.dir, 'clearing.csv');
    writeFileSync(
      file,
      '结算流水号,身份证号码,工伤案件编号,就医省份,就医机构名称,费用类别,基金支付金额,结算日期\n' +
        'SH-1,11010519491231002X,cas_x,310000,医院,food,10,2025-07-01\n',
    );
    const r = await cli([
      'clearing',
      '--province',
      '330000',
      '--file',
      file,
      '--cleared-on',
      '2025-07-31',
    ]);
    const out = JSON.parse(r.out) as { code: string; details: { problems: { code: string }[] } };
    expect([r.code, out.code]).toEqual([3, 'settlement.cross_province_clearing_invalid']);
    expect(out.details.problems.map((p) => p.code)).toEqual(['category_not_covered']);
    const bad = await cli(['clearing', '--province', '33', '--file', file, '--cleared-on', 'x']);
    expect(bad.code).toBe(2);
    const listed = await cli(['filings', '--region', '330100']);
    expect([listed.code, JSON.parse(listed.out)]).toEqual([0, []]);
  }, 120_000);

  it('files, lists and revokes; asks for an advance, pays it once approved by another, once', async () => {
    const { caseId, month } = await seeded();
    expect(caseId).toMatch(/^cas_/);
    await filings(caseId);
    await advances(month);
  }, 300_000);
});
