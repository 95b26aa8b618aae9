import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Result } from '../../kernel/result.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { syncBundledCalendar } from '../calendar/calendar-import.ts';
import type { LetterRenderer } from '../letters/issue-letter.ts';
import { applyForAppraisal } from './appraisal-application.ts';
import { concludeAppraisal, extendAppraisal, serveConclusion } from './appraisal-conclusion.ts';
import { drawAppraisalPanel, verifyAppraisalDraw } from './appraisal-draw.ts';
import { deactivateExpert } from './appraisal-experts.ts';
import { currentConclusion, listAppraisals } from './appraisal-read.ts';
import {
  addExperts,
  committeeActor,
  HZ,
  insertCase,
  NB,
  PROVINCE,
  setUpAppraisalRegions,
} from './appraisal-testing.ts';
import { caseTimeline } from './case-events.ts';

const rules = testRuleBook().benefits;
/** The PDF is rendered for real once (the first conclusion); elsewhere its text stands in. */
const cheap: LetterRenderer = async (page) => Buffer.from(page.paragraphs.join('\n'));
const city = committeeActor('city', HZ);
const province = committeeActor('province', PROVINCE);
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.code);
const grade7 = {
  conclusion: 'graded' as const,
  disabilityGrade: 7,
  nursingLevel: null,
  stopWorkExtensionMonths: 3,
  gradingClauses: ['5.7.2(12)'],
};

