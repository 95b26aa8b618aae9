import { createWriteStream, mkdirSync, type WriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CollectionRecord,
  type DeclarationLine,
  syntheticEmployerMonths,
} from '../../domain/registry/synthetic/synthetic-payroll.ts';
import type { SyntheticPlan } from '../../domain/registry/synthetic/synthetic-plan.ts';
import {
  syntheticEmployers,
  syntheticSpells,
  syntheticWorkers,
} from '../../domain/registry/synthetic/synthetic-province.ts';
import { csvCell } from '../../kernel/csv.ts';
import { formatYuanPlain } from '../../kernel/money.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';

/**
 * Writes a synthetic province as CSV files under a directory, streaming: each file is appended to
 * in buffered chunks with back-pressure, so memory stays flat whatever the size. UTF-8 without a
 * BOM, LF line ends, no quoting needed (no generated field holds a comma, quote or line break) but
 * applied if one ever does. The same plan writes the same bytes.
 */

export const DECLARATION_FILE_HEADER = ['公民身份号码', '姓名', '缴费工资'] as const;
export const COLLECTION_FILE_HEADER = [
  '税票号',
  '统一社会信用代码',
  '费款所属期',
  '实缴金额',
  '入库日期',
] as const;

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvCell).join(',')}\n`;
}

/** Yuan with two decimals and no separators, as the tax bureau's and the declaration files write them. */
export const yuanText = formatYuanPlain;

const FLUSH_CHARS = 1 << 20;

/** A CSV file written in 1 MiB chunks, each awaited before the next (back-pressure). */
class CsvFile {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private chars = 0;
  rows = 0;

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.buffer.push(csvLine(header));
  }

  async add(fields: readonly string[]): Promise<void> {
    const line = csvLine(fields);
    this.buffer.push(line);
    this.chars += line.length;
    this.rows += 1;
    if (this.chars >= FLUSH_CHARS) await this.flush();
  }

  private flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.chars = 0;
    return new Promise((done, fail) =>
      this.stream.write(chunk, (err) => (err ? fail(err) : done())),
    );
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((done) => this.stream.end(done));
  }
}

export type FileCounts = {
  employers: number;
  workers: number;
  spells: number;
  declarations: number;
  declarationLines: number;
  collections: number;
};

async function writeRegister(plan: SyntheticPlan, dir: string) {
  const employers = new CsvFile(join(dir, 'employers.csv'), [
    'id',
    'region_code',
    'credit_code',
    'name',
    'address',
    'industry_standard',
    'industry_division',
    'category',
    'registered_on',
  ]);
  for (const e of syntheticEmployers(plan))
    await employers.add([
      e.id,
      e.regionCode,
      e.creditCode,
      e.name,
      e.address,
      'GB/T 4754-2017',
      e.division,
      e.category,
      e.registeredOn,
    ]);
  await employers.close();
  const workers = new CsvFile(join(dir, 'workers.csv'), [
    'id',
    'id_number',
    'name',
    'sex',
    'birth_date',
  ]);
  for (const w of syntheticWorkers(plan))
    await workers.add([w.id, w.idNumber, w.name, w.sex, w.birthDate]);
  await workers.close();
  const spells = new CsvFile(join(dir, 'spells.csv'), [
    'id',
    'region_code',
    'employer_id',
    'worker_id',
    'worker_name',
    'start_date',
    'end_date',
  ]);
  for (const s of syntheticSpells(plan))
    await spells.add([
      s.id,
      s.regionCode,
      s.employerId,
      s.workerId,
      s.workerName,
      s.startDate,
      s.endDate ?? '',
    ]);
  await spells.close();
  return { employers: employers.rows, workers: workers.rows, spells: spells.rows };
}

function declarationRow(line: DeclarationLine): string[] {
  return [line.idNumber, line.name, yuanText(line.wageFen)];
}

function collectionRow(c: CollectionRecord): string[] {
  return [c.voucher, c.creditCode, c.month, yuanText(c.amountFen), c.paidOn];
}

/**
 * declarations.csv, collections/<region>.csv, and with `perEmployerFiles` one file per employer-month.
 * A record the tax bureau sends twice (`duplicate_voucher`) goes to collections/<region>-resent.csv,
 * a later file: within one file a repeated 税票号 refuses the whole file (`voucher_repeated`), so a
 * re-sent record can only arrive in another file, where the import reports it as a duplicate.
 */
async function writePayroll(
  plan: SyntheticPlan,
  rules: RuleSet,
  dir: string,
  perEmployerFiles: boolean,
) {
  const all = new CsvFile(join(dir, 'declarations.csv'), [
    'credit_code',
    'month',
    ...DECLARATION_FILE_HEADER,
  ]);
  mkdirSync(join(dir, 'collections'), { recursive: true });
  const byRegion = new Map<string, CsvFile>();
  for (const city of plan.config.cities)
    byRegion.set(
      city.code,
      new CsvFile(join(dir, 'collections', `${city.code}.csv`), COLLECTION_FILE_HEADER),
    );
  const resent = new Map<string, CsvFile>();
  const resentFile = (region: string) => {
    const file =
      resent.get(region) ??
      new CsvFile(join(dir, 'collections', `${region}-resent.csv`), COLLECTION_FILE_HEADER);
    resent.set(region, file);
    return file;
  };
  let declarations = 0;
  let collections = 0;
  for (const em of syntheticEmployerMonths(plan, rules)) {
    declarations += 1;
    for (const line of em.lines)
      await all.add([em.employer.creditCode, em.month.month, ...declarationRow(line)]);
    for (const c of em.collections) {
      const file =
        c.kind === 'duplicate_voucher' ? resentFile(c.regionCode) : byRegion.get(c.regionCode);
      await file?.add(collectionRow(c));
      collections += 1;
    }
    if (perEmployerFiles) {
      const folder = join(dir, 'declarations', em.employer.creditCode);
      mkdirSync(folder, { recursive: true });
      const text = [DECLARATION_FILE_HEADER, ...em.lines.map(declarationRow)].map(csvLine).join('');
      writeFileSync(join(folder, `${em.month.month}.csv`), text, 'utf8');
    }
  }
  await all.close();
  for (const file of [...byRegion.values(), ...resent.values()]) await file.close();
  return { declarations, declarationLines: all.rows, collections };
}

/** Writes every file of the synthetic province under `dir` (created if missing). */
export async function writeSyntheticProvinceFiles(
  plan: SyntheticPlan,
  rules: RuleSet,
  options: { dir: string; perEmployerFiles: boolean },
): Promise<FileCounts> {
  mkdirSync(options.dir, { recursive: true });
  const register = await writeRegister(plan, options.dir);
  const payroll = await writePayroll(plan, rules, options.dir, options.perEmployerFiles);
  return { ...register, ...payroll };
}
