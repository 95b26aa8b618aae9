import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, numberOf, rowsOf, textOf, textOrNullOf } from '../../db/rows.ts';
import { benefitIndexationNotices } from '../../db/schema.ts';
import { letters } from '../../db/schema-letters.ts';
import { indexationNoticeText } from '../../domain/benefits/indexation-letter.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { todayInChina } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { adjustmentsOfYear } from '../../rules/benefits/indexation.ts';
import { cityName, issueLetter } from '../letters/issue-letter.ts';
import { type BatchRow, batchRow } from './indexation-store.ts';
import { snapshotRules } from './snapshot-rules.ts';

/**
 * The notice of an applied indexation batch (docs/letters.md, `benefit_indexation`; the text:
 * src/domain/benefits/indexation-letter.ts): issued once per batch, after the apply's transaction
 * (the apply calls it, so the route and the CLI get it alike; a replayed apply issues a notice the
 * first one did not reach), under the batch's pinned parameters, dated the day the batch was
 * applied (in Beijing), so a late issue prints the same date. Numbered in the city's 工待调 series.
 */
export type IndexationNotice = { letterId: string; documentNumber: string };

export type IndexationNoticeCode =
  | 'benefit.indexation_not_found'
  | 'benefit.indexation_not_applied'
  | 'benefit.snapshot_invalid'
  | 'rules.parameter_missing';

export async function indexationNoticeOf(
  ex: Executor,
  regionCode: string,
  batchId: string,
): Promise<IndexationNotice | null> {
  const [row] = await ex.orm
    .select({ letterId: letters.id, documentNumber: letters.documentNumber })
    .from(benefitIndexationNotices)
    .innerJoin(
      letters,
      and(
        eq(letters.regionCode, benefitIndexationNotices.regionCode),
        eq(letters.id, benefitIndexationNotices.letterId),
      ),
    )
    .where(
      and(
        eq(benefitIndexationNotices.regionCode, regionCode),
        eq(benefitIndexationNotices.batchId, batchId),
      ),
    );
  return row ?? null;
}

export async function issueIndexationNotice(
  db: Database,
  actor: Actor,
  input: { regionCode: string; batchId: string },
): Promise<Result<IndexationNotice & { replayed: boolean }, IndexationNoticeCode>> {
  return db.transaction(async (tx) => {
    const batch = await batchRow(tx, input.regionCode, input.batchId, true);
    if (batch === null)
      return refuse('benefit.indexation_not_found', `indexation batch ${input.batchId} not found`);
    if (batch.status !== 'applied')
      return refuse(
        'benefit.indexation_not_applied',
        `indexation batch ${batch.id} is not applied yet: its notice is issued when it is`,
      );
    const held = await indexationNoticeOf(tx, batch.regionCode, batch.id);
    if (held !== null) return ok({ ...held, replayed: true });
    const text = await noticeText(tx, batch);
    if (!text.ok) return text;
    const letter = await issueLetter(tx, {
      regionCode: batch.regionCode,
      letterType: 'benefit_indexation',
      // Dated the day the batch was applied, in Beijing, so a late issue prints the same date.
      issuedOn: todayInChina(appliedAtOf(batch).getTime()),
      recipient: text.value.recipient,
      title: text.value.title,
      paragraphs: text.value.paragraphs,
      issuer: `${text.value.cityName}人力资源和社会保障局`,
      recordedBy: actor.userId,
      actor,
    });
    await tx.orm
      .insert(benefitIndexationNotices)
      .values({ regionCode: batch.regionCode, batchId: batch.id, letterId: letter.id });
    return ok({ letterId: letter.id, documentNumber: letter.documentNumber, replayed: false });
  });
}

async function noticeText(tx: Executor, batch: BatchRow) {
  const pinned = await snapshotRules(tx, batch.snapshotId);
  if (!pinned.ok) return pinned;
  const adjustments = adjustmentsOfYear(pinned.value, batch.regionCode, batch.year);
  if (!adjustments.ok) return adjustments;
  const city = await cityName(tx, batch.regionCode);
  const text = indexationNoticeText({
    cityName: city,
    year: batch.year,
    adjustments: adjustments.value,
    totals: batch.payload.totals,
    lineCount: batch.payload.lineCount,
  });
  return ok({ ...text, cityName: city });
}

/** One adjustment of a beneficiary's item, as they see it: the figures and the notice's number. */
export type OwnAdjustment = {
  year: number;
  kind: string;
  effectiveOn: string;
  beforeFen: number;
  afterFen: number;
  notice: IndexationNotice | null;
};

/**
 * The applied adjustments of a case's items of one beneficiary (the worker his own, a survivor
 * those of her dependant rows), newest first: found from the case's entitlements through the
 * successor each line created (its unique index), so a person's read never scans a batch.
 */
export async function ownAdjustmentsOf(
  ex: Executor,
  input: { regionCode: string; caseId: string; dependantIds: readonly string[] | null },
): Promise<OwnAdjustment[]> {
  const whose =
    input.dependantIds === null ? 'e.dependant_id IS NULL' : 'e.dependant_id = ANY($3::text[])';
  const r = await ex.query(
    `SELECT b.year, l.kind, l.effective_on::text AS effective_on, l.before_fen, l.after_fen,
            lt.id AS letter_id, lt.document_number
       FROM benefit_decisions d
       JOIN benefit_entitlements e ON e.region_code = d.region_code AND e.decision_id = d.id
       JOIN benefit_indexation_lines l ON l.region_code = e.region_code AND l.new_entitlement_id = e.id
       JOIN benefit_indexation_batches b ON b.region_code = l.region_code AND b.id = l.batch_id
       LEFT JOIN benefit_indexation_notices n ON n.region_code = b.region_code AND n.batch_id = b.id
       LEFT JOIN letters lt ON lt.region_code = n.region_code AND lt.id = n.letter_id
      WHERE d.region_code = $1 AND d.case_id = $2 AND b.status = 'applied' AND ${whose}
      ORDER BY l.effective_on DESC, l.kind, e.id`,
    input.dependantIds === null
      ? [input.regionCode, input.caseId]
      : [input.regionCode, input.caseId, [...input.dependantIds]],
  );
  return rowsOf(r, (row) => {
    const letterId = textOrNullOf(row, 'letter_id');
    return {
      year: intOf(row, 'year'),
      kind: textOf(row, 'kind'),
      effectiveOn: textOf(row, 'effective_on'),
      beforeFen: numberOf(row, 'before_fen'),
      afterFen: numberOf(row, 'after_fen'),
      notice:
        letterId === null ? null : { letterId, documentNumber: textOf(row, 'document_number') },
    };
  });
}

/** Whether `letterId` is the notice of a batch that adjusted one of the beneficiary's items of the case. */
export async function isOwnIndexationNotice(
  ex: Executor,
  input: {
    regionCode: string;
    caseId: string;
    letterId: string;
    dependantIds: readonly string[] | null;
  },
): Promise<boolean> {
  const own = await ownAdjustmentsOf(ex, input);
  return own.some((a) => a.notice?.letterId === input.letterId);
}

function appliedAtOf(batch: BatchRow): Date {
  invariant(batch.appliedAt !== null, `applied batch ${batch.id} has no applied_at`);
  return batch.appliedAt;
}
