import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, textOrNullOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import type { Result } from '../../kernel/result.ts';
import { readBundledCalendar } from '../../runtime/calendar-file.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { syncBundledCalendar } from '../calendar/calendar-import.ts';
import type { LetterRenderer } from '../letters/issue-letter.ts';
import { applyForAppraisal } from './appraisal-application.ts';
import { concludeAppraisal, extendAppraisal, serveConclusion } from './appraisal-conclusion.ts';
import { drawAppraisalPanel } from './appraisal-draw.ts';
import {
  addExperts,
  committeeActor,
  HZ,
  insertCase,
  setUpAppraisalRegions,
} from './appraisal-testing.ts';

/**
 * The appraisal's procedure cannot be skipped or reversed outside its rules (issue 11's
 * acceptance, as determination-model.db.test.ts shows it for the determination): fast-check
 * command sequences run the real use cases on the database against a model written apart from
 * src/domain/cases/appraisal-procedure.ts — received → panel_drawn → concluded → served, one
 * extension while open. A command the model allows must succeed and land where the model says; any
 * other must be refused with the model's code and change nothing (row and case timeline).
 * Days only move forward, a few at a time, so no 60-day period runs out inside a sequence.
 */
const SEED = Number(process.env['APPRAISAL_MODEL_SEED'] ?? 20261206);
const RUNS = Number(process.env['APPRAISAL_MODEL_RUNS'] ?? 20);

type Stage = 'received' | 'panel_drawn' | 'concluded' | 'served';
type Model = { stage: Stage; extended: boolean; day: IsoDate };
type Real = { caseId: string; appraisalId: string };

const rules = testRuleBook().benefits;
const city = committeeActor('city', HZ);
const cheap: LetterRenderer = async (page) => Buffer.from(page.paragraphs.join('\n'));
const seen = new Set<string>();
let t: TestDatabase;

async function readAppraisal(real: Real) {
  const r = withColumns(
    await t.db.query(
      `SELECT status, version, to_char(served_on, 'YYYY-MM-DD') AS served_on,
              to_char(extended_due_on, 'YYYY-MM-DD') AS extended_due_on,
              (SELECT count(*)::int FROM case_events e
                WHERE e.region_code = a.region_code AND e.case_id = a.case_id) AS events
         FROM appraisals a WHERE region_code = $1 AND id = $2`,
      [HZ, real.appraisalId],
    ),
    {
      status: textOf,
      version: intOf,
      served_on: textOrNullOf,
      extended_due_on: textOrNullOf,
      events: intOf,
    },
  );
  const row = r.rows[0];
  if (!row) throw new Error('appraisal vanished');
  return row;
}

/** What the model says a command does: the next model, or the refusal code. */
type Verdict = { next: Model } | { refused: string };

/** The procedure as the law orders it (第二十五条, 第二十六条), written out apart from the domain. */
const model: Record<string, (m: Model, on: IsoDate) => Verdict> = {
  draw: (m, on) =>
    m.stage === 'received'
      ? { next: { ...m, stage: 'panel_drawn', day: on } }
      : { refused: 'appraisal.not_received' },
  extend: (m, on) =>
    m.stage === 'concluded' || m.stage === 'served'
      ? { refused: 'appraisal.already_concluded' }
      : m.extended
        ? { refused: 'appraisal.already_extended' }
        : { next: { ...m, extended: true, day: on } },
  conclude: (m, on) =>
    m.stage === 'concluded' || m.stage === 'served'
      ? { refused: 'appraisal.already_concluded' }
      : m.stage === 'received'
        ? { refused: 'appraisal.not_drawn' }
        : { next: { ...m, stage: 'concluded', day: on } },
  serve: (m, on) =>
    m.stage === 'served'
      ? { refused: 'appraisal.already_served' }
      : m.stage !== 'concluded'
        ? { refused: 'appraisal.not_concluded' }
        : { next: { ...m, stage: 'served', day: on } },
  // A second first appraisal of the case: never, whether the first is open or concluded.
  apply_again: (m) => ({
    refused:
      m.stage === 'received' || m.stage === 'panel_drawn'
        ? 'appraisal.already_open'
        : 'appraisal.initial_exists',
  }),
};

