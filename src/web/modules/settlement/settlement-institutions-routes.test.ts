import { describe, expect, it } from 'vitest';
import {
  parseSettlementReferencePath,
  referenceRegionOf,
  settlementInstitutionPath,
} from './settlement-institutions-routes.ts';
import { parseSettlementPath } from './settlement-month-routes.ts';

describe('parseSettlementReferencePath', () => {
  it('reads the list, one institution and the catalogue', () => {
    expect(parseSettlementReferencePath('/settlement/institutions')).toEqual({
      view: 'institutions',
    });
    expect(parseSettlementReferencePath('/settlement/institutions/')).toEqual({
      view: 'institutions',
    });
    expect(parseSettlementReferencePath('/settlement/institutions/INST-330100-0001')).toEqual({
      view: 'institution',
      institutionId: 'INST-330100-0001',
    });
    expect(parseSettlementReferencePath('/settlement/catalogue')).toEqual({ view: 'catalogue' });
  });

  it('refuses other paths, leaving the month pages to their own parser', () => {
    for (const path of [
      '/settlement',
      '/settlement/review',
      '/settlement/INST-330100-0001/2026-03',
      '/settlement/institutions/INST-3301-0001',
      '/settlement/institutions/INST-330100-0001/x',
      '/settlement/catalogue/x',
      '/registry',
    ])
      expect(parseSettlementReferencePath(path)).toBeNull();
    // …and the month pages' parser never takes the reference pages.
    expect(parseSettlementPath('/settlement/institutions')).toBeNull();
    expect(parseSettlementPath('/settlement/catalogue')).toBeNull();
    expect(parseSettlementPath(settlementInstitutionPath('INST-330100-0001'))).toBeNull();
  });
});

describe('referenceRegionOf', () => {
  it('is the city or the province, and nothing for other scopes', () => {
    expect(referenceRegionOf({ kind: 'city', code: '330100' })).toBe('330100');
    expect(referenceRegionOf({ kind: 'province', code: '330000' })).toBe('330000');
    expect(referenceRegionOf({ kind: 'institution', code: 'INST-330100-0001' })).toBeNull();
    expect(referenceRegionOf({ kind: 'employer', code: 'emp_1' })).toBeNull();
  });
});
