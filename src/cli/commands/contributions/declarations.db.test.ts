import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../../../db/rows.ts';
import { holdsIdNumber } from '../../../identity/masking.ts';
import { cliDatabaseForFile, cliTestsHere, runCliInProcess, seedDemoCopy } from '../../testing.ts';

/** `tongchou contributions declare | declaration-report` as an operator runs them. */
const cdb = cliDatabaseForFile('tc-cli-declare-');
const EMPLOYER = `emp_330100_${'1'.padStart(16, '0')}`;

/** The seeded demo is a copy of the run's one real seed (seedDemoCopy); the commands run in this process. */
const cli = (args: string[]) => runCliInProcess(args, cdb.env);

/** The demo employer's roster in 2024-07, read straight from the seeded data directory. */
async function roster(): Promise<string[][]> {
  const db = await cdb.open();
  try {
    const r = await db.query(
      `SELECT w.id_number, s.worker_name FROM employment_spells s JOIN workers w ON w.id = s.worker_id
        WHERE s.employer_id = $1 AND s.start_date <= '2024-07-31'
          AND (s.end_date IS NULL OR s.end_date >= '2024-07-01') ORDER BY s.worker_name`,
      [EMPLOYER],
    );
    return withColumns(r, { id_number: textOf, worker_name: textOf }).rows.map((x) => [
      x.id_number,
      x.worker_name,
    ]);
  } finally {
    await db.close();
  }
}

describe.runIf(cliTestsHere)('tongchou contributions declare', () => {
  it('refuses a bad file (exit 3) with a report, accepts the fixed one (0), names bad options (2)', async () => {
    await seedDemoCopy(cdb.env);
    const rows = await roster();
    const file = join(cdb.dir, 'july.csv');
    const lines = rows.map(([id, name]) => `${id},${name},6500`);
    const duplicate = `${rows[0]![0]},${rows[0]![1]},6500`;
    const bad = [...lines, ',,', duplicate, `${rows[1]![0]},=1+1,1`].join('\n');
    writeFileSync(file, `公民身份号码,姓名,缴费工资\n${bad}\n`);
    const args = ['contributions', 'declare', '--employer', EMPLOYER, '--month', '2024-07'];
    const refusedRun = await cli([...args, '--file', file]);
    expect(refusedRun.code, refusedRun.err).toBe(3);
    const refusal = JSON.parse(refusedRun.out) as {
      code: string;
      details: { importId: string; problems: { row: number; code: string }[] };
    };
    expect(refusal.code).toBe('declaration.refused');
    // Rows: the roster, a blank line, the duplicate, the formula (the blank keeps its number).
    expect(refusal.details.problems.map((p) => `${p.row}:${p.code}`)).toEqual([
      `${rows.length + 2}:declaration.id_number_duplicate`,
      `${rows.length + 3}:declaration.formula_refused`,
    ]);
    expect(holdsIdNumber(refusedRun.out + refusedRun.err)).toBe(false);
    const out = join(cdb.dir, 'report.xlsx');
    const report = await cli([
      'contributions',
      'declaration-report',
      '--import',
      refusal.details.importId,
      '--out',
      out,
    ]);
    expect(report.code, report.err).toBe(0);
    expect(JSON.parse(report.out)).toMatchObject({ outcome: 'refused', problemCount: 2 });
    // The workbook itself is read back in the use case's tests (exceljs is not the CLI's to import).
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    writeFileSync(file, `公民身份号码,姓名,缴费工资\n${lines.join('\n')}\n`);
    const good = await cli([...args, '--file', file]);
    expect(good.code, good.err).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ status: 'accepted', declaration: { version: 1 } });
    expect(JSON.parse((await cli([...args, '--file', file])).out)).toMatchObject({
      status: 'exists',
    });
    const wrong = await cli([
      'contributions',
      'declare',
      '--employer',
      'x',
      '--month',
      '2024-13',
      '--file',
      file,
    ]);
    expect(wrong.code).toBe(2);
    expect(
      (JSON.parse(wrong.out) as { errors: { path: string }[] }).errors.map((e) => e.path).sort(),
    ).toEqual(['employer', 'month']);
  }, 240_000);
});
