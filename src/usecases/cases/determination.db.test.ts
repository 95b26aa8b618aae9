import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { syncBundledCalendar } from '../calendar/calendar-import.ts';
import { casePage } from './case-page.ts';
import { deadlineDashboard, type WorkListQuery, workList } from './case-reads.ts';
import { applyForDetermination, reportCase } from './case-report.ts';
import { myCase, myCases, reportOwnCase } from './case-self.ts';
import { actOnCase, bulkAct } from './determination-actions.ts';
import {
  type CaseFixture,
  caseActor,
  type Employment,
  reportAccident,
  setUpCases,
} from './testing.ts';

/**
 * The determination part end to end on both backends: report and application with 第十七条's
 * deadlines, the steps with their letters and timeline, city scope, the work list, the dashboard,
 * bulk acceptance and the portal's self scope.
 */
const rules = testRuleBook().benefits;
let t: TestDatabase;
let fx: CaseFixture;
const cheapPdf = async () => Buffer.from('%PDF-1.4 test');

function newCase(e: Employment, accidentDate: string, appliedOn?: string) {
  return reportAccident(t.db, fx.officer, rules, e, accidentDate, appliedOn);
}

async function caseColumns(caseId: string) {
  const r = await t.db.query(
    `SELECT status, to_char(employer_application_due_on, 'YYYY-MM-DD') AS employer_due,
            to_char(worker_application_due_on, 'YYYY-MM-DD') AS worker_due,
            to_char(employer_liable_from, 'YYYY-MM-DD') AS liable_from,
            to_char(employer_liable_until, 'YYYY-MM-DD') AS liable_until,
            application_late, next_due_kind, to_char(next_due_on, 'YYYY-MM-DD') AS next_due_on
       FROM cases WHERE id = $1`,
    [caseId],
  );
  return r.rows[0];
}

beforeAll(async () => {
  t = await openTestDatabase();
  fx = await setUpCases(t.db);
});
afterAll(async () => t.cleanup());

describe(`report and application (第十七条) on ${testBackend}`, () => {
  it('an employer applying in time: its 30 days, the worker’s year, the acceptance clock', async () => {
    const c = await newCase(fx.employment, '2026-01-31', '2026-02-10');
    expect(await caseColumns(c.caseId)).toEqual({
      status: 'applied',
      employer_due: '2026-03-02',
      // The worker's year ends 2027-01-31, a Sunday in a year without its notice: counted
      // provisionally (weekends as rest days, docs/cases.md), the last day is Monday 02-01.
      worker_due: '2027-02-01',
      liable_from: null,
      liable_until: null,
      application_late: false,
      next_due_kind: 'acceptance',
      // 浙江: 5 working days (《浙江省工伤保险条例》第十六条第一款) after Tue 02-10. No calendar is loaded in
      // this describe, so 2026 is counted provisionally, weekends only: Wed 02-11 (1), Thu 02-12 (2),
      // Fri 02-13 (3), Mon 02-16 (4), Tue 02-17 (5). (On the 2026 notice it is 02-24: Sat 02-14 is a
      // make-up working day and 春节 02-15…02-23 is off; the calendar import recomputes it.)
      next_due_on: '2026-02-17',
    });
    const flag = await t.db.query(
      `SELECT next_due_provisional AS provisional, next_due_basis AS basis FROM cases WHERE id = $1`,
      [c.caseId],
    );
    expect(flag.rows[0]).toEqual({
      provisional: true,
      basis: { start: '2026-02-10', amount: 5, unit: 'workday' },
    });
  });

  it('a worker applying after the employer’s 30 days records the employer’s window (第十七条第四款)', async () => {
    const c = await newCase(fx.employment, '2026-01-05');
    const out = await applyForDetermination(t.db, fx.officer, rules, c, {
      applicantType: 'worker',
      appliedOn: '2026-03-20',
    });
    expect(out.ok).toBe(true);
    expect(await caseColumns(c.caseId)).toMatchObject({
      employer_due: '2026-02-04',
      liable_from: '2026-02-05',
      liable_until: '2026-03-20',
      application_late: false,
    });
  });

  it('an approved extension moves the employer’s last day; one before the statutory day is refused', async () => {
    const c = await newCase(fx.employment, '2026-01-05');
    const early = await applyForDetermination(t.db, fx.officer, rules, c, {
      applicantType: 'employer',
      appliedOn: '2026-02-20',
      employerExtension: { extendedTo: '2026-02-01', approvalRef: '杭人社函〔2026〕1号' },
    });
    expect(!early.ok && early.code).toBe('case.extension_before_deadline');
    const late = await applyForDetermination(t.db, fx.officer, rules, c, {
      applicantType: 'employer',
      appliedOn: '2026-02-20',
      employerExtension: { extendedTo: '2026-02-28', approvalRef: '杭人社函〔2026〕1号' },
    });
    expect(late.ok).toBe(true);
    expect(await caseColumns(c.caseId)).toMatchObject({
      employer_due: '2026-02-28',
      liable_from: null,
    });
  });

  it('a report for a worker or employer that does not exist is refused', async () => {
    const out = await reportCase(t.db, fx.officer, rules, {
      regionCode: '330100',
      workerId: 'wkr_ffffffffffffffff',
      employerId: fx.employment.employerId,
      caseType: 'accident',
      accidentDate: '2026-01-05',
      reportedOn: '2026-01-05',
      reporterKind: 'handler',
      accidentPlace: 'x',
      accidentSummary: 'y',
    });
    expect(!out.ok && out.code).toBe('case.worker_not_found');
  });
});

