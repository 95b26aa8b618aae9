import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { testRuleBook } from '../../../runtime/testing.ts';
import {
  adjustmentFundRulesAt,
  buildPoolingParams,
  lookupPoolingParam,
  poolingModeAt,
  ratioAt,
  unifiedRulesAt,
  usesDemoValues,
} from './pooling-params.ts';

describe('pooling parameters (src/rules/values/pooling/*.yaml)', () => {
  const params = testRuleBook().pooling;

  it('loads the committed files, every value cited', () => {
    expect([...params.keys()]).toEqual(['000000', '330000', '340000', '410000']);
    for (const [, paths] of params)
      for (const [, values] of paths)
        for (const v of values) expect(v.citation.instrument.length).toBeGreaterThan(0);
  });

  it('浙江 pools by adjustment fund until 2023 and unified from 2024 (dated)', () => {
    expect(poolingModeAt(params, '330000', '2023-12-31').value).toBe('adjustment_fund');
    expect(poolingModeAt(params, '330000', '2024-01-01').value).toBe('unified');
  });

  it('adjustment-fund ratios of 浙江 are demo placeholders and say so', () => {
    const r = adjustmentFundRulesAt(params, '330000', '2023-12-31');
    expect(r.rules).toEqual({
      remittanceRate: '0.05',
      reserveRate: '0.02',
      policyGapCoverageShare: '0.8',
    });
    expect(usesDemoValues(r.used)).toBe(true);
    expect(() => adjustmentFundRulesAt(params, '330000', '2024-06-30')).toThrow(
      /no pooling parameter/,
    );
  });

  it('河南 reserve 7 % = 2 % + 5 % is legislated (《河南省工伤保险条例》第十条第一款, V)', () => {
    const total = ratioAt(params, '410000', 'reserve.total_ratio', '2024-01-01');
    expect(total).toMatchObject({
      value: '0.07',
      status: 'legislated',
      citation: { confidence: 'V' },
    });
    expect(ratioAt(params, '410000', 'reserve.province_ratio', '2024-01-01').value).toBe('0.02');
    expect(ratioAt(params, '410000', 'reserve.city_ratio', '2024-01-01').value).toBe('0.05');
  });

  it('prevention cap: 河南 5 % until 13号, then the national 3 % (fallback to 000000)', () => {
    expect(lookupPoolingParam(params, '410000', 'prevention.cap_ratio', '2017-08-16')?.value).toBe(
      '0.05',
    );
    const after = lookupPoolingParam(params, '410000', 'prevention.cap_ratio', '2017-08-17');
    expect(after).toMatchObject({ value: '0.03', region: '000000' });
    expect(
      lookupPoolingParam(params, '330000', 'prevention.cap_ratio', '2016-01-01'),
    ).toBeUndefined();
  });

  it('安徽 gap sharing table parses as unified rules', () => {
    const r = unifiedRulesAt(params, '340000', '2024-12-31');
    expect(r.rules.baseProvinceShare).toEqual({ budgetedSurplus: '0.9', budgetedDeficit: '0.8' });
    expect(r.rules.bands).toHaveLength(2);
  });

  it('a broken file is refused naming file and path; overlapping dates are refused', () => {
    const doc = (text: string) => [
      {
        file: 'values/pooling/110000.yaml',
        name: '110000.yaml',
        folder: '',
        content: { ok: true as const, data: parseYaml(text) },
      },
    ];
    const cited = 'citation: { instrument: i, article: a }';
    const head = 'parameters:\n  a.b:\n    description: x\n    unit: ratio\n    values:\n';
    const floatValue = `${head}      - { from: 2020-01-01, status: demo, value: 0.5, ${cited} }\n      - { from: 2020-01-01, status: demo, value: "1", ${cited} }\n`;
    expect(() => buildPoolingParams(doc(floatValue))).toThrow(
      /110000.yaml: parameters.a.b.values.0.value/,
    );
    const overlap = `${head}      - { from: 2020-01-01, status: demo, value: "0.5", ${cited} }\n      - { from: 2020-06-01, status: demo, value: "1", ${cited} }\n`;
    expect(() => buildPoolingParams(doc(overlap))).toThrow(/overlaps/);
  });

  it('refuses a file not named by a region code, and text that is not YAML', () => {
    const docs = [
      { file: 'x/zj.yaml', name: 'zj.yaml', folder: '', content: { ok: true as const, data: {} } },
      {
        file: 'x/330000.yaml',
        name: '330000.yaml',
        folder: '',
        content: { ok: false as const, message: 'bad indentation' },
      },
    ];
    expect(() => buildPoolingParams(docs)).toThrow(/330000.yaml: \(yaml\): bad indentation/);
    expect(() => buildPoolingParams(docs)).toThrow(/zj.yaml: file names are 6-digit region codes/);
  });
});

describe('河南 pooling parameters in time', () => {
  const params = testRuleBook().pooling;
  it('河南 values start when the 条例 took effect, 2007-10-01 (《河南省工伤保险条例》第四十七条), not at its adoption', () => {
    for (const path of ['reserve.total_ratio', 'reserve.province_ratio', 'reserve.city_ratio']) {
      expect(lookupPoolingParam(params, '410000', path, '2007-09-30')).toBeUndefined();
      expect(lookupPoolingParam(params, '410000', path, '2007-10-01')?.region).toBe('410000');
    }
    expect(lookupPoolingParam(params, '410000', 'prevention.cap_ratio', '2007-10-01')?.value).toBe(
      '0.05',
    );
  });
});
