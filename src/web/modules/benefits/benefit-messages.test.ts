import { describe, expect, it } from 'vitest';
import { benefitText, itemLabel } from './benefit-messages.ts';

describe('benefit panel texts', () => {
  it('fill placeholders in both languages and name items as the glossary does', () => {
    expect(benefitText('zh', 'recomputeSame', { id: 'abc' })).toContain('abc');
    expect(benefitText('en', 'recomputeSame', { id: 'abc' })).toBe(
      'Recomputed: same figures (snapshot abc)',
    );
    expect(itemLabel('zh', 'disability_lump_sum')).toBe('一次性伤残补助金');
    expect(itemLabel('en', 'unknown_code')).toBe('unknown_code');
  });
});
