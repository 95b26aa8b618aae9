import { describe, expect, it } from 'vitest';
import { citizenIdCheckCharacter } from '../../kernel/ids.ts';
import { declarationReader } from './declaration-reader.ts';
import { type DeclarationCell, matchHeader, textCell, yuanTextToFen } from './declaration-rows.ts';

const TODAY = '2026-03-01';
const first17 = '33010219900517001';
const ID = `${first17}${citizenIdCheckCharacter(first17)}`;
const text = (...t: string[]): DeclarationCell[] => t.map(textCell);

function readAll(rows: DeclarationCell[][]) {
  const reader = declarationReader(TODAY);
  const lines = [];
  const problems = [];
  for (const r of rows) {
    const out = reader.push(r);
    if (out.line) lines.push(out.line);
    problems.push(...out.problems);
    if (out.stop) break;
  }
  problems.push(...reader.finish());
  return { lines, problems: problems.map((p) => `${p.row ?? '-'}:${p.column ?? '-'}:${p.code}`) };
}

describe('matchHeader', () => {
  it('accepts Chinese and English names in any order, ignoring other columns and spacing', () => {
    expect(matchHeader(['序号', ' 姓名 ', '公民身份号码', '缴费工资（元）'])).toEqual({
      ok: true,
      columns: { id_number: 2, name: 1, wage: 3 },
    });
    expect(matchHeader(['\uFEFFID_Number', 'Name', 'wage'])).toMatchObject({ ok: true });
  });

  it('names every missing and duplicated column', () => {
    const out = matchHeader(['姓名', 'name', 'salary']);
    expect(out.ok ? [] : out.problems.map((p) => `${p.code}:${p.column}`)).toEqual([
      'declaration.header_duplicate:name',
      'declaration.header_missing:id_number',
      'declaration.header_missing:wage',
    ]);
  });
});

describe('yuanTextToFen', () => {
  it('reads yuan with up to two decimals and thousands separators, exactly', () => {
    expect(yuanTextToFen('8500.00')).toEqual({ ok: true, value: 850_000 });
    expect(yuanTextToFen('8,500.1')).toEqual({ ok: true, value: 850_010 });
    expect(yuanTextToFen('0.07')).toEqual({ ok: true, value: 7 });
    expect(yuanTextToFen('10000000')).toEqual({ ok: true, value: 1_000_000_000 });
    expect(yuanTextToFen('10000000.01')).toMatchObject({ code: 'declaration.wage_absurd' });
    expect(yuanTextToFen('8500.001')).toMatchObject({ code: 'declaration.wage_not_a_number' });
    expect(yuanTextToFen('85,00')).toMatchObject({ code: 'declaration.wage_not_a_number' });
  });
});

describe('declarationReader', () => {
  it('reads good rows, skips blank ones but keeps the numbering', () => {
    const out = readAll([
      text('公民身份号码', '姓名', '缴费工资'),
      text('', '', ''),
      text(ID, '王五', '8500'),
    ]);
    expect(out).toEqual({
      lines: [{ row: 2, idNumber: ID, name: '王五', wageFen: 850_000 }],
      problems: [],
    });
  });

  it('reports every problem of every row, with row and column', () => {
    const out = readAll([
      text('id_number', 'name', 'wage'),
      [{ kind: 'number', value: 330102199005170000 }, textCell('a'), { kind: 'number', value: -1 }],
      text('3.30102E+17', '=HYPERLINK("x")', 'abc'),
      text(`${ID.slice(0, 17)}0`, '', '20000000'),
      [textCell(ID), { kind: 'formula' }, textCell('@SUM(1)')],
      text('', 'x'.repeat(51), ''),
      [textCell(ID), textCell('王五'), { kind: 'number', value: 8500.1 }],
    ]);
    expect(out.problems).toEqual([
      '1:id_number:declaration.id_number_numeric',
      '1:wage:declaration.wage_negative',
      '2:id_number:declaration.id_number_numeric',
      '2:name:declaration.formula_refused',
      '2:wage:declaration.wage_not_a_number',
      '3:id_number:declaration.id_number_invalid',
      '3:name:declaration.name_missing',
      '3:wage:declaration.wage_absurd',
      '4:name:declaration.formula_refused',
      '4:wage:declaration.formula_refused',
      '5:id_number:declaration.id_number_missing',
      '5:name:declaration.name_too_long',
      '5:wage:declaration.wage_missing',
    ]);
    expect(out.lines).toEqual([{ row: 6, idNumber: ID, name: '王五', wageFen: 850_010 }]);
  });

  it('refuses the file when the header is wrong, empty, or has no rows', () => {
    expect(readAll([text('a', 'b', 'c'), text(ID, '王五', '1')]).problems).toEqual([
      '-:id_number:declaration.header_missing',
      '-:name:declaration.header_missing',
      '-:wage:declaration.header_missing',
    ]);
    expect(readAll([]).problems).toEqual(['-:-:declaration.file_empty']);
    expect(readAll([text('姓名', '公民身份号码', '缴费工资')]).problems).toEqual([
      '-:-:declaration.no_rows',
    ]);
  });

  it('stops at the row bound', () => {
    const reader = declarationReader(TODAY, 2);
    reader.push(text('姓名', '公民身份号码', '缴费工资'));
    reader.push(text('a', ID, '1'));
    reader.push(text('b', ID, '1'));
    expect(reader.push(text('c', ID, '1'))).toMatchObject({
      stop: true,
      problems: [{ code: 'declaration.too_many_rows' }],
    });
  });
});
