import { beforeAll, describe, expect, it } from 'vitest';
import { BODY_PT, LINE_PT, renderLetter } from './letter-layout.ts';
import { type GlyphRun, letterInput, pdfGlyphRuns, pdfStreams, pdfText } from './testing.ts';

/**
 * The page after GB/T 9704-2012, read back from the PDF's own drawing operators (where each run of
 * text was put), not from the definition handed to pdfmake. Values in docs/letters.md.
 */
const MM = 72 / 25.4;
const LEFT = 28 * MM;
const RIGHT = (28 + 156) * MM;
const TOP = 37 * MM;
const BOTTOM = (37 + 225) * MM;
const ISSUER = '杭州市人力资源和社会保障局';
const DOC_NO = '杭人社工认受〔2026〕12号';
/** 60 characters: with the two-character indent, lines of 26, 28 and 6 on a 28-character grid. */
const PARAGRAPH = '一二三四五六七八九十'.repeat(6);

type Line = { page: number; fromTop: number; x0: number; x1: number; text: string; size: number };

function linesOf(runs: readonly GlyphRun[]): Line[] {
  const lines = new Map<string, Line>();
  for (const r of runs) {
    const key = `${r.page}:${r.fromTop.toFixed(2)}`;
    const l = lines.get(key);
    if (l) {
      l.x0 = Math.min(l.x0, r.x);
      l.x1 = Math.max(l.x1, r.x + r.size * [...r.text].length);
      l.text += r.text;
    } else lines.set(key, { ...r, x0: r.x, x1: r.x + r.size * [...r.text].length, text: r.text });
  }
  return [...lines.values()];
}

let pdf: Buffer;
let lines: Line[];
beforeAll(async () => {
  pdf = await renderLetter({
    ...letterInput({ paragraphs: Array<string>(20).fill(PARAGRAPH), issuer: ISSUER }),
    documentNumber: DOC_NO,
  });
  lines = linesOf(pdfGlyphRuns(pdf));
}, 30_000);

const lineOf = (text: string) => {
  const l = lines.find((x) => x.text.replace(/\s/g, '') === text.replace(/\s/g, ''));
  if (!l) throw new Error(`no line ${text}`);
  return l;
};

describe('the letter page (GB/T 9704-2012)', () => {
  it('renders the same page to the same bytes (its dates are the issue date)', async () => {
    const page = { ...letterInput(), documentNumber: DOC_NO };
    const [a, b] = [await renderLetter(page), await renderLetter(page)];
    expect(a.equals(b)).toBe(true);
    const other = await renderLetter({ ...page, documentNumber: '杭人社工认受〔2026〕13号' });
    expect(other.equals(a)).toBe(false);
  }, 30_000);

  it('is A4 with the red agency mark centred 35 mm into the 版心', () => {
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const mark = lineOf(ISSUER);
    expect(mark.page).toBe(1);
    expect(mark.x0 - LEFT).toBeCloseTo(RIGHT - mark.x1, 1);
    // The glyphs' top (baseline less the 0.88 em ascent) 35 mm below the 版心's top edge.
    expect(mark.fromTop - 0.88 * mark.size).toBeCloseTo(TOP + 35 * MM, 0);
    // #e60012: the red of the mark and of the separator line (a stroke as wide as the 版心).
    const drawn = pdfStreams(pdf);
    expect(drawn).toContain('0.9019607843137255 0 0.07058823529411765 scn');
    expect(drawn).toMatch(/0\.9019607843137255 0 0\.07058823529411765 SCN/);
  });

  it('puts the 发文字号 and the title centred below the mark, the title at 22 pt', () => {
    const mark = lineOf(ISSUER);
    const no = lineOf(DOC_NO);
    const title = lineOf('工伤认定申请受理决定书');
    expect(no.fromTop).toBeGreaterThan(mark.fromTop + 2 * LINE_PT);
    expect(title.fromTop).toBeGreaterThan(no.fromTop + 2 * LINE_PT);
    expect(title.size).toBe(22);
    expect(title.x0 - LEFT).toBeCloseTo(RIGHT - title.x1, 0);
  });

  it('sets the body on a grid of 28 characters and 22 lines a page', () => {
    const body = lines.filter((l) => /^[一二三四五六七八九十]+$/.test(l.text));
    expect(new Set(body.map((l) => [...l.text].length))).toEqual(new Set([26, 28, 6]));
    const indented = body.filter((l) => [...l.text].length === 26);
    for (const l of indented) expect(l.x0).toBeCloseTo(LEFT + 2 * BODY_PT, 1);
    const full = body.filter((l) => [...l.text].length === 28);
    for (const l of full) expect(l.x1).toBeLessThanOrEqual(RIGHT + 0.01);
    const page2 = body.filter((l) => l.page === 2).map((l) => l.fromTop);
    expect(page2.length).toBe(22);
    expect(page2[1]! - page2[0]!).toBeCloseTo((225 * MM) / 22, 1);
    expect(Math.max(...page2)).toBeLessThan(BOTTOM);
  });

  it('numbers pages "— n —" below the 版心, odd right and even left, one character in', () => {
    const numbers = lines.filter((l) => /^—\s*\d+\s*—$/.test(l.text));
    // 20 paragraphs of 3 lines: 60 lines and the signature over 4 pages of 22 lines less the head.
    expect(numbers.map((l) => l.page)).toEqual([1, 2, 3, 4]);
    for (const n of numbers) {
      expect(n.size).toBe(14);
      expect(n.fromTop - 0.88 * 14).toBeCloseTo(BOTTOM + 7 * MM, 0);
      if (n.page % 2 === 0) expect(n.x0).toBeCloseTo(LEFT + 14, 0);
      else expect(RIGHT - 14 - n.x1).toBeLessThan(6);
    }
  });

  it('signs 右空二字 with the date two characters right of the signature', () => {
    const signed = lines.filter((l) => l.text === ISSUER).at(-1);
    const date = lineOf('2026年12月6日');
    if (!signed) throw new Error('no signature');
    expect(signed.page).toBe(4);
    expect(RIGHT - signed.x1).toBeCloseTo(2 * BODY_PT, 0);
    expect(date.x0 - signed.x0).toBeCloseTo(2 * BODY_PT, 1);
    expect(date.fromTop - signed.fromTop).toBeCloseTo(LINE_PT, 1);
    expect(pdfText(pdf)).toContain(`${DOC_NO}工伤认定申请受理决定书张三：`);
  });
});
