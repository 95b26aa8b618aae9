import { describe, expect, it } from 'vitest';
import { fundPath, parseFundPath } from './fund-routes.ts';

describe('parseFundPath', () => {
  it('reads the region-neutral menu paths', () => {
    expect(parseFundPath('/fund')).toEqual({ view: 'overview', region: null });
    expect(parseFundPath('/fund/')).toEqual({ view: 'overview', region: null });
    expect(parseFundPath('/fund/ledger')).toEqual({ view: 'ledger', region: null });
    expect(parseFundPath('/fund/budgets')).toEqual({ view: 'budgets', region: null });
    expect(parseFundPath('/fund/year-end')).toEqual({ view: 'year-end', region: null });
  });

  it('reads a region named in the path', () => {
    expect(parseFundPath('/fund/330100')).toEqual({ view: 'overview', region: '330100' });
    expect(parseFundPath('/fund/330200/ledger')).toEqual({ view: 'ledger', region: '330200' });
    expect(parseFundPath('/fund/330000/budgets')).toEqual({ view: 'budgets', region: '330000' });
  });

  it('refuses anything else', () => {
    for (const path of [
      '/',
      '/funds',
      '/fund/overview',
      '/fund/33010',
      '/fund/330100/nothing',
      '/fund/ledger/330100',
      '/fund/330100/ledger/x',
      '/audit',
    ])
      expect(parseFundPath(path), path).toBeNull();
  });

  it('round-trips with fundPath', () => {
    for (const view of ['overview', 'ledger', 'budgets', 'year-end'] as const)
      for (const region of [null, '330100'])
        expect(parseFundPath(fundPath(view, region))).toEqual({ view, region });
  });
});
