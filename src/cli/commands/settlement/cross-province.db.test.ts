import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackend } from '../../../db/testing.ts';
import { runCliInProcess } from '../../testing.ts';

/** `tongchou settlement cross-province …` on a file-backed PGlite directory (migrated on open). */
const dir = mkdtempSync(join(tmpdir(), 'tc-cli-cross-province-'));
const env = { ...process.env, TONGCHOU_DATA_DIR: dir, DATABASE_URL: '' };
const cli = (args: string[]) => runCliInProcess(['settlement', 'cross-province', ...args], env);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(testBackend === 'pglite')('settlement cross-province commands', () => {
  it('refuses a clearing file with a bad row (exit 3, the row report on stdout) and bad options (exit 2)', async () => {
    const file = join(dir, 'clearing.csv');
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
});
