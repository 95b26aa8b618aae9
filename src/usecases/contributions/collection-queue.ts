import type { Database, Executor } from '../../db/client.ts';
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
 * city and a month that has an assessment, or to a project of the city (按项目参保; it pays that
 * project's receivable) — it then posts with its import's next posting — or rejected with a reason
 * (the money is returned or forwarded outside the system; nothing posts). Decided once: a record no
 * longer unmatched is refused.
 */
export type QueueRefusal =
  | 'contributions.invalid_request'
  | 'contributions.not_found'
  | 'contributions.not_unmatched'
  | 'contributions.no_assessment';

export type Resolution =
  | { action: 'assign'; employerId: string; month: string }
  | { action: 'assign_project'; projectId: string }
  | { action: 'reject'; reason: string };

/** The columns a resolution sets: matched to an employer-month or a project, or rejected. */
type Outcome = {
  status: 'matched' | 'rejected';
  employerId: string | null;
  matchMonth: string | null;
  projectId: string | null;
  resolution: string;
};

/** Checks the target of an assignment in the city and answers what the record becomes. */
async function outcomeOf(
  tx: Executor,
  city: string,
  res: Resolution,
): Promise<Result<Outcome, QueueRefusal>> {
  if (res.action === 'reject')
    return ok({
      status: 'rejected',
      employerId: null,
      matchMonth: null,
      projectId: null,
      resolution: res.reason,
    });
  if (res.action === 'assign_project') {
    const p = await tx.query(
      'SELECT employer_id FROM construction_projects WHERE region_code = $1 AND id = $2',
      [city, res.projectId],
    );
    const row = p.rows[0];
    if (row === undefined)
      return refuse('contributions.not_found', `no project ${res.projectId} in ${city}`, {
        projectId: res.projectId,
      });
    const employerId = textOf(row, 'employer_id');
    return ok({
      status: 'matched',
      employerId,
      matchMonth: null,
      projectId: res.projectId,
      resolution: `assigned to project ${res.projectId}`,
    });
  }
  const a = await tx.query(
    `SELECT 1 FROM contribution_assessments WHERE region_code = $1 AND employer_id = $2 AND month = $3::date LIMIT 1`,
    [city, res.employerId, `${res.month}-01`],
  );
  if (a.rows.length === 0)
    return refuse(
      'contributions.no_assessment',
      `employer ${res.employerId} of ${city} has no assessment for ${res.month}: assess the month first, or reject the record`,
      { employerId: res.employerId, month: res.month },
    );
  return ok({
    status: 'matched',
    employerId: res.employerId,
    matchMonth: `${res.month}-01`,
    projectId: null,
    resolution: `assigned to ${res.employerId} ${res.month}`,
  });
}

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
    const outcome = await outcomeOf(tx, input.city, res);
    if (!outcome.ok) return outcome;
    const o = outcome.value;
    const updated = await tx.query(
      `UPDATE collection_records
          SET status = $3, unmatched_reason = NULL, employer_id = $4, match_month = $5::date, project_id = $6,
              resolution = $7, resolved_by = $8, resolved_at = now()
        WHERE region_code = $1 AND voucher = $2
        RETURNING ${RECORD_COLUMNS}`,
      [
        input.city,
        input.voucher,
        o.status,
        o.employerId,
        o.matchMonth,
        o.projectId,
        o.resolution,
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