async function received(db: Database, caseId: string, year = 2025) {
  const r = await applyForAppraisal(db, city, rules, {
    regionCode: HZ,
    caseId,
    kind: 'initial',
    appliedOn: `${year}-09-01`,
    applicantKind: 'worker',
    treatmentStabilisedOn: `${year}-08-15`,
  });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

async function drawn(db: Database, caseId: string, seed = 12345, year = 2025) {
  const a = await received(db, caseId, year);
  const recusals: Array<{ expertId: string; reason: string }> = [];
  const d = await drawAppraisalPanel(
    db,
    city,
    {
      regionCode: HZ,
      appraisalId: a.id,
      specialty: 'orthopaedics',
      panelSize: 3,
      recusals,
      drawnOn: `${year}-09-03`,
    },
    () => seed,
  );
  if (!d.ok) throw new Error(d.message);
  return d.value;
}

let t: TestDatabase;
let hzPool: string[];
beforeAll(async () => {
  t = await openTestDatabase();
  await setUpAppraisalRegions(t.db);
  await syncBundledCalendar(t.db, readBundledCalendar());
  hzPool = await addExperts(t.db, HZ, 'orthopaedics', 6);
  await addExperts(t.db, HZ, 'neurology', 2);
  await addExperts(t.db, PROVINCE, 'orthopaedics', 5);
});
afterAll(async () => t.cleanup());

describe(`applications on ${testBackend}`, () => {
  it('refuses an appraisal of a case not recognised, and of another city’s case', async () => {
    const notRecognised = await insertCase(t.db, HZ, 'not_recognised');
    const undecided = await insertCase(t.db, HZ, null);
    for (const caseId of [notRecognised, undecided]) {
      const r = await applyForAppraisal(t.db, city, rules, {
        regionCode: HZ,
        caseId,
        kind: 'initial',
        appliedOn: '2025-09-01',
        applicantKind: 'worker',
        treatmentStabilisedOn: '2025-08-15',
      });
      expect(codeOf(r)).toBe('appraisal.case_not_recognised');
    }
    const nb = await insertCase(t.db, NB, 'recognised');
    const r = await applyForAppraisal(t.db, city, rules, {
      regionCode: HZ,
      caseId: nb,
      kind: 'initial',
      appliedOn: '2025-09-01',
      applicantKind: 'worker',
      treatmentStabilisedOn: '2025-08-15',
    });
    expect(codeOf(r)).toBe('record.not_found');
  });
});

describe(`one appraisal through to its conclusion on ${testBackend}`, () => {
  it('receives, draws, concludes within the due date; the timeline and the current conclusion follow', async () => {
    const caseId = await insertCase(t.db, HZ, 'deemed');
    const a = await received(t.db, caseId);
    expect([a.status, a.dueOn]).toEqual(['received', '2025-10-31']);
    const early = await concludeAppraisal(
      t.db,
      city,
      rules,
      {
        regionCode: HZ,
        appraisalId: a.id,
        concludedOn: '2025-10-01',
        ...grade7,
      },
      cheap,
    );
    expect(codeOf(early)).toBe('appraisal.not_drawn');
    const recused = hzPool[0]!;
    const d = await drawAppraisalPanel(t.db, city, {
      regionCode: HZ,
      appraisalId: a.id,
      specialty: 'orthopaedics',
      panelSize: 5,
      recusals: [{ expertId: recused, reason: '与用人单位有利害关系' }],
      drawnOn: '2025-09-03',
    });
    if (!d.ok) throw new Error(d.message);
    expect(d.value.draw?.poolIds).toEqual([...hzPool].sort());
    expect(d.value.draw?.drawnIds).not.toContain(recused);
    expect(d.value.draw?.panel).toHaveLength(5);
    const again = await drawAppraisalPanel(t.db, city, {
      regionCode: HZ,
      appraisalId: a.id,
      specialty: 'orthopaedics',
      panelSize: 3,
      recusals: [],
      drawnOn: '2025-09-04',
    });
    expect(codeOf(again)).toBe('appraisal.not_received');
    const c = await concludeAppraisal(t.db, city, rules, {
      regionCode: HZ,
      appraisalId: a.id,
      concludedOn: '2025-10-20',
      ...grade7,
    });
    expect(c.ok && [c.value.status, c.value.disabilityGrade, c.value.gradingClauses]).toEqual([
      'concluded',
      7,
      ['5.7.2(12)'],
    ]);
    const current = await t.db.withConnection((ex) => currentConclusion(ex, HZ, caseId));
    expect([current?.appraisalId, current?.disabilityGrade]).toEqual([a.id, 7]);
    const kinds = (await t.db.withConnection((ex) => caseTimeline(ex, HZ, caseId))).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual([
      'appraisal.received',
      'appraisal.panel_drawn',
      'letter.issued',
      'appraisal.concluded',
    ]);
    const audited = await t.db.query(
      `SELECT action FROM audit_events WHERE object = $1 ORDER BY seq`,
      [`appraisal:${HZ}/${a.id}`],
    );
    expect(audited.rows.map((r) => r['action'])).toEqual(
      kinds.filter((k) => k !== 'letter.issued'),
    );
    const letter = await t.db.query(
      `SELECT document_number, letter_type, substr(pdf, 1, 5) AS head FROM letters WHERE id = $1`,
      [c.ok ? c.value.conclusionLetterId : ''],
    );
    expect(letter.rows[0]?.['letter_type']).toBe('appraisal_conclusion');
    expect(String(letter.rows[0]?.['document_number'])).toMatch(/劳鉴〔2025〕1号$/);
    expect(Buffer.from(letter.rows[0]?.['head'] as Uint8Array).toString('latin1')).toBe('%PDF-');
  });
});

describe(`the draw on ${testBackend}`, () => {
  it('the recorded draw replays from its seed; a forged record is refused', async () => {
    const caseId = await insertCase(t.db, HZ, 'recognised');
    const d = await drawn(t.db, caseId, 777);
    const v = await verifyAppraisalDraw(t.db, { regionCode: HZ, appraisalId: d.id });
    expect(v.ok && v.value.draw.drawnIds).toEqual(d.draw?.drawnIds);
    expect(v.ok && v.value.draw.seed).toBe(777);
    // The append-only trigger refuses editing the record, so a forged panel cannot be stored.
    await expect(
      t.db.query(`UPDATE appraisal_draws SET seed = 1 WHERE appraisal_id = $1`, [d.id]),
    ).rejects.toThrow();
  });

  it('refuses a draw from a pool too small once the recused are out, and a recusal outside the pool', async () => {
    const caseId = await insertCase(t.db, HZ, 'recognised');
    const a = await received(t.db, caseId);
    const base = {
      regionCode: HZ,
      appraisalId: a.id,
      specialty: 'neurology',
      panelSize: 3 as const,
      drawnOn: '2025-09-03',
    };
    const small = await drawAppraisalPanel(t.db, city, { ...base, recusals: [] });
    expect(small.ok ? null : [small.code, small.details?.['eligible']]).toEqual([
      'appraisal.pool_too_small',
      2,
    ]);
    const outside = await drawAppraisalPanel(t.db, city, {
      ...base,
      specialty: 'orthopaedics',
      recusals: [{ expertId: 'exp_330100_0000000000000000', reason: 'x' }],
    });
    expect(codeOf(outside)).toBe('appraisal.recusal_not_in_pool');
    const state = await t.db.query(`SELECT status FROM appraisals WHERE id = $1`, [a.id]);
    expect(state.rows[0]?.['status']).toBe('received');
  });
});

describe(`the pool on ${testBackend}`, () => {
  it('a deactivated expert leaves the pool of later draws', async () => {
    const [gone] = await addExperts(t.db, NB, 'ophthalmology', 4);
    const nbCommittee = committeeActor('city', NB);
    const off = await deactivateExpert(t.db, nbCommittee, { committeeCode: NB, expertId: gone! });
    expect(off.ok && off.value.active).toBe(false);
    expect(
      codeOf(await deactivateExpert(t.db, nbCommittee, { committeeCode: NB, expertId: gone! })),
    ).toBe('appraisal.expert_inactive');
    const caseId = await insertCase(t.db, NB, 'recognised');
    const a = await applyForAppraisal(t.db, nbCommittee, rules, {
      regionCode: NB,
      caseId,
      kind: 'initial',
      appliedOn: '2025-09-01',
      applicantKind: 'employer',
      treatmentStabilisedOn: '2025-08-01',
    });
    if (!a.ok) throw new Error(a.message);
    const d = await drawAppraisalPanel(t.db, nbCommittee, {
      regionCode: NB,
      appraisalId: a.value.id,
      specialty: 'ophthalmology',
      panelSize: 3,
      recusals: [],
      drawnOn: '2025-09-02',
    });
    expect(d.ok && d.value.draw?.poolIds).not.toContain(gone);
    expect(d.ok && d.value.draw?.drawnIds).not.toContain(gone);
  });
});

describe(`due dates and the extension on ${testBackend}`, () => {
  it('refuses a late conclusion; an extension before the due date moves it 30 days', async () => {
    const caseId = await insertCase(t.db, HZ, 'recognised');
    const d = await drawn(t.db, caseId);
    const late = await concludeAppraisal(
      t.db,
      city,
      rules,
      {
        regionCode: HZ,
        appraisalId: d.id,
        concludedOn: '2025-11-05',
        ...grade7,
      },
      cheap,
    );
    expect(late.ok ? null : [late.code, late.details?.['dueOn']]).toEqual([
      'appraisal.conclusion_overdue',
      '2025-10-31',
    ]);
    const ext = await extendAppraisal(t.db, city, rules, {
      regionCode: HZ,
      appraisalId: d.id,
      extendedOn: '2025-10-30',
      reason: '需委托医疗机构协助诊断',
    });
    // 2025-10-31 + 30 days = Sunday 2025-11-30: the period ends on the next working day (民法典第二百零三条).
    expect(ext.ok && [ext.value.extendedDueOn, ext.value.effectiveDueOn]).toEqual([
      '2025-12-01',
      '2025-12-01',
    ]);
    const twice = await extendAppraisal(t.db, city, rules, {
      regionCode: HZ,
      appraisalId: d.id,
      extendedOn: '2025-10-30',
      reason: 'again',
    });
    expect(codeOf(twice)).toBe('appraisal.already_extended');
    const ok = await concludeAppraisal(
      t.db,
      city,
      rules,
      {
        regionCode: HZ,
        appraisalId: d.id,
        concludedOn: '2025-11-05',
        ...grade7,
      },
      cheap,
    );
    expect(codeOf(ok)).toBe('ok');
    const tooLong = await concludeAppraisal(
      t.db,
      city,
      rules,
      {
        regionCode: HZ,
        appraisalId: d.id,
        concludedOn: '2025-11-05',
        ...grade7,
        stopWorkExtensionMonths: 13,
      },
      cheap,
    );
    expect(codeOf(tooLong)).toBe('appraisal.already_concluded');
  });
});

describe(`re-appraisal, review and the work list on ${testBackend}`, () => {
  it('re-appraisal: provincial committee only, within 15 days of receipt, final; then review after a year', async () => {
    const { caseId, reId } = await reAppraised();
    await reviewAfterAYear(caseId, reId);
  });

  it('the work list: open first by due date, scoped to the city or the whole province', async () => {
    const hzOpen = await t.db.withConnection((ex) =>
      listAppraisals(ex, { regionCode: HZ, state: 'open' }),
    );
    expect(hzOpen.length).toBeGreaterThan(0);
    expect(hzOpen.every((a) => a.regionCode === HZ && a.status !== 'concluded')).toBe(true);
    const dues = hzOpen.map((a) => a.effectiveDueOn ?? '');
    expect(dues).toEqual([...dues].sort());
    const all = await t.db.withConnection((ex) =>
      listAppraisals(ex, { regionCode: PROVINCE, state: 'all' }),
    );
    expect(new Set(all.map((a) => a.regionCode))).toEqual(new Set([HZ, NB]));
    const near = await t.db.withConnection((ex) =>
      listAppraisals(ex, { regionCode: PROVINCE, dueBy: '2025-10-31' }),
    );
    expect(near.every((a) => (a.effectiveDueOn ?? '') <= '2025-10-31')).toBe(true);
  });
});

/**
 * 《浙江省工伤保险条例》第二十二条（三）: "未构成伤残等级，依法与用人单位解除或者终止劳动关系的" — a case concluded
 * without a grade whose worker left the employer is no longer reviewed; taken back on, it is.
 */
describe(`浙江's review bar (第二十二条) on ${testBackend}`, () => {
  it('refuses the review of a worker not graded who left the employer; receives it once re-employed there', async () => {
    const caseId = await insertCase(t.db, HZ, 'recognised', {
      accidentDate: '2024-03-01',
      decidedOn: '2024-04-20',
    });
    const owner = await t.db.query(
      'SELECT worker_id, employer_id FROM cases WHERE region_code = $1 AND id = $2',
      [HZ, caseId],
    );
    const { worker_id: workerId, employer_id: employerId } = owner.rows[0] ?? {};
    const appraisalId = `apr_${HZ}_${randomBytes(8).toString('hex')}`;
    await t.db.query(
      `INSERT INTO appraisals (region_code, id, case_id, kind, committee_level, status, applied_on, due_on,
         concluded_on, conclusion, created_by)
       VALUES ($1, $2, $3, 'initial', 'city', 'concluded', '2024-09-01', '2024-10-31', '2024-10-20',
         'not_graded', 'test')`,
      [HZ, appraisalId, caseId],
    );
    const spell = async (start: string, end: string | null) =>
      t.db.query(
        `INSERT INTO employment_spells (region_code, id, employer_id, worker_id, worker_name, start_date,
           end_date, hired_by, left_by)
         VALUES ($1, $2, $3, $4, '测试职工', $5, $6, 'test', CASE WHEN $6::date IS NULL THEN NULL ELSE 'test' END)`,
        [HZ, `spl_${HZ}_${randomBytes(8).toString('hex')}`, employerId, workerId, start, end],
      );
    await spell('2020-01-01', '2025-06-30');
    const review = {
      regionCode: HZ,
      caseId,
      kind: 'review' as const,
      applicantKind: 'worker' as const,
      previousAppraisalId: appraisalId,
      appliedOn: '2025-12-02',
    };
    const barred = await applyForAppraisal(t.db, city, rules, review);
    expect(
      barred.ok
        ? null
        : [barred.code, barred.details?.['item'], barred.details?.['employmentEndedOn']],
    ).toEqual(['appraisal.review_relation_ended', '三', '2025-06-30']);
    const rows = await t.db.query('SELECT count(*)::int AS n FROM appraisals WHERE case_id = $1', [
      caseId,
    ]);
    expect(rows.rows[0]?.['n']).toBe(1);
    await spell('2025-11-01', null);
    const received = await applyForAppraisal(t.db, city, rules, review);
    expect(received.ok ? received.value.kind : received.code).toBe('review');
  });
});

async function reAppraised(): Promise<{ caseId: string; reId: string }> {
  // A year earlier than the other tests: the review's due day must fall in a year the bundled
  // calendar knows (2024–2026).
  const caseId = await insertCase(t.db, HZ, 'recognised', {
    accidentDate: '2024-03-01',
    decidedOn: '2024-04-20',
  });
  const d = await drawn(t.db, caseId, 12345, 2024);
  await concludeAppraisal(
    t.db,
    city,
    rules,
    {
      regionCode: HZ,
      appraisalId: d.id,
      concludedOn: '2024-10-20',
      ...grade7,
    },
    cheap,
  );
  const re = {
    regionCode: HZ,
    caseId,
    kind: 're_appraisal' as const,
    applicantKind: 'employer' as const,
    previousAppraisalId: d.id,
  };
  expect(
    codeOf(await applyForAppraisal(t.db, province, rules, { ...re, appliedOn: '2024-10-25' })),
  ).toBe('appraisal.not_served');
  const served = await serveConclusion(t.db, city, rules, {
    regionCode: HZ,
    appraisalId: d.id,
    servedOn: '2024-10-22',
  });
  expect(codeOf(served)).toBe('ok');
  expect(
    codeOf(await applyForAppraisal(t.db, city, rules, { ...re, appliedOn: '2024-10-25' })),
  ).toBe('appraisal.province_committee_only');
  const late = await applyForAppraisal(t.db, province, rules, { ...re, appliedOn: '2024-11-07' });
  expect(late.ok ? null : [late.code, late.details?.['ranOutOn']]).toEqual([
    'appraisal.reappraisal_late',
    '2024-11-06',
  ]);
  const r = await applyForAppraisal(t.db, province, rules, { ...re, appliedOn: '2024-11-06' });
  if (!r.ok) throw new Error(r.message);
  expect([r.value.committeeLevel, r.value.previousAppraisalId]).toEqual(['province', d.id]);
  await provinceConcludes(r.value.id);
  const current = await t.db.withConnection((ex) => currentConclusion(ex, HZ, caseId));
  expect([current?.appraisalId, current?.disabilityGrade, current?.committeeLevel]).toEqual([
    r.value.id,
    6,
    'province',
  ]);
  return { caseId, reId: r.value.id };
}

async function reviewAfterAYear(caseId: string, reId: string): Promise<void> {
  const re = {
    regionCode: HZ,
    caseId,
    kind: 're_appraisal' as const,
    applicantKind: 'employer' as const,
  };
  const final = await applyForAppraisal(t.db, province, rules, {
    ...re,
    previousAppraisalId: reId,
    appliedOn: '2024-12-05',
  });
  expect(codeOf(final)).toBe('appraisal.conclusion_final');
  const review = {
    regionCode: HZ,
    caseId,
    kind: 'review' as const,
    applicantKind: 'agency' as const,
    previousAppraisalId: reId,
  };
  const early = await applyForAppraisal(t.db, city, rules, { ...review, appliedOn: '2025-12-01' });
  expect(early.ok ? null : [early.code, early.details?.['earliestOn']]).toEqual([
    'appraisal.review_too_early',
    '2025-12-02',
  ]);
  const rv = await applyForAppraisal(t.db, city, rules, { ...review, appliedOn: '2025-12-02' });
  expect(rv.ok ? null : rv.message).toBeNull();
  expect(rv.ok && [rv.value.kind, rv.value.committeeLevel, rv.value.dueOn]).toEqual([
    'review',
    'city',
    '2026-02-02',
  ]);
}

/** The provincial committee draws its own panel (a city's committee may not), concludes grade 6, serves it. */
async function provinceConcludes(reId: string): Promise<void> {
  const byCity = await drawAppraisalPanel(t.db, city, {
    regionCode: HZ,
    appraisalId: reId,
    specialty: 'orthopaedics',
    panelSize: 5,
    recusals: [],
    drawnOn: '2024-11-10',
  });
  expect(codeOf(byCity)).toBe('appraisal.province_committee_only');
  const pd = await drawAppraisalPanel(t.db, province, {
    regionCode: HZ,
    appraisalId: reId,
    specialty: 'orthopaedics',
    panelSize: 5,
    recusals: [],
    drawnOn: '2024-11-10',
  });
  expect(pd.ok && pd.value.draw?.committeeCode).toBe(PROVINCE);
  await concludeAppraisal(
    t.db,
    province,
    rules,
    {
      regionCode: HZ,
      appraisalId: reId,
      concludedOn: '2024-12-01',
      ...grade7,
      disabilityGrade: 6,
    },
    cheap,
  );
  await serveConclusion(t.db, province, rules, {
    regionCode: HZ,
    appraisalId: reId,
    servedOn: '2024-12-02',
  });
}
