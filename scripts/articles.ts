// `npm run articles`: writes docs/articles.md, the index of every cited article (see
// article-index.ts). Run it after changing a citation, a rule function or a scenario.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { calculateFromUnknown, parseOverlay } from '../src/rules/calculator/index.ts';
import { rateFromUnknown } from '../src/rules/contributions/rate.ts';
import type { RuleBook } from '../src/rules/rule-book.ts';
import { loadRuleBook } from '../src/runtime/rule-files.ts';
import {
  articleIndex,
  type CodeFile,
  type ParameterCitation,
  type ScenarioRun,
} from './article-index.ts';

const root = resolve(import.meta.dirname, '..');
export const ARTICLES_FILE = join(root, 'docs', 'articles.md');

/** The checkers' own sources and tests cite made-up articles as examples: not rule code. */
const NOT_RULE_CODE = /(\.test\.ts|\/parameters\/(law-text|citation-form|quotes)\.ts)$/;

function files(dir: string, suffix: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, suffix, out);
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

function parameterCitations(book: RuleBook): ParameterCitation[] {
  const out: ParameterCitation[] = [];
  for (const [region, params] of book.benefits.regions)
    for (const [path, def] of params)
      for (const v of def.values)
        if (v.citation !== undefined) out.push({ family: 'benefits', region, path, ...v.citation });
  const families = [
    ['pooling', book.pooling],
    ['indicators', book.indicators],
  ] as const;
  for (const [family, set] of families)
    for (const [region, params] of set)
      for (const [path, values] of params)
        for (const v of values) out.push({ family, region, path, ...v.citation });
  return out;
}

function codeFiles(): CodeFile[] {
  return files(join(root, 'src', 'rules'), '.ts')
    .map((path) => relative(root, path).replaceAll('\\', '/'))
    .filter((file) => !NOT_RULE_CODE.test(file))
    .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
}

type Scenario = { name: string; input: unknown; reform?: unknown };

/**
 * The citations of one scenario's result: contributions/*.yaml are rate cases
 * (contribution-scenarios.test.ts), the others benefit cases (scenarios.test.ts).
 */
function scenarioCitations(file: string, s: Scenario, book: RuleBook): string[] {
  if (file.startsWith('contributions/')) {
    const rate = rateFromUnknown(s.input, book.benefits);
    return rate.ok ? rate.body.citations : [];
  }
  const reform = s.reform === undefined ? undefined : parseOverlay(s.reform);
  const options = reform?.ok === true ? { reform: reform.value } : {};
  const response = calculateFromUnknown(s.input, book.benefits, options);
  return response.ok ? response.body.items.map((i) => i.citation) : [];
}

/** Each scenario run as its test runs it, keeping the citations of its result. */
function scenarioRuns(book: RuleBook): ScenarioRun[] {
  const runs: ScenarioRun[] = [];
  for (const path of files(join(root, 'src', 'rules', 'scenarios'), '.yaml')) {
    const file = relative(join(root, 'src', 'rules', 'scenarios'), path);
    for (const s of parse(readFileSync(path, 'utf8')) as Scenario[]) {
      runs.push({ file, name: s.name, citations: scenarioCitations(file, s, book) });
    }
  }
  return runs;
}

/** The index as the sources read now give it. */
export function currentArticleIndex(): string {
  const book = loadRuleBook();
  return articleIndex({
    parameters: parameterCitations(book),
    code: codeFiles(),
    scenarios: scenarioRuns(book),
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  writeFileSync(ARTICLES_FILE, currentArticleIndex());
  console.log(`wrote ${relative(process.cwd(), ARTICLES_FILE)}`);
}
