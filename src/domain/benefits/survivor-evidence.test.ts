import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import {
  type EvidenceDependant,
  evidenceNeeded,
  evidenceOfDependant,
  missingEvidence,
  missingEvidenceMessage,
  survivorEvidenceRule,
} from './survivor-evidence.ts';

const rules = testRuleBook().benefits;

function henan(on = '2025-07-10') {
  const rule = survivorEvidenceRule(rules, '410100', on);
  if (rule === null) throw new Error('河南 has the survivors’ evidence rule');
  return rule;
}

const plain = { orphanOrSoleElder: false, adoptive: false };

describe('survivors’ evidence (《河南省工伤保险条例》第三十四条第二款)', () => {
  it('asks every dependant for the 户籍 proof, and spouses, parents, grandparents for the 无生活来源 proof', () => {
    const rule = henan();
    expect(rule.citation).toBe('《河南省工伤保险条例》第三十四条第二款');
    expect(evidenceNeeded(rule, { relation: 'spouse', ...plain })).toEqual([
      'household_identity',
      'no_income',
    ]);
    expect(evidenceNeeded(rule, { relation: 'parent', ...plain })).toEqual([
      'household_identity',
      'no_income',
    ]);
    expect(evidenceNeeded(rule, { relation: 'child', ...plain })).toEqual(['household_identity']);
    expect(evidenceNeeded(rule, { relation: 'sibling', ...plain })).toEqual(['household_identity']);
  });

  it('asks an orphan or 孤寡老人 for the 民政 proof and an adoptive child or parent for the 公证书', () => {
    const rule = henan();
    expect(
      evidenceNeeded(rule, { relation: 'child', orphanOrSoleElder: true, adoptive: true }),
    ).toEqual(['household_identity', 'orphan_or_sole_elder', 'adoption']);
    expect(
      evidenceNeeded(rule, { relation: 'grandparent', orphanOrSoleElder: true, adoptive: false }),
    ).toEqual(['household_identity', 'no_income', 'orphan_or_sole_elder']);
  });

  it('has no rule in 浙江 nor before the 条例 took effect (2007-10-01): nothing is required', () => {
    expect(survivorEvidenceRule(rules, '330100', '2025-07-10')).toBeNull();
    expect(survivorEvidenceRule(rules, '410100', '2007-09-30')).toBeNull();
    expect(survivorEvidenceRule(rules, '410100', '2007-10-01')).not.toBeNull();
  });

  it('lists per dependant what is missing, a paper following the person (ID number) across recordings', () => {
    const rule = henan();
    const spouse: EvidenceDependant = {
      id: 'dep_b',
      ordinal: 0,
      relation: 'spouse',
      person: 'P1',
      ...plain,
    };
    const child: EvidenceDependant = {
      id: 'dep_c',
      ordinal: 1,
      relation: 'child',
      person: 'P2',
      ...plain,
    };
    const missing = missingEvidence(
      rule,
      [spouse, child],
      [
        { person: 'P1', kind: 'no_income' },
        { person: 'P2', kind: 'household_identity' },
      ],
    );
    expect(missing).toEqual([
      { dependantId: 'dep_b', ordinal: 0, relation: 'spouse', missing: ['household_identity'] },
    ]);
    expect(missingEvidenceMessage(missing)).toContain('供养亲属1（配偶）缺户籍身份证明');
    expect(missingEvidenceMessage(missing)).toContain(
      'dependant 1 (spouse) lacks household-register identity proof',
    );
    expect(
      missingEvidence(
        rule,
        [spouse],
        [
          { person: 'P1', kind: 'household_identity' },
          { person: 'P1', kind: 'no_income' },
        ],
      ),
    ).toEqual([]);
  });
});

describe('survivors’ evidence per dependant, for the case page', () => {
  it('per dependant, for the case page: asked for, on file for the person, missing; an extra paper listed, not counted', () => {
    const spouse: EvidenceDependant = {
      id: 'dep_a',
      ordinal: 0,
      relation: 'spouse',
      ...plain,
      person: 'P1',
    };
    const papers = [
      { person: 'P1', kind: 'no_income' as const },
      { person: 'P1', kind: 'adoption' as const },
      { person: 'P2', kind: 'household_identity' as const },
    ];
    expect(evidenceOfDependant(henan(), spouse, papers)).toEqual({
      dependantId: 'dep_a',
      required: ['household_identity', 'no_income'],
      onFile: ['no_income', 'adoption'],
      missing: ['household_identity'],
    });
  });
});
