import { chineseDate } from '../../domain/letters/letter-types.ts';
import { type PdfContent, renderDocumentPdf } from '../reports/report-writer.ts';

/**
 * The page of a letter after GB/T 9704-2012《党政机关公文格式》(the standard's text is not held in
 * shared docs; the values used are listed in docs/letters.md with their clause). A4; 天头 37 mm,
 * 订口 28 mm, 版心 156 × 225 mm (§5.2.1); body 3号 (16 pt), 22 lines of 28 characters (§5.2.2);
 * the red 发文机关标志, the 发文字号 under it, the red separator line, the 2号 title, 主送机关,
 * the body, the signature and the date (§7.2, §7.3), page numbers "— 1 —" (§7.5). The standard's
 * faces (小标宋, 仿宋) are not installed: every text is in the project's one CJK font (Noto Sans).
 */
const PT_PER_MM = 72 / 25.4;
const mm = (v: number): number => v * PT_PER_MM;

export const PAGE = {
  topMm: 37,
  leftMm: 28,
  widthMm: 156,
  heightMm: 225,
  /** A4 is 210 × 297 mm: the right and bottom margins follow from the 版心. */
  rightMm: 210 - 28 - 156,
  bottomMm: 297 - 37 - 225,
} as const;

/** 3号 and the body's grid: 22 lines over the 版心's 225 mm, 28 characters over its 156 mm. */
export const BODY_PT = 16;
const LINE_PT = mm(PAGE.heightMm) / 22;
/** The line height as pdfmake's factor of the font's own (Noto Sans CJK: 1.448 em). */
const LINE_FACTOR = LINE_PT / (BODY_PT * 1.448);
/** Narrows each character so 28 of them fill the 156 mm line (16 pt × 28 = 448 pt > 442 pt). */
const CHARACTER_SPACING = mm(PAGE.widthMm) / 28 - BODY_PT - 0.01;
const TITLE_PT = 22;
const PAGE_NUMBER_PT = 14;
const RED = '#e60012';

/** A blank line of the body grid (空一行). */
const blankLines = (n: number): PdfContent => ({
  text: ' ',
  margin: [0, 0, 0, LINE_PT * n - LINE_PT],
});

export type LetterPage = {
  /** The agency's full name: the red 发文机关标志 and the 发文机关署名. */
  issuer: string;
  documentNumber: string;
  title: string;
  recipient: string;
  paragraphs: readonly string[];
  issuedOn: string;
};

/** The width of a line of text in em: CJK and full-width characters 1, ASCII digits and letters ½. */
function ems(text: string): number {
  return Array.from(text).reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) < 0x2000 ? 0.5 : 1), 0);
}

/**
 * 发文机关署名 and 成文日期 of an unsealed letter (§7.3.5.2): the signature 右空二字 one line below
 * the body, the date on the next line starting two characters right of the signature's first; when
 * the date is the longer, the date keeps 右空二字 and the signature moves left.
 */
function signature(issuer: string, date: string): PdfContent[] {
  const line = 28;
  const sig = ems(issuer);
  const dat = ems(date);
  const sigStart = sig >= dat + 2 ? line - 2 - sig : line - 2 - dat - 2;
  const at = (start: number): [number, number, number, number] => [
    Math.max(0, start) * (mm(PAGE.widthMm) / 28),
    0,
    0,
    0,
  ];
  return [
    blankLines(1),
    { text: issuer, margin: at(sigStart) },
    { text: date, margin: at(sigStart + 2) },
  ];
}

/** The page number "— 1 —", 4号, 7 mm below the 版心; odd pages right, even left, 空一字 (§7.5). */
function pageNumber(page: number): PdfContent {
  const indent = PAGE_NUMBER_PT;
  const odd = page % 2 === 1;
  return {
    text: `— ${page} —`,
    fontSize: PAGE_NUMBER_PT,
    lineHeight: 1,
    alignment: odd ? 'right' : 'left',
    margin: [mm(PAGE.leftMm) + (odd ? 0 : indent), mm(7), mm(PAGE.rightMm) + (odd ? indent : 0), 0],
  };
}

function letterContent(p: LetterPage): PdfContent[] {
  const width = mm(PAGE.widthMm);
  // The mark is as large as fits one line, up to 32 pt (the standard leaves its size to the agency).
  const markPt = Math.min(32, Math.floor(width / Math.max(1, ems(p.issuer))));
  return [
    // §7.2.2: the mark's top edge 35 mm below the 版心's, centred, red.
    {
      text: p.issuer,
      fontSize: markPt,
      lineHeight: 1,
      color: RED,
      alignment: 'center',
      margin: [0, mm(35), 0, 0],
    },
    // §7.2.4: the 发文字号 two lines below the mark, centred.
    { text: p.documentNumber, alignment: 'center', lineHeight: 1, margin: [0, LINE_PT * 2, 0, 0] },
    // §7.2.6: a red line as wide as the 版心, 4 mm below the 发文字号.
    {
      canvas: [{ type: 'line', x1: 0, y1: 0, x2: width, y2: 0, lineWidth: 1, lineColor: RED }],
      margin: [0, mm(4), 0, 0],
    },
    // §7.3.1: the title two lines below the line, 2号, centred.
    {
      text: p.title,
      fontSize: TITLE_PT,
      alignment: 'center',
      margin: [0, LINE_PT * 2, 0, LINE_PT],
    },
    // §7.3.2: 主送机关 flush left, ending in a full-width colon.
    { text: `${p.recipient}：`, characterSpacing: CHARACTER_SPACING },
    // §7.3.3: each paragraph indented two characters, continuation lines flush left.
    ...p.paragraphs.map((text) => ({
      text,
      leadingIndent: (width / 28) * 2,
      characterSpacing: CHARACTER_SPACING,
    })),
    ...signature(p.issuer, chineseDate(p.issuedOn)),
  ];
}

/** The letter's PDF; the same page always gives the same bytes (its dates are the issue date). */
export async function renderLetter(p: LetterPage): Promise<Buffer> {
  return renderDocumentPdf({
    title: `${p.documentNumber} ${p.title}`,
    at: new Date(`${p.issuedOn}T00:00:00Z`),
    content: letterContent(p),
    pageMargins: [mm(PAGE.leftMm), mm(PAGE.topMm), mm(PAGE.rightMm), mm(PAGE.bottomMm)],
    fontSize: BODY_PT,
    lineHeight: LINE_FACTOR,
    footer: (page) => pageNumber(page),
  });
}

export const LETTER_LAYOUT_VALUES = { LINE_PT, LINE_FACTOR, CHARACTER_SPACING } as const;
