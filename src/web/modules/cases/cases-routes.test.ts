import { describe, expect, it } from 'vitest';
import { parseCasesPath } from './cases-routes.ts';

const id = `cas_330100_${'a'.repeat(16)}`;

describe('case page paths', () => {
  it('names the work list, a case, the portal and an own case', () => {
    expect(parseCasesPath('/cases')).toEqual({ view: 'work-list' });
    expect(parseCasesPath(`/cases/330100/${id}`)).toEqual({
      view: 'case',
      region: '330100',
      caseId: id,
    });
    expect(parseCasesPath('/my/cases/')).toEqual({ view: 'portal' });
    expect(parseCasesPath(`/my/cases/${id}`)).toEqual({ view: 'own-case', caseId: id });
  });
  it('refuses malformed ids and other pages', () => {
    expect(parseCasesPath('/cases/33/x')).toBeNull();
    expect(parseCasesPath('/my/cases/cas_1')).toBeNull();
    expect(parseCasesPath('/registry')).toBeNull();
  });
});
