import { and, between, eq, exists, inArray, notExists, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import {
  ledgerPeriods,
  ledgerPostings,
  ledgerResolutions,
  ledgerSegments,
  ledgerTransactions,
} from '../../../db/schema.ts';
import { regionOfSegment } from '../../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../../domain/fund/ledger/ledger.ts';
import {
  isPeriod,
  type Period,
  periodEnd,
  periodStart,
} from '../../../domain/fund/ledger/periods.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  requestApproval,
} from '../../approvals/approvals.ts';
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
    const segs = await tx.orm
      .select({ id: ledgerSegments.id, code: ledgerSegments.code })
      .from(ledgerSegments)
      .where(input.segment === 'all' ? undefined : eq(ledgerSegments.code, input.segment))
      .orderBy(ledgerSegments.code);
    if (segs.length === 0)
      return refuse('ledger.unknown_segment', `segment ${input.segment} is not provisioned`, {
        segment: input.segment,
      });
    const month = periodStart(input.period);
    const ids = segs.map((x) => x.id);
    const ins = await tx.orm
      .insert(ledgerPeriods)
      .values(
        ids.map((segmentId): typeof ledgerPeriods.$inferInsert => ({
          segmentId,
          month,
          status: 'open',
          openedBy: actor.username,
        })),
      )
      .onConflictDoNothing({ target: [ledgerPeriods.segmentId, ledgerPeriods.month] })
      .returning({ segmentId: ledgerPeriods.segmentId });
    const inserted = new Set(ins.map((r) => r.segmentId));
    const existing = await tx.orm
      .select({ segmentId: ledgerPeriods.segmentId, status: ledgerPeriods.status })
      .from(ledgerPeriods)
      .where(and(eq(ledgerPeriods.month, month), inArray(ledgerPeriods.segmentId, ids)));
    const status = new Map(existing.map((r) => [r.segmentId, r.status]));
    const out: OpenPeriodResult = { period: input.period, opened: [], alreadyOpen: [], closed: [] };
    for (const s of segs) {
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

/** The period row of a segment's month; `lock` takes it FOR UPDATE (closing). */
async function periodRow(
  ex: Executor,
  segment: string,
  period: Period,
  lock = false,
): Promise<{ segmentId: number; status: PeriodStatus } | undefined> {
  const q = ex.orm
    .select({ segmentId: ledgerPeriods.segmentId, status: ledgerPeriods.status })
    .from(ledgerPeriods)
    .innerJoin(ledgerSegments, eq(ledgerSegments.id, ledgerPeriods.segmentId))
    .where(and(eq(ledgerSegments.code, segment), eq(ledgerPeriods.month, periodStart(period))));
  const rows = lock ? await q.for('update', { of: ledgerPeriods }) : await q;
  return rows[0];
}

/** Up to 20 unresolved pending transactions of a segment's period. */
async function unresolvedPending(
  ex: Executor,
  segmentId: number,
  period: Period,
): Promise<string[]> {
  const t = ledgerTransactions;
  const rows = await ex.orm
    .select({ id: t.id })
    .from(t)
    .where(
      and(
        eq(t.kind, 'pending'),
        between(t.effectiveDate, periodStart(period), periodEnd(period)),
        notExists(
          ex.orm
            .select({ one: sql`1` })
            .from(ledgerResolutions)
            .where(eq(ledgerResolutions.txSeq, t.seq)),
        ),
        exists(
          ex.orm
            .select({ one: sql`1` })
            .from(ledgerPostings)
            .where(and(eq(ledgerPostings.txSeq, t.seq), eq(ledgerPostings.segmentId, segmentId))),
        ),
      ),
    )
    .orderBy(t.seq)
    .limit(20);
  return rows.map((r) => r.id);
}

/** Maker side of closing: asks for approval of `{segment, period}` (action ledger.close_period). */
export async function requestPeriodClose(
  db: Database,
  maker: Actor,
  input: { segment: string; period: Period; policy?: ApprovalPolicy | undefined },
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
      policy: input.policy ?? DEFAULT_APPROVAL_POLICY,
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
      const row = await periodRow(tx, input.segment, input.period, true);
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
      const pending = await unresolvedPending(tx, row.segmentId, input.period);
      if (pending.length > 0)
        return refuse(
          'ledger.period_has_pending',
          `period ${input.period} of ${input.segment} has unresolved pending transactions (post or void them first)`,
          { segment: input.segment, period: input.period, pending },
        );
      const approval = await consumeApproval(tx, {
        regionCode: regionOfSegment(input.segment),
        id: input.approvalId,
        action: CLOSE_PERIOD_ACTION,
        payload: { segment: input.segment, period: input.period },
      });
      if (!approval.ok) return approval;
      await tx.orm
        .update(ledgerPeriods)
        .set({
          status: 'closed',
          closedAt: sql`now()`,
          closedBy: actor.username,
          closeApprovalId: input.approvalId,
          closeChecker: approval.value.checkerId,
        })
        .where(
          and(
            eq(ledgerPeriods.segmentId, row.segmentId),
            eq(ledgerPeriods.month, periodStart(input.period)),
          ),
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
