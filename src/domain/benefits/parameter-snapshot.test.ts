import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { ruleSetFromSnapshot, snapshotContentOf } from './parameter-snapshot.ts';

const live = testRuleBook().benefits;

describe('the parameter snapshot of a benefit decision', () => {
  it('rebuilds the exact rule set: same snapshot id as the live set it was taken from', () => {
    const content = JSON.parse(JSON.stringify(snapshotContentOf(live)));
    const rebuilt = ruleSetFromSnapshot(live.snapshotId, content);
    expect(rebuilt.ok).toBe(true);
    if (rebuilt.ok) expect(rebuilt.value.snapshotId).toBe(live.snapshotId);
  });

  it('refuses a changed snapshot instead of using it', () => {
    const content = JSON.parse(JSON.stringify(snapshotContentOf(live)));
    const months = content['000000']['disability.lump_sum_months'];
    months.values[0].value['7'] = 14;
    const rebuilt = ruleSetFromSnapshot(live.snapshotId, content);
    expect(rebuilt.ok).toBe(false);
    if (!rebuilt.ok) expect(rebuilt.code).toBe('benefit.snapshot_invalid');
  });
});
