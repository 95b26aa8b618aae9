import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { DeterminationGround, DeterminationOutcome } from '../../domain/cases/index.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import { randomInt, seededRandom } from '../../kernel/random.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { deadlineDashboard } from './case-reads.ts';
import { applyForDetermination } from './case-report.ts';
import { actOnCase, type OfficerCommand } from './determination-actions.ts';
import { type CaseFixture, type Employment, reportAccident, setUpCases } from './testing.ts';

/**
 * case_due_counts (0025) against the cases it summarises: after every state change — each step of
 * the procedure through the use cases, and set-based SQL (multi-row insert, update across days,
 * update of other columns, delete) — its non-zero rows are the running cases counted per
 * city, clock kind and due day, and deadlineDashboard answers what counting the cases answers, for
 * each city and the province, on several days.
 */
const rules = testRuleBook().benefits;
const cheapPdf = async () => Buffer.from('%PDF-1.4 test');
let t: TestDatabase;
let fx: CaseFixture;
type Real = { regionCode: string; caseId: string; day: IsoDate };

async function lines(sql: string): Promise<string[]> {
  const r = withColumns(await t.db.query(sql), {
    region_code: textOf,
    kind: textOf,
    day: textOf,
    n: intOf,
  });
  return r.rows.map((x) => `${x.region_code}|${x.kind}|${x.day}|${x.n}`);
}

const counted = () =>
  lines(`SELECT region_code, next_due_kind AS kind, to_char(next_due_on, 'YYYY-MM-DD') AS day,
                count(*)::int AS n
           FROM cases WHERE next_due_on IS NOT NULL
          GROUP BY region_code, next_due_kind, next_due_on ORDER BY 1, 2, 3`);

const kept = () =>
  lines(`SELECT region_code, due_kind AS kind, to_char(due_on, 'YYYY-MM-DD') AS day, cases AS n
           FROM case_due_counts WHERE cases <> 0 ORDER BY 1, 2, 3`);

/** The dashboard as it was before 0025: counting the running cases themselves. */
async function countedDashboard(regionCode: string, today: IsoDate) {
  const r = await t.db.query(
    `SELECT region_code, next_due_kind,
            count(*) FILTER (WHERE next_due_on < $2::date)::int AS overdue,
            count(*) FILTER (WHERE next_due_on = $2::date)::int AS due_today,
            count(*) FILTER (WHERE next_due_on > $2::date AND next_due_on <= $3::date)::int AS soon,
            count(*)::int AS running
       FROM cases
      WHERE next_due_on IS NOT NULL
        AND (region_code = $1 OR ($1 LIKE '%0000' AND left(region_code, 2) = left($1, 2)))
      GROUP BY region_code, next_due_kind ORDER BY region_code, next_due_kind`,
    [regionCode, today, addDays(today, 7)],
  );
  return withColumns(r, {
    region_code: textOf,
    next_due_kind: textOf,
    overdue: intOf,
    due_today: intOf,
    soon: intOf,
    running: intOf,
  }).rows.map((x) => ({
    regionCode: x.region_code,
    dueKind: x.next_due_kind,
    overdue: x.overdue,
    dueToday: x.due_today,
    dueWithin7Days: x.soon,
    running: x.running,
  }));
}

/** The days the dashboard is asked on: before, on and after the running due days. */
async function askingDays(): Promise<IsoDate[]> {
  const r = withColumns(
    await t.db.query(
      `SELECT DISTINCT to_char(next_due_on, 'YYYY-MM-DD') AS day FROM cases
        WHERE next_due_on IS NOT NULL ORDER BY 1`,
    ),
    { day: textOf },
  );
  const days = r.rows.map((x) => x.day);
  const picked = [days[0], days[Math.floor(days.length / 2)], days.at(-1)];
  return [
    '2026-01-01',
    '2028-01-01',
    ...picked.flatMap((d) => (d ? [addDays(d, -3), d, addDays(d, 1)] : [])),
  ];
}

async function expectExact(context: string): Promise<void> {
  expect(await kept(), `${context}: counts`).toEqual(await counted());
  for (const today of await askingDays())
    for (const region of ['330100', '330200', '330000']) {
      const dashboard = await t.db.withConnection((ex) => deadlineDashboard(ex, region, today));
      expect(dashboard, `${context}: ${region} on ${today}`).toEqual(
        await countedDashboard(region, today),
      );
    }
}

async function report(e: Employment, accidentDate: IsoDate, apply: boolean): Promise<Real> {
  const c = await reportAccident(
    t.db,
    fx.officer,
    rules,
    e,
    accidentDate,
    apply ? accidentDate : undefined,
  );
  return { ...c, day: accidentDate };
}

