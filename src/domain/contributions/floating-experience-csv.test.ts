import { describe, expect, it } from 'vitest';
import { EXPERIENCE_COLUMNS, parseExperienceCsv } from './floating-experience-csv.ts';

const HEADER = EXPERIENCE_COLUMNS.join(',');
// A valid 统一社会信用代码 (the demo register's seventh in 杭州; GB 32100 and GB 11714 checks pass).
const code = '91330100MA00000740';

describe('experience CSV', () => {
  it('reads an Excel-style export: byte-order mark, CRLF, quoted values, a trailing blank line', () => {
    const text = `\uFEFF${HEADER}\r\n"${code}","2024","1250000","180000","1","120"\r\n\r\n`;
    expect(parseExperienceCsv(text, 2025)).toEqual({
      rows: [
        {
          row: 2,
          creditCode: code,
          year: 2024,
          contributionsFen: 1_250_000,
          benefitCostsFen: 180_000,
          injuries: 1,
          averageHeadcount: 120,
        },
      ],
      problems: [],
    });
  });

  it('takes a lower-case credit code as its upper-case form', () => {
    const out = parseExperienceCsv(`${HEADER}\n${code.toLowerCase()},2024,1,1,0,1`, 2025);
    expect(out.rows[0]?.creditCode).toBe(code);
  });

  it('names every bad cell of a row and returns no rows at all', () => {
    const out = parseExperienceCsv(
      `${HEADER}\n${code},2024,1,1,0,1\n${code},20x4,1.5,-1,0,1`,
      2025,
    );
    expect(out.rows).toEqual([]);
    expect(out.problems.map((p) => `${p.row}:${p.column}`)).toEqual([
      '3:year',
      '3:contributions_fen',
      '3:benefit_costs_fen',
    ]);
  });

  it('refuses amounts beyond the safe range and an empty file', () => {
    const big = parseExperienceCsv(`${HEADER}\n${code},2024,9999999999999999,1,0,1`, 2025);
    expect(big.problems).toMatchObject([{ row: 2, column: 'contributions_fen', code: 'number' }]);
    expect(parseExperienceCsv('', 2025).problems).toMatchObject([{ row: 1, code: 'header' }]);
  });
});