describe(`steps, letters, timeline and scope on ${testBackend}`, () => {
  it('accept → decide → serve: letters numbered, timeline in order, audit chain intact', async () => {
    const c = await newCase(fx.employment, '2026-04-01', '2026-04-02');
    expect(
      (
        await actOnCase(t.db, fx.officer, rules, c, {
          kind: 'accept',
          on: '2026-04-03',
          clear: true,
        })
      ).ok,
    ).toBe(true);
    const decided = await actOnCase(
      t.db,
      fx.officer,
      rules,
      c,
      { kind: 'decide', on: '2026-04-10', outcome: 'recognised', grounds: ['art14_1'] },
      { render: cheapPdf },
    );
    expect(decided.ok).toBe(true);
    expect(
      (await actOnCase(t.db, fx.officer, rules, c, { kind: 'serve', on: '2026-04-12' })).ok,
    ).toBe(true);
    const page = await t.db.withConnection((ex) => casePage(ex, c.regionCode, c.caseId));
    expect(page?.timeline.map((e) => e.kind)).toEqual([
      'determination.reported',
      'determination.applied',
      'determination.accepted',
      'letter.issued',
      'determination.decided',
      'letter.issued',
      'determination.served',
    ]);
    expect(page?.letters.map((l) => l.data['letterType'])).toEqual([
      'determination_acceptance',
      'determination_decision',
    ]);
    expect(page?.facts).toMatchObject({
      status: 'served',
      determinationOutcome: 'recognised',
      determinationDecidedOn: '2026-04-10',
      nextDueOn: null,
    });
    expect(page?.allowed).toEqual(['file_review']);
    // Masked even for the officer (who holds pii:reveal): only the audited reveal route shows it.
    expect(page?.facts.workerIdNumber).toMatch(/\*/);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

describe(`city scope and concurrency on ${testBackend}`, () => {
  it('another city’s officer finds no such case (and cannot act on it)', async () => {
    const c = await newCase(fx.employment, '2026-04-01', '2026-04-02');
    const other = await actOnCase(
      t.db,
      fx.otherCityOfficer,
      rules,
      { regionCode: '330200', caseId: c.caseId },
      {
        kind: 'accept',
        on: '2026-04-03',
        clear: false,
      },
    );
    expect(!other.ok && other.code).toBe('case.not_found');
    const page = await t.db.withConnection((ex) => casePage(ex, '330200', c.caseId));
    expect(page).toBeNull();
  });

  it('a stale version is refused and writes nothing', async () => {
    const c = await newCase(fx.employment, '2026-04-01', '2026-04-02');
    const out = await actOnCase(
      t.db,
      fx.officer,
      rules,
      { ...c, expectedVersion: 1 },
      {
        kind: 'request_materials',
        on: '2026-04-03',
        missing: ['劳动关系证明'],
      },
    );
    expect(!out.ok && out.code).toBe('case.version_conflict');
  });
});

describe(`《浙江省工伤保险条例》第十六条第二款 on ${testBackend}`, () => {
  it('a 杭州 case: three days to refuse after the materials arrive, shown on the page; a later refusal is flagged late', async () => {
    const c = await newCase(fx.employment, '2026-04-01', '2026-04-07');
    const act = (command: Parameters<typeof actOnCase>[4]) =>
      actOnCase(t.db, fx.officer, rules, c, command);
    const asked = await act({
      kind: 'request_materials',
      on: '2026-04-08',
      missing: ['劳动关系证明'],
    });
    expect(asked.ok).toBe(true);
    const waiting = await t.db.withConnection((ex) => casePage(ex, c.regionCode, c.caseId));
    expect(waiting?.facts.refusalDueOn).toBeNull();
    const completed = await act({ kind: 'complete_materials', on: '2026-04-13' });
    expect(completed.ok).toBe(true);
    // Monday 13 April + 3 days = Thursday 16 April, a working day.
    const page = await t.db.withConnection((ex) => casePage(ex, c.regionCode, c.caseId));
    expect(page?.facts.refusalDueOn).toBe('2026-04-16');
    // The request's own materialsCompletedOn is ignored: the use case reads the timeline.
    const refused = await act({
      kind: 'refuse_acceptance',
      on: '2026-04-17',
      reason: '补正后仍缺劳动关系证明',
      materialsCompletedOn: '2026-04-16',
    });
    expect(refused.ok).toBe(true);
    const after = await t.db.withConnection((ex) => casePage(ex, c.regionCode, c.caseId));
    expect(after?.facts.refusalDueOn).toBeNull();
    const event = after?.timeline.find((e) => e.kind === 'determination.not_accepted');
    expect(event?.data).toEqual({
      reason: '补正后仍缺劳动关系证明',
      refusalDueOn: '2026-04-16',
      late: true,
    });
  });
});

/** Every case of a work-list query, read one per page by the cursor. */
async function pageByPage(q: WorkListQuery): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10; page++) {
    const out = await t.db.withConnection((ex) => workList(ex, { ...q, limit: 1, after }));
    seen.push(...out.items.map((i) => i.caseId));
    if (out.next === null) break;
    after = out.next;
  }
  return seen;
}

describe(`work list, dashboard, bulk and portal on ${testBackend}`, () => {
  let fresh: { regionCode: string; caseId: string }[];
  beforeAll(async () => {
    fresh = [];
    for (const day of ['2026-06-01', '2026-06-02', '2026-06-03'])
      fresh.push(await newCase(fx.otherCity, day, day));
    fresh.push(await newCase(fx.otherCity, '2026-06-04'));
  });

  it('pages by the nearest deadline, filters by status, overdue and accident dates', async () => {
    const q = { regionCode: '330200', today: '2026-06-09' } as const;
    const first = await t.db.withConnection((ex) => workList(ex, { ...q, limit: 2 }));
    const second = await t.db.withConnection((ex) =>
      workList(ex, { ...q, limit: 2, after: first.next ?? undefined }),
    );
    expect([...first.items, ...second.items].map((i) => i.caseId)).toEqual(
      fresh.map((c) => c.caseId),
    );
    expect(second.next).toBeNull();
    // 浙江's 5 working days (第十六条第一款) from Mon 06-01, Tue 06-02, Wed 06-03 (no holiday before
    // 端午节 06-19): 06-02…06-05 and Mon 06-08; 06-03…06-05, 06-08, 06-09; 06-04, 06-05, 06-08…06-10.
    // Acceptance due 06-08, 06-09, 06-10: one overdue on the 9th, two due within a day.
    const overdue = await t.db.withConnection((ex) => workList(ex, { ...q, overdue: true }));
    expect(overdue.items.map((i) => i.accidentDate)).toEqual(['2026-06-01']);
    const within = await t.db.withConnection((ex) =>
      workList(ex, {
        ...q,
        dueWithinDays: 1,
        statuses: ['applied'],
        accidentFrom: '2026-06-02',
      }),
    );
    expect(within.items.map((i) => i.accidentDate)).toEqual(['2026-06-02', '2026-06-03']);
    const dashboard = await t.db.withConnection((ex) =>
      deadlineDashboard(ex, '330200', '2026-06-09'),
    );
    expect(dashboard).toEqual([
      {
        regionCode: '330200',
        dueKind: 'acceptance',
        overdue: 1,
        dueToday: 1,
        dueWithin7Days: 1,
        running: 3,
      },
    ]);
  });

  it('several statuses merge in work-list order across pages; a clock kind excludes clockless cases', async () => {
    const q = { regionCode: '330200', today: '2026-06-17' } as const;
    // The three applied (by acceptance deadline), then the reported one without a clock.
    expect(await pageByPage({ ...q, statuses: ['reported', 'applied'] })).toEqual(
      fresh.map((c) => c.caseId),
    );
    const kinded = await t.db.withConnection((ex) =>
      workList(ex, { ...q, statuses: ['reported', 'applied'], dueKind: 'acceptance' }),
    );
    expect(kinded.items.map((i) => i.caseId)).toEqual(fresh.slice(0, 3).map((c) => c.caseId));
    const clockless = await t.db.withConnection((ex) =>
      workList(ex, { ...q, statuses: ['reported', 'decided'], dueKind: 'acceptance' }),
    );
    expect(clockless.items).toEqual([]);
  });

  it('bulk acceptance validates each case: the reported one is refused, the others accepted', async () => {
    const results = await bulkAct(
      t.db,
      fx.otherCityOfficer,
      rules,
      '330200',
      fresh.map((c) => ({ caseId: c.caseId })),
      { kind: 'accept', on: '2026-06-18', clear: false },
    );
    expect(results.map((r) => (r.ok ? r.status : r.code))).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'case.transition_not_allowed',
    ]);
    const n = withColumns(
      await t.db.query(`SELECT count(*)::int AS n FROM letters WHERE region_code = '330200'`),
      { n: intOf },
    );
    expect(n.rows[0]?.n).toBe(3);
  });
});

