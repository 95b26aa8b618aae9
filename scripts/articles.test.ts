import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleIndex } from './article-index.ts';
import { ARTICLES_FILE, currentArticleIndex } from './articles.ts';

describe('docs/articles.md', () => {
  it('is up to date with the rule files, src/rules and the scenarios (else run npm run articles)', () => {
    const committed = readFileSync(ARTICLES_FILE, 'utf8');
    const stale = committed !== currentArticleIndex();
    expect(stale, 'docs/articles.md is stale: run `npm run articles` and commit it').toBe(false);
  });
});

describe('the article index', () => {
  const index = articleIndex({
    parameters: [
      {
        family: 'benefits',
        region: '000000',
        path: 'death.survivor_rate',
        instrument: '《工伤保险条例》',
        article: '第三十九条第一款第（二）项',
      },
      {
        family: 'pooling',
        region: '000000',
        path: 'x.y',
        instrument: '人社部发〔2018〕25号',
        article: '一、',
      },
    ],
    code: [
      {
        file: 'src/rules/benefits/death.ts',
        text: [
          "const CITE = '《工伤保险条例》第三十九条第一款第（二）项';",
          '/** 丧葬补助金 (《工伤保险条例》第三十九条第一款第（一）项). */',
          'export function funeralGrant() {}',
          'export function survivorPensions() { return CITE; }',
          'function unrelated() {}',
        ].join('\n'),
      },
    ],
    scenarios: [
      {
        file: 'death.yaml',
        name: '配偶一人',
        citations: ['《工伤保险条例》第三十九条第一款第（二）项'],
      },
      { file: 'disability.yaml', name: '《工伤保险条例》第九条 in the name', citations: [] },
    ],
  });

  it('lists, per article, the parameters, the functions (directly or through a constant) and the scenarios', () => {
    expect(index).toContain(
      [
        '### 《工伤保险条例》第三十九条',
        '',
        '- Parameters:',
        '  - `000000:death.survivor_rate` 第一款第（二）项',
        '- Functions:',
        '  - `funeralGrant` (src/rules/benefits/death.ts)',
        '  - `survivorPensions` (src/rules/benefits/death.ts)',
        '- Other code:',
        '  - `CITE` (src/rules/benefits/death.ts)',
        '- Scenarios:',
        '  - death.yaml: 配偶一人',
      ].join('\n'),
    );
    expect(index).not.toContain('unrelated');
  });

  it('sorts by article number, not by the characters of the numeral, and skips non-articles', () => {
    expect(index.indexOf('### 《工伤保险条例》第九条')).toBeLessThan(
      index.indexOf('### 《工伤保险条例》第三十九条'),
    );
    expect(index).not.toContain('人社部发〔2018〕25号');
  });
});
