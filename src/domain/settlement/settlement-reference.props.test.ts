import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, fromDayNumber, toDayNumber } from '../../kernel/dates.ts';
import {
  type AgreementFacts,
  type AgreementScope,
  agreementInForce,
  catalogueItemOn,
  lastCoveredDay,
  rangesOverlap,
} from './settlement-reference.ts';

/**
 * Properties against a brute-force oracle: an agreement covers a day and scope exactly when it is
 * active, its dates hold the day and it lists the scope; a chain of dated catalogue rows (each
 * closed the day before the next) has exactly one row in force on every day from the first.
 */
const SEED = 20260101;
const covered = (a: AgreementFacts) => ({ validFrom: a.validFrom, validTo: lastCoveredDay(a) });
const RUNS = 300;
const BASE = toDayNumber('2025-01-01');
const scopes: readonly AgreementScope[] = ['outpatient', 'inpatient', 'rehabilitation', 'device'];

const day = fc.integer({ min: 0, max: 900 }).map((n) => fromDayNumber(BASE + n));
const scopeArb = fc.constantFrom(...scopes);
const agreementArb = fc
  .record({
    from: fc.integer({ min: 0, max: 800 }),
    length: fc.integer({ min: 0, max: 400 }),
    scopes: fc.subarray([...scopes], { minLength: 1 }),
    cut: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
  })
  .map(
    (r): AgreementFacts => ({
      id: `agr_${String(r.from).padStart(16, '0')}`,
      institutionId: 'INST-330100-0001',
      scopes: r.scopes,
      validFrom: fromDayNumber(BASE + r.from),
      validTo: fromDayNumber(BASE + r.from + r.length),
      terminatedFrom: r.cut === null ? null : fromDayNumber(BASE + r.from + r.cut),
    }),
  );

describe('agreementInForce (properties)', () => {
  it('returns an agreement iff one covers the day and scope, and what it returns covers them', () => {
    fc.assert(
      fc.property(fc.array(agreementArb, { maxLength: 6 }), day, scopeArb, (list, on, scope) => {
        const covering = list.filter(
          (a) =>
            a.validFrom <= on &&
            on <= a.validTo &&
            (a.terminatedFrom === null || on < a.terminatedFrom) &&
            a.scopes.includes(scope),
        );
        const found = agreementInForce(list, on, scope);
        expect(found === null).toBe(covering.length === 0);
        if (found) expect(covering).toContain(found);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never finds two answers for non-overlapping agreements: the answer is the only cover', () => {
    fc.assert(
      fc.property(fc.array(agreementArb, { maxLength: 6 }), day, scopeArb, (list, on, scope) => {
        const disjoint = list.filter((a, i) =>
          list.slice(0, i).every((b) => !rangesOverlap(covered(a), covered(b))),
        );
        const found = agreementInForce(disjoint, on, scope);
        const covers = disjoint.filter((a) => agreementInForce([a], on, scope) !== null);
        expect(covers.length).toBeLessThanOrEqual(1);
        expect(found).toBe(covers[0] ?? null);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('catalogueItemOn (properties)', () => {
  it('a chain of cap changes has exactly the right row in force on every day', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1200 }),
        (gaps, offset) => {
          const starts: string[] = [];
          let at = BASE;
          for (const g of gaps) {
            starts.push(fromDayNumber(at));
            at += g;
          }
          const rows = starts.map((s, i) => {
            const next = starts[i + 1];
            return { code: 'C1', validFrom: s, validTo: next ? addDays(next, -1) : null, n: i };
          });
          const on = fromDayNumber(BASE + offset);
          const expected = rows.filter((r) => r.validFrom <= on).at(-1) ?? null;
          expect(catalogueItemOn(rows, 'C1', on)).toBe(expected);
          expect(catalogueItemOn(rows, 'C2', on)).toBeNull();
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
