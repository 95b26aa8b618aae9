import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvEncoding, type CsvItem, csvEncodingOf, csvRecords } from './csv-reader.ts';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Uint8Array, encoding: CsvEncoding = 'utf-8', size = 7) {
  const items: CsvItem[] = [];
  for await (const item of csvRecords(chunked(bytes, size), encoding)) items.push(item);
  return items;
}
const records = (items: CsvItem[]) =>
  items.map((i) => (i.kind === 'record' ? i.fields : i.problem.code));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** GBK bytes of a few characters (姓名 / 王五 / 公民身份号码), as Excel writes them. */
const GBK: Record<string, number[]> = {
  姓: [0xd0, 0xd5],
  名: [0xc3, 0xfb],
  王: [0xcd, 0xf5],
  五: [0xce, 0xe5],
};
function gbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) out.push(...(GBK[ch] ?? [ch.charCodeAt(0)]));
  return Uint8Array.from(out);
}

describe('csvRecords', () => {
  it('reads LF, CRLF and CR line ends, a final line without one', async () => {
    for (const eol of ['\n', '\r\n', '\r'])
      expect(records(await read(utf8(`a,b${eol}1,2${eol}3,4`)))).toEqual([
        ['a', 'b'],
        ['1', '2'],
        ['3', '4'],
      ]);
  });

  it('reads quoted fields with commas, quotes and line breaks, split at every chunk size', async () => {
    const text = 'id,name\r\n"1,2","he said ""hi"""\r\n"multi\nline",x\r\n';
    for (let size = 1; size <= text.length; size++)
      expect(records(await read(utf8(text), 'utf-8', size)), `chunk ${size}`).toEqual([
        ['id', 'name'],
        ['1,2', 'he said "hi"'],
        ['multi\nline', 'x'],
      ]);
  });

  it('drops a UTF-8 BOM and decodes characters split across chunks', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('姓名,工资\n王五,1')]);
    expect(records(await read(bytes, 'utf-8', 1))).toEqual([
      ['姓名', '工资'],
      ['王五', '1'],
    ]);
  });

  it('reads GBK, Excel’s default for CSV in China', async () => {
    const bytes = gbk('姓名\r\n王五\r\n');
    expect(csvEncodingOf(bytes, false)).toBe('gbk');
    expect(records(await read(bytes, 'gbk', 3))).toEqual([['姓名'], ['王五']]);
  });

  it('picks the encoding: BOM, valid UTF-8, else GBK; UTF-16 refused', () => {
    expect(csvEncodingOf(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]), true)).toBe('utf-8');
    expect(csvEncodingOf(utf8('abc'), true)).toBe('utf-8');
    expect(csvEncodingOf(Uint8Array.from([0xd0, 0xd5]), false)).toBe('gbk');
    expect(csvEncodingOf(Uint8Array.from([0xff, 0xfe, 0x41, 0]), false)).toBe('utf-16');
  });

  it('ends with bad_encoding on bytes invalid in the encoding', async () => {
    // 0xFF is dropped by Node's GBK decoder even when fatal: the reader refuses it itself.
    const ff = await read(Uint8Array.from([0x61, 0x0a, 0xff, 0xff, 0xff, 0x0a]), 'gbk', 2);
    expect(records(ff)).toEqual([['a'], 'declaration.bad_encoding']);
    const badTrail = await read(Uint8Array.from([0x61, 0x0a, 0xa1, 0x20, 0x0a]), 'gbk', 2);
    expect(records(badTrail)).toEqual([['a'], 'declaration.bad_encoding']);
  });

  it('ends with malformed on an unclosed quote or a field of junk', async () => {
    expect(records(await read(utf8('a\n"open,b\n')))).toEqual([['a'], 'declaration.malformed']);
    expect(records(await read(utf8('x'.repeat(10_000)), 'utf-8', 4096))).toEqual([
      'declaration.malformed',
    ]);
  });

  it('round-trips any table written with quoting (property)', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', ' ', '1') });
    const table = fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(table, fc.integer({ min: 1, max: 9 }), async (rows, size) => {
        const text = rows
          .map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(','))
          .join('\r\n');
        expect(records(await read(utf8(text), 'utf-8', size))).toEqual(rows);
      }),
      { seed: 20_260_603, numRuns: 300 },
    );
  });
});