const decisions: [DeterminationOutcome, DeterminationGround][] = [
  ['recognised', 'art14_1'],
  ['not_recognised', 'art16_2'],
];

/** Every officer command, on the day `on` (refused ones change nothing, and are run too). */
function commandsOn(on: IsoDate, pick: number): (OfficerCommand | 'apply')[] {
  const [outcome, ground] = decisions[pick % decisions.length] ?? decisions[0]!;
  return [
    'apply',
    { kind: 'accept', on, clear: pick % 2 === 0 },
    { kind: 'refuse_acceptance', on, reason: '不属于受理范围' },
    { kind: 'request_materials', on, missing: ['医疗诊断证明'] },
    { kind: 'complete_materials', on },
    { kind: 'suspend', on, reason: '等待法院判决' },
    { kind: 'resume', on },
    { kind: 'decide', on, outcome, grounds: [ground] },
    { kind: 'serve', on },
    { kind: 'file_review', on, channel: 'administrative_review' },
    { kind: 'record_review_outcome', on, result: 'revoked' },
    { kind: 'record_review_outcome', on, result: 'upheld' },
  ];
}

/** The commands the procedure allows from each status (a refused one is tried now and then too). */
const lawfulFrom: Record<string, string[]> = {
  reported: ['apply'],
  applied: ['accept', 'refuse_acceptance', 'request_materials'],
  awaiting_materials: ['complete_materials', 'refuse_acceptance'],
  accepted: ['suspend', 'decide'],
  suspended: ['resume'],
  decided: ['serve'],
  served: ['file_review'],
  under_review: ['record_review_outcome'],
};

const nameOf = (c: OfficerCommand | 'apply') => (c === 'apply' ? 'apply' : c.kind);

async function statusOf(real: Real): Promise<string> {
  const r = withColumns(
    await t.db.query('SELECT status FROM cases WHERE region_code = $1 AND id = $2', [
      real.regionCode,
      real.caseId,
    ]),
    { status: textOf },
  );
  return r.rows[0]?.status ?? 'missing';
}

async function step(real: Real, command: OfficerCommand | 'apply'): Promise<string> {
  const out =
    command === 'apply'
      ? await applyForDetermination(t.db, fx.officer, rules, real, {
          applicantType: 'worker',
          appliedOn: real.day,
        })
      : await actOnCase(t.db, fx.officer, rules, real, command, { render: cheapPdf });
  const name = nameOf(command);
  return out.ok ? `${name}.ok` : `${name}.refused`;
}

beforeAll(async () => {
  t = await openTestDatabase();
  fx = await setUpCases(t.db);
});
afterAll(async () => t.cleanup());

describe(`the dashboard's due counts (0025) on ${testBackend}`, () => {
  it('stay exact through every step of the procedure, run at random on cases of two cities', async () => {
    const cases: Real[] = [];
    for (let i = 0; i < 6; i++)
      cases.push(
        await report(i % 2 ? fx.otherCity : fx.employment, addDays('2026-03-02', i * 3), i < 4),
      );
    await expectExact('reported');
    const rand = seededRandom(20261206);
    const seen = new Set<string>();
    for (let n = 0; n < 60; n++) {
      const real = cases[randomInt(rand, 0, cases.length - 1)]!;
      real.day = addDays(real.day, randomInt(rand, 0, 6));
      const all = commandsOn(real.day, n);
      // Mostly a step the law allows now (so the walk goes deep), sometimes any (refused: no change).
      const lawful = lawfulFrom[await statusOf(real)] ?? [];
      const from = rand() < 0.8 ? all.filter((c) => lawful.includes(nameOf(c))) : all;
      const choices = from.length > 0 ? from : all;
      const outcome = await step(real, choices[randomInt(rand, 0, choices.length - 1)]!);
      seen.add(outcome);
      await expectExact(`step ${n} ${outcome}`);
    }
    // The walk moved clocks every way: started, moved from one kind to the other, stopped, restarted.
    for (const must of [
      'apply.ok',
      'accept.ok',
      'suspend.ok',
      'resume.ok',
      'decide.ok',
      'serve.ok',
    ])
      expect(seen.has(must), [...seen].sort().join(' ')).toBe(true);
  }, 120_000);
});

/** The ids of the copies the set-based test makes: cas_<city>_ffff, 11 hex digits, the copy number. */
const COPY = '^cas_[0-9]{6}_ffff[0-9a-f]{11}[1-5]$';

