import { describe, expect, it } from 'vitest';
import { readPlans } from './fake-institution.ts';

const visit = {
  caseId: 'case_1',
  idNumber: '33010219800402001X',
  hisVisitNo: 'ZY-1',
  kind: 'inpatient',
  openedOn: '2026-01-10',
  diagnosisCode: 'S82.2',
  lines: [
    {
      ownCode: 'DRUG',
      name: '药',
      servedOn: '2026-01-11',
      quantityMilli: 1500,
      unitPriceFen: 800,
      amountFen: 1200,
    },
  ],
};

describe('the fake institution’s plans file', () => {
  it('reads the visits, a plan settled once unless it says thenCancel', () => {
    const r = readPlans(JSON.stringify({ visits: [visit, { ...visit, thenCancel: true }] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plans.map((p) => p.thenCancel)).toEqual([false, true]);
    expect(r.plans[0]?.lines[0]).toEqual(visit.lines[0]);
  });

  it('refuses text that is not JSON, naming why', () => {
    const r = readPlans('{ visits: ');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.errors).toEqual([
      expect.objectContaining({ path: '(root)', code: 'invalid_json' }),
    ]);
    expect(r.problem.detail).toMatch(/^\(root\): not JSON/);
  });

  it('refuses bad plans with every problem at once, by path', () => {
    const bad = {
      visits: [
        { ...visit, kind: 'spa', lines: [{ ...visit.lines[0], lineNo: 1, quantityMilli: 1.5 }] },
        { ...visit, idNumber: '123', openedOn: '2026-13-01' },
      ],
      institutionId: 'INST-330100-0001',
    };
    const r = readPlans(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problem.errors.map((e) => e.path).sort();
    expect(paths).toEqual([
      '(root)',
      'visits.0.kind',
      'visits.0.lines.0',
      'visits.0.lines.0.quantityMilli',
      'visits.1.idNumber',
      'visits.1.openedOn',
    ]);
    expect(r.problem.detail).toContain('unknown field(s): institutionId');
  });

  it('refuses an empty list of visits', () => {
    const r = readPlans(JSON.stringify({ visits: [] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.errors[0]?.path).toBe('visits');
  });
});
