import type { Database, Executor } from '../../db/client.ts';
import { intOf, rowsOf, textOf, textOrNullOf } from '../../db/rows.ts';
import {
  type AppliedRecord,
  applyToReceivables,
  COLLECTION_ACTION,
  type CollectionPayload,
  collectionPayload,
  collectionTransaction,
  forwardTransferTransaction,
  type MatchedRecord,
  receivableKey,
} from '../../domain/contributions/collection-postings.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { forwardedFrom } from './collection-forward.ts';
import { cityRequest } from './collections.ts';

/**
 * Posting of an import batch's matched records (ADR 0010): one ledger transaction per batch and
 * posting (deterministic id), Dr 1001 / Cr 1131 (applied to the receivable) / Cr 2103 (beyond the
 * assessment), under maker-checker like the assessment: without an approval id the maker gets
 * the payload to approve, with it the batch is posted and the approval consumed in one
 * transaction. Records matched later (a resolved queue entry) post with the next posting of their
 * import. A record is posted once: its posting id is set in the same transaction.
 */
export type CollectionPostingRefusal =
  | 'contributions.invalid_request'
  | 'contributions.not_found'
  | 'contributions.collections_changed'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type CollectionPostingOutcome = {
  city: string;
  importId: string;
  status: 'nothing' | 'preview' | 'approval_requested' | 'posted';
  payload: CollectionPayload | null;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
  transactionId: string | null;
};

type Plan = {
  payload: CollectionPayload;
  records: AppliedRecord[];
  /** The city whose 1001 holds a forwarded record's cash (collection-forward.ts), or null. */
  forwardedFrom: string | null;
};

async function matchedUnposted(
  ex: Executor,
  city: string,
  importId: string,
): Promise<MatchedRecord[]> {
  const r = await ex.query(
    `SELECT voucher, employer_id, to_char(coalesce(match_month, month), 'YYYY-MM') AS month, amount_fen,
            to_char(paid_on, 'YYYY-MM-DD') AS paid_on, project_id
       FROM collection_records
      WHERE region_code = $1 AND import_id = $2 AND status = 'matched' AND posting_id IS NULL
      ORDER BY voucher`,
    [city, importId],
  );
  return rowsOf(r, (row) => ({
    voucher: textOf(row, 'voucher'),
    employerId: textOf(row, 'employer_id'),
    month: textOf(row, 'month'),
    amountFen: intOf(row, 'amount_fen'),
    paidOn: textOf(row, 'paid_on'),
    projectId: textOrNullOf(row, 'project_id'),
  }));
}

/**
 * Assessed (latest version) minus applied so far (collections and offsets of 2103, migration 0046),
 * per employer-month the records touch.
 */
async function outstandingOf(ex: Executor, city: string, records: readonly MatchedRecord[]) {
  const months = records.filter((x) => x.projectId === null);
  const r = await ex.query(
    `SELECT k.employer_id, k.month,
            (coalesce((SELECT a.amount_fen FROM contribution_assessments a
                       WHERE a.region_code = $1 AND a.employer_id = k.employer_id AND a.month = (k.month || '-01')::date
                       ORDER BY a.version DESC LIMIT 1), 0)
          - coalesce((SELECT sum(c.applied_fen) FROM collection_records c
                       WHERE c.region_code = $1 AND c.employer_id = k.employer_id
                         AND c.match_month = (k.month || '-01')::date AND c.posting_id IS NOT NULL), 0)
          - coalesce((SELECT sum(o.amount_fen) FROM contribution_offsets o
                       WHERE o.region_code = $1 AND o.employer_id = k.employer_id
                         AND o.month = (k.month || '-01')::date), 0))::int8 AS open_fen
       FROM (SELECT DISTINCT * FROM unnest($2::text[], $3::text[]) AS u(employer_id, month)) k`,
    [city, months.map((x) => x.employerId), months.map((x) => x.month)],
  );
  const open = new Map<string, number>(
    rowsOf(
      r,
      (row) =>
        [`${textOf(row, 'employer_id')}|${textOf(row, 'month')}`, intOf(row, 'open_fen')] as const,
    ),
  );
  for (const [key, fen] of await projectsOutstanding(ex, city, records)) open.set(key, fen);
  return open;
}

/**
 * A project's receivable (posted at registration; 0 when none was posted) minus what posted
 * records applied to it, per project the records pay, keyed `project|<id>`.
 */
async function projectsOutstanding(
  ex: Executor,
  city: string,
  records: readonly MatchedRecord[],
): Promise<Map<string, number>> {
  const ids = [...new Set(records.flatMap((x) => (x.projectId === null ? [] : [x.projectId])))];
  if (ids.length === 0) return new Map();
  const r = await ex.query(
    `SELECT k.id,
            (coalesce((SELECT amount_fen FROM project_receivables p WHERE p.region_code = $1 AND p.project_id = k.id), 0)
           - coalesce((SELECT sum(c.applied_fen) FROM collection_records c
                        WHERE c.region_code = $1 AND c.project_id = k.id AND c.posting_id IS NOT NULL), 0))::int8 AS open_fen
       FROM unnest($2::text[]) AS k(id)`,
    [city, ids],
  );
  return new Map(
    rowsOf(
      r,
      (row) =>
        [
          receivableKey({ employerId: '', month: '', projectId: textOf(row, 'id') }),
          intOf(row, 'open_fen'),
        ] as const,
    ),
  );
}

