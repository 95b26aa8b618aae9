import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { addDays } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import type { RuleDocument } from '../rule-document.ts';
import { buildRuleSet, RuleSetLoadError } from './benefit-files.ts';
import { checkRuleSet, coverageWindowOf } from './check.ts';
import { lookup, regionChain, valuesApplying } from './lookup.ts';

/** In-memory documents as the runtime would hand them over: `<region>/<name>.yaml` → text. */
function documentsOf(files: Record<string, string>): RuleDocument[] {
  return Object.entries(files).map(([path, text]) => {
    const [folder = '', name = ''] = path.split('/');
    return { file: `values/${path}`, name, folder, content: { ok: true, data: parseYaml(text) } };
  });
}

const cite = '{ instrument: 《工伤保险条例》, article: 第三十四条 }';

describe('committed parameters', () => {
  const rules = testRuleBook().benefits;
  it('pass the check: citations, no gaps or overlaps in 2011–2030, complete tables', () => {
    expect(checkRuleSet(rules)).toEqual([]);
  });
  it('cover every day of their window (2011-01-01 … 2030-12-31, wider where declared) once', () => {
    const problems: string[] = [];
    for (const [region, params] of rules.regions) {
      for (const def of params.values()) {
        const window = coverageWindowOf(def.path);
        for (let d: string = window.from; d <= window.to; d = addDays(d, 1)) {
          const values = valuesApplying(def, d).length;
          const gaps = def.gaps.filter((g) => g.from <= d && d <= g.until).length;
          if (values + gaps !== 1)
            problems.push(`${region} ${def.path} ${d}: ${values} value(s), ${gaps} gap(s)`);
          if (problems.length > 20) break;
        }
      }
    }
    expect(problems).toEqual([]);
  });
  it('has a stable content hash as snapshot id', () => {
    expect(rules.snapshotId).toMatch(/^[0-9a-f]{64}$/);
    expect(buildRuleSet([]).snapshotId).not.toBe(rules.snapshotId);
  });
  it('falls back region → province → national', () => {
    expect(regionChain('330106')).toEqual(['330106', '330000', '000000']);
    const months = lookup(rules, '330106', 'disability.lump_sum_months', '2024-01-01');
    expect(months?.region).toBe('000000');
    const grant = lookup(rules, '330106', 'separation.medical_grant_months', '2024-01-01');
    expect(grant?.region).toBe('330000');
    expect(lookup(rules, '330106', 'separation.medical_grant_months', '2017-12-31')).toBeNull();
  });
});

describe('builder failures', () => {
  it('names the file and the key of a schema error', () => {
    const docs = documentsOf({
      '000000/bad.yaml': `parameters:\n  nursing.rate:\n    description: x\n    unit: ratio\n    values:\n      - { from: 2011-01-01, status: maybe, value: "0.5", citation: ${cite} }\n`,
    });
    try {
      buildRuleSet(docs);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleSetLoadError);
      const issue = (err as RuleSetLoadError).issues[0]!;
      expect(issue.file).toContain('000000/bad.yaml');
      expect(issue.key).toBe('parameters.nursing.rate.values.0.status');
    }
  });
  it('reports text that is not YAML under the key (yaml)', () => {
    const doc: RuleDocument = {
      file: 'values/000000/broken.yaml',
      name: 'broken.yaml',
      folder: '000000',
      content: { ok: false, message: 'unexpected end of the stream' },
    };
    expect(() => buildRuleSet([doc])).toThrow(/values\/000000\/broken\.yaml: \(yaml\): unexpected/);
  });
  it('names both files when a parameter is defined twice in a region', () => {
    const text = `parameters:\n  nursing.rate:\n    description: x\n    unit: ratio\n    values:\n      - { from: 2011-01-01, status: legislated, value: "0.5", citation: ${cite} }\n`;
    const docs = documentsOf({ '000000/a.yaml': text, '000000/b.yaml': text });
    expect(() => buildRuleSet(docs)).toThrow(
      /values\/000000\/b\.yaml: parameters\.nursing\.rate: already defined in values\/000000\/a\.yaml/,
    );
  });
  it('rejects YAML floats (they would be binary) naming the key', () => {
    const docs = documentsOf({
      '000000/bad.yaml': `parameters:\n  nursing.rate:\n    description: x\n    unit: ratio\n    values:\n      - { from: 2011-01-01, status: legislated, value: 0.5, citation: ${cite} }\n`,
    });
    expect(() => buildRuleSet(docs)).toThrow(/parameters\.nursing\.rate\.values\.0\.value/);
  });
});

