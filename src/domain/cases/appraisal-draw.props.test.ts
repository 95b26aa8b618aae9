import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRAW_ALGORITHM, drawPanel, poolSnapshot, replayDraw } from './appraisal-draw.ts';

/**
 * The acceptance point "the expert draw is reproducible from its recorded seed and refuses recused
 * experts", for any pool, seed, panel size and recusal set: the replay of a draw equals it, the panel
 * never names a recused expert, names each expert once and only experts of the pool; a pool too small
 * after recusal is refused; a record edited to name a recused expert, or another panel, is refused.
 */
const SEED = 20261206;
const RUNS = 500;

const expertId = fc
  .integer({ min: 0, max: 0xffff })
  .map((n) => `exp_330100_${n.toString(16).padStart(16, '0')}`);
const scenario = fc
  .record({
    pool: fc.uniqueArray(expertId, { minLength: 0, maxLength: 30 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    panelSize: fc.constantFrom(3 as const, 5 as const),
    recusedMask: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  })
  .map(({ pool, seed, panelSize, recusedMask }) => {
    const poolIds = poolSnapshot(pool);
    const recusals = poolIds
      .filter((_, i) => recusedMask[i])
      .map((id) => ({ expertId: id, reason: '与当事人有利害关系' }));
    return { algorithm: DRAW_ALGORITHM, seed, panelSize, poolIds, recusals };
  });

describe('the expert draw (property)', () => {
  it('replays to the same panel, never names a recused expert, refuses a too-small pool', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const recused = new Set(input.recusals.map((r) => r.expertId));
        const eligible = input.poolIds.filter((id) => !recused.has(id));
        const drawn = drawPanel(input);
        if (eligible.length < input.panelSize) {
          expect(drawn.ok ? 'drawn' : drawn.code).toBe('appraisal.pool_too_small');
          return;
        }
        if (!drawn.ok) throw new Error(drawn.message);
        const panel = drawn.value.drawnIds;
        expect(panel).toHaveLength(input.panelSize);
        expect(new Set(panel).size).toBe(input.panelSize);
        for (const id of panel) {
          expect(recused.has(id)).toBe(false);
          expect(input.poolIds).toContain(id);
        }
        const again = replayDraw(drawn.value);
        expect(again.ok && again.value.drawnIds).toEqual(panel);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('refuses a record naming a recused expert or a panel its seed does not draw', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (input, pick) => {
        const drawn = drawPanel(input);
        if (!drawn.ok) return;
        const outside = drawn.value.poolIds.filter((id) => !drawn.value.drawnIds.includes(id));
        const swapIn = outside[pick % Math.max(outside.length, 1)];
        if (swapIn === undefined) return;
        const edited = { ...drawn.value, drawnIds: [swapIn, ...drawn.value.drawnIds.slice(1)] };
        const refused = replayDraw(edited);
        const isRecused = input.recusals.some((r) => r.expertId === swapIn);
        expect(refused.ok ? 'ok' : refused.code).toBe(
          isRecused ? 'appraisal.draw_names_recused' : 'appraisal.draw_mismatch',
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('draws every eligible expert sometimes: no one is left out by the shuffle', () => {
    const poolIds = poolSnapshot(
      Array.from({ length: 8 }, (_, i) => `exp_330100_${String(i).padStart(16, '0')}`),
    );
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const d = drawPanel({ algorithm: DRAW_ALGORITHM, seed, panelSize: 3, poolIds, recusals: [] });
      if (d.ok) for (const id of d.value.drawnIds) seen.add(id);
    }
    expect([...seen].sort()).toEqual(poolIds);
  });
});