describe(`the portal on ${testBackend}`, () => {
  it('the portal: an employer and a worker see their own cases only; a worker reports its own', async () => {
    const employer = caseActor('emp', 'employer', 'employer', fx.employment.creditCode);
    const worker = caseActor('wkr', 'worker', 'self', fx.otherCity.personId);
    const mine = await t.db.withConnection((ex) =>
      myCases(ex, employer, { today: '2026-06-17', limit: 100 }),
    );
    expect(mine.items.length).toBeGreaterThan(0);
    expect(new Set(mine.items.map((i) => i.employerId))).toEqual(
      new Set([fx.employment.employerId]),
    );
    expect(mine.items[0]?.workerIdNumber).toMatch(/\*/);
    const another = await newCase(fx.otherCity, '2026-06-05');
    const theirs = await t.db.withConnection((ex) => myCase(ex, employer, another.caseId));
    expect(theirs).toBeNull();
    const reported = await reportOwnCase(t.db, worker, rules, {
      employerId: fx.otherCity.employerId,
      caseType: 'accident',
      accidentDate: '2026-06-10',
      accidentPlace: '仓库',
      accidentSummary: '货架倒塌砸伤',
      apply: true,
      today: '2026-06-12',
    });
    expect(reported.ok && reported.value.status).toBe('applied');
    const own = reported.ok
      ? await t.db.withConnection((ex) => myCase(ex, worker, reported.value.caseId))
      : null;
    expect(own?.facts).toMatchObject({ applicantType: 'worker', reporterKind: 'worker' });
    const rows = withColumns(
      await t.db.query(`SELECT action FROM audit_events WHERE actor = 'wkr' ORDER BY seq`),
      { action: textOf },
    );
    expect(rows.rows.map((r) => r.action)).toEqual([
      'cases.determination.reported',
      'cases.determination.applied',
    ]);
  });
});

