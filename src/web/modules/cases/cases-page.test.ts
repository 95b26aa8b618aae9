import { describe, expect, it } from 'vitest';
import { DEPENDANTS_PANELS, staffCasePanels } from './cases-page.tsx';

const dependantsPanelOf = (permissions: string[]) =>
  Object.entries(DEPENDANTS_PANELS)
    .filter(([, panel]) => staffCasePanels(permissions).includes(panel))
    .map(([name]) => name);

describe('the officer’s case panels', () => {
  it('show the dependants with the reveal button only to a holder of pii:reveal, the papers’ upload only with case:write', () => {
    expect(dependantsPanelOf(['case:read'])).toEqual(['read']);
    expect(dependantsPanelOf(['case:read', 'pii:reveal'])).toEqual(['reveal']);
    expect(dependantsPanelOf(['case:read', 'case:write'])).toEqual(['upload']);
    expect(dependantsPanelOf(['case:read', 'case:write', 'pii:reveal'])).toEqual(['revealUpload']);
    expect(staffCasePanels(['pii:reveal'])).toEqual([]);
  });
});
