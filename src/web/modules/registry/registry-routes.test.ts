import { describe, expect, it } from 'vitest';
import { employerPath, parseRegistryPath } from './registry-routes.ts';

describe('register paths', () => {
  const id = 'emp_330100_0000000000000001';
  it('parses the search and an employer page, and nothing else', () => {
    expect(parseRegistryPath('/registry')).toEqual({ view: 'search' });
    expect(parseRegistryPath('/registry/')).toEqual({ view: 'search' });
    expect(parseRegistryPath(employerPath('330100', id))).toEqual({
      view: 'employer',
      region: '330100',
      employerId: id,
    });
    expect(parseRegistryPath('/registry/330100')).toBeNull();
    expect(parseRegistryPath('/registry/33010/emp_x')).toBeNull();
    expect(parseRegistryPath(`/registry/330100/${id}/more`)).toBeNull();
    expect(parseRegistryPath('/fund')).toBeNull();
  });
});
