/**
 * The problems of a payroll declaration file (缴费工资申报), each with its code and its message in
 * Chinese and English. A file with any problem is refused whole; the problems are its report (row,
 * column, code, 说明, message). No message carries an ID number or any other cell's value: the
 * report is kept, downloaded and may be forwarded, and the uploader has the file to look at.
 */
export type DeclarationColumn = 'id_number' | 'name' | 'wage';

export type FileProblemCode =
  | 'declaration.file_empty'
  | 'declaration.file_too_large'
  | 'declaration.too_many_rows'
  | 'declaration.format_unsupported'
  | 'declaration.bad_encoding'
  | 'declaration.malformed'
  | 'declaration.header_missing'
  | 'declaration.header_duplicate'
  | 'declaration.no_rows'
  | 'declaration.month_in_future'
  | 'declaration.month_before_registration';

export type RowProblemCode =
  | 'declaration.id_number_missing'
  | 'declaration.id_number_numeric'
  | 'declaration.id_number_invalid'
  | 'declaration.id_number_duplicate'
  | 'declaration.name_missing'
  | 'declaration.name_too_long'
  | 'declaration.wage_missing'
  | 'declaration.wage_not_a_number'
  | 'declaration.wage_negative'
  | 'declaration.wage_absurd'
  | 'declaration.formula_refused'
  | 'declaration.worker_not_registered'
  | 'declaration.worker_not_employed'
  | 'declaration.name_mismatch';

export type DeclarationProblemCode = FileProblemCode | RowProblemCode;

/** One line of the report: `row` is the 1-based data row (header not counted), null for the file. */
export type DeclarationProblem = {
  row: number | null;
  column: DeclarationColumn | null;
  code: DeclarationProblemCode;
  zh: string;
  en: string;
};

/** The largest file read (1 M rows of three columns are about 50 MB). */
export const DECLARATION_FILE_BYTES_MAX = 64 * 1024 * 1024;
/** The most data rows in one file (a province's largest employer has far fewer workers). */
export const DECLARATION_ROWS_MAX = 1_200_000;
/** Problems kept in a refused upload's report; the count of all of them is kept beside. */
export const DECLARATION_PROBLEMS_KEPT = 10_000;

export const COLUMN_LABELS: Record<DeclarationColumn, { zh: string; en: string }> = {
  id_number: { zh: '公民身份号码', en: 'id_number' },
  name: { zh: '姓名', en: 'name' },
  wage: { zh: '缴费工资', en: 'wage' },
};

/** A problem of the whole file (no row, no column unless a header names one). */
export function fileProblem(
  code: FileProblemCode,
  zh: string,
  en: string,
  column: DeclarationColumn | null = null,
): DeclarationProblem {
  return { row: null, column, code, zh, en };
}

const ROW_MESSAGES: Record<RowProblemCode, { zh: string; en: string }> = {
  'declaration.id_number_missing': {
    zh: '公民身份号码为空，请填写18位号码',
    en: 'the ID number is empty: enter the 18 characters',
  },
  'declaration.id_number_numeric': {
    zh: '公民身份号码被存成了数字，末几位已丢失；请将该列设置为文本格式后重新录入',
    en: 'the ID number is stored as a number, the last digits are lost; format the column as text and re-enter',
  },
  'declaration.id_number_invalid': {
    zh: '公民身份号码不符合GB 11643（长度、出生日期或校验码有误），请核对',
    en: 'the ID number fails GB 11643 (length, birth date or check character): check it',
  },
  'declaration.id_number_duplicate': {
    zh: '公民身份号码在本文件中重复出现，每名职工只能申报一行',
    en: 'the ID number appears more than once in this file: one row per worker',
  },
  'declaration.name_missing': { zh: '姓名为空', en: 'the name is empty' },
  'declaration.name_too_long': {
    zh: '姓名超过50个字符',
    en: 'the name is longer than 50 characters',
  },
  'declaration.wage_missing': { zh: '缴费工资为空', en: 'the wage is empty' },
  'declaration.wage_not_a_number': {
    zh: '缴费工资不是金额：请填写元，最多两位小数，如 8500.00',
    en: 'the wage is not an amount: write yuan with up to 2 decimals, e.g. 8500.00',
  },
  'declaration.wage_negative': { zh: '缴费工资为负数', en: 'the wage is negative' },
  'declaration.wage_absurd': {
    zh: '缴费工资超过每月一千万元，请核对单位（元）',
    en: 'the wage is above 10,000,000 yuan a month: check the unit (yuan)',
  },
  'declaration.formula_refused': {
    zh: '单元格以 = + - @ 开头或是公式，不予接受；请填写数值本身',
    en: 'the cell starts with = + - @ or is a formula, which is refused: enter the value itself',
  },
  'declaration.worker_not_registered': {
    zh: '该公民身份号码的职工未参保登记，请先办理增员',
    en: 'no worker with this ID number is registered: record the hire (增员) first',
  },
  'declaration.worker_not_employed': {
    zh: '该职工在申报月份不在本单位参保（无覆盖该月的增员记录）',
    en: 'the worker is not employed by this employer in the declared month (no spell covers it)',
  },
  'declaration.name_mismatch': {
    zh: '姓名与本单位职工名册登记的姓名不一致，请核对该行的号码与姓名',
    en: 'the name differs from the name on this employer’s roster: check the row’s number and name',
  },
};

/** A problem of one data row and column, with the code's standard messages. */
export function rowProblem(
  row: number,
  column: DeclarationColumn,
  code: RowProblemCode,
): DeclarationProblem {
  const m = ROW_MESSAGES[code];
  return { row, column, code, zh: m.zh, en: m.en };
}