async function plan(
  ex: Executor,
  city: string,
  importId: string,
): Promise<Result<Plan, 'contributions.not_found'>> {
  const found = await ex.query(
    'SELECT 1 FROM collection_imports WHERE region_code = $1 AND id = $2',
    [city, importId],
  );
  if (found.rows.length === 0)
    return refuse('contributions.not_found', `no collection import ${importId} in ${city}`, {
      importId,
    });
  const matched = await matchedUnposted(ex, city, importId);
  const records = applyToReceivables(matched, await outstandingOf(ex, city, matched));
  const seq = await ex.query(
    'SELECT count(*)::int4 + 1 AS seq FROM collection_postings WHERE region_code = $1 AND import_id = $2',
    [city, importId],
  );
  const postingSeq = seq.rows[0] === undefined ? 1 : intOf(seq.rows[0], 'seq');
  const from = await forwardedFrom(ex, city, importId);
  const payload = collectionPayload(city, importId, postingSeq, records, from);
  return ok({ payload, records, forwardedFrom: from });
}

/** What posting the import would post now, without asking or writing (the CLI's preview). */
export async function previewCollections(
  db: Database,
  input: { city: string; importId: string },
): Promise<Result<CollectionPostingOutcome, CollectionPostingRefusal>> {
  const valid = cityRequest(input.city);
  if (!valid.ok) return valid;
  const planned = await db.withConnection((ex) => plan(ex, input.city, input.importId));
  if (!planned.ok) return planned;
  const { payload } = planned.value;
  return ok({
    city: input.city,
    importId: input.importId,
    status: payload.recordCount === 0 ? 'nothing' : 'preview',
    payload: payload.recordCount === 0 ? null : payload,
    approval: null,
    transactionId: null,
  });
}

export async function postCollections(
  db: Database,
  actor: Actor,
  input: {
    city: string;
    importId: string;
    approvalId?: string | undefined;
    policy: ApprovalPolicy;
  },
): Promise<Result<CollectionPostingOutcome, CollectionPostingRefusal>> {
  const valid = cityRequest(input.city);
  if (!valid.ok) return valid;
  const planned = await db.withConnection((ex) => plan(ex, input.city, input.importId));
  if (!planned.ok) return planned;
  const { payload } = planned.value;
  const base = {
    city: input.city,
    importId: input.importId,
    payload,
    approval: null,
    transactionId: null,
  };
  if (payload.recordCount === 0) return ok({ ...base, status: 'nothing', payload: null });
  if (input.approvalId === undefined) {
    const a = await db.transaction((tx) =>
      requestApproval(tx, actor, {
        regionCode: input.city,
        action: COLLECTION_ACTION,
        payload,
        amountFen: payload.totalFen,
        policy: input.policy,
      }),
    );
    const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
    return ok({ ...base, status: 'approval_requested', approval });
  }
  const from = planned.value.forwardedFrom;
  const request = collectionTransaction(payload, planned.value.records, from);
  const requests =
    from === null ? [request] : [request, forwardTransferTransaction(request, payload, from)];
  const approvalId = input.approvalId;
  const r = await postTransactions<CollectionPostingRefusal>(db, actor, requests, {
    auditAction: 'contributions.collections.post',
    guard: (tx) => writePosting(tx, actor, { ...input, approvalId }, planned.value, request.id),
  });
  if (!r.ok) return r;
  return ok({ ...base, status: 'posted', transactionId: request.id });
}

async function writePosting(
  tx: Executor,
  actor: Actor,
  input: { city: string; importId: string; approvalId: string },
  expected: Plan,
  transactionId: string,
): Promise<Refusal<CollectionPostingRefusal> | null> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`collections:${input.city}`]);
  const now = await plan(tx, input.city, input.importId);
  if (!now.ok) return now;
  if (JSON.stringify(now.value.payload) !== JSON.stringify(expected.payload))
    return refuse(
      'contributions.collections_changed',
      'the batch changed since it was prepared (records resolved or posted, or assessments changed): prepare it again',
    );
  const used = await consumeApproval(tx, {
    regionCode: input.city,
    id: input.approvalId,
    action: COLLECTION_ACTION,
    payload: expected.payload,
  });
  if (!used.ok) return used;
  const p = expected.payload;
  await tx.query(
    `INSERT INTO collection_postings (region_code, transaction_id, import_id, seq, record_count, total_fen, applied_fen,
       overpaid_fen, approval_id, posted_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      input.city,
      transactionId,
      input.importId,
      p.postingSeq,
      p.recordCount,
      p.totalFen,
      p.appliedFen,
      p.overpaidFen,
      input.approvalId,
      actor.username,
    ],
  );
  const rs = expected.records;
  await tx.query(
    `UPDATE collection_records c SET posting_id = $2, applied_fen = u.applied, overpaid_fen = u.overpaid
       FROM unnest($3::text[], $4::int8[], $5::int8[]) AS u(voucher, applied, overpaid)
      WHERE c.region_code = $1 AND c.voucher = u.voucher`,
    [
      input.city,
      transactionId,
      rs.map((x) => x.voucher),
      rs.map((x) => x.appliedFen),
      rs.map((x) => x.overpaidFen),
    ],
  );
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'contributions.collections.posting',
      `collections/${input.city}/${input.importId}`,
      { ...p },
    ),
  );
  return null;
}
