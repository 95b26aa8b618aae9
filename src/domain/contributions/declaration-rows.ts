import type { IsoDate } from '../../kernel/dates.ts';
import { checkCitizenId } from '../../kernel/ids.ts';
import {
  type DeclarationColumn,
  type DeclarationProblem,
  fileProblem,
  type RowProblemCode,
  rowProblem,
} from './declaration-problems.ts';

/**
 * One data row of a declaration file checked on its own (the checks needing the register or the
 * other rows are set-based, in the use case): the ID number by GB 11643, the name, the wage in yuan
 * with up to two decimals, and no cell that a spreadsheet would run as a formula.
 */

/** A cell as read: CSV cells are all text; an xlsx cell keeps its type (a number, a formula…). */
export type DeclarationCell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'formula' }
  | { kind: 'other' };

/** A row that passed every check of its own: the number normalised, the wage in fen. */
export type DeclaredLine = { row: number; idNumber: string; name: string; wageFen: number };

/** Where each column is in the file (0-based). */
export type ColumnIndex = Record<DeclarationColumn, number>;

/** A wage above 10,000,000 元 a month is a unit slip (fen typed as yuan), not a wage. */
export const DECLARATION_WAGE_MAX_FEN = 1_000_000_000;
const NAME_CHARS_MAX = 50;

const HEADER_NAMES: Record<DeclarationColumn, readonly string[]> = {
  id_number: ['公民身份号码', '身份证号码', '身份证号', 'id_number', 'idnumber'],
  name: ['姓名', 'name'],
  wage: ['缴费工资', '缴费工资(元)', 'wage', 'wage_yuan'],
};
const COLUMNS: readonly DeclarationColumn[] = ['id_number', 'name', 'wage'];

function headerKey(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** The columns named by a header row (Chinese or English names; other columns are ignored). */
export function matchHeader(
  header: readonly string[],
): { ok: true; columns: ColumnIndex } | { ok: false; problems: DeclarationProblem[] } {
  const found: Partial<ColumnIndex> = {};
  const problems: DeclarationProblem[] = [];
  header.forEach((cell, i) => {
    const key = headerKey(cell);
    const column = COLUMNS.find((c) => HEADER_NAMES[c].includes(key));
    if (column === undefined) return;
    if (found[column] !== undefined)
      problems.push(
        fileProblem(
          'declaration.header_duplicate',
          `表头中“${HEADER_NAMES[column][0]}”列出现了两次`,
          `the header names the ${column} column twice`,
          column,
        ),
      );
    else found[column] = i;
  });
  for (const column of COLUMNS)
    if (found[column] === undefined)
      problems.push(
        fileProblem(
          'declaration.header_missing',
          `表头缺少“${HEADER_NAMES[column][0]}”列（第一行须为表头：公民身份号码、姓名、缴费工资）`,
          `the header lacks the ${column} column (the first row must be the header: id_number, name, wage)`,
          column,
        ),
      );
  const { id_number, name, wage } = found;
  if (problems.length > 0 || id_number === undefined || name === undefined || wage === undefined)
    return { ok: false, problems };
  return { ok: true, columns: { id_number, name, wage } };
}

/** Text a spreadsheet would run as a formula (OWASP CSV injection: = + - @, tab, CR first). */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text);
}

type Checked<T> = { ok: true; value: T } | { ok: false; code: RowProblemCode };
const no = (code: RowProblemCode): { ok: false; code: RowProblemCode } => ({ ok: false, code });

function checkIdNumber(cell: DeclarationCell, today: IsoDate): Checked<string> {
  if (cell.kind === 'number') return no('declaration.id_number_numeric');
  if (cell.kind === 'formula') return no('declaration.formula_refused');
  if (cell.kind === 'other') return no('declaration.id_number_invalid');
  const text = cell.kind === 'text' ? cell.text.trim() : '';
  if (text === '') return no('declaration.id_number_missing');
  if (looksLikeFormula(text)) return no('declaration.formula_refused');
  // 3.30106E+17: a CSV written from a number cell; the digits after the 15th are gone.
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(text)) return no('declaration.id_number_numeric');
  const check = checkCitizenId(text, today);
  return check.valid ? { ok: true, value: check.normalised } : no('declaration.id_number_invalid');
}

function checkName(cell: DeclarationCell): Checked<string> {
  if (cell.kind === 'formula') return no('declaration.formula_refused');
  if (cell.kind === 'other') return no('declaration.name_missing');
  const text =
    cell.kind === 'text' ? cell.text.trim() : cell.kind === 'number' ? String(cell.value) : '';
  if (text === '') return no('declaration.name_missing');
  if (looksLikeFormula(text)) return no('declaration.formula_refused');
  if ([...text].length > NAME_CHARS_MAX) return no('declaration.name_too_long');
  return { ok: true, value: text };
}

/** Yuan text → fen: digits (optionally grouped by commas) with up to two decimals. */
export function yuanTextToFen(text: string): Checked<number> {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (m === null) return no('declaration.wage_not_a_number');
  const yuan = (m[1] ?? '').replaceAll(',', '').replace(/^0+(?=\d)/, '');
  if (yuan.length > 8) return no('declaration.wage_absurd');
  const fen = Number(yuan) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen > DECLARATION_WAGE_MAX_FEN) return no('declaration.wage_absurd');
  return { ok: true, value: fen };
}

function checkWage(cell: DeclarationCell): Checked<number> {
  if (cell.kind === 'formula') return no('declaration.formula_refused');
  if (cell.kind === 'other') return no('declaration.wage_not_a_number');
  if (cell.kind === 'empty') return no('declaration.wage_missing');
  if (cell.kind === 'number') {
    if (!Number.isFinite(cell.value)) return no('declaration.wage_not_a_number');
    if (cell.value < 0) return no('declaration.wage_negative');
    // The shortest text that reads back as the same double: 8500.1 → "8500.1", never 8500.0999….
    return yuanTextToFen(String(cell.value));
  }
  const text = cell.text.trim();
  if (text === '') return no('declaration.wage_missing');
  if (/^-\s*[\d.,]+$/.test(text)) return no('declaration.wage_negative');
  if (looksLikeFormula(text)) return no('declaration.formula_refused');
  return yuanTextToFen(text);
}

/** Checks one data row (`row` 1-based, header not counted); a line only when nothing is wrong. */
export function checkRow(
  row: number,
  cellAt: (column: DeclarationColumn) => DeclarationCell,
  today: IsoDate,
): { line: DeclaredLine | null; problems: DeclarationProblem[] } {
  const id = checkIdNumber(cellAt('id_number'), today);
  const name = checkName(cellAt('name'));
  const wage = checkWage(cellAt('wage'));
  const problems: DeclarationProblem[] = [];
  if (!id.ok) problems.push(rowProblem(row, 'id_number', id.code));
  if (!name.ok) problems.push(rowProblem(row, 'name', name.code));
  if (!wage.ok) problems.push(rowProblem(row, 'wage', wage.code));
  if (!id.ok || !name.ok || !wage.ok) return { line: null, problems };
  return { line: { row, idNumber: id.value, name: name.value, wageFen: wage.value }, problems };
}

/** True when every cell of the row is empty (a blank line is skipped, but keeps its number). */
export function isBlankRow(cells: readonly DeclarationCell[]): boolean {
  return cells.every((c) => c.kind === 'empty' || (c.kind === 'text' && c.text.trim() === ''));
}

/** A CSV field as a cell: all text, empty when blank. */
export function textCell(text: string): DeclarationCell {
  return text === '' ? { kind: 'empty' } : { kind: 'text', text };
}
