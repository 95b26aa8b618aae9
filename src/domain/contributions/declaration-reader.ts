import type { IsoDate } from '../../kernel/dates.ts';
import {
  DECLARATION_ROWS_MAX,
  type DeclarationProblem,
  fileProblem,
} from './declaration-problems.ts';
import {
  type ColumnIndex,
  checkRow,
  type DeclarationCell,
  type DeclaredLine,
  isBlankRow,
  matchHeader,
} from './declaration-rows.ts';

/**
 * Reads a declaration sheet row by row, whatever the format (CSV or xlsx give it cells): the first
 * row is the header, every later row is checked on its own. The caller feeds rows as they stream
 * and keeps what comes back (lines to stage, problems to report), so no file is ever held whole.
 */
export type RowOutcome = {
  line: DeclaredLine | null;
  problems: DeclarationProblem[];
  /** A problem of the whole file (header, too many rows): read no further. */
  stop: boolean;
};

export type DeclarationReader = {
  push(cells: readonly DeclarationCell[]): RowOutcome;
  /** The file's own problems once every row was pushed (no header, no data row). */
  finish(): DeclarationProblem[];
  /** Data rows seen (blank ones included: they keep the numbering of the sheet). */
  rows(): number;
};

const EMPTY: DeclarationCell = { kind: 'empty' };

function headerTexts(cells: readonly DeclarationCell[]): string[] {
  return cells.map((c) =>
    c.kind === 'text' ? c.text : c.kind === 'number' ? String(c.value) : '',
  );
}

export function declarationReader(
  today: IsoDate,
  rowsMax = DECLARATION_ROWS_MAX,
): DeclarationReader {
  let columns: ColumnIndex | null = null;
  let sawHeader = false;
  let rows = 0;
  let filled = 0;
  const none = (): RowOutcome => ({ line: null, problems: [], stop: false });
  return {
    push(cells) {
      if (!sawHeader) {
        if (isBlankRow(cells)) return none();
        sawHeader = true;
        const header = matchHeader(headerTexts(cells));
        if (!header.ok) return { line: null, problems: header.problems, stop: true };
        columns = header.columns;
        return none();
      }
      rows += 1;
      if (rows > rowsMax)
        return {
          line: null,
          problems: [
            fileProblem(
              'declaration.too_many_rows',
              `文件超过 ${rowsMax} 行，请分文件申报或联系经办机构`,
              `the file has more than ${rowsMax} rows: split it or ask the agency`,
            ),
          ],
          stop: true,
        };
      if (columns === null || isBlankRow(cells)) return none();
      const at = columns;
      filled += 1;
      const out = checkRow(rows, (c) => cells[at[c]] ?? EMPTY, today);
      return { ...out, stop: false };
    },
    finish() {
      if (!sawHeader)
        return [fileProblem('declaration.file_empty', '文件为空', 'the file is empty')];
      if (columns !== null && filled === 0)
        return [
          fileProblem(
            'declaration.no_rows',
            '文件只有表头，没有职工行',
            'the file has a header and no worker rows',
          ),
        ];
      return [];
    },
    rows: () => rows,
  };
}
