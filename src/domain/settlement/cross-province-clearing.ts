import { type IsoDate, isIsoDate } from '../../kernel/dates.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import type { Fen } from '../../kernel/money.ts';
import { isProvinceCode } from '../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import {
  csvRows,
  decodeText,
  type RowProblem,
  yuanToFen,
} from '../contributions/collection-file.ts';

/**
 * The national system's monthly clearing file of cross-province care (费用清算,
 * docs/settlement-cross-province.md, "Clearing file"): CSV, UTF-8 (BOM or not) or GBK, a header
 * row, one settlement a row. Pure: bytes in, rows or every problem out. The file is read with the
 * project's one CSV tokenizer (collection-file.ts `csvRows`); this module only knows the columns.
 * A file with any bad row is refused whole; the use case adds the problems it finds against the
 * database (case, filing, earlier clearings) to the same list.
 */
export type ClearingCategory = 'medical' | 'rehabilitation' | 'device';

export const CLEARING_CATEGORIES: readonly ClearingCategory[] = [
  'medical',
  'rehabilitation',
  'device',
];

/**
 * What the national system clears, as data: 住院工伤医疗费, 住院工伤康复费 and 辅助器具配置费
 * (人社部发〔2025〕17号, secondary: docs/settlement.md §5). The food allowance (住院伙食补助费) and a
 * referral's travel and lodging (交通食宿费) are not cleared: the home agency reimburses them to the
 * worker, so a row naming them is refused.
 */
export const NOT_CLEARED_CATEGORIES: Readonly<Record<string, string>> = {
  food: '住院伙食补助费 is reimbursed by the home agency, not cleared',
  hospital_food: '住院伙食补助费 is reimbursed by the home agency, not cleared',
  travel: '交通食宿费 is reimbursed by the home agency, not cleared',
  travel_for_treatment: '交通食宿费 is reimbursed by the home agency, not cleared',
};

/** The expense account of each category, in the case's city segment (accounts.ts). */
export const CLEARING_EXPENSE_ACCOUNT: Readonly<Record<ClearingCategory, string>> = {
  medical: '5101',
  rehabilitation: '5104',
  device: '5105',
};

export type ClearingRowInput = {
  rowNumber: number;
  /** The treating province's settlement serial: with the province, the row's key. */
  serial: string;
  idNumber: string;
  caseId: string;
  treatingProvince: string;
  institutionName: string;
  category: ClearingCategory;
  amountFen: Fen;
  settledOn: IsoDate;
};

export type ClearingFileRefusal = 'settlement.cross_province_clearing_invalid';

type Column =
  | 'serial'
  | 'id_number'
  | 'case_id'
  | 'treating_province'
  | 'institution'
  | 'category'
  | 'amount'
  | 'settled_on';

const HEADERS: Readonly<Record<string, Column>> = {
  结算流水号: 'serial',
  serial: 'serial',
  身份证号码: 'id_number',
  id_number: 'id_number',
  工伤案件编号: 'case_id',
  case_id: 'case_id',
  就医省份: 'treating_province',
  treating_province: 'treating_province',
  就医机构名称: 'institution',
  institution: 'institution',
  费用类别: 'category',
  category: 'category',
  基金支付金额: 'amount',
  amount: 'amount',
  结算日期: 'settled_on',
  settled_on: 'settled_on',
};
const COLUMNS: readonly Column[] = [
  'serial',
  'id_number',
  'case_id',
  'treating_province',
  'institution',
  'category',
  'amount',
  'settled_on',
];

/** A month of one province's clearing stays well under this; a bigger file is split by the sender. */
export const CLEARING_FILE_BYTES_MAX = 20 * 1024 * 1024;
export const CLEARING_ROWS_MAX = 20_000;
/** 1 000 万元 in fen: one settlement above it is a typing error, not a stay. */
const AMOUNT_FEN_MAX = 1_000_000_000;

export function clearingFileInvalid(problems: readonly RowProblem[]) {
  return refuse(
    'settlement.cross_province_clearing_invalid',
    `${problems.length} problem(s) in the clearing file; nothing was imported`,
    { problems: [...problems] },
  );
}

function headerOf(cells: readonly string[]): Result<Map<Column, number>, ClearingFileRefusal> {
  const at = new Map<Column, number>();
  cells.forEach((cell, i) => {
    const column = HEADERS[cell.trim().toLowerCase()] ?? HEADERS[cell.trim()];
    if (column !== undefined && !at.has(column)) at.set(column, i);
  });
  const missing = COLUMNS.filter((c) => !at.has(c));
  if (missing.length === 0) return ok(at);
  return clearingFileInvalid(
    missing.map((c) => ({
      row: 0,
      column: c,
      code: 'column_missing',
      message: `column ${c} is missing (docs/settlement-cross-province.md lists the header)`,
    })),
  );
}

