import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { importCalendarFile, syncBundledCalendar } from '../calendar/calendar-import.ts';
import { applyForAppraisal } from './appraisal-application.ts';
import { listAppraisals } from './appraisal-read.ts';
import { committeeActor, HZ, insertCase, setUpAppraisalRegions } from './appraisal-testing.ts';
import { caseTimeline } from './case-events.ts';
import { casePage } from './case-page.ts';
import { workList } from './case-reads.ts';
import { applyForDetermination, reportCase } from './case-report.ts';
import { actOnCase } from './determination-actions.ts';
import { type CaseFixture, setUpCases } from './testing.ts';

/**
 * Provisional due dates (docs/cases.md, "Provisional due dates"): with 2027 statutory-only (the
 * bundled calendar as of December 2026), a clock ending in 2027 is counted with its statutory
 * holidays and weekends as rest days and flagged; importing 2027's notice recounts it in the same
 * transaction and appends `deadline.recomputed`.
 */
const rules = testRuleBook().benefits;

/** 2027's notice as it might read (invented for the test): 春节 02-06…02-12, make-up Sat 02-13. */
const official2027 = {
  years: {
    '2027': {
      notice: '国办发明电〔2026〕99号 (test)',
      holidays: [
        ['元旦', '2027-01-01', '2027-01-03'],
        ['春节', '2027-02-06', '2027-02-12'],
      ],
      workdays: ['2027-02-13'],
    },
  },
};

async function flags(t: TestDatabase, table: 'cases' | 'appraisals', id: string) {
  const cols =
    table === 'cases'
      ? `to_char(next_due_on, 'YYYY-MM-DD') AS due, next_due_provisional AS provisional, next_due_basis AS basis`
      : `to_char(due_on, 'YYYY-MM-DD') AS due, due_provisional AS provisional, due_basis AS basis`;
  const r = await t.db.query(`SELECT ${cols} FROM ${table} WHERE id = $1`, [id]);
  return r.rows[0];
}

describe(`a case's decision clock ending in 2027 on ${testBackend}`, () => {
  let t: TestDatabase;
  let fx: CaseFixture;
  beforeAll(async () => {
    t = await openTestDatabase();
    fx = await setUpCases(t.db);
    await syncBundledCalendar(t.db, readBundledCalendar());
  });
  afterAll(async () => t.cleanup());

  it('is accepted with a provisional due date, shown flagged, and recomputed by the import', async () => {
    const e = fx.employment;
    const reported = await reportCase(t.db, fx.officer, rules, {
      regionCode: e.regionCode,
      workerId: e.workerId,
      employerId: e.employerId,
      caseType: 'accident',
      accidentDate: '2026-11-20',
      reportedOn: '2026-11-20',
      reporterKind: 'employer',
      accidentPlace: '车间',
      accidentSummary: '搬运时扭伤',
    });
    if (!reported.ok) throw new Error(reported.message);
    const c = reported.value;
    const applied = await applyForDetermination(t.db, fx.officer, rules, c, {
      applicantType: 'employer',
      appliedOn: '2026-12-01',
    });
    expect(applied.ok).toBe(true);
    // The acceptance clock ends in 2026, an official year: not provisional.
    expect(await flags(t, 'cases', c.caseId)).toMatchObject({ provisional: false, basis: null });
    const accepted = await actOnCase(t.db, fx.officer, rules, c, {
      kind: 'accept',
      on: '2026-12-15',
      clear: false,
    });
    expect(accepted.ok).toBe(true);
    // 12-15 + 60 days (第二十条第一款) = 2027-02-13, a Saturday; weekends are rest days → Mon 02-15.
    expect(await flags(t, 'cases', c.caseId)).toEqual({
      due: '2027-02-15',
      provisional: true,
      basis: { start: '2026-12-15', amount: 60, unit: 'day' },
    });
    const list = await t.db.withConnection((ex) =>
      workList(ex, { regionCode: e.regionCode, today: '2026-12-15' }),
    );
    expect(list.items.find((i) => i.caseId === c.caseId)).toMatchObject({
      nextDueOn: '2027-02-15',
      nextDueProvisional: true,
    });
    const page = await t.db.withConnection((ex) => casePage(ex, e.regionCode, c.caseId));
    expect(page?.facts).toMatchObject({ decisionDueOn: '2027-02-15', nextDueProvisional: true });
    expect(page && 'nextDueBasis' in page.facts).toBe(false);

    const imported = await importCalendarFile(t.db, fx.officer, official2027);
    expect(imported).toMatchObject({ ok: true, value: { recomputed: 1 } });
    // The notice makes Saturday 02-13 a working day: the 60th day stands, the flag is cleared.
    expect(await flags(t, 'cases', c.caseId)).toEqual({
      due: '2027-02-13',
      provisional: false,
      basis: null,
    });
    const page2 = await t.db.withConnection((ex) => casePage(ex, e.regionCode, c.caseId));
    expect(page2?.facts).toMatchObject({ decisionDueOn: '2027-02-13', nextDueProvisional: false });
    const timeline = await t.db.withConnection((ex) => caseTimeline(ex, e.regionCode, c.caseId));
    expect(timeline.at(-1)).toMatchObject({
      kind: 'deadline.recomputed',
      occurredOn: '2026-12-15',
      data: { kind: 'decision', from: '2027-02-15', to: '2027-02-13', provisional: false },
    });
    // A second import of the same notice changes nothing more.
    expect(await importCalendarFile(t.db, fx.officer, official2027)).toMatchObject({
      ok: true,
      value: { recomputed: 0 },
    });
  });
});