describe(`the dashboard's due counts (0025) under set-based SQL on ${testBackend}`, () => {
  it('stay exact through set-based SQL: multi-row insert, moves across days, delete', async () => {
    // Copies of every running case (json_populate_record keeps the other columns), spread over days;
    // a copy's id is cas_<city>_ffff<n><g>: 16 hex digits (cases_id_check), its copy number g (1–5)
    // last. COPY (below) names exactly those ids, so a real case whose random id happens to contain
    // "_ffff" is never taken for a copy; a retried attempt starts from no copies.
    await t.db.query(`DELETE FROM cases WHERE id ~ '${COPY}'`);
    await t.db.query(
      `INSERT INTO cases
       SELECT (json_populate_record(s.c, json_build_object(
                 'id', 'cas_' || (s.c).region_code || '_ffff' || lpad(to_hex(s.n), 11, '0') || g,
                 'next_due_on', (s.c).next_due_on + g % 3))).*
         FROM (SELECT c, row_number() OVER (ORDER BY c.region_code, c.id) AS n
                 FROM cases c WHERE c.next_due_on IS NOT NULL AND c.id !~ '${COPY}') s
        CROSS JOIN generate_series(1, 5) AS g`,
    );
    await expectExact('copies inserted');
    await t.db.query(
      `UPDATE cases SET next_due_on = next_due_on + (right(id, 1)::int - 3)
        WHERE id ~ '${COPY}'`,
    );
    await expectExact('copies moved across days');
    const before = await t.db.query('SELECT * FROM case_due_counts ORDER BY 1, 2, 3');
    await t.db.query(`UPDATE cases SET accident_summary = accident_summary || '。'`);
    expect((await t.db.query('SELECT * FROM case_due_counts ORDER BY 1, 2, 3')).rows).toEqual(
      before.rows,
    );
    await t.db.query(
      `UPDATE cases SET next_due_kind = NULL, next_due_on = NULL, next_due_provisional = false
        WHERE id ~ '${COPY}' AND right(id, 1) IN ('1', '2')`,
    );
    await expectExact('some copies stopped');
    await t.db.query(`DELETE FROM cases WHERE id ~ '${COPY}' AND right(id, 1) IN ('3', '5')`);
    await expectExact('some copies deleted');
  });

  it('refuse a decrease on a day without its count: a lost change cannot go unnoticed', async () => {
    const running = withColumns(
      await t.db.query(`SELECT id FROM cases WHERE next_due_on IS NOT NULL LIMIT 1`),
      { id: textOf },
    ).rows[0];
    expect(running).toBeDefined();
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('DELETE FROM case_due_counts');
        await tx.query(
          `UPDATE cases SET next_due_kind = NULL, next_due_on = NULL, next_due_provisional = false WHERE id = $1`,
          [running?.id],
        );
      }),
    ).rejects.toThrow(/decreased without a count/);
    await expectExact('after the refused statement rolled back');
  });

  it('stay exact when concurrent transactions move cases due on the same day', async () => {
    const same = [];
    for (let i = 0; i < 8; i++) same.push(await report(fx.employment, '2026-08-03', true));
    await expectExact('eight due the same day');
    // Each acceptance moves one case off the shared acceptance day, in its own transaction at once
    // (on the server, on separate connections: the shared day row is updated concurrently).
    const outs = await Promise.all(
      same.map((c) =>
        actOnCase(
          t.db,
          fx.officer,
          rules,
          c,
          { kind: 'accept', on: '2026-08-04', clear: false },
          {
            render: cheapPdf,
          },
        ),
      ),
    );
    expect(outs.map((o) => o.ok)).toEqual(same.map(() => true));
    await expectExact('eight accepted at once');
  });

  it('leave out a city whose cases all stopped, as counting does', async () => {
    await report(fx.employment, '2026-07-01', true);
    await report(fx.otherCity, '2026-07-01', true);
    const cities = async () =>
      (await t.db.withConnection((ex) => deadlineDashboard(ex, '330000', '2026-07-01'))).map(
        (r) => r.regionCode,
      );
    expect(new Set(await cities())).toEqual(new Set(['330100', '330200']));
    await t.db.query(
      `UPDATE cases SET next_due_kind = NULL, next_due_on = NULL, next_due_provisional = false
        WHERE region_code = '330200'`,
    );
    await expectExact('330200 stopped');
    expect(new Set(await cities())).toEqual(new Set(['330100']));
    // Its day rows are still there, at zero.
    const zero = await t.db.query(
      `SELECT count(*)::int AS n FROM case_due_counts WHERE region_code = '330200' AND cases = 0`,
    );
    expect(withColumns(zero, { n: intOf }).rows[0]?.n).toBeGreaterThan(0);
  });
});