function categoryOf(text: string, bad: (code: string, message: string) => void) {
  const category = CLEARING_CATEGORIES.find((c) => c === text);
  if (category !== undefined) return category;
  const reason = NOT_CLEARED_CATEGORIES[text];
  if (reason !== undefined) bad('category_not_covered', reason);
  else bad('category_invalid', '费用类别 must be medical, rehabilitation or device');
  return null;
}

type Get = (c: Column) => string;

function recordOf(
  rowNumber: number,
  get: Get,
  ownProvince: string,
  today: IsoDate,
  problems: RowProblem[],
): ClearingRowInput | null {
  const before = problems.length;
  const bad = (column: Column) => (code: string, message: string) =>
    problems.push({ row: rowNumber, column, code, message });
  const serial = get('serial');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(serial))
    bad('serial')('serial_invalid', '结算流水号 must be 1–40 letters, digits, _ or -');
  const id = checkCitizenId(get('id_number'), today);
  if (!id.valid) bad('id_number')('id_number_invalid', `身份证号码 fails GB 11643 (${id.reason})`);
  const caseId = get('case_id');
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(caseId))
    bad('case_id')('case_id_invalid', '工伤案件编号 must be 1–60 letters, digits, _ or -');
  const province = get('treating_province');
  if (!isProvinceCode(province) || province === '000000')
    bad('treating_province')(
      'province_invalid',
      '就医省份 must be a province code (6 digits ending 0000)',
    );
  else if (province === ownProvince)
    bad('treating_province')(
      'province_is_ours',
      'treatment in our own province is not cross-province',
    );
  const institutionName = get('institution');
  if (institutionName.length < 1 || institutionName.length > 200)
    bad('institution')('institution_invalid', '就医机构名称 must be 1–200 characters');
  const category = categoryOf(get('category'), bad('category'));
  const amountFen = yuanToFen(get('amount'));
  if (amountFen === null || amountFen <= 0 || amountFen > AMOUNT_FEN_MAX)
    bad('amount')(
      'amount_invalid',
      '基金支付金额 must be yuan > 0, at most 2 decimals, at most 1 000 万元',
    );
  const settledOn = get('settled_on');
  if (!isIsoDate(settledOn) || settledOn > today)
    bad('settled_on')(
      'settled_on_invalid',
      '结算日期 must be a date YYYY-MM-DD, not in the future',
    );
  if (problems.length > before || !id.valid || category === null || amountFen === null) return null;
  const idNumber = id.normalised;
  return {
    rowNumber,
    serial,
    idNumber,
    caseId,
    treatingProvince: province,
    institutionName,
    category,
    amountFen,
    settledOn,
  };
}

/** Parses and checks a whole file: every row, or every problem (and nothing to store). */
export function parseClearingFile(
  bytes: Uint8Array,
  ownProvince: string,
  today: IsoDate,
): Result<ClearingRowInput[], ClearingFileRefusal> {
  if (bytes.length > CLEARING_FILE_BYTES_MAX)
    return refuse(
      'settlement.cross_province_clearing_invalid',
      `the file is larger than ${CLEARING_FILE_BYTES_MAX} bytes: split it`,
    );
  const [header, ...data] = csvRows(decodeText(bytes).replace(/^\uFEFF/, ''));
  if (header === undefined)
    return refuse(
      'settlement.cross_province_clearing_invalid',
      'the file is empty: a header row is required',
    );
  const at = headerOf(header);
  if (!at.ok) return at;
  if (data.length === 0 || data.length > CLEARING_ROWS_MAX)
    return refuse(
      'settlement.cross_province_clearing_invalid',
      `the file must hold 1 to ${CLEARING_ROWS_MAX} rows: split it or fill it`,
    );
  const problems: RowProblem[] = [];
  const rows: ClearingRowInput[] = [];
  const seen = new Map<string, number>();
  data.forEach((cells, i) => {
    const get = (c: Column) => (cells[at.value.get(c) ?? -1] ?? '').trim();
    const r = recordOf(i + 1, get, ownProvince, today, problems);
    if (r === null) return;
    const key = `${r.treatingProvince}:${r.serial}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        row: i + 1,
        column: 'serial',
        code: 'serial_repeated',
        message: `结算流水号 ${r.serial} of ${r.treatingProvince} is also on row ${first}`,
      });
    else seen.set(key, i + 1);
    rows.push(r);
  });
  if (problems.length > 0) return clearingFileInvalid(problems);
  return ok(rows);
}
