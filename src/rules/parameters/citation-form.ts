/**
 * One citation form in code and YAML (issue 8): 《工伤保险条例》第三十七条第一款第（一）项, the
 * instrument in 《》 (or a document number, 人社部规〔2017〕13号第五条) and the article, paragraph
 * and item in Chinese numerals, so that grepping an article finds every rule that applies it.
 * `en:` texts shown to English readers may carry an English citation ("Art. 37 (2)") and are
 * skipped. Pure: the test hands in each file's text.
 */

export type FormProblem = {
  readonly file: string;
  /** From 1. */
  readonly line: number;
  readonly found: string;
  readonly message: string;
};

export function formatFormProblem(p: FormProblem): string {
  return `${p.file}:${p.line}: "${p.found}": ${p.message}`;
}

const N = '[零一二三四五六七八九十百千]+';

const PATTERNS: readonly { re: RegExp; message: string }[] = [
  {
    re: /\bArts?\.?\s*\d+/g,
    message: 'English article number: write 《…》第X条 (an en: text may add the English after it)',
  },
  { re: /¶\s*\d+/g, message: 'paragraph sign: write 第X条第Y款' },
  {
    re: new RegExp(`第${N}条第[（(]${N}[)）]项`, 'g'),
    message: 'item without its paragraph: write 第X条第一款第（Z）项',
  },
  { re: new RegExp(`第${N}项`, 'g'), message: 'item number without brackets: write 第（Z）项' },
  {
    re: new RegExp(`第\\(${N}\\)项`, 'g'),
    message: 'half-width brackets: write 第（Z）项',
  },
];

const REFERENCE = new RegExp(`第${N}条(?:第${N}款)?(?:第（${N}）项)?`, 'g');
/** What may stand right before a reference: the instrument, a document number, a YAML key. */
const ANCHOR = /(》|〕\d+号|article:\s*['"]?)$/;
/** What may join a reference to the one before it (第三十八条、第三十九条). */
const JOINER = /^\s*(、|和|及|与|或者|或|至|到|–|-|,|，)\s*$/;

/** 第X条 with no instrument before it (条例 第三十五条), except as the next of a list. */
function bareReferences(line: string): string[] {
  const found: string[] = [];
  let anchoredEnd: number | null = null;
  for (const m of line.matchAll(REFERENCE)) {
    const start = m.index;
    const anchored =
      ANCHOR.test(line.slice(0, start)) ||
      (anchoredEnd !== null && JOINER.test(line.slice(anchoredEnd, start)));
    if (anchored) anchoredEnd = start + m[0].length;
    else {
      found.push(m[0]);
      anchoredEnd = null;
    }
  }
  return found;
}

/** The part of a line that is checked: code without its `en:` strings, or a YAML comment. */
function checkedText(file: string, line: string): string {
  if (file.endsWith('.yaml') || file.endsWith('.yml')) {
    const hash = commentStart(line);
    return hash === null ? '' : line.slice(hash);
  }
  return line.replace(/\ben:\s*(['"`])(?:\\.|(?!\1).)*\1/g, '');
}

/** Where a YAML comment starts (`#` at the line start or after a space, outside quotes). */
export function commentStart(line: string): number | null {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return i;
  }
  return null;
}

/** Every citation in `text` not in the canonical form, by line. */
export function nonCanonicalCitations(file: string, text: string): FormProblem[] {
  const problems: FormProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = checkedText(file, raw);
    if (line === '') return;
    const at = { file, line: index + 1 };
    for (const { re, message } of PATTERNS)
      for (const m of line.matchAll(re)) problems.push({ ...at, found: m[0], message });
    for (const found of bareReferences(line))
      problems.push({
        ...at,
        found,
        message: 'no instrument: write 《工伤保险条例》第X条 (or the provincial title) before it',
      });
  });
  return problems;
}
