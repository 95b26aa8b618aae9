import { describe, expect, it } from 'vitest';
import { DRAW_ALGORITHM, drawPanel, poolSnapshot, replayDraw } from './appraisal-draw.ts';

const ids = (n: number) =>
  poolSnapshot(
    Array.from({ length: n }, (_, i) => `exp_330100_${String(i + 1).padStart(16, '0')}`),
  );

describe('drawPanel', () => {
  it('gives the same panel for the same seed and another for another seed', () => {
    const base = {
      algorithm: DRAW_ALGORITHM,
      panelSize: 5 as const,
      poolIds: ids(12),
      recusals: [],
    };
    const a = drawPanel({ ...base, seed: 42 });
    const b = drawPanel({ ...base, seed: 42 });
    const c = drawPanel({ ...base, seed: 43 });
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(a.value.drawnIds).toEqual(b.value.drawnIds);
    expect(a.value.drawnIds).not.toEqual(c.value.drawnIds);
  });

  it('refuses a recusal of someone outside the pool, naming them', () => {
    const r = drawPanel({
      algorithm: DRAW_ALGORITHM,
      seed: 1,
      panelSize: 3,
      poolIds: ids(5),
      recusals: [{ expertId: 'exp_330100_ffffffffffffffff', reason: 'x' }],
    });
    expect(r.ok ? null : [r.code, r.details?.['expertIds']]).toEqual([
      'appraisal.recusal_not_in_pool',
      ['exp_330100_ffffffffffffffff'],
    ]);
  });

  it('refuses a pool of 5 with 3 recused for a panel of 3, and says how many are left', () => {
    const pool = ids(5);
    const r = drawPanel({
      algorithm: DRAW_ALGORITHM,
      seed: 7,
      panelSize: 3,
      poolIds: pool,
      recusals: pool.slice(0, 3).map((expertId) => ({ expertId, reason: '近亲属' })),
    });
    expect(r.ok ? null : [r.code, r.details?.['eligible']]).toEqual([
      'appraisal.pool_too_small',
      2,
    ]);
  });

  it('with exactly enough eligible experts draws all of them, never a recused one', () => {
    const pool = ids(6);
    const recusals = [pool[0]!, pool[4]!, pool[5]!].map((expertId) => ({
      expertId,
      reason: '同事',
    }));
    const r = drawPanel({
      algorithm: DRAW_ALGORITHM,
      seed: 99,
      panelSize: 3,
      poolIds: pool,
      recusals,
    });
    expect(r.ok && [...r.value.drawnIds].sort()).toEqual([pool[1], pool[2], pool[3]]);
  });

  it('a recorded draw edited to name a recused expert is refused on replay', () => {
    const pool = ids(6);
    const recusals = [{ expertId: pool[0]!, reason: '同事' }];
    const r = drawPanel({
      algorithm: DRAW_ALGORITHM,
      seed: 5,
      panelSize: 3,
      poolIds: pool,
      recusals,
    });
    if (!r.ok) throw new Error(r.message);
    const forged = { ...r.value, drawnIds: [pool[0]!, ...r.value.drawnIds.slice(1)] };
    const replay = replayDraw(forged);
    expect(replay.ok ? 'ok' : replay.code).toBe('appraisal.draw_names_recused');
  });
});
