import { type IsoDate, isIsoDate } from '../../kernel/dates.ts';
import { yuanToFen } from '../contributions/collection-file.ts';
import type { DeclarationCell } from '../contributions/declaration-rows.ts';
import type { CatalogueKind } from './settlement-reference.ts';

/**
 * The rows of a catalogue file (工伤保险目录: 药品, 诊疗项目, 康复项目, 辅助器具), checked one by one;
 * the file is taken whole or not at all, so every problem of every row is reported at once (row,
 * column, code, message in Chinese and English). Cells come from the declarations' readers (CSV in
 * UTF-8 or GBK, xlsx), money through the collections' exact 元 → 分 parser.
 */
export type CatalogueColumn =
  | 'code'
  | 'kind'
  | 'name'
  | 'drug_class'
  | 'unit'
  | 'price_cap'
  | 'quantity_limit'
  | 'valid_from'
  | 'valid_to';

export type CatalogueProblem = {
  /** 1-based row of the sheet (the header is row 1); 0 for the file as a whole. */
  row: number;
  column: CatalogueColumn | null;
  code: string;
  zh: string;
  en: string;
};

export type CatalogueRowInput = {
  row: number;
  code: string;
  kind: CatalogueKind;
  name: string;
  drugClass: 'A' | 'B' | null;
  unit: string;
  priceCapFen: number | null;
  quantityLimit: number | null;
  validFrom: IsoDate;
  validTo: IsoDate | null;
};

const HEADERS: Readonly<Record<string, CatalogueColumn>> = {
  code: 'code',
  编码: 'code',
  项目编码: 'code',
  kind: 'kind',
  类别: 'kind',
  name: 'name',
  名称: 'name',
  drug_class: 'drug_class',
  甲乙类: 'drug_class',
  unit: 'unit',
  单位: 'unit',
  price_cap: 'price_cap',
  '最高限价(元)': 'price_cap',
  最高限价: 'price_cap',
  quantity_limit: 'quantity_limit',
  限量: 'quantity_limit',
  valid_from: 'valid_from',
  开始日期: 'valid_from',
  valid_to: 'valid_to',
  结束日期: 'valid_to',
};

const REQUIRED: readonly CatalogueColumn[] = ['code', 'kind', 'name', 'unit', 'valid_from'];

const KINDS: Readonly<Record<string, CatalogueKind>> = {
  drug: 'drug',
  药品: 'drug',
  service: 'service',
  诊疗项目: 'service',
  rehabilitation: 'rehabilitation',
  康复项目: 'rehabilitation',
  device: 'device',
  辅助器具: 'device',
};

const CLASSES: Readonly<Record<string, 'A' | 'B'>> = {
  甲: 'A',
  甲类: 'A',
  A: 'A',
  乙: 'B',
  乙类: 'B',
  B: 'B',
};

export const CATALOGUE_ROWS_MAX = 100_000;

export function catalogueProblem(
  row: number,
  column: CatalogueColumn | null,
  code: string,
  zh: string,
  en: string,
): CatalogueProblem {
  return { row, column, code, zh, en };
}