/** Another invented 2027 notice: 元旦 01-01…01-04 (a Monday off), no make-up working day. */
const longNewYear2027 = {
  years: {
    '2027': {
      notice: '国办发明电〔2026〕98号 (test)',
      holidays: [['元旦', '2027-01-01', '2027-01-04']],
      workdays: [],
    },
  },
};

describe(`a 浙江 acceptance clock of working days ending in 2027 on ${testBackend}`, () => {
  let t: TestDatabase;
  let fx: CaseFixture;
  beforeAll(async () => {
    t = await openTestDatabase();
    fx = await setUpCases(t.db);
    await syncBundledCalendar(t.db, readBundledCalendar());
  });
  afterAll(async () => t.cleanup());

  it('stores the workday basis and recounts the working days when 2027 turns official', async () => {
    const e = fx.employment;
    const reported = await reportCase(t.db, fx.officer, rules, {
      regionCode: e.regionCode,
      workerId: e.workerId,
      employerId: e.employerId,
      caseType: 'accident',
      accidentDate: '2026-12-20',
      reportedOn: '2026-12-20',
      reporterKind: 'employer',
      accidentPlace: '车间',
      accidentSummary: '搬运时扭伤',
    });
    if (!reported.ok) throw new Error(reported.message);
    const c = reported.value;
    const applied = await applyForDetermination(t.db, fx.officer, rules, c, {
      applicantType: 'employer',
      appliedOn: '2026-12-28',
    });
    expect(applied.ok).toBe(true);
    // 《浙江省工伤保险条例》第十六条第一款: 5 working days after Mon 2026-12-28. 2026 official: Tue 12-29 (1),
    // Wed 12-30 (2), Thu 12-31 (3); 2027 statutory-only: 01-01 元旦 off, 01-02/01-03 weekend,
    // Mon 01-04 (4), Tue 01-05 (5).
    expect(await flags(t, 'cases', c.caseId)).toEqual({
      due: '2027-01-05',
      provisional: true,
      basis: { start: '2026-12-28', amount: 5, unit: 'workday' },
    });
    // With 01-04 off too, the 4th and 5th working days are Tue 01-05 and Wed 01-06.
    const imported = await importCalendarFile(t.db, fx.officer, longNewYear2027);
    expect(imported).toMatchObject({ ok: true, value: { recomputed: 1 } });
    expect(await flags(t, 'cases', c.caseId)).toEqual({
      due: '2027-01-06',
      provisional: false,
      basis: null,
    });
    const page = await t.db.withConnection((ex) => casePage(ex, e.regionCode, c.caseId));
    expect(page?.facts).toMatchObject({ acceptanceDueOn: '2027-01-06', nextDueProvisional: false });
    const timeline = await t.db.withConnection((ex) => caseTimeline(ex, e.regionCode, c.caseId));
    expect(timeline.at(-1)).toMatchObject({
      kind: 'deadline.recomputed',
      data: { kind: 'acceptance', from: '2027-01-05', to: '2027-01-06', provisional: false },
    });
  });
});

describe(`an appraisal's conclusion period ending in 2027 on ${testBackend}`, () => {
  let t: TestDatabase;
  const city = committeeActor('city', HZ);
  beforeAll(async () => {
    t = await openTestDatabase();
    await setUpAppraisalRegions(t.db);
    await syncBundledCalendar(t.db, readBundledCalendar());
  });
  afterAll(async () => t.cleanup());

  it('is received with a provisional due date and recounted when 2027 turns official', async () => {
    const caseId = await insertCase(t.db, HZ, 'recognised', {
      accidentDate: '2026-06-01',
      decidedOn: '2026-08-01',
    });
    const r = await applyForAppraisal(t.db, city, rules, {
      regionCode: HZ,
      caseId,
      kind: 'initial',
      appliedOn: '2026-12-10',
      applicantKind: 'worker',
      treatmentStabilisedOn: '2026-11-20',
    });
    if (!r.ok) throw new Error(r.message);
    // 12-10 + 60 days (第二十五条第二款) = 2027-02-08, a 春节 statutory day of the bundled 2027 → 02-09.
    expect(r.value).toMatchObject({ dueOn: '2027-02-09', dueProvisional: true });
    const open = await t.db.withConnection((ex) => listAppraisals(ex, { regionCode: HZ }));
    expect(open.find((a) => a.id === r.value.id)).toMatchObject({ dueProvisional: true });

    // The notice's 春节 runs 02-06…02-12: the 60th day (02-08) rolls to the make-up Saturday 02-13.
    const imported = await importCalendarFile(t.db, city, official2027);
    expect(imported).toMatchObject({ ok: true, value: { recomputed: 1 } });
    expect(await flags(t, 'appraisals', r.value.id)).toEqual({
      due: '2027-02-13',
      provisional: false,
      basis: null,
    });
    const timeline = await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId));
    expect(timeline.at(-1)).toMatchObject({
      kind: 'deadline.recomputed',
      data: {
        appraisalId: r.value.id,
        kind: 'appraisal.conclusion',
        from: '2027-02-09',
        to: '2027-02-13',
        provisional: false,
      },
    });
  });
});
