import { describe, expect, it } from 'vitest';
import type { Missing } from './missing-api.ts';
import { missingText } from './missing-messages.ts';
import {
  type Asked,
  askedForStorage,
  askedFromJson,
  idNumbersMissing,
  missingMayApply,
  missingStage,
  missingSteps,
  recordBodyOf,
  relationOf,
  showsMissingPanel,
  withIdNumbers,
} from './missing-view.ts';

const trip = { grounds: ['art14_5'] as const, outcome: 'recognised' as const };

/** The event of benefit-missing.db.test.ts: accident 2025-03-10, pensions from 2025-06-01. */
const recorded: Missing = {
  regionCode: '330100',
  id: 'mis_1',
  caseId: 'cas_1',
  workerId: 'wkr_1',
  decisionId: 'bdc_1',
  ground: 'business_trip',
  accidentDate: '2025-03-10',
  reason: '出差途中渡船事故',
  approvalId: 'apr_1',
  recordedBy: 'hz.handler',
  employerWages: {
    payer: 'employer',
    months: ['2025-03', '2025-04', '2025-05'],
    monthlyWageFen: 600_000,
    totalFen: 1_800_000,
  },
  pensionsStartOn: '2025-06-01',
  pensions: [],
  deathLumpSumFen: 108_376_000,
  funeralGrantFen: 4_320_000,
  advanceMaxFen: 54_188_000,
  ended: [],
  overpayments: [],
  overpaidFen: 0,
  advance: null,
  declared: null,
  reappeared: null,
};

const advance = (paymentStatus: 'issued' | 'paid' | 'failed' | null) => ({
  amountFen: 54_188_000,
  reason: '生活困难',
  approvalId: 'apr_2',
  paymentId: 'bpm_1',
  paymentStatus,
  on: '2025-05-20',
  by: 'hz.handler',
});

describe('missingSteps: the step the state allows next', () => {
  it('offers the record only on an accepted case of 第十四条第（五）项 or 第十五条第（二）项', () => {
    expect(missingSteps(null, trip, [])).toEqual(['record']);
    expect(missingSteps(null, { grounds: ['art15_2'], outcome: 'deemed' }, [])).toEqual(['record']);
    expect(missingSteps(null, { grounds: ['art14_1'], outcome: 'recognised' }, [])).toEqual([]);
    expect(missingSteps(null, { grounds: ['art14_5'], outcome: 'not_recognised' }, [])).toEqual([]);
    expect(missingMayApply({ grounds: ['art14_5'], outcome: null })).toBe(false);
  });

  it('after the record: the advance, the declared death and the reappearance', () => {
    expect(missingSteps(recorded, trip, [])).toEqual(['advance', 'declared', 'reappeared']);
  });

  it('the advance once; the reappearance only once the advance is paid', () => {
    expect(missingSteps({ ...recorded, advance: advance('paid') }, trip, [])).toEqual([
      'declared',
      'reappeared',
    ]);
    for (const status of ['issued', 'failed', null] as const)
      expect(missingSteps({ ...recorded, advance: advance(status) }, trip, [])).toEqual([
        'declared',
      ]);
  });

  it('nothing after the declared death or the reappearance', () => {
    const declared = { deadOn: '2025-03-10', reason: '判决书', approvalId: 'a', on: 'x', by: 'y' };
    expect(missingSteps({ ...recorded, declared }, trip, [])).toEqual([]);
    const reappeared = {
      on: '2025-07-15',
      evidence: '派出所证明',
      approvalId: 'a',
      recordedOn: '2025-09-20',
      by: 'y',
      returns: [],
      returnFen: 0,
    };
    expect(missingStage({ ...recorded, reappeared })).toBe('reappeared');
    expect(missingSteps({ ...recorded, reappeared }, trip, [])).toEqual([]);
  });

  it('a step asked from this browser is applied from its ask, not offered again', () => {
    const asked: Asked[] = [{ step: 'advance', approvalId: 'apr_9', body: { reason: '困难' } }];
    expect(missingSteps(recorded, trip, asked)).toEqual(['declared', 'reappeared']);
  });

  it('shows the panel on a case of the ground or with the event, else not at all', () => {
    const other = { grounds: ['art14_1'] as const, outcome: 'recognised' as const };
    expect(showsMissingPanel(null, other)).toBe(false);
    expect(showsMissingPanel(null, trip)).toBe(true);
    expect(showsMissingPanel(recorded, other)).toBe(true);
  });
});

