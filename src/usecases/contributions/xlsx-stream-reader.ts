import { createRequire, Module } from 'node:module';
import type ExcelJS from 'exceljs';

/**
 * exceljs 4.4.0's streaming WorkbookReader with one fix: its XML parser (`lib/utils/parse-sax.js`)
 * decodes every decompressed chunk on its own with one shared, non-streaming TextDecoder, so a
 * Chinese character whose UTF-8 bytes straddle two chunks comes back as U+FFFD (exceljs issues
 * #2084, #2063, #2316, unfixed upstream): about 8 names in 100 000 rows were corrupted and a correct
 * declaration was refused (name mismatch). Here the reader's three stream modules are loaded once
 * more, privately, against a parser that gives each stream its own decoder in `stream: true` mode;
 * the require cache is restored afterwards, so every other user of exceljs keeps the original.
 * Only the streaming reader is affected; the writer and the in-memory workbook are untouched.
 */
type WorkbookReaderClass = typeof ExcelJS.stream.xlsx.WorkbookReader;

const require = createRequire(import.meta.url);
const fromExceljs = createRequire(require.resolve('exceljs/package.json'));

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };
type SaxesParserLike = {
  on(event: 'error', f: (e: Error) => void): void;
  on(event: 'opentag' | 'text' | 'closetag', f: (value: unknown) => void): void;
  write(text: string): void;
};

function saxesParser(): SaxesParserLike {
  const saxes: { SaxesParser: new () => SaxesParserLike } = fromExceljs('saxes');
  return new saxes.SaxesParser();
}

/** parse-sax.js with a per-stream UTF-8 decoder that carries split characters to the next chunk. */
async function* parseSaxAcrossChunks(
  iterable: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SaxEvent[]> {
  const parser = saxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: Error | null = null;
  let events: SaxEvent[] = [];
  parser.on('error', (e) => {
    error = e;
  });
  for (const eventType of ['opentag', 'text', 'closetag'] as const)
    parser.on(eventType, (value) => events.push({ eventType, value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest !== '') {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

function loadPatchedReader(): WorkbookReaderClass {
  const parseSax = fromExceljs.resolve('./lib/utils/parse-sax.js');
  const reloaded = [
    './lib/stream/xlsx/workbook-reader.js',
    './lib/stream/xlsx/worksheet-reader.js',
    './lib/stream/xlsx/hyperlink-reader.js',
  ].map((p) => fromExceljs.resolve(p));
  const saved = new Map([parseSax, ...reloaded].map((p) => [p, require.cache[p]]));
  try {
    for (const p of saved.keys()) delete require.cache[p];
    const fixed = new Module(parseSax);
    fixed.filename = parseSax;
    fixed.loaded = true;
    fixed.exports = parseSaxAcrossChunks;
    require.cache[parseSax] = fixed;
    const reader: WorkbookReaderClass = fromExceljs(reloaded[0] ?? '');
    return reader;
  } finally {
    for (const [p, m] of saved)
      if (m === undefined) delete require.cache[p];
      else require.cache[p] = m;
  }
}

let patched: WorkbookReaderClass | null = null;

/** The fixed streaming reader class (loaded once per process). */
export function workbookReaderClass(): WorkbookReaderClass {
  patched ??= loadPatchedReader();
  return patched;
}
