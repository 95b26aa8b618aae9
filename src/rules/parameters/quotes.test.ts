import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  checkQuotes,
  commentsOf,
  formatQuoteProblem,
  type LawLibrary,
  lawLibrary,
  type RuleFileText,
} from './quotes.ts';

const root = resolve(import.meta.dirname, '../../..');

/**
 * The held law texts, copied byte for byte into docs/law/ from ../shared/docs/law/ so that a clone
 * anywhere checks its quotes (Chinese laws are not subject to copyright, 《著作权法》第五条). The
 * copy is compared with the shared folder wherever that folder is found (beside the repository or
 * one of its parents), so it cannot drift unseen.
 */
const lawFolder = join(root, 'docs', 'law');

function sharedLawFolder(): string | null {
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'docs', 'law');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

function lawFiles(dir: string): Array<{ name: string; text: string }> {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

function heldLaws(): LawLibrary {
  return lawLibrary(lawFiles(lawFolder));
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

/** Every rule family's files: benefits values/<region>/, pooling values/pooling/, indicators. */
function ruleFiles(): RuleFileText[] {
  return yamlFiles(join(root, 'src/rules/values')).map((path) => {
    const raw = readFileSync(path, 'utf8');
    return { file: relative(root, path), raw, data: parse(raw) };
  });
}

describe('the committed rule files', () => {
  const shared = sharedLawFolder();
  it.runIf(shared !== null)('hold docs/law/ equal to ../shared/docs/law/, file by file', () => {
    if (shared === null) return;
    expect(lawFiles(lawFolder)).toEqual(lawFiles(shared));
  });

  it('find the held law texts', () => {
    const laws = heldLaws();
    expect([...laws.keys()]).toEqual(expect.arrayContaining(['工伤保险条例', '社会保险法']));
  });

  it('quote, for every citation of a held text, sentences found verbatim in the cited article', () => {
    const problems = checkQuotes(ruleFiles(), heldLaws()).map(formatQuoteProblem);
    expect(problems).toEqual([]);
  });
});

// ─────────────── the checker on planted documents ───────────────

const LAW = [
  '# 示例条例',
  '',
  '第一条 第一款。',
  '',
  '第二条 标准为：',
  '',
  '(一)甲为12个月；',
  '',
  '(二)乙为6个月。',
  '',
  '第二款，没有第三款。',
].join('\n');
const laws = lawLibrary([{ name: '示例条例(2020-01-01).md', text: LAW }]);

function fileOf(raw: string): RuleFileText {
  return { file: 'values/000000/x.yaml', raw, data: parse(raw) };
}

function parameterWith(citation: string, extra = ''): string {
  return `parameters:\n  a.b:\n    description: d\n    unit: months\n    values:\n      - from: 2020-01-01\n        status: legislated\n        value: 12\n        citation: ${citation}\n${extra}`;
}

describe('the quote check', () => {
  it('passes a quote found in the cited item', () => {
    const raw = parameterWith(
      '{ instrument: 《示例条例》, article: 第二条第一款第（一）项, quote: 甲为12个月 }',
    );
    expect(checkQuotes([fileOf(raw)], laws)).toEqual([]);
  });

  it('fails a planted wrong quote, naming the file, the parameter, the date and the quote', () => {
    const raw = parameterWith(
      '{ instrument: 《示例条例》, article: 第二条第一款第（一）项, quote: 甲为13个月 }',
    );
    const problems = checkQuotes([fileOf(raw)], laws);
    expect(problems.map(formatQuoteProblem)).toEqual([
      'values/000000/x.yaml: a.b (value from 2020-01-01): quote not found in 示例条例: "甲为13个月"',
    ]);
    expect(problems[0]?.code).toBe('quote_not_in_text');
  });

  it('fails a quote from another paragraph than the one cited', () => {
    const raw = parameterWith(
      '{ instrument: 《示例条例》, article: 第二条第二款, quote: 乙为6个月 }',
    );
    expect(checkQuotes([fileOf(raw)], laws).map((p) => p.message)).toEqual([
      'quote is in 第二条第一款第（二）项 of 示例条例, not in the cited 第二条第二款: "乙为6个月"',
    ]);
  });

  it('fails a missing quote, a non-canonical article, an absent paragraph and a dated instrument', () => {
    const cases: [string, string][] = [
      ['{ instrument: 《示例条例》, article: 第一条 }', 'quote_missing'],
      [
        '{ instrument: 《示例条例》, article: 第二条第（一）项, quote: 甲为12个月 }',
        'article_form',
      ],
      ['{ instrument: 《示例条例》, article: 第二条第三款, quote: 第二款 }', 'article_not_in_text'],
      ['{ instrument: 《示例条例》(2020), article: 第一条, quote: 第一款 }', 'instrument_form'],
    ];
    for (const [citation, code] of cases)
      expect(checkQuotes([fileOf(parameterWith(citation))], laws).map((p) => p.code)).toEqual([
        code,
      ]);
  });

  it('leaves sources not held alone', () => {
    const raw = parameterWith('{ instrument: 人社部发〔2018〕25号, article: 一、, confidence: M }');
    expect(checkQuotes([fileOf(raw)], laws)).toEqual([]);
  });

  it('asks for the whole article when a note says the text lacks something, and checks it', () => {
    const lacking = parameterWith(
      '{ instrument: 《示例条例》, article: 第二条, quote: 第二款 }',
      '        note: the text has no third paragraph\n',
    );
    expect(checkQuotes([fileOf(lacking)], laws).map((p) => p.code)).toEqual([
      'whole_article_required',
    ]);
    const partial = parameterWith(
      '{ instrument: 《示例条例》, article: 第二条, wholeArticle: true, quote: [标准为：, 第二款，没有第三款。] }',
      '        note: the text has no third paragraph\n',
    );
    expect(checkQuotes([fileOf(partial)], laws).map((p) => p.message)).toEqual([
      'wholeArticle: the quote must list the 4 paragraph(s) of 第二条 exactly, one string each; paragraph 2 should be "(一)甲为12个月；"',
    ]);
    const whole = parameterWith(
      '{ instrument: 《示例条例》, article: 第二条, wholeArticle: true, quote: [标准为：, (一)甲为12个月；, (二)乙为6个月。, 第二款，没有第三款。] }',
      '        note: the text has no third paragraph\n',
    );
    expect(checkQuotes([fileOf(whole)], laws)).toEqual([]);
  });

  it('reads a lacking claim in a YAML comment, above the key or in the file header', () => {
    const above = parameterWith(
      '{ instrument: 《示例条例》, article: 第一条, quote: 第一款 }',
    ).replace('  a.b:', '  # 第一条 has NO second paragraph\n  a.b:');
    expect(checkQuotes([fileOf(above)], laws).map((p) => `${p.path} ${p.code}`)).toEqual([
      'a.b whole_article_required',
    ]);
    const header = `# The text does not contain a cap.\n${parameterWith('{ instrument: 《示例条例》, article: 第一条, quote: 第一款 }')}`;
    expect(checkQuotes([fileOf(header)], laws).map((p) => `${p.path} ${p.code}`)).toEqual([
      '(file header) whole_article_required',
    ]);
  });
});

describe('comments of a rule file', () => {
  it('go to the header, to the key below them, or to the parameter they sit in', () => {
    const raw = [
      '# header',
      'parameters:',
      '  # above b',
      '  a.b:',
      '    values:',
      '      # inside b',
      '      - { from: 2020-01-01, note: "a # in quotes" } # trailing',
      '  # above d',
      '  c.d:',
      '    values: []',
    ].join('\n');
    const comments = commentsOf(raw);
    expect(comments.header).toEqual([' header']);
    expect(comments.byPath.get('a.b')).toEqual([' above b', ' inside b', ' trailing']);
    expect(comments.byPath.get('c.d')).toEqual([' above d']);
  });
});
