import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { appraisalDraws } from '../../db/schema-appraisal.ts';
import {
  DRAW_ALGORITHM,
  type DrawRecord,
  type DrawRefusal,
  drawPanel,
  type PanelSize,
  poolSnapshot,
  type Recusal,
  replayDraw,
} from '../../domain/cases/appraisal-draw.ts';
import {
  type AppraisalRefusal,
  checkCommittee,
  checkDraw,
} from '../../domain/cases/appraisal-procedure.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { provinceOf } from '../../kernel/region-codes.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { activePoolIds } from './appraisal-experts.ts';
import { type AppraisalView, appraisalViewOf, drawOf, getAppraisal } from './appraisal-read.ts';
import {
  factsOf,
  lockAppraisal,
  recordAppraisalChange,
  updateAppraisal,
} from './appraisal-store.ts';

/**
 * Draws an appraisal's expert panel (docs/adr/0013-appraisal-draw.md): the pool is the committee's
 * active experts of the specialty (a city's committee for a first appraisal or a review, the
 * province's for a re-appraisal), snapshotted in id order; the recused are named with reasons; the
 * seed comes from crypto randomness now, after both are fixed; the pure draw picks the panel; all of
 * it is stored, audited and put on the case's timeline in one transaction.
 */
export type DrawActionRefusal = AppraisalRefusal | DrawRefusal | 'record.not_found';

export type DrawActionInput = {
  regionCode: string;
  appraisalId: string;
  specialty: string;
  panelSize: PanelSize;
  recusals: readonly Recusal[];
  drawnOn: IsoDate;
};

/** A u32 from the operating system's CSPRNG. */
export function drawSeed(): number {
  return randomBytes(4).readUInt32BE(0);
}

export async function drawAppraisalPanel(
  db: Database,
  actor: Actor,
  input: DrawActionInput,
  seedOf: () => number = drawSeed,
): Promise<Result<AppraisalView, DrawActionRefusal>> {
  return db.transaction(async (tx) => {
    const found = await lockAppraisal(tx, input.regionCode, input.appraisalId);
    if (!found) return refuse('record.not_found', `appraisal ${input.appraisalId} not found`);
    const { row } = found;
    const committee = checkCommittee(row, actor.scopeKind === 'province');
    if (!committee.ok) return committee;
    const state = checkDraw(factsOf(row));
    if (!state.ok) return state;
    const committeeCode =
      row.committeeLevel === 'province' ? provinceOf(row.regionCode) : row.regionCode;
    const poolIds = poolSnapshot(await activePoolIds(tx, committeeCode, input.specialty));
    const drawn = drawPanel({
      algorithm: DRAW_ALGORITHM,
      seed: seedOf(),
      panelSize: input.panelSize,
      poolIds,
      recusals: input.recusals,
    });
    if (!drawn.ok) return drawn;
    const d = drawn.value;
    await tx.orm.insert(appraisalDraws).values({
      regionCode: row.regionCode,
      appraisalId: row.id,
      committeeCode,
      specialty: input.specialty,
      algorithm: d.algorithm,
      seed: d.seed,
      panelSize: d.panelSize,
      poolIds: [...d.poolIds],
      recusals: d.recusals.map((r) => ({ expertId: r.expertId, reason: r.reason })),
      drawnIds: [...d.drawnIds],
      drawnBy: actor.userId,
    });
    await updateAppraisal(tx, row, { status: 'panel_drawn' });
    await recordAppraisalChange(tx, actor, {
      regionCode: row.regionCode,
      caseId: row.caseId,
      appraisalId: row.id,
      kind: 'appraisal.panel_drawn',
      occurredOn: input.drawnOn,
      data: {
        committeeCode,
        specialty: input.specialty,
        algorithm: d.algorithm,
        seed: d.seed,
        panelSize: d.panelSize,
        poolIds: d.poolIds,
        recusals: d.recusals,
        drawnIds: d.drawnIds,
      },
    });
    return ok(
      appraisalViewOf({ ...row, status: 'panel_drawn' }, await drawOf(tx, row.regionCode, row.id)),
    );
  });
}

/** The recorded draw replayed from its seed: the same panel, or why the record does not stand. */
export async function verifyAppraisalDraw(
  db: Database,
  key: { regionCode: string; appraisalId: string },
): Promise<Result<{ reproduced: true; draw: DrawRecord }, DrawRefusal | 'record.not_found'>> {
  const view = await db.withConnection((ex) => getAppraisal(ex, key));
  if (!view?.draw) return refuse('record.not_found', `appraisal ${key.appraisalId} has no draw`);
  const d = view.draw;
  if (d.algorithm !== DRAW_ALGORITHM || (d.panelSize !== 3 && d.panelSize !== 5))
    throw new Error(`draw of ${key.appraisalId}: unknown algorithm ${d.algorithm}`);
  const replayed = replayDraw({
    algorithm: DRAW_ALGORITHM,
    seed: d.seed,
    panelSize: d.panelSize,
    poolIds: d.poolIds,
    recusals: d.recusals,
    drawnIds: d.drawnIds,
  });
  if (!replayed.ok) return replayed;
  return ok({ reproduced: true, draw: replayed.value });
}
