import ts from 'typescript';
import {
  type ArticleReference,
  type CitationInText,
  citationsInText,
  formatReference,
} from '../src/rules/parameters/law-text.ts';

/**
 * The article index (docs/articles.md): for every article cited in the rule files, in the code of
 * src/rules or in a scenario's result, the parameters citing it, the functions applying it and the
 * scenarios testing it. Pure: scripts/articles.ts gathers the sources and writes the file; the test
 * beside it fails when the committed file differs from what this returns.
 */

/** A parameter value's citation: `${instrument}${article}` is read for canonical citations. */
export type ParameterCitation = {
  readonly family: 'benefits' | 'pooling' | 'indicators';
  readonly region: string;
  readonly path: string;
  readonly instrument: string;
  readonly article: string;
};

export type CodeFile = { readonly file: string; readonly text: string };

/** A scenario as run: the citations of its result's items, and its name (which may cite too). */
export type ScenarioRun = {
  readonly file: string;
  readonly name: string;
  readonly citations: readonly string[];
};

export type IndexSources = {
  readonly parameters: readonly ParameterCitation[];
  readonly code: readonly CodeFile[];
  readonly scenarios: readonly ScenarioRun[];
};

type Entry = {
  instrument: string;
  article: number;
  parameters: Set<string>;
  functions: Set<string>;
  code: Set<string>;
  scenarios: Set<string>;
};

type Index = Map<string, Entry>;

function entryOf(index: Index, instrument: string, article: number): Entry {
  const key = `${instrument}\u0000${article}`;
  let entry = index.get(key);
  if (entry === undefined) {
    const sets = { parameters: new Set<string>(), functions: new Set<string>() };
    entry = { instrument, article, ...sets, code: new Set(), scenarios: new Set() };
    index.set(key, entry);
  }
  return entry;
}

/** The unit below the article (第二款, 第一款第（二）项), for a parameter that names one. */
function unitBelowArticle(ref: ArticleReference): string {
  return formatReference(ref).replace(/^第[^条]+条/, '');
}

function addParameters(index: Index, parameters: readonly ParameterCitation[]): void {
  for (const p of parameters) {
    const family = p.family === 'benefits' ? '' : ` (${p.family})`;
    for (const c of citationsInText(`${p.instrument}${p.article}`)) {
      for (const ref of c.refs) {
        const unit = unitBelowArticle(ref);
        const label = `\`${p.region}:${p.path}\`${family}${unit === '' ? '' : ` ${unit}`}`;
        entryOf(index, c.instrument, ref.article).parameters.add(label);
      }
    }
  }
}

type Declaration = { name: string; isFunction: boolean; start: number; end: number };

function nameOf(statement: ts.Statement): string | null {
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement)) &&
    statement.name !== undefined
  )
    return statement.name.text;
  return null;
}

/** The top-level declarations of a source file, each with its leading doc comment. */
function declarationsOf(file: string, text: string): Declaration[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Declaration[] = [];
  for (const statement of source.statements) {
    const span = { start: statement.getFullStart(), end: statement.getEnd() };
    const name = nameOf(statement);
    if (name !== null)
      found.push({ name, isFunction: ts.isFunctionDeclaration(statement), ...span });
    else if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        const isFunction =
          init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init));
        if (ts.isIdentifier(d.name)) found.push({ name: d.name.text, isFunction, ...span });
      }
  }
  return found;
}

/**
 * Functions cite an article in their doc comment or body, or through a table or constant of the
 * same file they use (wage-base's CITE): both count as applying it.
 */
function addCode(index: Index, files: readonly CodeFile[]): void {
  for (const { file, text } of files) {
    const declarations = declarationsOf(file, text);
    const functions = declarations.filter((d) => d.isFunction);
    for (const c of citationsInText(text)) {
      const at = declarations.find((d) => d.start <= c.index && c.index < d.end);
      const users =
        at === undefined || at.isFunction
          ? []
          : functions.filter((f) =>
              new RegExp(`\\b${at.name}\\b`).test(text.slice(f.start, f.end)),
            );
      for (const ref of c.refs) {
        const entry = entryOf(index, c.instrument, ref.article);
        if (at?.isFunction === true) entry.functions.add(`\`${at.name}\` (${file})`);
        else entry.code.add(at === undefined ? file : `\`${at.name}\` (${file})`);
        for (const f of users) entry.functions.add(`\`${f.name}\` (${file})`);
      }
    }
  }
}

function addScenarios(index: Index, scenarios: readonly ScenarioRun[]): void {
  for (const s of scenarios) {
    const cited: CitationInText[] = [s.name, ...s.citations].flatMap(citationsInText);
    for (const c of cited)
      for (const ref of c.refs)
        entryOf(index, c.instrument, ref.article).scenarios.add(`${s.file}: ${s.name}`);
  }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function line(label: string, items: ReadonlySet<string>): string[] {
  if (items.size === 0) return [];
  const sorted = [...items].sort(byCodePoint);
  return [`- ${label}:`, ...sorted.map((item) => `  - ${item}`)];
}

/** docs/articles.md: sorted by instrument, then by article number (第九条 before 第十条). */
export function articleIndex(sources: IndexSources): string {
  const index: Index = new Map();
  addParameters(index, sources.parameters);
  addCode(index, sources.code);
  addScenarios(index, sources.scenarios);
  const entries = [...index.values()].sort(
    (a, b) => byCodePoint(a.instrument, b.instrument) || a.article - b.article,
  );
  const out = [
    '# Article index',
    '',
    'Generated by `npm run articles` (scripts/articles.ts); do not edit by hand. For every article',
    'cited in the rule files (`src/rules/values/**`), in the code of `src/rules/` or in the result of',
    'a scenario (`src/rules/scenarios/*.yaml`): the parameters citing it (region:path, with the',
    'paragraph or item when one is named), the functions whose doc comment or body cites it or that',
    'use a table or constant of their file citing it, other code citing it, and the scenarios whose',
    'result or name cites it. `scripts/articles.test.ts` fails when this file is stale.',
  ];
  let instrument: string | null = null;
  for (const e of entries) {
    if (e.instrument !== instrument) out.push('', `## ${e.instrument}`);
    instrument = e.instrument;
    out.push('', `### ${e.instrument}${formatReference({ article: e.article })}`, '');
    out.push(...line('Parameters', e.parameters), ...line('Functions', e.functions));
    out.push(...line('Other code', e.code), ...line('Scenarios', e.scenarios));
  }
  return `${out.join('\n')}\n`;
}
