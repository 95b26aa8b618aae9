import { describe, expect, it } from 'vitest';
import { DependantsOnCase, DependantsOnCaseReveal, staffCasePanels } from './cases-page.tsx';

describe('the officer’s case panels', () => {
  it('show the dependants with the reveal button only to a holder of pii:reveal', () => {
    const reader = staffCasePanels(['case:read']);
    const revealer = staffCasePanels(['case:read', 'pii:reveal']);
    expect([reader.includes(DependantsOnCase), reader.includes(DependantsOnCaseReveal)]).toEqual([
      true,
      false,
    ]);
    expect([
      revealer.includes(DependantsOnCase),
      revealer.includes(DependantsOnCaseReveal),
    ]).toEqual([false, true]);
    expect(staffCasePanels(['pii:reveal'])).toEqual([]);
  });
});
