import type { Database } from '../../../db/client.ts';
import { regionOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import { isPeriod, type Period, periodEnd, periodStart } from '../../../domain/fund/ledger/periods.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../../approvals/approvals.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { RefusalSignal } from '../refusals.ts';

export const CLOSE_PERIOD_ACTION = 'ledger.close_period';

export type PeriodStatus = 'open' | 'closed';
export type OpenPeriodResult = {
  period: Period;
  opened: string[];
  alreadyOpen: string[];
  closed: string[];
};

/**
 * Opens a monthly period for one segment or for every segment ('all'), idempotently. A closed
 * period stays closed (named in `closed`; a single segment's closed period is refused).
 */
export async function openPeriod(
  db: Database,
  actor: Actor,
  input: { segment: string | 'all'; period: Period },
): Promise<Result<OpenPeriodResult, LedgerRefusalCode>> {
  if (!isPeriod(input.period))
    return refuse('ledger.invalid_period', `period must be YYYY-MM, not ${input.period}`);
  return db.transaction(async (tx) => {
    const segs = await tx.query<{ id: number; code: string }>(
      `SELECT id, code FROM ledger_segments WHERE $1::text = 'all' OR code = $1 ORDER BY code`,
      [input.segment],
    );
    if (segs.rows.length === 0)
      return refuse('ledger.unknown_segment', `segment ${input.segment} is not provisioned`, {
        segment: input.segment,
      });
    const month = periodStart(input.period);
    const ins = await tx.query<{ segment_id: number }>(
      `INSERT INTO ledger_periods (segment_id, month, status, opened_by)
       SELECT id, $2::date, 'open', $3 FROM unnest($1::int2[]) AS id
       ON CONFLICT (segment_id, month) DO NOTHING RETURNING segment_id`,
      [segs.rows.map((s) => s.id), month, actor.username],
    );
    const inserted = new Set(ins.rows.map((r) => r.segment_id));
    const existing = await tx.query<{ segment_id: number; status: PeriodStatus }>(
      'SELECT segment_id, status FROM ledger_periods WHERE month = $1::date AND segment_id = ANY($2::int2[])',
      [month, segs.rows.map((s) => s.id)],
    );
    const status = new Map(existing.rows.map((r) => [r.segment_id, r.status]));
    const out: OpenPeriodResult = { period: input.period, opened: [], alreadyOpen: [], closed: [] };
    for (const s of segs.rows) {
      if (inserted.has(s.id)) out.opened.push(s.code);
      else if (status.get(s.id) === 'closed') out.closed.push(s.code);
      else out.alreadyOpen.push(s.code);
    }
    if (input.segment !== 'all' && out.closed.length > 0)
      return refuse(
        'ledger.period_closed',
        `period ${input.period} of ${input.segment} is closed`,
        {
          segment: input.segment,
          period: input.period,
        },
      );
    if (out.opened.length > 0)
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'ledger.open_period',
        object: `ledger/period/${input.segment}/${input.period}`,
        result: 'ok',
        requestId: actor.requestId,
        details: { opened: out.opened },
      });
    return ok(out);
  });
}

async function periodRow(
  ex: Pick<Database, 'query'>,
  segment: string,
  period: Period,
): Promise<{ segment_id: number; status: PeriodStatus } | undefined> {
  const r = await ex.query<{ segment_id: number; status: PeriodStatus }>(
    `SELECT pr.segment_id, pr.status FROM ledger_periods pr JOIN ledger_segments s ON s.id = pr.segment_id
      WHERE s.code = $1 AND pr.month = $2::date`,
    [segment, periodStart(period)],
  );
  return r.rows[0];
}

/** Maker side of closing: asks for approval of `{segment, period}` (action ledger.close_period). */
export async function requestPeriodClose(
  db: Database,
  maker: Actor,
  input: { segment: string; period: Period },
): Promise<Result<{ approvalId: string }, LedgerRefusalCode>> {
  if (!isPeriod(input.period))
    return refuse('ledger.invalid_period', `period must be YYYY-MM, not ${input.period}`);
  return db.transaction(async (tx) => {
    const row = await periodRow(tx, input.segment, input.period);
    if (!row)
      return refuse(
        'ledger.period_not_open',
        `period ${input.period} of ${input.segment} is not open`,
        {
          ...input,
        },
      );
    if (row.status === 'closed')
      return refuse(
        'ledger.period_closed',
        `period ${input.period} of ${input.segment} is already closed`,
        {
          ...input,
        },
      );
    const a = await requestApproval(tx, maker, {
      regionCode: regionOfSegment(input.segment),
      action: CLOSE_PERIOD_ACTION,
      payload: { segment: input.segment, period: input.period },
    });
    return ok({ approvalId: a.id });
  });
}

