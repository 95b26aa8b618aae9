import { invariant } from '../../kernel/assert.ts';
import { seededRandom } from '../../kernel/random.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * The random draw of an appraisal's expert panel (docs/adr/0013-appraisal-draw.md).
 *
 * 《工伤保险条例》第二十五条第一款: "设区的市级劳动能力鉴定委员会收到劳动能力鉴定申请后，应当从其建立的医疗卫生专家库中
 * 随机抽取3名或者5名相关专家组成专家组，由专家组提出鉴定意见。" — hence a panel of 3 or 5, drawn at random from the
 * committee's pool of the relevant specialty.
 *
 * 《工伤保险条例》第二十七条: "劳动能力鉴定委员会组成人员或者参加鉴定的专家与当事人有利害关系的，应当回避。" — hence
 * the recusals: an expert recused for a stated reason is taken out of the pool before the draw and
 * can never be drawn.
 *
 * The draw is a pure function of what the record holds (the pool snapshot in a fixed order, the
 * recusals, the panel size, the seed and the algorithm version), so anyone can replay a recorded
 * draw and get the same panel. The seed comes from crypto randomness at draw time (the use case),
 * after the pool and the recusals are fixed, so nobody can choose a seed that favours an expert.
 */
export const DRAW_ALGORITHM = 'mulberry32-partial-fisher-yates-v1' as const;
export type DrawAlgorithm = typeof DRAW_ALGORITHM;

/** 第二十五条第一款: "随机抽取3名或者5名相关专家". */
export const PANEL_SIZES = [3, 5] as const;
export type PanelSize = (typeof PANEL_SIZES)[number];

export type Recusal = { expertId: string; reason: string };

/** Everything a draw depends on: stored whole, so the draw can be replayed. */
export type DrawInput = {
  algorithm: DrawAlgorithm;
  /** An unsigned 32-bit integer (the PRNG's state). */
  seed: number;
  panelSize: PanelSize;
  /** The active experts of the committee and specialty at draw time, ids sorted ascending. */
  poolIds: readonly string[];
  recusals: readonly Recusal[];
};

export type DrawRecord = DrawInput & { drawnIds: readonly string[] };

export type DrawRefusal =
  | 'appraisal.pool_too_small'
  | 'appraisal.recusal_not_in_pool'
  | 'appraisal.draw_names_recused'
  | 'appraisal.draw_mismatch';

/** The pool in the one order a draw reads it: ids ascending by code unit, no duplicates. */
export function poolSnapshot(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isSnapshot(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return false;
  return true;
}

/**
 * Draws the panel: the pool minus the recused experts, then a partial Fisher–Yates shuffle driven
 * by mulberry32(seed) picks `panelSize` of them (each ordering of the eligible experts equally
 * likely up to the PRNG). Refuses a recusal of someone outside the pool (a typo would otherwise
 * leave the interested expert drawable) and a pool too small once the recused are out.
 */
export function drawPanel(input: DrawInput): Result<DrawRecord, DrawRefusal> {
  invariant(input.algorithm === DRAW_ALGORITHM, `unknown draw algorithm ${input.algorithm}`);
  invariant(Number.isInteger(input.seed) && input.seed >= 0 && input.seed < 2 ** 32, 'seed u32');
  invariant(isSnapshot(input.poolIds), 'the pool snapshot must be sorted and without duplicates');
  const pool = new Set(input.poolIds);
  const recused = new Set(input.recusals.map((r) => r.expertId));
  const unknown = [...recused].filter((id) => !pool.has(id));
  if (unknown.length > 0)
    return refuse(
      'appraisal.recusal_not_in_pool',
      `recused experts ${unknown.join(', ')} are not in the pool drawn from`,
      { expertIds: unknown },
    );
  const eligible = input.poolIds.filter((id) => !recused.has(id));
  if (eligible.length < input.panelSize)
    return refuse(
      'appraisal.pool_too_small',
      `${eligible.length} eligible experts after ${recused.size} recusals; a panel needs ${input.panelSize}`,
      { eligible: eligible.length, recused: recused.size, panelSize: input.panelSize },
    );
  const rand = seededRandom(input.seed);
  for (let i = 0; i < input.panelSize; i++) {
    const j = i + Math.floor(rand() * (eligible.length - i));
    const picked = eligible[j]!;
    eligible[j] = eligible[i]!;
    eligible[i] = picked;
  }
  const drawnIds = eligible.slice(0, input.panelSize);
  invariant(new Set(drawnIds).size === input.panelSize, 'a panel names each expert once');
  invariant(
    drawnIds.every((id) => !recused.has(id)),
    'a recused expert is never drawn',
  );
  return ok({ ...input, drawnIds });
}

/**
 * Replays a recorded draw: the same panel from the same inputs, or a refusal saying why the record
 * does not stand (it names a recused expert, or its panel is not what its seed draws).
 */
export function replayDraw(record: DrawRecord): Result<DrawRecord, DrawRefusal> {
  const recused = new Set(record.recusals.map((r) => r.expertId));
  const named = record.drawnIds.filter((id) => recused.has(id));
  if (named.length > 0)
    return refuse(
      'appraisal.draw_names_recused',
      `the recorded panel names recused experts ${named.join(', ')}`,
      { expertIds: named },
    );
  const again = drawPanel(record);
  if (!again.ok) return again;
  const same =
    again.value.drawnIds.length === record.drawnIds.length &&
    again.value.drawnIds.every((id, i) => id === record.drawnIds[i]);
  if (!same)
    return refuse(
      'appraisal.draw_mismatch',
      'the recorded panel is not the panel its seed draws from its pool',
      { recorded: record.drawnIds, replayed: again.value.drawnIds },
    );
  return again;
}
