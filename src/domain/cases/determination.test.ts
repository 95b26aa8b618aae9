import { describe, expect, it } from 'vitest';
import { addDays } from '../../kernel/dates.ts';
import { applicationTiming } from './application.ts';
import {
  applyDetermination,
  type DeterminationClock,
  type DeterminationCommand,
  type DeterminationState,
  initialState,
} from './determination.ts';
import { misfitGrounds } from './determination-grounds.ts';

const days = {
  'determination.acceptance': 15,
  'determination.decision': 60,
  'determination.decision_clear': 15,
};
const clock: DeterminationClock = {
  due: (period, start) => addDays(start, days[period]),
  extend: (due, stopped) => addDays(due, stopped),
  refusalAfterMaterialsDue: () => null,
};

/** A 浙江 clock: three calendar days to refuse after 补正 (《浙江省工伤保险条例》第十六条第二款). */
const zhejiangClock: DeterminationClock = {
  ...clock,
  refusalAfterMaterialsDue: (start) => addDays(start, 3),
};

function run(state: DeterminationState, ...commands: DeterminationCommand[]): DeterminationState {
  let s = state;
  for (const c of commands) {
    const out = applyDetermination(s, c, clock);
    if (!out.ok) throw new Error(`${c.kind}: ${out.code}`);
    s = out.value.state;
  }
  return s;
}

const applied = () => initialState('applied', '2026-03-02', clock);

describe('determination state machine (《工伤保险条例》第十八条 to 第二十条)', () => {
  it('acceptance is due 15 days after the application; the decision 60 days after acceptance', () => {
    const s = applied();
    expect(s.acceptanceDueOn).toBe('2026-03-17');
    const a = run(s, { kind: 'accept', on: '2026-03-10', clear: false });
    expect(a.status).toBe('accepted');
    expect(a.decisionDueOn).toBe('2026-05-09');
    expect(a.acceptanceDueOn).toBeNull();
  });

  it('a clear case is decided within 15 days (第二十条第二款)', () => {
    const a = run(applied(), { kind: 'accept', on: '2026-03-10', clear: true });
    expect(a.decisionDueOn).toBe('2026-03-25');
  });

  it('补正 stops the acceptance clock; completing restarts it from the completion day', () => {
    const waiting = run(applied(), {
      kind: 'request_materials',
      on: '2026-03-05',
      missing: ['medical'],
    });
    expect(waiting.status).toBe('awaiting_materials');
    expect(waiting.acceptanceDueOn).toBeNull();
    const back = run(waiting, { kind: 'complete_materials', on: '2026-04-01' });
    expect(back.status).toBe('applied');
    expect(back.acceptanceDueOn).toBe('2026-04-16');
  });

  it('中止 stops the decision clock; the stopped days are added back on resumption', () => {
    const a = run(applied(), { kind: 'accept', on: '2026-03-10', clear: false });
    const resumed = run(
      a,
      { kind: 'suspend', on: '2026-04-01', reason: 'court' },
      { kind: 'resume', on: '2026-04-21' },
    );
    expect(resumed.status).toBe('accepted');
    expect(resumed.decisionDueOn).toBe(addDays('2026-05-09', 20));
  });
});

describe('determination state machine: refusals and reviews', () => {
  it('refuses skipping: no decision before acceptance, no service before the decision', () => {
    const decide: DeterminationCommand = {
      kind: 'decide',
      on: '2026-03-20',
      outcome: 'recognised',
      grounds: ['art14_1'],
    };
    const out = applyDetermination(applied(), decide, clock);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.code).toBe('case.transition_not_allowed');
    const serve = applyDetermination(applied(), { kind: 'serve', on: '2026-03-20' }, clock);
    expect(serve.ok).toBe(false);
  });

  it('refuses a command dated before the last event', () => {
    const out = applyDetermination(
      applied(),
      { kind: 'accept', on: '2026-03-01', clear: false },
      clock,
    );
    expect(!out.ok && out.code).toBe('case.date_before_last_event');
  });

  it('a ground must fit its decision type', () => {
    const a = run(applied(), { kind: 'accept', on: '2026-03-10', clear: false });
    const bad = applyDetermination(
      a,
      { kind: 'decide', on: '2026-03-20', outcome: 'recognised', grounds: ['art16_2'] },
      clock,
    );
    expect(!bad.ok && bad.code).toBe('case.ground_mismatch');
    const none = applyDetermination(
      a,
      { kind: 'decide', on: '2026-03-20', outcome: 'deemed', grounds: [] },
      clock,
    );
    expect(!none.ok && none.code).toBe('case.grounds_missing');
    expect(misfitGrounds('not_recognised', ['art16_1', 'art14_15_not_met', 'art15_1'])).toEqual([
      'art15_1',
    ]);
  });

  it('review outcomes: upheld keeps, revoked reopens, changed replaces', () => {
    const served = run(
      applied(),
      { kind: 'accept', on: '2026-03-10', clear: false },
      { kind: 'decide', on: '2026-04-01', outcome: 'not_recognised', grounds: ['art16_2'] },
      { kind: 'serve', on: '2026-04-03' },
      { kind: 'file_review', on: '2026-05-01', channel: 'administrative_review' },
    );
    expect(served.status).toBe('under_review');
    const upheld = run(served, {
      kind: 'record_review_outcome',
      on: '2026-06-01',
      result: 'upheld',
    });
    expect([upheld.status, upheld.outcome]).toEqual(['served', 'not_recognised']);
    const revoked = run(served, {
      kind: 'record_review_outcome',
      on: '2026-06-01',
      result: 'revoked',
    });
    expect([revoked.status, revoked.outcome, revoked.decisionDueOn]).toEqual([
      'accepted',
      null,
      '2026-07-31',
    ]);
    const changed = run(served, {
      kind: 'record_review_outcome',
      on: '2026-06-01',
      result: 'changed',
      outcome: 'recognised',
      grounds: ['art14_1'],
    });
    expect([changed.status, changed.outcome, changed.decidedOn]).toEqual([
      'served',
      'recognised',
      '2026-06-01',
    ]);
  });
});

