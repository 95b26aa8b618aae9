import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, textOrNullOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type {
  DeterminationGround,
  DeterminationOutcome,
  ReviewResult,
} from '../../domain/cases/index.ts';
import { addDays, type IsoDate } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { applyForDetermination, reportCase } from './case-report.ts';
import { actOnCase, type OfficerCommand } from './determination-actions.ts';
import { type CaseFixture, setUpCases } from './testing.ts';

/**
 * The acceptance test of issue 11: the determination cannot be skipped or reversed outside its
 * rules. fast-check command sequences run the real use cases on the database against a model that
 * is written apart from the domain's table (a plain map of status × command → next status): every
 * command the model allows must succeed and land in the model's status; every other must be refused
 * with case.transition_not_allowed and change nothing (status, version, timeline).
 */
const SEED = Number(process.env['CASE_MODEL_SEED'] ?? 20261206);
const RUNS = Number(process.env['CASE_MODEL_RUNS'] ?? (testBackend === 'pg' ? 25 : 10));

type Status = string;
type Model = { status: Status; day: IsoDate };
type Real = { regionCode: string; caseId: string };

/** The law's order, written out independently of src/domain/cases/determination.ts. */
const next: Record<string, Record<Status, Status>> = {
  apply: { reported: 'applied' },
  accept: { applied: 'accepted' },
  refuse_acceptance: { applied: 'not_accepted', awaiting_materials: 'not_accepted' },
  request_materials: { applied: 'awaiting_materials' },
  complete_materials: { awaiting_materials: 'applied' },
  note_investigation: { accepted: 'accepted', suspended: 'suspended' },
  suspend: { accepted: 'suspended' },
  resume: { suspended: 'accepted' },
  decide: { accepted: 'decided' },
  serve: { decided: 'served' },
  file_review: { served: 'under_review' },
  review_upheld: { under_review: 'served' },
  review_revoked: { under_review: 'accepted' },
  review_changed: { under_review: 'served' },
};

/** The procedure is under test here, not the letters' layout (issue-letter's own tests): a stub PDF. */
const cheapPdf = async () => Buffer.from('%PDF-1.4 test');

/** Steps that issue a letter (受理, 不予受理, 补正告知, 中止, the decision, a changed decision). */
const lettered = new Set([
  'accept',
  'refuse_acceptance',
  'request_materials',
  'suspend',
  'decide',
  'review_changed',
]);

const rules = testRuleBook().benefits;
let t: TestDatabase;
let fx: CaseFixture;
const seen = new Map<string, number>();

async function readCase(real: Real) {
  const r = withColumns(
    await t.db.query(
      `SELECT status, version, next_due_kind,
              (SELECT count(*)::int FROM case_events e WHERE e.region_code = c.region_code AND e.case_id = c.id) AS events
         FROM cases c WHERE region_code = $1 AND id = $2`,
      [real.regionCode, real.caseId],
    ),
    { status: textOf, version: intOf, next_due_kind: textOrNullOf, events: intOf },
  );
  const row = r.rows[0];
  if (!row) throw new Error('case vanished');
  return row;
}

const expectedDueKind: Record<Status, string | null> = {
  applied: 'acceptance',
  accepted: 'decision',
};

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    readonly gap: number,
    readonly make: (on: IsoDate) => OfficerCommand | 'apply',
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const on = addDays(model.day, this.gap);
    const before = await readCase(real);
    const command = this.make(on);
    const out =
      command === 'apply'
        ? await applyForDetermination(t.db, fx.officer, rules, real, {
            applicantType: 'worker',
            appliedOn: on,
          })
        : await actOnCase(t.db, fx.officer, rules, real, command, { render: cheapPdf });
    const after = await readCase(real);
    const expected = next[this.name]?.[model.status];
    seen.set(`${this.name}.${out.ok ? 'ok' : out.code}`, 1);
    if (expected === undefined) {
      expect(out.ok, `${this.name} from ${model.status} must be refused`).toBe(false);
      if (!out.ok) expect(out.code).toBe('case.transition_not_allowed');
      expect(after).toEqual(before);
      return;
    }
    expect(out.ok, `${this.name} from ${model.status}: ${out.ok ? '' : out.code}`).toBe(true);
    model.status = expected;
    model.day = on;
    expect(after.status).toBe(expected);
    expect(after.version).toBe(before.version + 1);
    // The step's own event, and a letter.issued event where the law wants the step in writing.
    expect(after.events - before.events).toBe(lettered.has(this.name) ? 2 : 1);
    expect(after.next_due_kind).toBe(expectedDueKind[expected] ?? null);
  }
  toString(): string {
    return `${this.name}+${this.gap}`;
  }
}

/** A back-dated command is refused whatever the state, and writes nothing. */
class Backdated implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const before = await readCase(real);
    const out = await actOnCase(
      t.db,
      fx.officer,
      rules,
      real,
      { kind: 'note_investigation', on: addDays(model.day, -1), note: 'back-dated' },
      { render: cheapPdf },
    );
    expect(out.ok).toBe(false);
    expect(await readCase(real)).toEqual(before);
  }
  toString(): string {
    return 'backdated';
  }
}

