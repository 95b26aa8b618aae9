import { describe, expect, it } from 'vitest';
import type { DeathFacts } from './benefits-api.ts';
import { paperStates, papersSummary } from './survivor-papers.ts';

const evidence: NonNullable<DeathFacts['survivorEvidence']> = {
  citation: '《河南省工伤保险条例》第三十四条第二款',
  dependants: [
    {
      dependantId: 'dep_a',
      required: ['household_identity', 'no_income'],
      onFile: ['household_identity'],
      missing: ['no_income'],
    },
    { dependantId: 'dep_b', required: ['household_identity'], onFile: [], missing: [] },
  ],
};
const dependants = [
  { id: 'dep_a', ordinal: 0, relation: 'spouse' as const },
  { id: 'dep_b', ordinal: 1, relation: 'child' as const },
];

describe('survivors’ papers on the dependants panel', () => {
  it('shows each paper on file or missing in the article’s order, nothing where none is asked', () => {
    expect(paperStates(evidence, 'dep_a')).toEqual([
      { kind: 'household_identity', state: 'on_file' },
      { kind: 'no_income', state: 'missing' },
    ]);
    expect(paperStates(null, 'dep_a')).toBeNull();
    expect(paperStates(evidence, 'dep_x')).toBeNull();
  });

  it('sums up what is missing by number and relation, or that all is on file', () => {
    const missing = papersSummary('zh', {
      dependants: asFacts(dependants),
      survivorEvidence: evidence,
    });
    expect(missing).toEqual({
      complete: false,
      text: '尚缺以下证明材料（《河南省工伤保险条例》第三十四条第二款），死亡待遇核定批准前须补齐：供养亲属1（配偶）: 街道办事处或者乡镇人民政府出具的无生活来源的证明',
    });
    const done = {
      ...evidence,
      dependants: evidence.dependants.map((d) => ({ ...d, missing: [] })),
    };
    expect(
      papersSummary('en', { dependants: asFacts(dependants), survivorEvidence: done })?.complete,
    ).toBe(true);
    expect(papersSummary('en', { dependants: [], survivorEvidence: null })).toBeNull();
  });
});

function asFacts(list: typeof dependants): DeathFacts['dependants'] {
  return list.map((d) => ({
    ...d,
    name: '',
    idNumberMasked: '',
    birthDate: '1990-01-01',
    orphanOrSoleElder: false,
    adoptive: false,
  }));
}