describe('check failures', () => {
  it('reports a missing citation, a gap, an overlap and a missing grade', () => {
    const docs = documentsOf({
      '000000/a.yaml': [
        'parameters:',
        '  death.funeral_months:',
        '    description: x',
        '    unit: months',
        '    values:',
        '      - { from: 2011-01-01, until: 2015-12-31, status: legislated, value: 6 }',
        `      - { from: 2016-02-01, status: legislated, value: 6, citation: ${cite} }`,
        '  death.lump_sum_multiple:',
        '    description: x',
        '    unit: times',
        '    values:',
        `      - { from: 2011-01-01, status: legislated, value: 20, citation: ${cite} }`,
        `      - { from: 2020-01-01, status: legislated, value: 21, citation: ${cite} }`,
        '  disability.lump_sum_months:',
        '    description: x',
        '    unit: months',
        '    keys: grade_1_10',
        '    values:',
        `      - { from: 2011-01-01, status: legislated, value: { "1": 27, "2": 25, "3": 23, "4": 21, "5": 18, "6": 16, "7": 13, "8": 11, "9": 9 }, citation: ${cite} }`,
        '',
      ].join('\n'),
    });
    const issues = checkRuleSet(buildRuleSet(docs));
    const summary = issues.map((i) => `${i.path} ${i.code}`).sort();
    expect(summary).toEqual([
      'death.funeral_months citation_missing',
      'death.funeral_months date_gap',
      'death.lump_sum_multiple date_overlap',
      'disability.lump_sum_months table_key_missing',
    ]);
    expect(issues.find((i) => i.code === 'date_gap')?.message).toContain(
      '2016-01-01 to 2016-01-31',
    );
    expect(issues.find((i) => i.code === 'table_key_missing')?.message).toContain('key 10');
  });
  it('accepts a declared gap but not an undeclared one', () => {
    const docs = documentsOf({
      '000000/a.yaml': [
        'parameters:',
        '  death.funeral_months:',
        '    description: x',
        '    unit: months',
        '    values:',
        `      - { from: 2015-01-01, status: legislated, value: 6, citation: ${cite} }`,
        '    gaps:',
        '      - { from: 2011-01-01, until: 2014-12-31, reason: not modelled before 2015 }',
        '',
      ].join('\n'),
    });
    expect(checkRuleSet(buildRuleSet(docs))).toEqual([]);
  });
});

describe('wider coverage windows', () => {
  it('checks regulation.benefit_regime from 2004-01-01: the years before 2011 need a declared gap', () => {
    const regime = (gap: string) =>
      documentsOf({
        '000000/t.yaml': [
          'parameters:',
          '  regulation.benefit_regime:',
          '    description: x',
          '    unit: text',
          '    values:',
          `      - { from: 2011-01-01, status: legislated, value: revised, citation: ${cite} }`,
          gap,
          '',
        ].join('\n'),
      });
    const issues = checkRuleSet(buildRuleSet(regime('')));
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['date_gap', 'no value and no declared gap from 2004-01-01 to 2010-12-31'],
    ]);
    const declared = regime(
      '    gaps:\n      - { from: 2004-01-01, until: 2010-12-31, reason: the 2003 text is not held, missing: [the 2003 values] }',
    );
    expect(checkRuleSet(buildRuleSet(declared))).toEqual([]);
  });
});