const decisions: [DeterminationOutcome, DeterminationGround][] = [
  ['recognised', 'art14_1'],
  ['recognised', 'art14_6'],
  ['deemed', 'art15_1'],
  ['not_recognised', 'art16_2'],
  ['not_recognised', 'art14_15_not_met'],
];

function reviewStep(result: ReviewResult, gap: number): Step {
  return new Step(`review_${result}`, gap, (on) => ({
    kind: 'record_review_outcome',
    on,
    result,
    ...(result === 'changed'
      ? { outcome: 'recognised' as const, grounds: ['art14_1' as const] }
      : {}),
  }));
}

const gap = fc.integer({ min: 0, max: 20 });
const commands = [
  gap.map((g) => new Step('apply', g, () => 'apply')),
  fc
    .tuple(gap, fc.boolean())
    .map(([g, clear]) => new Step('accept', g, (on) => ({ kind: 'accept', on, clear }))),
  gap.map(
    (g) =>
      new Step('refuse_acceptance', g, (on) => ({
        kind: 'refuse_acceptance',
        on,
        reason: '不属于受理范围',
      })),
  ),
  gap.map(
    (g) =>
      new Step('request_materials', g, (on) => ({
        kind: 'request_materials',
        on,
        missing: ['医疗诊断证明'],
      })),
  ),
  gap.map((g) => new Step('complete_materials', g, (on) => ({ kind: 'complete_materials', on }))),
  gap.map(
    (g) =>
      new Step('note_investigation', g, (on) => ({ kind: 'note_investigation', on, note: '走访' })),
  ),
  gap.map((g) => new Step('suspend', g, (on) => ({ kind: 'suspend', on, reason: '等待法院判决' }))),
  gap.map((g) => new Step('resume', g, (on) => ({ kind: 'resume', on }))),
  fc
    .tuple(gap, fc.constantFrom(...decisions))
    .map(
      ([g, [outcome, ground]]) =>
        new Step('decide', g, (on) => ({ kind: 'decide', on, outcome, grounds: [ground] })),
    ),
  gap.map((g) => new Step('serve', g, (on) => ({ kind: 'serve', on }))),
  fc
    .tuple(gap, fc.constantFrom('administrative_review' as const, 'litigation' as const))
    .map(
      ([g, channel]) => new Step('file_review', g, (on) => ({ kind: 'file_review', on, channel })),
    ),
  fc
    .tuple(gap, fc.constantFrom<ReviewResult>('upheld', 'revoked', 'changed'))
    .map(([g, r]) => reviewStep(r, g)),
];

/** One of the steps the model allows in the current state (picked at run time by `pick`). */
class LawfulStep implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly steps: readonly Step[],
  ) {}
  check(model: Readonly<Model>): boolean {
    return this.steps.some((s) => next[s.name]?.[model.status] !== undefined);
  }
  async run(model: Model, real: Real): Promise<void> {
    const options = this.steps.filter((s) => next[s.name]?.[model.status] !== undefined);
    const step = options[this.pick % options.length];
    if (step) await step.run(model, real);
  }
  toString(): string {
    return `lawful(${this.pick})`;
  }
}

const lawful = fc
  .tuple(fc.nat(), fc.tuple(...commands))
  .map(([pick, steps]) => new LawfulStep(pick, steps));

// Any command in any state (refusals everywhere) and, as often, a lawful step (so sequences go
// deep: acceptance, decision, service, review and back).
const allCommands = [
  ...commands,
  ...Array.from({ length: commands.length }, () => lawful),
  fc.constant(new Backdated()),
];

async function freshCase(): Promise<Real> {
  const e = fx.employment;
  const out = await reportCase(t.db, fx.officer, rules, {
    ...e,
    caseType: 'accident',
    accidentDate: '2026-01-05',
    reportedOn: '2026-01-06',
    reporterKind: 'handler',
    accidentPlace: '车间',
    accidentSummary: '跌倒',
  });
  if (!out.ok) throw new Error(out.message);
  return { regionCode: out.value.regionCode, caseId: out.value.caseId };
}

describe(`determination state machine against a model on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    fx = await setUpCases(t.db);
  });
  afterAll(async () => t.cleanup());

  it('no command sequence skips or reverses the procedure outside its rules', async () => {
    console.log(`case model test: seed ${SEED}, ${RUNS} runs (CASE_MODEL_SEED to replay)`);
    await fc.assert(
      fc.asyncProperty(fc.commands(allCommands, { maxCommands: 40, size: 'max' }), async (cmds) => {
        const real = await freshCase();
        await fc.asyncModelRun(
          () => ({ model: { status: 'reported', day: '2026-01-06' }, real }),
          cmds,
        );
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The sequences reached deep states, not only refusals at the start.
    console.log('outcomes:', [...seen.keys()].sort().join(' '));
    for (const must of ['accept.ok', 'decide.ok', 'serve.ok', 'file_review.ok', 'resume.ok'])
      expect(seen.has(must), must).toBe(true);
    expect(seen.has('decide.case.transition_not_allowed')).toBe(true);
  }, 60_000);
});