describe('the record form and the stored asks', () => {
  const body = recordBodyOf({
    reason: ' 出差途中渡船事故 ',
    monthlyWageYuan: '6,000.00',
    wages: [
      { month: '2025-02', yuan: '6000' },
      { month: '', yuan: '1' },
    ],
    wageEvidence: ' 工资表 ',
    dependants: [
      {
        name: ' 王丽 ',
        relation: 'spouse',
        idNumber: '33010219820506901X',
        birthDate: '1982-05-06',
        adoptive: true,
      },
    ],
  });

  it('sends fen, the valid wage months, and drops an adoptive tick on a spouse', () => {
    expect(body.monthlyWageFen).toBe(600_000);
    expect(body.enteredWages).toEqual([{ month: '2025-02', wageFen: 600_000 }]);
    expect(body.wageEvidence).toBe('工资表');
    expect(body.reason).toBe('出差途中渡船事故');
    expect(body.dependants[0]).toMatchObject({ name: '王丽', adoptive: false });
  });

  it('reads back what it stored, and drops what it cannot read', () => {
    const asked: Asked[] = [
      { step: 'record', approvalId: 'apr_1', body },
      { step: 'declared', approvalId: 'apr_2', body: { deadOn: '2025-03-10', reason: '判决书' } },
      {
        step: 'reappeared',
        approvalId: 'apr_3',
        body: { reappearedOn: '2025-07-15', evidence: 'e' },
      },
    ];
    const back = askedFromJson(JSON.stringify(asked));
    expect(back).toHaveLength(3);
    expect(back[0]?.body).toEqual({
      ...body,
      dependants: [{ ...body.dependants[0], orphanOrSoleElder: false }],
    });
    expect(back.slice(1)).toEqual(asked.slice(1));
    expect(askedFromJson('[{"step":"advance","approvalId":"apr_4","body":{}}]')).toEqual([]);
    expect(askedFromJson('not json')).toEqual([]);
    expect(askedFromJson(null)).toEqual([]);
  });

  it('stores no ID number: a record ask read back asks them again, in the dependants’ order', () => {
    const asked: Asked[] = [
      { step: 'record', approvalId: 'apr_1', body },
      { step: 'advance', approvalId: 'apr_2', body: { reason: '困难' } },
    ];
    const text = JSON.stringify(askedForStorage(asked));
    expect(text).not.toContain('33010219820506901X');
    const [back, advance] = askedFromJson(text);
    if (back === undefined || advance === undefined) throw new Error('both asks read back');
    expect(idNumbersMissing(back)).toBe(true);
    expect(idNumbersMissing(advance)).toBe(false);
    expect(idNumbersMissing(asked[0] ?? back)).toBe(false);
    const typed = withIdNumbers(back, [' 33010219820506901X ']);
    expect(idNumbersMissing(typed)).toBe(false);
    expect(typed.step === 'record' && typed.body.dependants[0]?.idNumber).toBe(
      '33010219820506901X',
    );
  });

  it('reads a pension’s relation', () => {
    expect(relationOf('child')).toBe('child');
    expect(relationOf('cousin')).toBeNull();
    expect(relationOf(null)).toBeNull();
  });
});

describe('the panel’s texts cite the article they rest on', () => {
  it('names 第四十一条 for the event and the advance, 河南 第三十二条 for the reappearance', () => {
    expect(missingText('zh', 'title')).toBe('职工下落不明（《工伤保险条例》第四十一条）');
    expect(missingText('zh', 'advanceMax')).toContain('《工伤保险条例》第四十一条');
    expect(missingText('zh', 'reappeared')).toBe('重新出现（《河南省工伤保险条例》第三十二条）');
    expect(missingText('zh', 'returns')).toContain('《社会保险经办条例》第四十六条');
    expect(missingText('en', 'step.advance')).toBe('Advance the death lump sum (50 %)');
    expect(missingText('zh', 'asked', { step: '预支', id: 'apr_1' })).toContain('复核单 apr_1');
  });
});