describe('application timing (第十七条)', () => {
  const deadlines = { employerDueOn: '2026-03-31', workerDueOn: '2027-03-01' };
  it('an employer applying in time leaves no late window', () => {
    expect(applicationTiming('employer', '2026-03-31', deadlines)).toEqual({
      dueOn: '2026-03-31',
      late: false,
      employerLiableFrom: null,
      employerLiableUntil: null,
    });
  });
  it('a worker applying after the employer’s period records the employer’s window (第十七条第四款)', () => {
    expect(applicationTiming('worker', '2026-05-10', deadlines)).toEqual({
      dueOn: '2027-03-01',
      late: false,
      employerLiableFrom: '2026-04-01',
      employerLiableUntil: '2026-05-10',
    });
  });
  it('a late employer is late and liable', () => {
    expect(applicationTiming('employer', '2026-04-02', deadlines).late).toBe(true);
  });
});

describe('review time limits recorded with the filing', () => {
  it('复议 within 60 days of service (《行政复议法》第二十条); 诉讼 within 6 months (《行政诉讼法》第四十六条)', () => {
    const served = run(
      applied(),
      { kind: 'accept', on: '2026-03-10', clear: false },
      { kind: 'decide', on: '2026-04-01', outcome: 'recognised', grounds: ['art14_1'] },
      { kind: 'serve', on: '2026-04-03' },
    );
    const review = applyDetermination(
      served,
      { kind: 'file_review', on: '2026-06-03', channel: 'administrative_review' },
      clock,
    );
    expect(review.ok && review.value.event.data['timeLimit']).toEqual({
      lastDay: '2026-06-02',
      basis: '《行政复议法》第二十条',
      withinLimit: false,
    });
    const suit = applyDetermination(
      served,
      { kind: 'file_review', on: '2026-06-03', channel: 'litigation' },
      clock,
    );
    expect(suit.ok && suit.value.event.data['timeLimit']).toMatchObject({
      lastDay: '2026-10-03',
      withinLimit: true,
    });
  });
});

describe('《浙江省工伤保险条例》第十六条第二款: a refusal within three days of receiving the supplied materials', () => {
  const back = () => {
    let s = applied();
    for (const c of [
      { kind: 'request_materials', on: '2026-03-03', missing: ['医疗诊断证明'] },
      { kind: 'complete_materials', on: '2026-03-10' },
    ] as const) {
      const out = applyDetermination(s, c, zhejiangClock);
      if (!out.ok) throw new Error(out.code);
      s = out.value.state;
    }
    return s;
  };

  it('records the limit when the materials arrive (浙江 only)', () => {
    const requested = applyDetermination(
      applied(),
      { kind: 'request_materials', on: '2026-03-03', missing: ['x'] },
      zhejiangClock,
    );
    if (!requested.ok) throw new Error(requested.code);
    const zj = applyDetermination(
      requested.value.state,
      { kind: 'complete_materials', on: '2026-03-10' },
      zhejiangClock,
    );
    expect(zj.ok && zj.value.event.data).toEqual({ refusalDueOn: '2026-03-13' });
    const national = applyDetermination(
      requested.value.state,
      { kind: 'complete_materials', on: '2026-03-10' },
      clock,
    );
    expect(national.ok && national.value.event.data).toEqual({});
  });

  it('flags a refusal after the third day as late, and keeps one on the third day', () => {
    const refuse = (on: string) =>
      applyDetermination(
        back(),
        {
          kind: 'refuse_acceptance',
          on,
          reason: '仍缺医疗诊断证明',
          materialsCompletedOn: '2026-03-10',
        },
        zhejiangClock,
      );
    const kept = refuse('2026-03-13');
    expect(kept.ok && kept.value.event.data).toEqual({
      reason: '仍缺医疗诊断证明',
      refusalDueOn: '2026-03-13',
      late: false,
    });
    const late = refuse('2026-03-14');
    expect(late.ok && late.value.state.status).toBe('not_accepted');
    expect(late.ok && late.value.event.data).toMatchObject({
      refusalDueOn: '2026-03-13',
      late: true,
    });
  });

  it("gives no limit to a refusal while the materials are still awaited (the notice's 合理期限 is not recorded)", () => {
    const requested = applyDetermination(
      applied(),
      { kind: 'request_materials', on: '2026-03-03', missing: ['x'] },
      zhejiangClock,
    );
    if (!requested.ok) throw new Error(requested.code);
    const out = applyDetermination(
      requested.value.state,
      { kind: 'refuse_acceptance', on: '2026-04-30', reason: '逾期不补正' },
      zhejiangClock,
    );
    expect(out.ok && out.value.event.data).toEqual({ reason: '逾期不补正' });
  });
});
