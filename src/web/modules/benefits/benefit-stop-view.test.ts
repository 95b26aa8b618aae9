import { describe, expect, it } from 'vitest';
import { benefitEventText } from './benefit-events-messages.ts';
import type { Stop } from './benefit-stop-api.ts';
import {
  mayResume,
  openStop,
  type StopAsked,
  showsStopPanel,
  stopAskedFromJson,
  stopState,
  stopSteps,
} from './benefit-stop-view.ts';

/** A (三) stop of 2025-07-10 (stop-routes.db.test.ts): the 伤残津贴 of 6 800.00 paid to 2025-07-31. */
const stopped: Stop = {
  regionCode: '330100',
  id: 'stp_00000000000000000001',
  workerId: 'wkr_1',
  ground: 'refused_treatment',
  effectiveOn: '2025-07-10',
  reason: '拒绝治疗',
  approvalId: 'apr_1',
  ended: [
    {
      id: 'ent_1',
      kind: 'disability_allowance',
      amountFen: 680_000,
      startsOn: '2025-01-01',
      endsOnBefore: null,
      endsOn: '2025-07-31',
    },
  ],
  stoppedBy: 'hz.handler',
  resumedOn: null,
  resumeReason: null,
  resumedBy: null,
  overpayments: [],
  overpaidFen: 0,
  letters: [],
};
const resumed: Stop = { ...stopped, id: 'stp_0', resumedOn: '2025-11-03', resumeReason: '已治疗' };
const final: Stop = { ...stopped, ground: 'lost_conditions' };
const askedStop: StopAsked = {
  step: 'stop',
  approvalId: 'apr_2',
  body: { ground: 'refused_appraisal', effectiveOn: '2025-09-15', reason: '拒不鉴定' },
};

describe('the worker’s state under 第四十二条', () => {
  it('is none, stopped while a stop is open, resumed once it is lifted', () => {
    expect(stopState([])).toBe('none');
    expect(stopState([stopped, resumed])).toBe('stopped');
    expect(openStop([resumed, stopped])?.id).toBe(stopped.id);
    expect(stopState([resumed])).toBe('resumed');
    expect(openStop([resumed])).toBeNull();
  });

  it('lifts grounds (二) and (三) only: (一) is final, a lifted stop is not lifted again', () => {
    expect(mayResume(stopped)).toBe(true);
    expect(mayResume({ ...stopped, ground: 'refused_appraisal' })).toBe(true);
    expect(mayResume(final)).toBe(false);
    expect(mayResume(resumed)).toBe(false);
  });

  it('offers a stop when none is open, the resumption of an open (二)/(三), nothing asked twice', () => {
    expect(stopSteps([], [])).toEqual(['stop']);
    expect(stopSteps([resumed], [])).toEqual(['stop']);
    expect(stopSteps([], [askedStop])).toEqual([]);
    expect(stopSteps([stopped], [])).toEqual(['resume']);
    expect(stopSteps([final], [])).toEqual([]);
  });

  it('is shown for a worker paid an own active item, or with a stop; never for a survivor’s', () => {
    const own = { status: 'active' as const, dependantId: null };
    const survivor = { status: 'active' as const, dependantId: 'dep_330100_0000000000000001' };
    expect(showsStopPanel([own], [])).toBe(true);
    expect(showsStopPanel([survivor, { ...own, status: 'ended' }], [])).toBe(false);
    expect(showsStopPanel([], [resumed])).toBe(true);
  });

  it('labels the three grounds as the article numbers them, in both languages', () => {
    expect(benefitEventText('zh', 'stop.ground.refused_treatment')).toBe('（三）拒绝治疗的');
    expect(benefitEventText('en', 'stop.ground.lost_conditions')).toBe(
      '(1) Lost the conditions of benefit',
    );
    expect(benefitEventText('zh', 'stop.lastPaid', { date: '2025-07-31' })).toBe(
      '发放至 2025-07-31',
    );
  });
});

describe('the asks kept in the browser', () => {
  it('reads back a stop and a resumption, and drops what is malformed', () => {
    const resume: StopAsked = {
      step: 'resume',
      approvalId: 'apr_3',
      stopId: stopped.id,
      body: { resumedOn: '2025-11-03', reason: '已治疗' },
    };
    const stored = JSON.stringify([
      askedStop,
      resume,
      {
        step: 'stop',
        approvalId: 'apr_4',
        body: { ground: 'bored', effectiveOn: 'x', reason: 'r' },
      },
      { step: 'resume', approvalId: 'apr_5', body: { resumedOn: '2025-11-03', reason: 'r' } },
      'junk',
    ]);
    expect(stopAskedFromJson(stored)).toEqual([askedStop, resume]);
    expect(stopAskedFromJson('{not json')).toEqual([]);
    expect(stopAskedFromJson(null)).toEqual([]);
  });
});
