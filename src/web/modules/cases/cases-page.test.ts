import { describe, expect, it } from 'vitest';
import {
  BENEFIT_DECISION_PANELS,
  BENEFIT_EVENT_PANELS,
  DEPENDANTS_PANELS,
  DEPENDANTS_PANELS_FUND_WRITE,
  MISSING_PANELS,
  staffCasePanels,
} from './cases-page.tsx';

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

describe('the pension-change button', () => {
  it('is on the dependants panel only for a holder of fund:write', () => {
    const of = (permissions: string[]) =>
      Object.entries(DEPENDANTS_PANELS_FUND_WRITE)
        .filter(([, panel]) => staffCasePanels(permissions).includes(panel))
        .map(([name]) => name);
    expect(of(['case:read', 'case:write', 'pii:reveal', 'fund:write'])).toEqual(['revealUpload']);
    expect(of(['case:read', 'fund:write'])).toEqual(['read']);
    expect(of(['case:read', 'case:write'])).toEqual([]);
  });
});

describe('the missing-worker panel', () => {
  it('reads for fund:read (the supervisor), acts for fund:write (the handler), is absent otherwise', () => {
    const of = (permissions: string[]) =>
      Object.entries(MISSING_PANELS)
        .filter(([, panel]) => staffCasePanels(permissions).includes(panel))
        .map(([name]) => name);
    expect(of(['case:read', 'fund:read', 'fund:approve'])).toEqual(['read']);
    expect(of(['case:read', 'case:write', 'fund:read', 'fund:write'])).toEqual(['write']);
    expect(of(['case:read', 'case:write', 'pii:reveal'])).toEqual([]);
  });
});

describe('the card-account and 第四十二条 panels', () => {
  it('read for fund:read (the supervisor), act for fund:write (the handler), are absent otherwise', () => {
    const of = (permissions: string[]) =>
      Object.entries(BENEFIT_EVENT_PANELS)
        .filter(([, panel]) => staffCasePanels(permissions).includes(panel))
        .map(([name]) => name);
    expect(of(['case:read', 'fund:read', 'fund:approve'])).toEqual(['read']);
    expect(of(['case:read', 'case:write', 'fund:read', 'fund:write'])).toEqual(['write']);
    expect(of(['case:read', 'case:write', 'pii:reveal'])).toEqual([]);
  });
});

describe('the correction (更正) button of the entitlements', () => {
  it('is on the benefit decision panel only for a holder of fund:write', () => {
    const of = (permissions: string[]) =>
      Object.entries(BENEFIT_DECISION_PANELS)
        .filter(([, panel]) => staffCasePanels(permissions).includes(panel))
        .map(([name]) => name);
    expect(of(['case:read', 'case:write', 'fund:read', 'fund:write'])).toEqual(['correct']);
    expect(of(['case:read', 'fund:read', 'fund:approve'])).toEqual(['read']);
    expect(of(['fund:write'])).toEqual([]);
  });
});
