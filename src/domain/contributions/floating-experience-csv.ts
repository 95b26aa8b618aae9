import { checkCreditCode } from '../../kernel/ids.ts';

/**
 * The experience file (docs/contributions.md, "Experience import"): UTF-8 CSV, one employer-year a
 * line, under exactly this header —
 *
 *   credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount
 *
 * amounts in integer fen, counts as whole numbers. Every problem of every row is reported (row
 * number as a spreadsheet shows it: the header is row 1), so a province fixes its export once;
 * the parse reads no store (whether the employer is registered is the use case's check).
 */
export const EXPERIENCE_COLUMNS = [
  'credit_code',
  'year',
  'contributions_fen',
  'benefit_costs_fen',
  'injuries',
  'average_headcount',
] as const;

export type ExperienceColumn = (typeof EXPERIENCE_COLUMNS)[number] | '(file)';

export type ExperienceRow = {
  row: number;
  creditCode: string;
  year: number;
  contributionsFen: number;
  benefitCostsFen: number;
  injuries: number;
  averageHeadcount: number;
};

export type ExperienceProblem = {
  row: number;
  column: ExperienceColumn;
  code:
    | 'header'
    | 'columns'
    | 'credit_code'
    | 'number'
    | 'year'
    | 'duplicate'
    | 'employer'
    | 'size';
  message: string;
};

/** A limit on everything: one city's history for three years is far below this. */
export const EXPERIENCE_ROWS_MAX = 200_000;
const AMOUNT_FEN_MAX = 1e15;
const COUNT_MAX = 10_000_000;

function cells(line: string): string[] {
  // The layout has no text fields, so a comma never sits inside a value; quotes an export may add
  // around each value are dropped.
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

function wholeNumber(
  text: string,
  max: number,
): { ok: true; value: number } | { ok: false; why: string } {
  if (!/^\d+$/.test(text)) return { ok: false, why: `"${text}" is not a whole number ≥ 0` };
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value > max)
    return { ok: false, why: `${text} is above the largest accepted (${max})` };
  return { ok: true, value };
}

type RowParse = { row: ExperienceRow | null; problems: ExperienceProblem[] };

function parseRow(values: string[], row: number, lastYear: number): RowParse {
  const problems: ExperienceProblem[] = [];
  if (values.length !== EXPERIENCE_COLUMNS.length)
    return {
      row: null,
      problems: [
        {
          row,
          column: '(file)',
          code: 'columns',
          message: `${values.length} values; the layout has ${EXPERIENCE_COLUMNS.length}: ${EXPERIENCE_COLUMNS.join(',')}`,
        },
      ],
    };
  const [code = '', ...numbers] = values;
  const credit = checkCreditCode(code);
  if (!credit.valid)
    problems.push({
      row,
      column: 'credit_code',
      code: 'credit_code',
      message: `not a valid 统一社会信用代码 (${credit.reason}); check the 18 characters`,
    });
  const parsed: number[] = [];
  EXPERIENCE_COLUMNS.slice(1).forEach((column, i) => {
    const isAmount = column.endsWith('_fen');
    const n = wholeNumber(numbers[i] ?? '', isAmount ? AMOUNT_FEN_MAX : COUNT_MAX);
    if (!n.ok) problems.push({ row, column, code: 'number', message: n.why });
    else parsed.push(n.value);
  });
  const [year = 0, contributionsFen = 0, benefitCostsFen = 0, injuries = 0, headcount = 0] = parsed;
  if (parsed.length === 5 && (year < 1990 || year > lastYear))
    problems.push({
      row,
      column: 'year',
      code: 'year',
      message: `${year} is not a past year (1990–${lastYear}): experience is of years already closed`,
    });
  if (problems.length > 0 || !credit.valid) return { row: null, problems };
  return {
    row: {
      row,
      creditCode: credit.normalised,
      year,
      contributionsFen,
      benefitCostsFen,
      injuries,
      averageHeadcount: headcount,
    },
    problems,
  };
}

/**
 * Every row of the file, or every problem in it. `lastYear` is the latest year accepted (the year
 * before the import's date: a year still running has no closed figures).
 */
export function parseExperienceCsv(
  text: string,
  lastYear: number,
): { rows: ExperienceRow[]; problems: ExperienceProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const header = cells(lines[0] ?? '').join(',');
  if (header !== EXPERIENCE_COLUMNS.join(','))
    return {
      rows: [],
      problems: [
        {
          row: 1,
          column: '(file)',
          code: 'header',
          message: `the first line must be exactly "${EXPERIENCE_COLUMNS.join(',')}" (got "${header.slice(0, 120)}")`,
        },
      ],
    };
  if (lines.length - 1 > EXPERIENCE_ROWS_MAX)
    return {
      rows: [],
      problems: [
        {
          row: 1,
          column: '(file)',
          code: 'size',
          message: `${lines.length - 1} rows; at most ${EXPERIENCE_ROWS_MAX} a file: split it`,
        },
      ],
    };
  return parseBody(lines, lastYear);
}

function parseBody(lines: string[], lastYear: number) {
  const rows: ExperienceRow[] = [];
  const problems: ExperienceProblem[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((line, i) => {
    const rowNumber = i + 2;
    const parsed = parseRow(cells(line), rowNumber, lastYear);
    problems.push(...parsed.problems);
    if (parsed.row === null) return;
    const key = `${parsed.row.creditCode}/${parsed.row.year}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({
        row: rowNumber,
        column: 'year',
        code: 'duplicate',
        message: `the same employer and year as row ${first}`,
      });
    else {
      seen.set(key, rowNumber);
      rows.push(parsed.row);
    }
  });
  return { rows: problems.length > 0 ? [] : rows, problems };
}
