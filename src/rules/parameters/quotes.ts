import { z } from 'zod';
import { commentStart } from './citation-form.ts';
import {
  type ArticleReference,
  formatReference,
  type LawText,
  locate,
  parseLawText,
  parseReferenceList,
  scopeOf,
} from './law-text.ts';
import type { Citation } from './model.ts';
import { citationSchema } from './schema.ts';

/**
 * The quote check (issue 8): every citation of a law text held under ../shared/docs/law/ carries
 * the sentence(s) its value rests on, and each is found verbatim in that text, inside the article,
 * paragraph or item the citation names. A parameter whose note, description or YAML comment says
 * the text lacks something quotes the whole article, so a reader sees that no paragraph was missed
 * (the 《河南省工伤保险条例》第二十七条第二款 near-retirement cut was missed because only 第一款 was read).
 * Pure: the test reads the files and hands their texts in.
 */

/** The held texts by title: `工伤保险条例(2010-12-20).md` is the text of 《工伤保险条例》. */
export type LawLibrary = ReadonlyMap<string, LawText>;

/** The library from the law folder's files (name and text); the title is the name before `(`. */
export function lawLibrary(files: readonly { name: string; text: string }[]): LawLibrary {
  const library = new Map<string, LawText>();
  for (const { name, text } of files) {
    if (!name.endsWith('.md') || name === 'README.md') continue;
    library.set(name.replace(/\.md$/, '').replace(/\(.*$/, ''), parseLawText(text));
  }
  return library;
}

/** The held text a title names: the file named `<title>(…)`, or `<title>-<part>(…)` (民法典). */
function heldText(library: LawLibrary, title: string): { title: string; law: LawText } | null {
  for (const [name, law] of library)
    if (name === title || name.startsWith(`${title}-`)) return { title: name, law };
  return null;
}

/** One rule file: its name for messages, its raw text (comments) and its parsed YAML. */
export type RuleFileText = { readonly file: string; readonly raw: string; readonly data: unknown };

export type QuoteProblemCode =
  | 'quote_missing'
  | 'quote_not_in_text'
  | 'quote_outside_article'
  | 'article_form'
  | 'article_not_in_text'
  | 'instrument_form'
  | 'whole_article_mismatch'
  | 'whole_article_required'
  | 'whole_article_unheld';

export type QuoteProblem = {
  readonly file: string;
  /** The parameter's dotted path, or `(file header)`. */
  readonly path: string;
  /** The value's `from` date, or `-` for a problem of the whole file. */
  readonly from: string;
  readonly code: QuoteProblemCode;
  readonly message: string;
};

export function formatQuoteProblem(p: QuoteProblem): string {
  return `${p.file}: ${p.path} (value from ${p.from}): ${p.message}`;
}

/**
 * Phrases by which a note, description or comment says a text lacks something. Bare 无 and
 * "without" are left out on purpose: they name things that exist far more often (无劳动能力,
 * "allowance without arranged work") and would force whole-article quotes for no reason.
 */
export const LACKS_PHRASES: readonly RegExp[] = [
  /\bhas no\b/i,
  /\bhave no\b/i,
  /\bNO\b/,
  /\bnone in\b/i,
  /\bnot in the text\b/i,
  /\bdoes not (contain|say|state|give|set|fix|provide|mention)\b/i,
  /\b(gives|sets|states|names) no\b/i,
  /\bno figure\b/i,
  /\bnot stated\b/i,
  /\bis silent\b/i,
  /没有/,
  /未规定/,
  /无规定/,
  /并无/,
  /未明确/,
];

/** The phrase by which `text` says a text lacks something, or null. */
export function lacksPhrase(text: string): string | null {
  for (const re of LACKS_PHRASES) {
    const m = re.exec(text);
    if (m !== null) return m[0];
  }
  return null;
}

const valueShape = z.looseObject({
  from: z.unknown(),
  note: z.string().optional(),
  citation: z.unknown().optional(),
});
const fileShape = z.looseObject({
  parameters: z.record(
    z.string(),
    z.looseObject({ description: z.string().optional(), values: z.array(valueShape) }),
  ),
});

type Found = { code: QuoteProblemCode; message: string };

/** Every problem of every citation in `files` (all at once, so one run lists them all). */
export function checkQuotes(files: readonly RuleFileText[], library: LawLibrary): QuoteProblem[] {
  return files.flatMap((f) => checkFile(f, library));
}

function checkFile(f: RuleFileText, library: LawLibrary): QuoteProblem[] {
  const parsed = fileShape.safeParse(f.data);
  if (!parsed.success) return [];
  const comments = commentsOf(f.raw);
  const problems: QuoteProblem[] = [];
  let heldCited = false;
  let wholeArticleQuoted = false;
  for (const [path, parameter] of Object.entries(parsed.data.parameters)) {
    const said = [parameter.description ?? '', ...(comments.byPath.get(path) ?? [])];
    for (const value of parameter.values) {
      const at = { file: f.file, path, from: String(value.from) };
      const citation = citationSchema.safeParse(value.citation);
      if (!citation.success) continue;
      const held = heldTitleOf(citation.data.instrument, library);
      const found = checkCitation(citation.data, held, library);
      const lacks = [...said, value.note ?? ''].map(lacksPhrase).find((p) => p !== null);
      if (lacks !== undefined && held !== null && citation.data.wholeArticle !== true)
        found.push(wholeArticleRequired(lacks));
      heldCited ||= held !== null;
      if (held !== null && citation.data.wholeArticle === true) wholeArticleQuoted = true;
      problems.push(...found.map((p) => ({ ...at, ...p })));
    }
  }
  const headerLacks = comments.header.map(lacksPhrase).find((p) => p !== null);
  // A header speaks of the texts its parameters cite; a file citing none held has nothing to quote.
  if (headerLacks !== undefined && heldCited && !wholeArticleQuoted) {
    const at = { file: f.file, path: '(file header)', from: '-' };
    problems.push({ ...at, ...wholeArticleRequired(headerLacks, 'the file header') });
  }
  return problems;
}

function wholeArticleRequired(phrase: string, where = 'the note, description or a comment'): Found {
  return {
    code: 'whole_article_required',
    message: `${where} says the text lacks something ("${phrase}"): set wholeArticle: true and quote every paragraph of the article`,
  };
}

/** The held title an instrument names (《工伤保险条例》 → 工伤保险条例), or null for other sources. */
function heldTitleOf(instrument: string, library: LawLibrary): string | null {
  for (const m of instrument.matchAll(/《([^》]+)》/g)) {
    const title = m[1] ?? '';
    if (heldText(library, title) !== null) return title;
  }
  return null;
}

function checkCitation(c: Citation, title: string | null, library: LawLibrary): Found[] {
  if (title === null) {
    if (c.wholeArticle !== true) return [];
    const message = `wholeArticle is set but ${c.instrument} is not a text held under ../shared/docs/law/`;
    return [{ code: 'whole_article_unheld', message }];
  }
  const held = heldText(library, title);
  if (held === null) return [];
  const problems: Found[] = [];
  if (c.instrument !== `《${title}》`) {
    const message = `write the instrument as 《${title}》 alone (editions and dates go in the note), not "${c.instrument}"`;
    problems.push({ code: 'instrument_form', message });
  }
  const refs = parseReferenceList(c.article);
  if (refs === null) problems.push(articleFormProblem(c.article));
  const scopes = refs === null ? null : scopesOf(held.law, refs, problems);
  // A whole-article quote spans every paragraph, whichever one the article names: the equality
  // check below is the stricter test.
  problems.push(...quoteProblems(c, held, c.wholeArticle === true ? null : scopes));
  if (c.wholeArticle === true) problems.push(...wholeArticleProblems(c, held.law, refs));
  return problems;
}

function articleFormProblem(article: string): Found {
  const itemOnly = /^(第[零一二三四五六七八九十百千]+条)第（([零一二三四五六七八九十]+)）项$/.exec(
    article,
  );
  const hint =
    itemOnly === null ? '' : `; name the paragraph: ${itemOnly[1]}第一款第（${itemOnly[2]}）项`;
  return {
    code: 'article_form',
    message: `article "${article}" is not 第X条, 第X条第Y款 or 第X条第Y款第（Z）项 (several joined by 、), in Chinese numerals${hint}`,
  };
}

/**
 * The paragraphs the references name; a reference the text does not have is a problem, and then
 * (null) quotes are only looked for in the whole text.
 */
function scopesOf(
  law: LawText,
  refs: readonly ArticleReference[],
  problems: Found[],
): string[] | null {
  const scopes: string[] = [];
  let complete = true;
  for (const ref of refs) {
    const scope = scopeOf(law, ref);
    if (typeof scope === 'string') {
      problems.push({ code: 'article_not_in_text', message: scope });
      complete = false;
    } else scopes.push(...scope);
  }
  return complete ? scopes : null;
}

function quoteProblems(
  c: Citation,
  held: { title: string; law: LawText },
  scopes: readonly string[] | null,
): Found[] {
  if (c.quote === undefined) {
    const message = `no quote: copy the sentence(s) the value rests on from ${held.title} ${c.article}`;
    return [{ code: 'quote_missing', message }];
  }
  const problems: Found[] = [];
  for (const quote of typeof c.quote === 'string' ? [c.quote] : c.quote) {
    if (!held.law.blocks.some((b) => b.includes(quote))) {
      const message = `quote not found in ${held.title}: "${quote}"`;
      problems.push({ code: 'quote_not_in_text', message });
    } else if (scopes !== null && !scopes.some((s) => s.includes(quote))) {
      const where = locate(held.law, quote) ?? 'a heading or the preamble';
      const message = `quote is in ${where} of ${held.title}, not in the cited ${c.article}: "${quote}"`;
      problems.push({ code: 'quote_outside_article', message });
    }
  }
  return problems;
}

function wholeArticleProblems(
  c: Citation,
  law: LawText,
  refs: readonly ArticleReference[] | null,
): Found[] {
  const ref = refs?.length === 1 ? refs[0] : undefined;
  if (ref === undefined) {
    const message = `wholeArticle needs an article that names one article, not "${c.article}"`;
    return [{ code: 'whole_article_mismatch', message }];
  }
  const article = law.articles.get(ref.article);
  if (article === undefined) return [];
  const quotes = typeof c.quote === 'string' ? [c.quote] : (c.quote ?? []);
  const same =
    quotes.length === article.blocks.length && quotes.every((q, i) => q === article.blocks[i]);
  if (same) return [];
  const index = article.blocks.findIndex((b, i) => quotes[i] !== b);
  const expected = article.blocks[index] ?? '(nothing more)';
  const message = `wholeArticle: the quote must list the ${article.blocks.length} paragraph(s) of ${formatReference({ article: ref.article })} exactly, one string each; paragraph ${index + 1} should be "${expected}"`;
  return [{ code: 'whole_article_mismatch', message }];
}

/**
 * The comments of a rule file: those before `parameters:` (the header), and those inside or just
 * above each parameter, by its path. A comment above a key belongs to that key; any other comment
 * to the parameter it sits in.
 */
export function commentsOf(raw: string): { header: string[]; byPath: Map<string, string[]> } {
  const header: string[] = [];
  const byPath = new Map<string, string[]>();
  let current: string | null = null;
  let inParameters = false;
  let pending: string[] = [];
  const keep = (path: string | null, texts: string[]) => {
    if (path === null) header.push(...texts);
    else byPath.set(path, [...(byPath.get(path) ?? []), ...texts]);
  };
  for (const line of raw.split(/\r?\n/)) {
    const full = /^\s*#(.*)$/.exec(line);
    if (full !== null) {
      pending.push(full[1] ?? '');
      continue;
    }
    if (line.trim() === '') continue;
    if (/^parameters:\s*(#.*)?$/.test(line)) inParameters = true;
    const key = inParameters ? /^ {2}([a-z0-9_]+(?:\.[a-z0-9_]+)+):/.exec(line) : null;
    if (key !== null) current = key[1] ?? null;
    keep(current, pending);
    pending = [];
    const trailing = trailingComment(line);
    if (trailing !== null) keep(current, [trailing]);
  }
  keep(current, pending);
  return { header, byPath };
}

/** The comment after a value on the same line (` # …` outside quotes), or null. */
function trailingComment(line: string): string | null {
  const at = commentStart(line);
  return at === null || at === 0 ? null : line.slice(at + 1);
}
