import { describe, expect, it } from 'vitest';
import { panelActions } from './benefit-actions.ts';

describe('panelActions', () => {
  it('offers the first decision and the death facts until a decision is approved', () => {
    expect(panelActions(null, false)).toEqual({ propose: true, deathFacts: true, regrade: false });
    expect(panelActions({ status: 'proposed', kind: 'death' }, false)).toEqual({
      propose: true,
      deathFacts: true,
      regrade: false,
    });
  });

  it('offers only the regrade beside an approved disability decision, also while one waits', () => {
    const none = { propose: false, deathFacts: false };
    expect(panelActions({ status: 'approved', kind: 'disability' }, true)).toEqual({
      ...none,
      regrade: true,
    });
    expect(panelActions({ status: 'proposed', kind: 'disability' }, true)).toEqual({
      ...none,
      regrade: true,
    });
  });

  it('offers nothing to propose beside an approved death or missing-worker decision', () => {
    for (const kind of ['death', 'missing'] as const)
      expect(panelActions({ status: 'approved', kind }, true)).toEqual({
        propose: false,
        deathFacts: false,
        regrade: false,
      });
  });
});
