import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testRuleBook } from '../../runtime/testing.ts';
import { calculateFromUnknown } from '../calculator/index.ts';
import { type ParameterOverlay, parseOverlay } from '../reform/overlay.ts';

type Expected =
  | { baseWageFen: number; items: Array<Record<string, unknown>> }
  | { refusal: string; detail?: string };
type Scenario = { name: string; input: unknown; reform?: unknown; expected: Expected };

const dir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe.each(files)('scenarios in %s', (file) => {
  const scenarios = parse(readFileSync(join(dir, file), 'utf8')) as Scenario[];
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    let reform: ParameterOverlay | undefined;
    if (s.reform !== undefined) {
      const parsed = parseOverlay(s.reform);
      expect(parsed.ok, JSON.stringify(parsed.problem)).toBe(true);
      if (parsed.ok) reform = parsed.value;
    }
    const response = calculateFromUnknown(
      s.input,
      testRuleBook().benefits,
      reform === undefined ? {} : { reform },
    );
    if ('refusal' in s.expected) {
      expect(response.ok).toBe(false);
      expect(response.status).toBe(422);
      if (response.ok) return;
      expect(response.body.code).toBe(s.expected.refusal);
      // A scenario may name what the refusal must explain (a substring of its detail).
      if (s.expected.detail !== undefined) {
        const detail = 'detail' in response.body ? response.body.detail : '';
        expect(detail).toContain(s.expected.detail);
      }
      return;
    }
    expect(response.ok, JSON.stringify(response.body)).toBe(true);
    if (!response.ok) return;
    expect(response.body.baseWageFen).toBe(s.expected.baseWageFen);
    // Compare everything but the citation text, which must merely be present.
    const got = response.body.items.map(({ citation, ...rest }) => {
      expect(citation.length).toBeGreaterThan(0);
      return rest;
    });
    expect(got).toEqual(s.expected.items);
  });
});

it('the scenarios cover every item code and every grade', () => {
  const codes = new Set<string>();
  const grades = new Set<number>();
  for (const file of files) {
    for (const s of parse(readFileSync(join(dir, file), 'utf8')) as Scenario[]) {
      const g = (s.input as { disabilityGrade?: number }).disabilityGrade;
      if (g !== undefined) grades.add(g);
      if ('items' in s.expected) for (const i of s.expected.items) codes.add(String(i['code']));
    }
  }
  expect([...codes].sort()).toEqual(
    [
      'death_lump_sum',
      'disability_allowance',
      'disability_lump_sum',
      'employment_separation_grant',
      'funeral_grant',
      'medical_separation_grant',
      'nursing_allowance',
      'survivor_pension',
      'survivor_pension_one_off',
    ].sort(),
  );
  expect([...grades].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});
