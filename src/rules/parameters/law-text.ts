/**
 * Law texts as the quote check and the article index read them: Chinese numerals, the one
 * citation form (《工伤保险条例》第三十七条第一款第（一）项) and a law file split into articles,
 * paragraphs (款) and items (项). Pure: the texts are handed in as strings (the rules floor reads
 * no file).
 */

const DIGITS = '零一二三四五六七八九';
const NUMERAL = '[零一二三四五六七八九十百千]+';

/** 第二十七条 → 27; null when the string is not a Chinese numeral below 10 000. */
export function parseChineseNumeral(text: string): number | null {
  if (!new RegExp(`^${NUMERAL}$`).test(text)) return null;
  let total = 0;
  let digit: number | null = null;
  for (const ch of text) {
    const d = DIGITS.indexOf(ch);
    // 零 only holds an empty place (一百零五): the digit after it is read as usual.
    if (d === 0) {
      if (digit !== null) return null;
      continue;
    }
    if (d > 0) {
      if (digit !== null) return null;
      digit = d;
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
    // 十 alone at the start means 一十 (十五 = 15); 百 and 千 always carry their digit.
    if (digit === null && !(unit === 10 && total === 0)) return null;
    total += (digit ?? 1) * unit;
    digit = null;
  }
  return total + (digit ?? 0);
}

/** 27 → 二十七, 105 → 一百零五, 110 → 一百一十 (the way the texts number their articles). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`no numeral for ${n}`);
  const parts: string[] = [];
  const units = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ] as const;
  let rest = n;
  let zero = false;
  for (const [size, name] of units) {
    const d = Math.floor(rest / size);
    rest %= size;
    if (d === 0) {
      zero = parts.length > 0;
      continue;
    }
    if (zero) parts.push('零');
    zero = false;
    // 十五, not 一十五, when ten is the highest unit.
    parts.push(size === 10 && parts.length === 0 && d === 1 ? name : `${DIGITS[d]}${name}`);
  }
  if (rest > 0) parts.push(`${zero ? '零' : ''}${DIGITS[rest]}`);
  return parts.join('');
}

/** One article, paragraph or item a citation names (numbers from 1). */
export type ArticleReference = {
  readonly article: number;
  readonly paragraph?: number;
  readonly item?: number;
};

const REFERENCE = new RegExp(`^第(${NUMERAL})条(?:第(${NUMERAL})款(?:第（(${NUMERAL})）项)?)?$`);

/** `第三十七条第一款第（二）项` → { article: 37, paragraph: 1, item: 2 }; null unless canonical. */
export function parseReference(text: string): ArticleReference | null {
  const m = REFERENCE.exec(text);
  if (m === null) return null;
  const article = parseChineseNumeral(m[1] ?? '');
  const paragraph = m[2] === undefined ? undefined : parseChineseNumeral(m[2]);
  const item = m[3] === undefined ? undefined : parseChineseNumeral(m[3]);
  if (article === null || paragraph === null || item === null) return null;
  return {
    article,
    ...(paragraph === undefined ? {} : { paragraph }),
    ...(item === undefined ? {} : { item }),
  };
}

/**
 * A citation's `article`: one canonical reference, or several joined by 、 each written in full
 * (第三十五条第一款第（一）项、第三十六条第一款第（一）项). Null when any part is not canonical.
 */
export function parseReferenceList(text: string): ArticleReference[] | null {
  const refs = text.split('、').map(parseReference);
  return refs.every((r) => r !== null) ? refs : null;
}

/** { article: 37, paragraph: 1, item: 2 } → 第三十七条第一款第（二）项. */
export function formatReference(ref: ArticleReference): string {
  const paragraph = ref.paragraph === undefined ? '' : `第${chineseNumeral(ref.paragraph)}款`;
  const item = ref.item === undefined ? '' : `第（${chineseNumeral(ref.item)}）项`;
  return `第${chineseNumeral(ref.article)}条${paragraph}${item}`;
}

/** A paragraph (款): its own sentence(s) and the items (项) it lists, each as written in the file. */
export type LawParagraph = { readonly lead: string; readonly items: readonly string[] };

export type LawArticle = {
  readonly number: number;
  /** 第二十七条 */
  readonly label: string;
  /** The file's paragraphs of the article in order, items included, without the leading label. */
  readonly blocks: readonly string[];
  readonly paragraphs: readonly LawParagraph[];
};

export type LawText = {
  /** Every paragraph of the file (headings and preamble too), line breaks inside removed. */
  readonly blocks: readonly string[];
  readonly articles: ReadonlyMap<number, LawArticle>;
};

const ARTICLE_START = new RegExp(`^第(${NUMERAL})条[ \u3000]+`);
const ITEM_START = new RegExp(`^[(（](${NUMERAL})[)）]`);

/** The file's paragraphs: runs of non-blank lines, the line breaks inside a run removed. */
function blocksOf(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.length > 0) blocks.push(current.join(''));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current.join(''));
  return blocks;
}

type Building = { number: number; label: string; blocks: string[]; paragraphs: LawParagraph[] };

