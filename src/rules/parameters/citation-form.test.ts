import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFormProblem, nonCanonicalCitations } from './citation-form.ts';

const root = resolve(import.meta.dirname, '../../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|yaml)$/.test(name)) out.push(path);
  }
  return out;
}

// The checkers and their tests plant references to made-up and mis-written articles on purpose.
const SELF = [
  'src/rules/parameters/citation-form.ts',
  'src/rules/parameters/citation-form.test.ts',
  'src/rules/parameters/law-text.ts',
  'src/rules/parameters/law-text.test.ts',
  'src/rules/parameters/quotes.test.ts',
];

describe('one citation form in src/rules', () => {
  it('has no citation outside the form 《工伤保险条例》第三十七条第一款第（一）项 (code, tests, YAML comments)', () => {
    const problems = sources(join(root, 'src/rules'))
      .map((path) => relative(root, path))
      .filter((file) => !SELF.includes(file))
      .flatMap((file) => nonCanonicalCitations(file, readFileSync(join(root, file), 'utf8')))
      .map(formatFormProblem);
    expect(problems).toEqual([]);
  });
});

describe('the form check', () => {
  const found = (file: string, text: string) =>
    nonCanonicalCitations(file, text).map((p) => p.found);

  it('passes canonical citations, lists joined by 、 and document numbers', () => {
    const text = [
      '// 《工伤保险条例》第三十六条第二款、第三十七条第一款第（二）项 and 《社会保险法》第三十八条',
      "const basis = '人社部规〔2017〕13号第五条';",
      "const yaml = '{ instrument: 《工伤保险条例》, article: 第三十四条 }';",
    ].join('\n');
    expect(found('a.ts', text)).toEqual([]);
  });

  it('catches English numbers, paragraph signs, items without paragraph or brackets, bare articles', () => {
    const text = [
      '// 条例 Art. 37 (二) and Art. 36 ¶2',
      "const zh = '《工伤保险条例》第三十七条第（二）项';",
      '// 第三十九条第一款第二项',
      '// 河南 2007 第二十七条',
    ].join('\n');
    expect(found('a.ts', text)).toEqual([
      'Art. 37',
      'Art. 36',
      '¶2',
      '第三十七条第（二）项',
      '第二项',
      '第三十九条第一款',
      '第二十七条',
    ]);
  });

  it('names the file and line of each', () => {
    const problems = nonCanonicalCitations('src/rules/x.ts', '\n// 条例 第三十五条\n');
    expect(problems.map(formatFormProblem)).toEqual([
      'src/rules/x.ts:2: "第三十五条": no instrument: write 《工伤保险条例》第X条 (or the provincial title) before it',
    ]);
  });

  it('lets en: texts keep an English citation, and reads only the comments of YAML', () => {
    expect(found('a.ts', "const c = { zh: '《工伤保险条例》第三十四条', en: 'Art. 34' };")).toEqual(
      [],
    );
    const yaml = 'name: 河南 第二十七条 scenario # 条例 Art. 36\nquote: "# 第三条"';
    expect(found('a.yaml', yaml)).toEqual(['Art. 36']);
  });
});
