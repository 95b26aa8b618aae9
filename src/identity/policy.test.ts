import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { holdsIdNumber, maskIdNumber, UNMASKED_ID_NUMBER } from './masking.ts';
import { decide } from './policy.ts';
import { rolePermissions } from './roles.ts';

const actor = (over: Partial<Actor>): Actor => ({
  userId: 'u',
  username: 'u',
  role: 'city_handler',
  scopeKind: 'city',
  scopeCode: '330100',
  permissions: rolePermissions.city_handler,
  requestId: 'r',
  ...over,
});

describe('policy', () => {
  it('a city handler sees own city, not another (404 not 403)', () => {
    const a = actor({});
    expect(decide(a, 'case:read', { regionCode: '330100' })).toBe('allow');
    expect(decide(a, 'case:read', { regionCode: '330200' })).toBe('not_found');
    expect(decide(a, 'audit:read')).toBe('forbidden');
  });
  it('province scope covers its cities only', () => {
    const p = actor({
      role: 'province_fund_manager',
      scopeKind: 'province',
      scopeCode: '330000',
      permissions: rolePermissions.province_fund_manager,
    });
    expect(decide(p, 'fund:read', { regionCode: '331100' })).toBe('allow');
    expect(decide(p, 'fund:read', { regionCode: '410100' })).toBe('not_found');
  });
  it('institution and self scopes match their own id only', () => {
    const i = actor({
      role: 'institution',
      scopeKind: 'institution',
      scopeCode: 'INST-1',
      permissions: rolePermissions.institution,
    });
    expect(decide(i, 'bill:read', { institutionId: 'INST-1' })).toBe('allow');
    expect(decide(i, 'bill:read', { institutionId: 'INST-2' })).toBe('not_found');
    expect(decide(i, 'bill:read', { regionCode: '330100' })).toBe('not_found');
  });
  it('masks ID numbers', () => {
    expect(maskIdNumber('33010219900101123X')).toBe('330102********123X');
    expect(UNMASKED_ID_NUMBER.test('id 33010219900101123X here')).toBe(true);
    expect(UNMASKED_ID_NUMBER.test('330102********123X')).toBe(false);
    expect(UNMASKED_ID_NUMBER.test('{"responseTime":0.060842000000320695}')).toBe(false);
    expect(UNMASKED_ID_NUMBER.test('{"idNumber":"110105194912310021"}')).toBe(true);
  });
  it('detects a real ID number only: shape, birth date and GB 11643 check character', () => {
    expect(holdsIdNumber('{"idNumber":"330102199001011234"}')).toBe(true);
    expect(holdsIdNumber('id 11010519491231002x here')).toBe(true);
    // Same shape, wrong check character (the right one is X): not a number the system can hold.
    expect(holdsIdNumber('{"idNumber":"110105194912310021"}')).toBe(false);
    // A random hex user id with 18 decimal digits in a row (birth date 7890-12-34).
    expect(holdsIdNumber('"id":"usr_123456789012345678ab"')).toBe(false);
    expect(holdsIdNumber('330102********1234')).toBe(false);
    // A false match earlier in the text does not hide a real number later on.
    expect(holdsIdNumber('usr_123456789012345678ab then 330102199001011234')).toBe(true);
  });
});
