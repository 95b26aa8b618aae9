import { describe, expect, it } from 'vitest';
import type { Problem } from '../../api/types.ts';
import type { CatalogueKind } from './settlement-catalogue-api.ts';
import type {
  AgreementSignInput,
  InstitutionCreateInput,
  InstitutionStatusInput,
} from './settlement-institutions-api.ts';
import {
  capText,
  checkAgreement,
  checkCodeMap,
  checkInstitution,
  checkStatusChange,
  firstPage,
  nextPage,
  placeServerProblem,
  previousPage,
  refusedImportId,
  type catalogueKinds as webCatalogueKinds,
  type institutionKinds as webKinds,
  type institutionLevels as webLevels,
  agreementScopes as webScopes,
  type institutionStatuses as webStatuses,
} from './settlement-institutions-form.ts';

const problem = (p: Partial<Problem> & { code: string }): Problem => ({
  type: 'about:blank',
  title: 'refused',
  status: 422,
  ...p,
});

describe('the form checks', () => {
  it('keep every value of the contract’s lists (a copy: no zod in the browser bundle)', () => {
    // Type-level: each list holds exactly the contract's union (satisfies checks the other way).
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const complete: [
      Same<(typeof webKinds)[number], InstitutionCreateInput['kind']>,
      Same<(typeof webLevels)[number], InstitutionCreateInput['level']>,
      Same<(typeof webStatuses)[number], InstitutionStatusInput['status']>,
      Same<(typeof webScopes)[number], AgreementSignInput['scopes'][number]>,
      Same<(typeof webCatalogueKinds)[number], CatalogueKind>,
    ] = [true, true, true, true, true];
    expect(complete).toEqual([true, true, true, true, true]);
    expect(new Set(webScopes).size).toBe(4);
  });

  it('give the body, trimmed, with optional fields left out when empty', () => {
    expect(
      checkInstitution({
        name: ' 示例医院 ',
        kind: 'hospital',
        level: 'secondary',
        id: '',
        creditCode: ' ',
        createdOn: '2026-01-01',
      }),
    ).toEqual({
      ok: true,
      body: { name: '示例医院', kind: 'hospital', level: 'secondary', createdOn: '2026-01-01' },
    });
    expect(
      checkAgreement({ scopes: ['inpatient'], validFrom: '2026-01-01', validTo: '2026-12-31' }),
    ).toEqual({
      ok: true,
      body: {
        scopes: ['inpatient'],
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        crossProvince: false,
      },
    });
  });

  it('place every problem at once on its field', () => {
    const out = checkInstitution({
      name: '',
      kind: 'hospital',
      level: 'x',
      id: 'INST-1',
      creditCode: '123',
      createdOn: '2026-02-30',
    });
    expect(out.ok ? [] : Object.keys(out.errors.fields).sort()).toEqual([
      'createdOn',
      'creditCode',
      'id',
      'level',
      'name',
    ]);
    const status = checkStatusChange({ status: 'closed', effectiveFrom: '', reason: 'x' });
    expect(status.ok ? [] : Object.keys(status.errors.fields).sort()).toEqual([
      'effectiveFrom',
      'status',
    ]);
    const map = checkCodeMap({ ownCode: 'A'.repeat(61), catalogueCode: 'DEMO-D-001' });
    expect(map.ok ? [] : Object.keys(map.errors.fields).sort()).toEqual(['ownCode', 'validFrom']);
  });

  it('refuse an agreement with no scope or dates running backwards', () => {
    const out = checkAgreement({ scopes: [], validFrom: '2026-12-31', validTo: '2026-01-01' });
    expect(out.ok ? null : out.errors.fields).toEqual({
      scopes: ['one or more scopes'],
      validTo: ['validTo is on or after validFrom'],
    });
  });
});

describe('placeServerProblem', () => {
  const known = ['name', 'creditCode', 'validFrom', 'validTo', 'id'];

  it('puts input problems on the fields by path and unknown paths in the box', () => {
    const placed = placeServerProblem(
      problem({
        code: 'input.invalid',
        errors: [
          { path: 'name', code: 'too_small', message: 'too short' },
          { path: 'other.0', code: 'x', message: 'bad' },
        ],
      }),
      'failed',
      known,
    );
    expect(placed).toEqual({ fields: { name: ['too short'] }, general: 'other.0: bad' });
  });

  it('puts a refusal on the field its code concerns, else in the box', () => {
    expect(
      placeServerProblem(
        problem({ code: 'settlement.agreement_overlaps', detail: 'overlaps agr_1' }),
        'failed',
        known,
      ),
    ).toEqual({ fields: { validFrom: ['overlaps agr_1'] }, general: null });
    expect(
      placeServerProblem(
        problem({ code: 'settlement.institution_not_active', detail: 'resume it first' }),
        'failed',
        known,
      ),
    ).toEqual({ fields: {}, general: 'resume it first' });
  });

  it('falls back to the transport error when there is no problem body', () => {
    expect(placeServerProblem(null, 'HTTP 502', known)).toEqual({
      fields: {},
      general: 'HTTP 502',
    });
  });
});

describe('refusedImportId', () => {
  it('names the row report of a refused catalogue file only', () => {
    expect(
      refusedImportId(
        problem({
          code: 'settlement.catalogue_file_refused',
          details: { importId: 'cim_0123456789abcdef' },
        }),
      ),
    ).toBe('cim_0123456789abcdef');
    expect(refusedImportId(problem({ code: 'settlement.upload_too_large' }))).toBeNull();
    expect(refusedImportId(null)).toBeNull();
  });
});

describe('cursor pages', () => {
  it('walks forward and back through the cursors', () => {
    const second = nextPage(firstPage, 'c2');
    const third = nextPage(second, 'c3');
    expect(third).toEqual({ cursors: [undefined, 'c2'], current: 'c3' });
    expect(previousPage(third)).toEqual(second);
    expect(previousPage(second)).toEqual(firstPage);
    expect(previousPage(firstPage)).toBe(firstPage);
  });
});

describe('capText', () => {
  it('shows a cap in yuan and a dash for none', () => {
    expect(capText(150000, (f) => (f / 100).toFixed(2))).toBe('1500.00');
    expect(capText(null, String)).toBe('—');
  });
});
