import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { poolingModeAt } from '../rules/fund/pooling/pooling-params.ts';
import {
  DEMO_PROVINCE_FILE,
  loadDemoProvince,
  PROVINCES_DIR,
  readProvinceDefinition,
} from './province-files.ts';
import { testRuleBook } from './testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'tc-province-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const today = new Date().toISOString().slice(0, 10);
const messageOf = (r: { ok: boolean; message?: string }) => (r.ok ? '' : (r.message ?? ''));

describe('province definition files', () => {
  it('the demo province is one: 浙江, 11 cities, its administrator and twelve demo users', () => {
    const demo = loadDemoProvince();
    expect(demo.code).toBe('330000');
    expect(demo.cities).toHaveLength(11);
    expect(demo.administrator.username).toBe('province.fund');
    expect(demo.demoUsers).toHaveLength(12);
    // Its pooling mode is the rule files' (init would refuse a disagreeing one).
    expect(poolingModeAt(testRuleBook().pooling, demo.code, today).value).toBe(demo.poolingMode);
  });
  it('the example a deployment copies is valid and agrees with the rule files', () => {
    const example = readProvinceDefinition(join(PROVINCES_DIR, 'example-anhui.yaml'));
    if (!example.ok) throw new Error(messageOf(example));
    expect(example.value.cities).toHaveLength(16);
    expect(poolingModeAt(testRuleBook().pooling, example.value.code, today).value).toBe(
      example.value.poolingMode,
    );
  });
  it('init refuses the demo file: its demo users and ID prefixes are not a definition', () => {
    const read = readProvinceDefinition(DEMO_PROVINCE_FILE);
    expect(read.ok).toBe(false);
    const paths = read.problem?.errors.map((e) => e.path) ?? [];
    expect(paths).toContain('(root)');
    expect(paths).toContain('cities.0');
    expect(messageOf(read)).toMatch(/demoUsers/);
  });
  it('reports every problem of a definition at once, by path', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'code: "330100"',
        'name: ""',
        'nameEn: X',
        'poolingMode: pooled',
        'cities:',
        '  - { code: "330100", name: 杭州市, nameEn: Hangzhou }',
        '  - { code: "330100", name: 杭州市, nameEn: Hangzhou }',
        'administrator: { username: Admin, displayName: 管理员, role: worker }',
      ].join('\n'),
    );
    const read = readProvinceDefinition(file);
    const paths = (read.problem?.errors ?? []).map((e) => e.path).sort();
    expect(paths).toEqual([
      'administrator.role',
      'administrator.username',
      'code',
      'name',
      'poolingMode',
    ]);
    writeFileSync(
      file,
      [
        'code: "330000"',
        'name: 浙江省',
        'nameEn: Zhejiang',
        'poolingMode: unified',
        'cities:',
        '  - { code: "330100", name: 杭州市, nameEn: Hangzhou }',
        '  - { code: "330100", name: 杭州市, nameEn: Hangzhou }',
        '  - { code: "340100", name: 合肥市, nameEn: Hefei }',
        'administrator: { username: zj.admin, displayName: 管理员, role: supervisor }',
      ].join('\n'),
    );
    expect(messageOf(readProvinceDefinition(file))).toBe(
      'cities.1.code: 330100 twice; cities.2.code: 340100 is not a city of province 330000',
    );
  });
  it('names an unreadable or non-YAML file', () => {
    expect(messageOf(readProvinceDefinition(join(dir, 'none.yaml')))).toMatch(/^cannot read /);
    writeFileSync(join(dir, 'tabs.yaml'), 'code: [unclosed');
    expect(messageOf(readProvinceDefinition(join(dir, 'tabs.yaml')))).toMatch(/is not YAML/);
  });
});
