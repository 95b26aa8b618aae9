import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleSetLoadError } from '../rules/parameters/benefit-files.ts';
import { RULE_FAMILIES } from '../rules/rule-book.ts';
import { loadRuleBook, loadRuleFamily, readRuleDocuments } from './rule-files.ts';

const cite = '{ instrument: 《工伤保险条例》, article: 第三十四条 }';
const ratio = (value: string) =>
  `parameters:\n  a.b:\n    description: x\n    unit: ratio\n    values:\n      - { from: 2020-01-01, status: demo, value: ${value}, citation: ${cite} }\n`;

/** A values folder in a temporary directory: relative path → text. */
function valuesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tc-values-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the committed rule book', () => {
  const book = loadRuleBook();
  it('loads every family of the table', () => {
    expect(Object.keys(book).sort()).toEqual(Object.keys(RULE_FAMILIES).sort());
    expect([...book.benefits.regions.keys()]).toEqual(['000000', '330000', '410000']);
    expect([...book.pooling.keys()]).toEqual(['000000', '330000', '340000', '410000']);
    expect([...book.indicators.keys()]).toEqual(['330000']);
  });
  it('gives the same snapshot id on every load (a content hash)', () => {
    expect(loadRuleBook().benefits.snapshotId).toBe(book.benefits.snapshotId);
  });
});

describe('reading rule files', () => {
  it('reads only 6-digit region folders for the benefits and only the family folder for pooling', () => {
    const dir = valuesDir({
      '000000/a.yaml': ratio('"0.5"'),
      'notes/b.yaml': ratio('"0.5"'),
      'pooling/110000.yaml': ratio('"0.5"'),
      'pooling/indicators/110000.yaml': 'parameters: {}\n',
    });
    const benefits = readRuleDocuments(dir, RULE_FAMILIES.benefits);
    expect(benefits.map((d) => [d.folder, d.name])).toEqual([['000000', 'a.yaml']]);
    const pooling = readRuleDocuments(dir, RULE_FAMILIES.pooling);
    expect(pooling.map((d) => d.name)).toEqual(['110000.yaml']);
  });
  it('hands text that is not YAML to the builder, which names the file', () => {
    const dir = valuesDir({ '000000/bad.yaml': 'parameters: [unclosed\n' });
    try {
      loadRuleFamily('benefits', dir);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleSetLoadError);
      if (!(err instanceof RuleSetLoadError)) return;
      expect(err.issues[0]?.file).toContain('000000/bad.yaml');
      expect(err.issues[0]?.key).toBe('(yaml)');
    }
  });
  it('reports the pooling and indicator families by file and path', () => {
    const dir = valuesDir({
      'pooling/110000.yaml': ratio('0.5'),
      'pooling/indicators/110000.yaml': `parameters:\n  alert.months:\n    description: x\n    unit: months\n    values:\n      - { from: 2020-01-01, status: demo, value: low, citation: ${cite} }\n`,
    });
    expect(() => loadRuleFamily('pooling', dir)).toThrow(
      /pooling parameters failed to load:\n {2}110000.yaml: parameters.a.b.values.0.value/,
    );
    expect(() => loadRuleFamily('indicators', dir)).toThrow(
      /110000.yaml: alert.months: a months value must be a decimal string/,
    );
  });
});
