import { describe, expect, it } from 'vitest';
import { isSampled } from './sampling.ts';

describe('sampling for manual review', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `stl_${i.toString(16).padStart(16, '0')}`);

  it('is deterministic, never at 0 %, always at 100 %', () => {
    for (const id of ids.slice(0, 50)) {
      expect(isSampled(id, 5)).toBe(isSampled(id, 5));
      expect(isSampled(id, 0)).toBe(false);
      expect(isSampled(id, 100)).toBe(true);
    }
  });

  it('draws about the rate (5 % of 2000 ids: between 60 and 140)', () => {
    const drawn = ids.filter((id) => isSampled(id, 5)).length;
    expect(drawn).toBeGreaterThan(60);
    expect(drawn).toBeLessThan(140);
  });
});