/**
 * Checker-approved closing: consumes the approval (another user approved exactly this segment and
 * period), refuses while a pending transaction of the period is unresolved, then closes. Takes
 * SHARE locks on postings and resolutions first, so writers in flight finish before the check and
 * later writers see the period closed (their trigger refuses).
 */
export async function closePeriod(
  db: Database,
  actor: Actor,
  input: { segment: string; period: Period; approvalId: string },
): Promise<
  Result<
    { segment: string; period: Period; checkerId: string },
    LedgerRefusalCode | ApprovalRefusal
  >
> {
  if (!isPeriod(input.period))
    return refuse('ledger.invalid_period', `period must be YYYY-MM, not ${input.period}`);
  try {
    return await db.transaction(async (tx) => {
      await tx.query('LOCK TABLE ledger_postings, ledger_resolutions IN SHARE MODE');
      const r = await tx.query<{ segment_id: number; status: PeriodStatus }>(
        `SELECT pr.segment_id, pr.status FROM ledger_periods pr JOIN ledger_segments s ON s.id = pr.segment_id
          WHERE s.code = $1 AND pr.month = $2::date FOR UPDATE OF pr`,
        [input.segment, periodStart(input.period)],
      );
      const row = r.rows[0];
      if (!row)
        return refuse(
          'ledger.period_not_open',
          `period ${input.period} of ${input.segment} is not open`,
          {
            segment: input.segment,
            period: input.period,
          },
        );
      if (row.status === 'closed')
        return refuse(
          'ledger.period_closed',
          `period ${input.period} of ${input.segment} is already closed`,
          {
            segment: input.segment,
            period: input.period,
          },
        );
      const pending = await tx.query<{ id: string }>(
        `SELECT t.id FROM ledger_transactions t
          WHERE t.kind = 'pending' AND t.effective_date BETWEEN $1::date AND $2::date
            AND NOT EXISTS (SELECT 1 FROM ledger_resolutions r WHERE r.tx_seq = t.seq)
            AND EXISTS (SELECT 1 FROM ledger_postings p WHERE p.tx_seq = t.seq AND p.segment_id = $3)
          ORDER BY t.seq LIMIT 20`,
        [periodStart(input.period), periodEnd(input.period), row.segment_id],
      );
      if (pending.rows.length > 0)
        return refuse(
          'ledger.period_has_pending',
          `period ${input.period} of ${input.segment} has unresolved pending transactions (post or void them first)`,
          { segment: input.segment, period: input.period, pending: pending.rows.map((p) => p.id) },
        );
      const approval = await consumeApproval(tx, {
        regionCode: regionOfSegment(input.segment),
        id: input.approvalId,
        action: CLOSE_PERIOD_ACTION,
        payload: { segment: input.segment, period: input.period },
      });
      if (!approval.ok) return approval;
      await tx.query(
        `UPDATE ledger_periods SET status = 'closed', closed_at = now(), closed_by = $3,
                close_approval_id = $4, close_checker = $5
          WHERE segment_id = $1 AND month = $2::date`,
        [
          row.segment_id,
          periodStart(input.period),
          actor.username,
          input.approvalId,
          approval.value.checkerId,
        ],
      );
      await appendAudit(tx, {
        actor: actor.username,
        role: actor.role,
        scope: scopeLabel(actor),
        action: 'ledger.close_period',
        object: `ledger/period/${input.segment}/${input.period}`,
        result: 'ok',
        requestId: actor.requestId,
        details: { approvalId: input.approvalId, checkerId: approval.value.checkerId },
      });
      return ok({
        segment: input.segment,
        period: input.period,
        checkerId: approval.value.checkerId,
      });
    });
  } catch (err) {
    if (err instanceof RefusalSignal) return err.refusal as never;
    throw err;
  }
}
