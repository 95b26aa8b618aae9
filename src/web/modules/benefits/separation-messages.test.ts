import { describe, expect, it } from 'vitest';
import { separationText } from './separation-messages.ts';

describe('separation panel texts', () => {
  it('name the reasons in both languages', () => {
    expect(separationText('zh', 'reason.worker_request')).toBe('职工本人提出解除或者终止');
    expect(separationText('en', 'reason.contract_expiry')).toBe('Contract expired (grades 7–10)');
  });
});
