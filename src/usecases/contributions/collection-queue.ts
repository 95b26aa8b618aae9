import type { Database } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import { isPeriod } from '../../domain/fund/ledger/periods.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import {
  type CollectionRecordView,
  cityRequest,
  RECORD_COLUMNS,
  recordViewOf,
} from './collections.ts';

/**
 * The handler's queue of unmatched collection records: a record is assigned to an employer of the
 * city and a month that has an assessment (it then posts with its import's next posting), or
 * rejected with a reason (the money is returned or forwarded outside the system; nothing posts).
 * Decided once: a record no longer unmatched is refused.
 */
export type QueueRefusal =
  | 'contributions.invalid_request'
  | 'contributions.not_found'
  | 'contributions.not_unmatched'
  | 'contributions.no_assessment';

export type Resolution =
  | { action: 'assign'; employerId: string; month: string }
  | { action: 'reject'; reason: string };

function checkResolution(r: Resolution): Result<true, 'contributions.invalid_request'> {
  if (r.action === 'assign' && !isPeriod(r.month))
    return refuse('contributions.invalid_request', `month ${r.month} is not YYYY-MM`, {
      field: 'month',
    });
  if (r.action === 'reject' && (r.reason.trim().length === 0 || r.reason.length > 500))
    return refuse(
      'contributions.invalid_request',
      'a rejection needs a reason of 1–500 characters',
      {
        field: 'reason',
      },
    );
  return ok(true);
}

export async function resolveCollectionRecord(
  db: Database,
  actor: Actor,
  input: { city: string; voucher: string; resolution: Resolution },
): Promise<Result<CollectionRecordView, QueueRefusal>> {
  const valid = cityRequest(input.city);
  if (!valid.ok) return valid;
  const checked = checkResolution(input.resolution);
  if (!checked.ok) return checked;
  const res = input.resolution;
  return db.transaction(async (tx) => {
    const cur = await tx.query(
      'SELECT status FROM collection_records WHERE region_code = $1 AND voucher = $2 FOR UPDATE',
      [input.city, input.voucher],
    );
    const row = cur.rows[0];
    if (row === undefined)
      return refuse(
        'contributions.not_found',
        `no collection record ${input.voucher} in ${input.city}`,
      );
    if (textOf(row, 'status') !== 'unmatched')
      return refuse(
        'contributions.not_unmatched',
        `record ${input.voucher} is ${textOf(row, 'status')}: it was resolved already`,
      );
    if (res.action === 'assign') {
      const a = await tx.query(
        `SELECT 1 FROM contribution_assessments WHERE region_code = $1 AND employer_id = $2 AND month = $3::date LIMIT 1`,
        [input.city, res.employerId, `${res.month}-01`],
      );
      if (a.rows.length === 0)
        return refuse(
          'contributions.no_assessment',
          `employer ${res.employerId} of ${input.city} has no assessment for ${res.month}: assess the month first, or reject the record`,
          { employerId: res.employerId, month: res.month },
        );
    }
    const assign = res.action === 'assign';
    const updated = await tx.query(
      `UPDATE collection_records
          SET status = $3, unmatched_reason = NULL, employer_id = $4, match_month = $5::date, resolution = $6,
              resolved_by = $7, resolved_at = now()
        WHERE region_code = $1 AND voucher = $2
        RETURNING ${RECORD_COLUMNS}`,
      [
        input.city,
        input.voucher,
        assign ? 'matched' : 'rejected',
        assign ? res.employerId : null,
        assign ? `${res.month}-01` : null,
        assign ? `assigned to ${res.employerId} ${res.month}` : res.reason,
        actor.username,
      ],
    );
    await appendAudit(
      tx,
      okEventOf(
        actor,
        `contributions.collections.${res.action}`,
        `collections/${input.city}/${input.voucher}`,
        { ...res },
      ),
    );
    const view = updated.rows[0];
    if (view === undefined) throw new Error('the resolved record vanished');
    return ok(recordViewOf(view));
  });
}
