import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { actOnCase } from './determination-actions.ts';
import { type CaseFixture, reportAccident, setUpCases } from './testing.ts';

/**
 * Issue 11's acceptance: 50 concurrent decisions in one city and year get the numbers 1–50 of
 * the year's 认定决定书 series, none missing, none twice — through the decision use case itself
 * (the letter's own test shows it for bare issuers). On the server the 50 run on 20 connections.
 */
const rules = testRuleBook().benefits;
const cheapPdf = async () => Buffer.from('%PDF-1.4 test');
const CASES = 50;
let t: TestDatabase;
let fx: CaseFixture;

async function acceptedCase(
  accidentDate: IsoDate,
): Promise<{ regionCode: string; caseId: string }> {
  const appliedOn = addDays(accidentDate, 3);
  const c = await reportAccident(t.db, fx.officer, rules, fx.employment, accidentDate, appliedOn);
  const accepted = await actOnCase(
    t.db,
    fx.officer,
    rules,
    c,
    { kind: 'accept', on: addDays(accidentDate, 5), clear: false },
    { render: cheapPdf },
  );
  if (!accepted.ok) throw new Error(accepted.message);
  return c;
}

beforeAll(async () => {
  t = await openTestDatabase({ poolMax: 20 });
  fx = await setUpCases(t.db);
}, 120_000);
afterAll(async () => t.cleanup());

describe(`concurrent determination decisions on ${testBackend}`, () => {
  it(`${CASES} decisions at once in one city get 1–${CASES}, none missing, none twice`, async () => {
    // Set up in parallel too (reports and acceptances of distinct cases), only to save time.
    const cases = await Promise.all(
      Array.from({ length: CASES }, (_, i) => acceptedCase(addDays('2026-01-05', i))),
    );
    const results = await Promise.all(
      cases.map((c) =>
        actOnCase(
          t.db,
          fx.officer,
          rules,
          c,
          { kind: 'decide', on: '2026-06-01', outcome: 'recognised', grounds: ['art14_1'] },
          { render: cheapPdf },
        ),
      ),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const letters = withColumns(
      await t.db.query(
        `SELECT case_id, number FROM letters
          WHERE region_code = '330100' AND letter_type = 'determination_decision' AND year = 2026`,
      ),
      { case_id: textOf, number: intOf },
    ).rows;
    expect(letters.map((l) => l.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: CASES }, (_, i) => i + 1),
    );
    // One decision letter per case, and every case decided exactly once.
    expect(new Set(letters.map((l) => l.case_id))).toEqual(new Set(cases.map((c) => c.caseId)));
    const decided = await t.db.query(
      `SELECT count(*)::int AS n FROM cases WHERE region_code = '330100' AND status = 'decided'`,
    );
    expect(decided.rows[0]?.['n']).toBe(CASES);
  }, 300_000);
});
