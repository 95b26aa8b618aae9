import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Database } from '../src/db/client.ts';
import type { DeclarationLine } from '../src/domain/registry/synthetic/synthetic-payroll.ts';
import { employerMonths } from '../src/domain/registry/synthetic/synthetic-payroll.ts';
import {
  planSyntheticProvince,
  type SyntheticPlan,
} from '../src/domain/registry/synthetic/synthetic-plan.ts';
import {
  type SyntheticEmployer,
  syntheticEmployer,
} from '../src/domain/registry/synthetic/synthetic-province.ts';
import { systemActor } from '../src/identity/actor.ts';
import type { RuleSet } from '../src/rules/parameters/model.ts';
import { testDemoProvince } from '../src/runtime/testing.ts';
import { generateSyntheticProvince } from '../src/usecases/registry/generate-province.ts';
import {
  csvLine,
  DECLARATION_FILE_HEADER,
  yuanText,
} from '../src/usecases/registry/synthetic-province-files.ts';

/**
 * Fixtures of the contributions benchmarks: a synthetic register loaded set-based by `tongchou
 * generate --into-db`'s use case (spells with the no-overlap trigger checked once, not per row), and
 * declaration files written from the generator's own payroll, so every row passes the import's
 * checks.
 */
export const HZ = '330100';
export const BENCH_SEED = 20261205;

/** The province and its cities as region rows (what `tongchou init` writes). */
export async function insertRegions(db: Database): Promise<void> {
  const province = testDemoProvince();
  await db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ($1, $2, $3, 'province')`,
    [province.code, province.name, province.nameEn],
  );
  for (const c of province.cities)
    await db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $3, 'city', $4)`,
      [c.code, c.name, c.nameEn, province.code],
    );
}

/** Generates and loads a register of `employers` / `workers` in 杭州; returns the plan and ms. */
export async function loadRegister(
  db: Database,
  rules: RuleSet,
  size: { employers: number; workers: number; months: number; from: string },
): Promise<{ plan: SyntheticPlan; loadMs: number }> {
  await insertRegions(db);
  const config = { seed: BENCH_SEED, ...size, cities: [{ code: HZ, name: '杭州市' }] };
  const plan = planSyntheticProvince(config, rules);
  if (!plan.ok) throw new Error(plan.message);
  const started = performance.now();
  const out = await generateSyntheticProvince(db, systemActor('bench-generate'), rules, {
    config,
    intoDb: true,
  });
  if (!out.ok) throw new Error(out.message);
  await db.query('ANALYZE');
  return { plan: plan.value, loadMs: performance.now() - started };
}

/**
 * A generated month of employer 0 (`fromEnd` 0 = its last declared month, 1 = the one before) and
 * its first `rows` declaration lines.
 */
export function monthLines(
  plan: SyntheticPlan,
  rules: RuleSet,
  rows: number,
  fromEnd = 0,
): { employer: SyntheticEmployer; month: string; lines: DeclarationLine[] } {
  const employer = syntheticEmployer(plan, 0);
  const months: string[] = [];
  for (const m of employerMonths(plan, rules, employer)) months.push(m.month.month);
  const wanted = months[months.length - 1 - fromEnd];
  if (wanted === undefined)
    throw new Error(`the generated employer declared ${months.length} months`);
  for (const m of employerMonths(plan, rules, employer))
    if (m.month.month === wanted) return { employer, month: wanted, lines: m.lines.slice(0, rows) };
  throw new Error(`month ${wanted} vanished`);
}

/** The lines as a declaration CSV (UTF-8, header 公民身份号码,姓名,缴费工资, wages in yuan). */
export async function writeDeclarationCsv(
  path: string,
  lines: readonly DeclarationLine[],
): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let buffer = csvLine(DECLARATION_FILE_HEADER);
  for (const l of lines) {
    buffer += csvLine([l.idNumber, l.name, yuanText(l.wageFen)]);
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** The lines as an .xlsx through exceljs's streaming writer (ID numbers as text, wages as numbers). */
export async function writeDeclarationXlsx(
  path: string,
  lines: readonly DeclarationLine[],
): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = book.addWorksheet('申报');
  sheet.addRow([...DECLARATION_FILE_HEADER]).commit();
  for (const l of lines) sheet.addRow([l.idNumber, l.name, l.wageFen / 100]).commit();
  sheet.commit();
  await book.commit();
}

/** Rows and cells of the file's first sheet through exceljs's streaming reader, as the import opens it. */
export async function readAllCells(path: string): Promise<{ rows: number; cells: number }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let rows = 0;
  let cells = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      rows += 1;
      for (let c = 1; c <= row.cellCount; c++) if (row.getCell(c).value !== undefined) cells += 1;
    }
    break;
  }
  return { rows, cells };
}

/** Samples the resident set every 100 ms while `run` runs: its idle value and the peak above it. */
export async function withRssSampled<T>(
  run: () => Promise<T>,
): Promise<{ value: T; idleMb: number; growthMb: number }> {
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, idleMb: idle / 2 ** 20, growthMb: (peak - idle) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