describe(`deadlines on the working-day calendar on ${testBackend}`, () => {
  beforeAll(async () => {
    await syncBundledCalendar(t.db, readBundledCalendar());
  });

  it('a last day in the 2025 National Day holiday moves to the next working day (《民法典》第二百零三条)', async () => {
    // Accident 09-05: the employer's 30 days end 10-05, inside 国庆节、中秋节 (10-01…10-08) → 10-09.
    // Applied Sat 09-20: 浙江's 5 working days (第十六条第一款) are Mon 09-22 … Fri 09-26.
    const c = await newCase(fx.employment, '2025-09-05', '2025-09-20');
    expect(await caseColumns(c.caseId)).toMatchObject({
      employer_due: '2025-10-09',
      next_due_kind: 'acceptance',
      next_due_on: '2025-09-26',
    });
  });

  it('counts 浙江 acceptance working days past the holiday and on a make-up working day', async () => {
    // Applied Tue 2025-09-30: 10-01…10-08 off, Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 a make-up
    // working day (3), Sun 10-12 rest, Mon 10-13 (4), Tue 10-14 (5).
    const c = await newCase(fx.employment, '2025-09-05', '2025-09-30');
    expect(await caseColumns(c.caseId)).toMatchObject({
      next_due_kind: 'acceptance',
      next_due_on: '2025-10-14',
    });
  });
});
