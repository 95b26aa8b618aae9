import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testRuleBook } from '../../runtime/testing.ts';
import { rateFromUnknown } from '../contributions/rate.ts';
import type { RateInput } from '../contributions/rate-schema.ts';

/**
 * The hand-computed contribution-rate cases (contributions/*.yaml): each input through the same
 * `rateFromUnknown` as the CLI and the API; a result is compared whole, citations included.
 */
type Expected = Record<string, unknown> | { refusal: string; detail?: string };
type Scenario = { name: string; input: RateInput; expected: Expected };

const dir = fileURLToPath(new URL('./contributions/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const all = files.flatMap((file) => parse(readFileSync(join(dir, file), 'utf8')) as Scenario[]);

describe.each(files)('contribution scenarios in %s', (file) => {
  const scenarios = parse(readFileSync(join(dir, file), 'utf8')) as Scenario[];
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const response = rateFromUnknown(s.input, testRuleBook().benefits);
    if ('refusal' in s.expected) {
      expect(response.ok, JSON.stringify(response.body)).toBe(false);
      if (response.ok) return;
      expect(response.status).toBe(422);
      expect(response.body.code).toBe(s.expected.refusal);
      if (s.expected.detail !== undefined)
        expect(response.body.detail).toContain(s.expected.detail);
      return;
    }
    expect(response.ok, JSON.stringify(response.body)).toBe(true);
    expect(response.body).toEqual(s.expected);
  });
});

it('the contribution scenarios cover both provinces and a city of each, both standards, every grade and every refusal', () => {
  const computed = all.filter((s) => !('refusal' in s.expected));
  const refusals = all.flatMap((s) => ('refusal' in s.expected ? [s.expected.refusal] : []));
  const regions = new Set(all.map((s) => s.input.region));
  for (const region of ['330000', '410000']) expect(regions).toContain(region);
  expect([...regions].some((r) => r.startsWith('33') && !r.endsWith('0000'))).toBe(true);
  expect([...regions].some((r) => r.startsWith('41') && !r.endsWith('0000'))).toBe(true);
  expect(new Set(computed.map((s) => s.input.industry.standard)).size).toBe(2);
  expect(new Set(computed.map((s) => s.input.floatingGrade))).toEqual(
    new Set(['down2', 'down1', 'base', 'up1', 'up2']),
  );
  expect(new Set(refusals)).toEqual(
    new Set([
      'contribution.grade_not_allowed',
      'contribution.division_unknown',
      'contribution.division_unclassified',
      'rules.parameter_missing',
    ]),
  );
});