function act(name: string, real: Real, on: IsoDate): Promise<Result<unknown>> {
  const key = { regionCode: HZ, appraisalId: real.appraisalId };
  switch (name) {
    case 'draw':
      return drawAppraisalPanel(t.db, city, {
        ...key,
        specialty: 'orthopaedics',
        panelSize: 3,
        recusals: [],
        drawnOn: on,
      });
    case 'extend':
      return extendAppraisal(t.db, city, rules, { ...key, extendedOn: on, reason: '需补充检查' });
    case 'conclude':
      return concludeAppraisal(
        t.db,
        city,
        rules,
        {
          ...key,
          concludedOn: on,
          conclusion: 'graded',
          disabilityGrade: 7,
          nursingLevel: null,
          stopWorkExtensionMonths: 2,
          gradingClauses: ['5.7.2(12)'],
        },
        cheap,
      );
    case 'serve':
      return serveConclusion(t.db, city, rules, { ...key, servedOn: on });
    default:
      return applyForAppraisal(t.db, city, rules, {
        regionCode: HZ,
        caseId: real.caseId,
        kind: 'initial',
        appliedOn: on,
        applicantKind: 'worker',
        treatmentStabilisedOn: '2025-08-15',
      });
  }
}

const statusOf: Record<Stage, string> = {
  received: 'received',
  panel_drawn: 'panel_drawn',
  concluded: 'concluded',
  served: 'concluded',
};

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    readonly gap: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, real: Real): Promise<void> {
    const on = addDays(m.day, this.gap);
    const before = await readAppraisal(real);
    const out = await act(this.name, real, on);
    const after = await readAppraisal(real);
    const verdict = model[this.name]!(m, on);
    seen.add(`${this.name}.${out.ok ? 'ok' : out.code}`);
    if ('refused' in verdict) {
      expect(out.ok ? 'ok' : out.code, `${this.name} from ${m.stage}`).toBe(verdict.refused);
      expect(after).toEqual(before);
      return;
    }
    expect(out.ok ? 'ok' : `${out.code}: ${out.message}`, `${this.name} from ${m.stage}`).toBe(
      'ok',
    );
    Object.assign(m, verdict.next);
    expect(after.status).toBe(statusOf[m.stage]);
    expect(after.served_on).toBe(m.stage === 'served' ? on : before.served_on);
    expect(after.extended_due_on !== null).toBe(m.extended);
    // Each step that moves the procedure is on the case's timeline.
    expect(after.events).toBeGreaterThan(before.events);
  }
  toString(): string {
    return `${this.name}+${this.gap}`;
  }
}

beforeAll(async () => {
  t = await openTestDatabase();
  await syncBundledCalendar(t.db, readBundledCalendar());
  await setUpAppraisalRegions(t.db);
  await addExperts(t.db, HZ, 'orthopaedics', 6);
}, 120_000);
afterAll(async () => t.cleanup());

describe(`the appraisal procedure against a model on ${testBackend}`, () => {
  it('every command sequence moves only as the law orders; every other step is refused, unchanged', async () => {
    const gap = fc.integer({ min: 0, max: 3 });
    const names = ['draw', 'extend', 'conclude', 'serve', 'apply_again'];
    const commands = names.map((n) => gap.map((g) => new Step(n, g)));
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
        const caseId = await insertCase(t.db, HZ, 'recognised');
        const applied = await act('apply_again', { caseId, appraisalId: '' }, '2025-09-01');
        if (!applied.ok) throw new Error(applied.message);
        const appraisalId = (applied.value as { id: string }).id;
        const m: Model = { stage: 'received', extended: false, day: '2025-09-01' };
        await fc.asyncModelRun(() => ({ model: m, real: { caseId, appraisalId } }), cmds);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The sequences reached every transition and every refusal the model names.
    for (const n of ['draw', 'extend', 'conclude', 'serve']) expect(seen).toContain(`${n}.ok`);
    expect(seen).toContain('conclude.appraisal.not_drawn');
    expect(seen).toContain('serve.appraisal.not_concluded');
    expect(seen).toContain('apply_again.appraisal.already_open');
  }, 600_000);
});