/**
 * Splits a law file (as held under ../shared/docs/law/) into articles: a paragraph starting
 * `第…条 ` opens an article; the following paragraphs belong to it until the next article or a
 * heading (`#`). A paragraph starting (一) / （一） is an item of the paragraph before it.
 */
export function parseLawText(text: string): LawText {
  const blocks = blocksOf(text);
  const articles = new Map<number, LawArticle>();
  let current: Building | null = null;
  for (const block of blocks) {
    const start = ARTICLE_START.exec(block);
    if (start !== null) {
      const number = parseChineseNumeral(start[1] ?? '');
      if (number === null) continue;
      const first = block.slice(start[0].length);
      current = { number, label: `第${start[1]}条`, blocks: [first], paragraphs: [] };
      current.paragraphs.push({ lead: first, items: [] });
      articles.set(number, current);
    } else if (block.startsWith('#')) {
      current = null;
    } else if (current !== null) {
      current.blocks.push(block);
      const last = current.paragraphs[current.paragraphs.length - 1];
      if (ITEM_START.test(block) && last !== undefined) {
        current.paragraphs[current.paragraphs.length - 1] = {
          lead: last.lead,
          items: [...last.items, block],
        };
      } else current.paragraphs.push({ lead: block, items: [] });
    }
  }
  return { blocks, articles };
}

/** Finds item `n` of a paragraph by its own label ((二) is item 2), not by position. */
export function itemOf(paragraph: LawParagraph, n: number): string | undefined {
  return paragraph.items.find((text) => {
    const m = ITEM_START.exec(text);
    return m !== null && parseChineseNumeral(m[1] ?? '') === n;
  });
}

/** The paragraphs of the text a reference names, where a quote resting on it may be found. */
export function scopeOf(law: LawText, ref: ArticleReference): string[] | string {
  const article = law.articles.get(ref.article);
  if (article === undefined) return `the text has no ${formatReference({ article: ref.article })}`;
  if (ref.paragraph === undefined) return [...article.blocks];
  const paragraph = article.paragraphs[ref.paragraph - 1];
  const count = article.paragraphs.length;
  if (paragraph === undefined)
    return `${article.label} has ${count} paragraph(s), not ${formatReference(ref)}`;
  if (ref.item === undefined) {
    if (count === 1)
      return `${article.label} has one paragraph: cite ${article.label} without 第一款`;
    return [paragraph.lead, ...paragraph.items];
  }
  const item = itemOf(paragraph, ref.item);
  if (item === undefined)
    return `${formatReference({ article: ref.article, paragraph: ref.paragraph })} has no item ${formatReference(ref).replace(/^.*款/, '')}`;
  // The paragraph's lead-in ("享受以下待遇：") belongs to each of its items.
  return [item, paragraph.lead];
}

/** Where a quote sits in the text, for a message that points the reader there. */
export function locate(law: LawText, quote: string): string | null {
  for (const article of law.articles.values()) {
    for (const [p, paragraph] of article.paragraphs.entries()) {
      const ref = { article: article.number, paragraph: p + 1 };
      if (paragraph.lead.includes(quote)) return formatReference(ref);
      const item = paragraph.items.findIndex((text) => text.includes(quote));
      if (item >= 0) {
        const label = ITEM_START.exec(paragraph.items[item] ?? '');
        const n = parseChineseNumeral(label?.[1] ?? '') ?? item + 1;
        return formatReference({ ...ref, item: n });
      }
    }
  }
  return null;
}

/** One citation found in a text: the instrument as written and the units it names. */
export type CitationInText = {
  readonly instrument: string;
  readonly refs: readonly ArticleReference[];
  /** Offset of the citation in the text. */
  readonly index: number;
};

const INSTRUMENT = '《[^》]+》|[\\u4e00-\\u9fa5]+〔\\d{4}〕\\d+号';
const ONE_REFERENCE = `第${NUMERAL}条(?:第${NUMERAL}款)?(?:第（${NUMERAL}）项)?`;
const CITATION = new RegExp(
  `(${INSTRUMENT})(${ONE_REFERENCE}(?:\\s*(?:、|和|及|与|或者|或|至)\\s*${ONE_REFERENCE})*)`,
  'g',
);

/**
 * Every canonical citation in a text: 《工伤保险条例》第三十六条第二款、第三十七条第一款第（二）项
 * names two units of one instrument; 第三十四条至第三十七条 names each article of the range.
 */
export function citationsInText(text: string): CitationInText[] {
  const found: CitationInText[] = [];
  for (const m of text.matchAll(CITATION)) {
    const refs: ArticleReference[] = [];
    const parts = (m[2] ?? '').split(/\s*(至|、|和|及|与|或者|或)\s*/);
    for (let i = 0; i < parts.length; i += 2) {
      const ref = parseReference(parts[i] ?? '');
      if (ref === null) continue;
      const previous = refs[refs.length - 1];
      if (parts[i - 1] === '至' && previous !== undefined)
        for (let a = previous.article + 1; a < ref.article; a++) refs.push({ article: a });
      refs.push(ref);
    }
    found.push({ instrument: m[1] ?? '', refs, index: m.index });
  }
  return found;
}
