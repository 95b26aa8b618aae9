import { describe, expect, it } from 'vitest';
import {
  chineseNumeral,
  citationsInText,
  formatReference,
  locate,
  parseChineseNumeral,
  parseLawText,
  parseReference,
  parseReferenceList,
  scopeOf,
} from './law-text.ts';

describe('Chinese numerals', () => {
  const pairs: [number, string][] = [
    [1, '一'],
    [10, '十'],
    [15, '十五'],
    [20, '二十'],
    [27, '二十七'],
    [100, '一百'],
    [105, '一百零五'],
    [110, '一百一十'],
    [1001, '一千零一'],
  ];
  it.each(pairs)('%i is written %s and read back', (n, text) => {
    expect(chineseNumeral(n)).toBe(text);
    expect(parseChineseNumeral(text)).toBe(n);
  });
  it('reads every number 1–999 back to itself', () => {
    for (let n = 1; n < 1000; n++) expect(parseChineseNumeral(chineseNumeral(n))).toBe(n);
  });
  it('refuses what is not a numeral', () => {
    expect(parseChineseNumeral('三十七条')).toBeNull();
    expect(parseChineseNumeral('二三')).toBeNull();
    expect(parseChineseNumeral('37')).toBeNull();
  });
});

describe('the canonical reference', () => {
  it('reads 第X条 / 第X条第Y款 / 第X条第Y款第（Z）项 and writes them back', () => {
    for (const text of ['第三十七条', '第六十四条第二款', '第三十九条第一款第（二）项']) {
      const ref = parseReference(text);
      expect(ref).not.toBeNull();
      if (ref !== null) expect(formatReference(ref)).toBe(text);
    }
    expect(parseReference('第三十九条第一款第（二）项')).toEqual({
      article: 39,
      paragraph: 1,
      item: 2,
    });
  });
  it('refuses other forms: an item without its paragraph, Arabic numbers, half-width brackets', () => {
    for (const text of ['第三十七条第（二）项', '第37条', '第三十九条第一款第(二)项', 'Art. 37'])
      expect(parseReference(text)).toBeNull();
  });
  it('reads a list joined by 、 only when each part is written in full', () => {
    expect(parseReferenceList('第三十五条第一款第（一）项、第三十六条第一款第（一）项')).toEqual([
      { article: 35, paragraph: 1, item: 1 },
      { article: 36, paragraph: 1, item: 1 },
    ]);
    expect(parseReferenceList('第三十五条、第（一）项')).toBeNull();
  });
});

const TEXT = [
  '# 某条例',
  '',
  '<!-- INFO END -->',
  '',
  '## 第一章 总则',
  '',
  '第一条 第一款的句子。',
  '',
  '第二款的句子，',
  '跨行写完。',
  '',
  '第二条 享受以下待遇：',
  '',
  '(一)甲项；',
  '',
  '(二)乙项。',
  '',
  '第二款。',
  '',
  '## 第二章 附则',
  '',
  '章标题后的段落不属于第二条。',
  '',
  '第三条 本条例自公布之日起施行。',
].join('\n');

describe('a law text split into articles, paragraphs and items', () => {
  const law = parseLawText(TEXT);
  it('joins the lines of a paragraph and strips the article label', () => {
    expect(law.articles.get(1)?.blocks).toEqual(['第一款的句子。', '第二款的句子，跨行写完。']);
    expect(law.articles.get(2)?.paragraphs).toEqual([
      { lead: '享受以下待遇：', items: ['(一)甲项；', '(二)乙项。'] },
      { lead: '第二款。', items: [] },
    ]);
  });
  it('ends an article at a heading', () => {
    expect(law.articles.get(2)?.blocks).not.toContain('章标题后的段落不属于第二条。');
    expect(law.articles.get(3)?.blocks).toEqual(['本条例自公布之日起施行。']);
  });
  it('gives the paragraphs a reference names, the lead-in with an item', () => {
    expect(scopeOf(law, { article: 2, paragraph: 1, item: 2 })).toEqual([
      '(二)乙项。',
      '享受以下待遇：',
    ]);
    expect(scopeOf(law, { article: 1, paragraph: 2 })).toEqual(['第二款的句子，跨行写完。']);
  });
  it('says what is missing when the text has no such article, paragraph or item', () => {
    expect(scopeOf(law, { article: 9 })).toBe('the text has no 第九条');
    expect(scopeOf(law, { article: 1, paragraph: 3 })).toBe(
      '第一条 has 2 paragraph(s), not 第一条第三款',
    );
    expect(scopeOf(law, { article: 2, paragraph: 1, item: 3 })).toBe(
      '第二条第一款 has no item 第（三）项',
    );
    expect(scopeOf(law, { article: 3, paragraph: 1 })).toBe(
      '第三条 has one paragraph: cite 第三条 without 第一款',
    );
  });
  it('locates a quote', () => {
    expect(locate(law, '乙项')).toBe('第二条第一款第（二）项');
    expect(locate(law, '跨行写完')).toBe('第一条第二款');
    expect(locate(law, '不在文中')).toBeNull();
  });
});

describe('citations in a text', () => {
  it('finds the instrument and every unit, lists and ranges included', () => {
    const text =
      '见《工伤保险条例》第三十六条第二款、第三十七条第一款第（二）项；人社部规〔2017〕13号第五条；《工伤保险条例》第三十四条至第三十六条';
    expect(citationsInText(text).map((c) => [c.instrument, c.refs.map(formatReference)])).toEqual([
      ['《工伤保险条例》', ['第三十六条第二款', '第三十七条第一款第（二）项']],
      ['人社部规〔2017〕13号', ['第五条']],
      ['《工伤保险条例》', ['第三十四条', '第三十五条', '第三十六条']],
    ]);
  });
});
