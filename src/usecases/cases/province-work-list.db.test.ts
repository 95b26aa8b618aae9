import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { type WorkListQuery, workList } from './case-reads.ts';
import { reportCase } from './case-report.ts';
import { actOnCase } from './determination-actions.ts';
import { type CaseFixture, type Employment, setUpCases } from './testing.ts';

/**
 * The province's work list reads the first cases of each city (and status) and merges them: page by
 * page, it must list exactly what sorting all the province's cases by due date and id lists, for
 * any filters — checked against a plain ORDER BY over the cases of both cities.
 */
const rules = testRuleBook().benefits;
const cheapPdf = async () => Buffer.from('%PDF-1.4 test');
const TODAY: IsoDate = '2026-05-01';
let t: TestDatabase;
let fx: CaseFixture;

async function newCase(e: Employment, day: IsoDate, step: 'report' | 'apply' | 'accept') {
  const out = await reportCase(
    t.db,
    fx.officer,
    rules,
    {
      regionCode: e.regionCode,
      workerId: e.workerId,
      employerId: e.employerId,
      caseType: 'accident',
      accidentDate: day,
      reportedOn: day,
      reporterKind: 'employer',
      accidentPlace: '车间',
      accidentSummary: '搬运时扭伤',
    },
    step === 'report' ? undefined : { applicantType: 'employer', appliedOn: day },
  );
  if (!out.ok) throw new Error(out.message);
  if (step === 'accept') {
    const target = { regionCode: out.value.regionCode, caseId: out.value.caseId };
    const on = addDays(day, 2);
    const accepted = await actOnCase(
      t.db,
      fx.officer,
      rules,
      target,
      { kind: 'accept', on, clear: false },
      { render: cheapPdf },
    );
    if (!accepted.ok) throw new Error(accepted.code);
  }
}

/** Every page of the work list, by its cursor, three cases a page. */
async function allPages(q: WorkListQuery): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    const out = await t.db.withConnection((ex) => workList(ex, { ...q, limit: 3, after }));
    seen.push(...out.items.map((i) => i.caseId));
    if (out.next === null) return seen;
    after = out.next;
  }
  throw new Error('more than 20 pages');
}

/** The same cases sorted without grouping: the whole province, due date then id. */
async function sorted(where: string): Promise<string[]> {
  const r = await t.db.query(
    `SELECT id FROM cases WHERE left(region_code, 2) = '33' AND ${where}
      ORDER BY coalesce(next_due_on, DATE '9999-12-31'), id`,
  );
  return withColumns(r, { id: textOf }).rows.map((x) => x.id);
}

beforeAll(async () => {
  t = await openTestDatabase();
  fx = await setUpCases(t.db);
  const steps = ['report', 'apply', 'accept'] as const;
  for (let i = 0; i < 12; i++)
    await newCase(
      i % 2 ? fx.otherCity : fx.employment,
      addDays('2026-04-01', (i * 5) % 17),
      steps[i % 3] ?? 'report',
    );
});
afterAll(async () => t.cleanup());

describe(`the province work list on ${testBackend}`, () => {
  it('pages through both cities in work-list order, as sorting them all does', async () => {
    const q = { regionCode: '330000', today: TODAY } as const;
    const all = await sorted('true');
    expect(all).toHaveLength(12);
    expect(await allPages(q)).toEqual(all);
    const cities = await t.db.withConnection((ex) => workList(ex, { ...q, limit: 100 }));
    expect(new Set(cities.items.map((i) => i.regionCode))).toEqual(new Set(['330100', '330200']));
  });

  it('keeps every filter: statuses (one or several), clock kind, overdue, employer, accident dates', async () => {
    const q = { regionCode: '330000', today: TODAY } as const;
    const cases: [WorkListQuery, string][] = [
      [{ ...q, statuses: ['accepted'] }, `status = 'accepted'`],
      [{ ...q, statuses: ['reported', 'applied'] }, `status IN ('reported', 'applied')`],
      [{ ...q, dueKind: 'acceptance' }, `next_due_kind = 'acceptance'`],
      [{ ...q, overdue: true }, `next_due_on < DATE '${TODAY}'`],
      [
        { ...q, employerId: fx.otherCity.employerId, statuses: ['applied', 'accepted'] },
        `employer_id = '${fx.otherCity.employerId}' AND status IN ('applied', 'accepted')`,
      ],
      [
        { ...q, accidentFrom: '2026-04-05', accidentTo: '2026-04-12' },
        `accident_date BETWEEN '2026-04-05' AND '2026-04-12'`,
      ],
    ];
    for (const [query, where] of cases) {
      const want = await sorted(where);
      expect(want.length, where).toBeGreaterThan(0);
      expect(await allPages(query), where).toEqual(want);
    }
  });
});
