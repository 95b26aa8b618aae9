import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { anyValidInputArb } from './arbitraries.ts';
import { calculateFromUnknown } from './index.ts';

const rules = testRuleBook().benefits;

/** Bad values a client could send for a field, none of which the contract accepts. */
const badValue = fc.oneof(
  fc.constant(undefined),
  fc.constant('nonsense'),
  fc.constant(-1),
  fc.constant(1.5),
  fc.constant({}),
  fc.constant([]),
  fc.constant(true),
);

const FIELDS = [
  'region',
  'kind',
  'injuryDate',
  'monthlyWagesFen',
  'dependants',
  'overrides',
  'occupationalDisease',
  'employerInsured',
] as const;

describe('contract fuzz: malformed input gives a problem naming the field, never a throw', () => {
  it('survives arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const r = calculateFromUnknown(body, rules);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.status).toBe(400);
        expect(r.body.code).toBe('input.invalid');
      }),
      { numRuns: 300 },
    );
  });

  it('names the corrupted field of an otherwise valid input', () => {
    fc.assert(
      fc.property(anyValidInputArb, fc.constantFrom(...FIELDS), badValue, (body, field, value) => {
        const corrupted: Record<string, unknown> = { ...body, [field]: value };
        if (value === undefined) delete corrupted[field];
        const r = calculateFromUnknown(corrupted, rules);
        // Removing an optional field ({} or [] for dependants/overrides, true for employerInsured)
        // can still be valid.
        if (r.ok) {
          expect(['dependants', 'overrides', 'occupationalDisease', 'employerInsured']).toContain(
            field,
          );
          return;
        }
        expect(r.status).toBe(400);
        if (r.status !== 400) return;
        expect(r.body.errors.some((e) => e.path === field || e.path.startsWith(`${field}.`))).toBe(
          true,
        );
      }),
      { numRuns: 400 },
    );
  });

  it('names unknown fields at their own path, nested ones included', () => {
    fc.assert(
      fc.property(anyValidInputArb, fc.stringMatching(/^[a-z]{3,10}$/), (body, key) => {
        fc.pre(!(key in body));
        const r = calculateFromUnknown(
          {
            ...body,
            [key]: 1,
            overrides: { ...(body.overrides ?? {}), [key]: 1 },
          },
          rules,
        );
        expect(r.ok).toBe(false);
        if (r.ok || r.status !== 400) return;
        const paths = r.body.errors.map((e) => e.path);
        expect(paths).toContain(key);
        expect(paths).toContain(`overrides.${key}`);
      }),
      { numRuns: 100 },
    );
  });
});