/** The columns' positions from the header row, or the problems of a header that lacks some. */
export function catalogueHeader(
  cells: readonly DeclarationCell[],
): { ok: true; at: Map<CatalogueColumn, number> } | { ok: false; problems: CatalogueProblem[] } {
  const at = new Map<CatalogueColumn, number>();
  cells.forEach((cell, i) => {
    const text = cell.kind === 'text' ? cell.text.trim() : '';
    const column = HEADERS[text] ?? HEADERS[text.toLowerCase()];
    if (column !== undefined && !at.has(column)) at.set(column, i);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (missing.length === 0) return { ok: true, at };
  return {
    ok: false,
    problems: missing.map((c) =>
      catalogueProblem(1, c, 'column_missing', `表头缺少“${c}”列`, `the header row lacks ${c}`),
    ),
  };
}

/** A cell as trimmed text ('' when empty); a formula or an unreadable cell is null. */
function cellText(cell: DeclarationCell | undefined): string | null {
  if (cell === undefined || cell.kind === 'empty') return '';
  if (cell.kind === 'text') return cell.text.trim();
  if (cell.kind === 'number') return String(cell.value);
  return null;
}

type Reader = {
  row: number;
  cells: readonly DeclarationCell[];
  at: Map<CatalogueColumn, number>;
  problems: CatalogueProblem[];
};

function text(r: Reader, column: CatalogueColumn): string {
  const i = r.at.get(column);
  const value = cellText(i === undefined ? undefined : r.cells[i]);
  if (value !== null) return value;
  r.problems.push(
    catalogueProblem(
      r.row,
      column,
      'formula_refused',
      '不接受公式或无法读取的单元格',
      'a formula or unreadable cell is not accepted: type the value',
    ),
  );
  return '';
}

function bad(r: Reader, column: CatalogueColumn, code: string, zh: string, en: string): null {
  r.problems.push(catalogueProblem(r.row, column, code, zh, en));
  return null;
}

function required(r: Reader, column: CatalogueColumn, max: number): string | null {
  const value = text(r, column);
  if (value === '')
    return bad(r, column, 'value_missing', `“${column}”不能为空`, `${column} is empty`);
  if ([...value].length > max)
    return bad(
      r,
      column,
      'value_too_long',
      `“${column}”超过${max}个字符`,
      `${column} is longer than ${max} characters`,
    );
  return value;
}

function dateOf(r: Reader, column: CatalogueColumn, value: string): IsoDate | null {
  if (isIsoDate(value)) return value;
  return bad(r, column, 'date_invalid', '日期格式应为 YYYY-MM-DD', 'a date is written YYYY-MM-DD');
}

function codeOf(r: Reader): string | null {
  const code = required(r, 'code', 40);
  if (code === null || /^[A-Za-z0-9._-]{1,40}$/.test(code)) return code;
  return bad(
    r,
    'code',
    'code_invalid',
    '编码只能含字母、数字和 . _ -',
    'a code holds letters, digits and . _ - only',
  );
}

function kindOf(r: Reader): CatalogueKind | null {
  const value = required(r, 'kind', 20);
  if (value === null) return null;
  return (
    KINDS[value] ??
    bad(
      r,
      'kind',
      'kind_unknown',
      '类别应为 药品/诊疗项目/康复项目/辅助器具',
      'kind is drug, service, rehabilitation or device',
    )
  );
}

function drugClassOf(r: Reader, kind: CatalogueKind | null): 'A' | 'B' | null {
  const value = text(r, 'drug_class');
  if (kind !== 'drug') {
    if (value !== '')
      bad(
        r,
        'drug_class',
        'drug_class_not_drug',
        '只有药品有甲乙类',
        'only a drug has a class 甲/乙',
      );
    return null;
  }
  return (
    CLASSES[value] ??
    bad(
      r,
      'drug_class',
      'drug_class_invalid',
      '药品须注明甲类或乙类',
      'a drug is class 甲 (A) or 乙 (B)',
    )
  );
}

function capOf(r: Reader): number | null {
  const value = text(r, 'price_cap');
  if (value === '') return null;
  const fen = yuanToFen(value);
  if (fen !== null && fen > 0) return fen;
  return bad(
    r,
    'price_cap',
    'price_cap_invalid',
    '最高限价应为正数，最多两位小数（元）',
    'price_cap is a positive amount in yuan with at most 2 decimals',
  );
}

function limitOf(r: Reader): number | null {
  const value = text(r, 'quantity_limit');
  if (value === '') return null;
  if (/^[1-9]\d{0,8}$/.test(value)) return Number(value);
  return bad(
    r,
    'quantity_limit',
    'quantity_limit_invalid',
    '限量应为正整数',
    'quantity_limit is a positive whole number',
  );
}

function datesOf(r: Reader): { validFrom: IsoDate | null; validTo: IsoDate | null } {
  const from = required(r, 'valid_from', 10);
  const validFrom = from === null ? null : dateOf(r, 'valid_from', from);
  const to = text(r, 'valid_to');
  const validTo = to === '' ? null : dateOf(r, 'valid_to', to);
  if (validFrom !== null && validTo !== null && validTo < validFrom)
    bad(r, 'valid_to', 'dates_reversed', '结束日期早于开始日期', 'valid_to is before valid_from');
  return { validFrom, validTo };
}

/** One data row: the item, or its problems added to `problems`. */
export function catalogueRow(
  row: number,
  cells: readonly DeclarationCell[],
  at: Map<CatalogueColumn, number>,
  problems: CatalogueProblem[],
): CatalogueRowInput | null {
  const r: Reader = { row, cells, at, problems: [] };
  const code = codeOf(r);
  const kind = kindOf(r);
  const name = required(r, 'name', 200);
  const drugClass = drugClassOf(r, kind);
  const unit = required(r, 'unit', 20);
  const priceCapFen = capOf(r);
  const quantityLimit = limitOf(r);
  const { validFrom, validTo } = datesOf(r);
  problems.push(...r.problems);
  if (r.problems.length > 0 || !code || !kind || !name || !unit || !validFrom) return null;
  return { row, code, kind, name, drugClass, unit, priceCapFen, quantityLimit, validFrom, validTo };
}

/** Two rows of one file for the same code and start date: the second is refused. */
export function duplicateProblems(items: readonly CatalogueRowInput[]): CatalogueProblem[] {
  const seen = new Map<string, number>();
  const problems: CatalogueProblem[] = [];
  for (const item of items) {
    const key = `${item.code}|${item.validFrom}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, item.row);
    else
      problems.push(
        catalogueProblem(
          item.row,
          'code',
          'duplicate_row',
          `与第${first}行的编码和开始日期重复`,
          `same code and valid_from as row ${first}`,
        ),
      );
  }
  return problems;
}
