import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { assessmentTables } from '../../domain/contributions/assessment-rates.ts';
import { roundFen } from '../../kernel/money.ts';
import { fromDecimal, fromInt, mul, type RoundingRule } from '../../kernel/rational.ts';
import { makeContext } from '../../rules/context.ts';
import { assessContribution, type FloatGrade } from '../../rules/contributions/rate-policy.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { previewAssessment } from './assessment-sql.ts';
import { changeGrade, declare, HZ, newEmployer, setUpContributions } from './testing.ts';

/**
 * The set-based SQL gives exactly the fen of the TS rule (ADR 0010): for random payrolls (a few
 * workers' bases), classes and grades, the real assessment query's amount equals
 * `assessContribution` on the summed payroll (rounding.money of the test rules: half_up), and for
 * the other named rules equals `roundFen` of the same exact product.
 */
const rules = testRuleBook().benefits;
const SEED = 20_261_205;
const MONTH = '2024-06';
const DIVISION_BY_CLASS: Record<number, { standard: 'GB/T 4754-2017'; division: string }> = {
  1: { standard: 'GB/T 4754-2017', division: '65' },
  2: { standard: 'GB/T 4754-2017', division: '70' },
  4: { standard: 'GB/T 4754-2017', division: '34' },
  6: { standard: 'GB/T 4754-2017', division: '47' },
  8: { standard: 'GB/T 4754-2017', division: '06' },
};
const GRADES: readonly FloatGrade[] = ['down2', 'down1', 'base', 'up1', 'up2'];
const RULES: readonly RoundingRule[] = ['half_up', 'half_even', 'down', 'up'];

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;
let sequence = 10;

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, []);
});
afterAll(async () => t.cleanup());

const caseArb = fc
  .record({
    riskClass: fc.constantFrom(1, 2, 4, 6, 8),
    grade: fc.constantFrom(...GRADES),
    // Bases of 1–4 workers, up to 10 万元 each; multiples of 250 fen make exact halves (ties) common,
    // so half_up and half_even are told apart.
    basesFen: fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 40_000 }).map((n) => n * 250),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    rounding: fc.constantFrom(...RULES),
  })
  .filter((c) => !(c.riskClass === 1 && (c.grade === 'down1' || c.grade === 'down2')));

describe(`SQL rounding = TS rounding on ${testBackend}`, () => {
  it('gives the same fen as assessContribution for random payrolls, classes, grades and rules', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        sequence += 1;
        const employer = await newEmployer(t.db, f.system, rules, {
          sequence,
          industry: DIVISION_BY_CLASS[c.riskClass] ?? {
            standard: 'GB/T 4754-2017',
            division: '34',
          },
        });
        if (c.grade !== 'base')
          await changeGrade(t.db, f.system, rules, {
            employerId: employer.id,
            grade: c.grade,
            from: '2024-01-01',
          });
        await declare(t.db, { employerId: employer.id, month: MONTH, basesFen: c.basesFen });
        const tables = assessmentTables(rules, HZ, `${MONTH}-01`, [
          DIVISION_BY_CLASS[c.riskClass]!,
        ]);
        if (!tables.ok) throw new Error(tables.message);
        const withRule = { ...tables.value, rounding: c.rounding };
        const rows = await t.db.transaction((ex) =>
          previewAssessment(ex, HZ, withRule, 'asr_prop'),
        );
        const row = rows.find((r) => r.employerId === employer.id);
        const payrollFen = c.basesFen.reduce((a, b) => a + b, 0);
        const ts = assessContribution(makeContext(rules, HZ, {}, false), {
          payrollFen,
          riskClass: c.riskClass,
          grade: c.grade,
          date: `${MONTH}-01`,
        });
        if (!ts.ok) throw new Error(ts.message);
        const expected =
          c.rounding === 'half_up'
            ? ts.value.amountFen
            : roundFen(mul(fromInt(payrollFen), fromDecimal(ts.value.rate)), c.rounding);
        expect(row).toMatchObject({
          riskClass: c.riskClass,
          grade: c.grade,
          baseTotalFen: payrollFen,
          amountFen: expected,
        });
      }),
      { seed: SEED, numRuns: 40 },
    );
  }, 120_000);
});
