import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, textOf } from '../../db/rows.ts';
import { BENEFITS_PAYABLE } from '../../domain/benefits/ledger-postings.ts';
import {
  type FileLine,
  PAYMENT_FILE_HEADER,
  parseReturnFile,
  paymentFileRow,
} from '../../domain/benefits/payroll-bank.ts';
import {
  type FixedFieldProblem,
  fixedDetailRecord,
  fixedHeaderRecord,
} from '../../domain/benefits/payroll-fixed-file.ts';
import {
  type BucketCount,
  type RunReconciliation,
  reconcileRun,
} from '../../domain/benefits/payroll-reconciliation.ts';
import type { ReissueRefusalCode } from '../../domain/benefits/payroll-reissue-batch.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import type { PaymentFileFormat } from './payroll-file.ts';
import {
  type BatchLine,
  type BatchRow,
  batchLines,
  batchRow,
} from './payroll-reissue-batch-store.ts';
import { planOf, type ReturnCode, type ReturnPlan, writeAnswers } from './payroll-return.ts';

/**
 * A reissue batch's side of the bank (docs/benefits.md, "Reissue by hand"): its payment file in
 * the run's two layouts — the CSV (`run_id` holds the batch id, `month` the month each line was
 * owed for) and the fixed-width GBK text (header month: the proposal's day's month) — and the
 * bank's return, read by the payroll's parser and planned as a run's (payroll-return.ts): a
 * confirmation posts Dr 2102 / Cr 1003 per file and paid day (`benefit-payroll:<batch>:return:…`),
 * a failure records its reason and posts nothing, so the line can be paid again (by the next run or
 * another batch). The batch keeps one hash, the CSV's, as a run does.
 */
export type BatchBankCode = ReissueRefusalCode | ReturnCode;

export type BatchFile = {
  batchId: string;
  format: PaymentFileFormat;
  bytes: Uint8Array;
  sha256: string;
  lines: number;
  totalFen: number;
};

async function appliedBatch(
  db: Database,
  input: { regionCode: string; batchId: string },
): Promise<Result<BatchRow, ReissueRefusalCode>> {
  const batch = await db.withConnection((ex) =>
    batchRow(ex, input.regionCode, input.batchId, false),
  );
  if (batch === null)
    return refuse('benefit.reissue_batch_not_found', `batch ${input.batchId} not found`);
  if (batch.status === 'proposed')
    return refuse('benefit.reissue_batch_not_applied', `batch ${batch.id} is not approved yet`);
  return ok(batch);
}

function fileLineOf(l: BatchLine): FileLine {
  return {
    id: l.id,
    workerId: l.workerId,
    kind: l.kind,
    amountFen: l.amountFen,
    accountName: l.accountName ?? '',
    bankName: l.bankName ?? '',
    accountNumber: l.accountNumber ?? '',
  };
}

function fixedBytes(batch: BatchRow, lines: readonly BatchLine[], totalFen: number) {
  const problems: FixedFieldProblem[] = [];
  const records: Uint8Array[] = [
    fixedHeaderRecord({
      runId: batch.id,
      regionCode: batch.regionCode,
      month: batch.accountsOn.slice(0, 7),
      lines: lines.length,
      totalFen,
    }),
  ];
  lines.forEach((l, i) => {
    const r = fixedDetailRecord(i + 1, fileLineOf(l));
    if (r.ok) records.push(r.bytes);
    else problems.push(...r.problems);
  });
  return { bytes: Buffer.concat(records), problems };
}

/** The batch's payment file (all its lines, whatever the bank answered since: same bytes again). */
export async function issueReissueFile(
  db: Database,
  actor: Actor,
  input: { regionCode: string; batchId: string; format: PaymentFileFormat },
): Promise<Result<BatchFile, BatchBankCode>> {
  const found = await appliedBatch(db, input);
  if (!found.ok) return found;
  const batch = found.value;
  const lines = await db.withConnection((ex) =>
    batchLines(ex, { regionCode: batch.regionCode, batchId: batch.id, lock: false }),
  );
  const totalFen = lines.reduce((s, l) => s + l.amountFen, 0);
  const csv =
    PAYMENT_FILE_HEADER +
    lines.map((l) => paymentFileRow(batch.id, l.reissueMonth, fileLineOf(l))).join('');
  const csvSha256 = createHash('sha256').update(csv).digest('hex');
  let bytes: Uint8Array = Buffer.from(csv, 'utf8');
  if (input.format === 'fixed-gbk') {
    const fixed = fixedBytes(batch, lines, totalFen);
    if (fixed.problems.length > 0)
      return refuse(
        'benefit.payroll_fixed_file_unfit',
        `batch ${batch.id}'s fixed-width GBK file cannot carry a name unchanged; nothing was issued — send the CSV file`,
        { problems: fixed.problems },
      );
    bytes = fixed.bytes;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const recorded = await db.transaction(async (tx) => {
    const locked = await batchRow(tx, batch.regionCode, batch.id, true);
    if (locked?.fileSha256 != null && locked.fileSha256 !== csvSha256)
      return refuse('benefit.payroll_file_changed', `batch ${batch.id}'s file changed`);
    if (locked?.fileSha256 == null)
      await tx.query(
        `UPDATE payroll_reissue_batches SET status = 'file_issued', file_sha256 = $3,
           file_issued_by = $4, file_issued_at = now() WHERE region_code = $1 AND id = $2`,
        [batch.regionCode, batch.id, csvSha256, actor.username],
      );
    await appendAudit(
      tx,
      okEventOf(
        actor,
        'benefits.payroll.reissue.file',
        `payroll-reissue/${batch.regionCode}/${batch.id}`,
        {
          format: input.format,
          sha256,
          runFileSha256: csvSha256,
          lines: lines.length,
          totalFen,
        },
      ),
    );
    return ok(true);
  });
  if (!recorded.ok) return recorded;
  return ok({
    batchId: batch.id,
    format: input.format,
    bytes,
    sha256,
    lines: lines.length,
    totalFen,
  });
}

export type ImportedBatchReturn = {
  batchId: string;
  returnSha256: string;
  confirmed: number;
  failed: number;
  replayed: number;
  transactionIds: string[];
};

export async function importReissueReturn(
  db: Database,
  actor: Actor,
  input: { regionCode: string; batchId: string; text: string },
): Promise<Result<ImportedBatchReturn, BatchBankCode>> {
  const found = await appliedBatch(db, input);
  if (!found.ok) return found;
  const batch = found.value;
  if (batch.fileSha256 === null)
    return refuse(
      'benefit.reissue_batch_file_not_issued',
      `batch ${batch.id}: issue its file first`,
    );
  const parsed = parseReturnFile(input.text);
  if (!parsed.ok)
    return refuse('benefit.payroll_return_invalid', 'the return file has problems', {
      problems: parsed.problems,
    });
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  const before = await db.withConnection((ex) =>
    batchLines(ex, { regionCode: batch.regionCode, batchId: batch.id, lock: false }),
  );
  const plan = planOf(batch, parsed.rows, new Map(before.map((l) => [l.id, l])), sha256);
  if (!plan.ok) return plan;
  const guard = (tx: Executor) => applyBatchReturn(tx, actor, { batch, plan: plan.value, sha256 });
  const written =
    plan.value.requests.length === 0
      ? await guardOnly(db, guard)
      : await postTransactions<BatchBankCode>(db, actor, plan.value.requests, {
          auditAction: 'benefits.payroll.paid',
          guard,
        });
  if (!written.ok) return written;
  const fresh = plan.value.fresh;
  return ok({
    batchId: batch.id,
    returnSha256: sha256,
    confirmed: fresh.filter((r) => r.status === 'paid').length,
    failed: fresh.filter((r) => r.status === 'failed').length,
    replayed: plan.value.replayed,
    transactionIds: plan.value.requests.map((r) => r.id),
  });
}

async function applyBatchReturn(
  tx: Executor,
  actor: Actor,
  input: { batch: BatchRow; plan: ReturnPlan; sha256: string },
): Promise<Refusal<BatchBankCode> | null> {
  const { batch, plan } = input;
  await batchRow(tx, batch.regionCode, batch.id, true);
  const ids = plan.fresh.map((r) => r.lineId);
  const locked = await batchLines(tx, {
    regionCode: batch.regionCode,
    batchId: batch.id,
    ids,
    lock: true,
  });
  if (locked.some((l) => l.status !== 'issued') || locked.length !== ids.length)
    return refuse('benefit.payroll_return_conflict', 'lines were answered meanwhile: import again');
  const owner = { regionCode: batch.regionCode, column: 'batch_id', id: batch.id } as const;
  const overpayments = await writeAnswers(tx, owner, plan, input.sha256);
  await tx.query(
    `UPDATE payroll_reissue_batches SET status = 'reconciled', reconciled_at = now()
     WHERE region_code = $1 AND id = $2 AND status = 'file_issued'
       AND NOT EXISTS (SELECT 1 FROM payroll_lines
                       WHERE region_code = $1 AND batch_id = $2 AND status = 'issued')`,
    [batch.regionCode, batch.id],
  );
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.payroll.reissue.return',
      `payroll-reissue/${batch.regionCode}/${batch.id}`,
      {
        returnSha256: input.sha256,
        answered: plan.fresh.length,
        replayed: plan.replayed,
        transactionIds: plan.requests.map((q) => q.id),
        overpayments,
      },
    ),
  );
  return null;
}

export type ReissueBatchView = BatchRow & {
  lines: BatchLine[];
  reconciliation: RunReconciliation;
};

/** The batch, its lines and its own reconciliation (no payable: 2102 is only debited here). */
export async function reissueBatchView(
  db: Database,
  input: { regionCode: string; batchId: string },
): Promise<Result<ReissueBatchView, ReissueRefusalCode>> {
  return db.withConnection(async (ex) => {
    const batch = await batchRow(ex, input.regionCode, input.batchId, false);
    if (batch === null)
      return refuse('benefit.reissue_batch_not_found', `batch ${input.batchId} not found`);
    const lines = await batchLines(ex, {
      regionCode: batch.regionCode,
      batchId: batch.id,
      lock: false,
    });
    return ok({ ...batch, lines, reconciliation: await batchReconciliation(ex, batch, lines) });
  });
}

async function batchReconciliation(
  ex: Executor,
  batch: BatchRow,
  lines: readonly BatchLine[],
): Promise<RunReconciliation> {
  // A line released as owed to no one counts as released, not failed (payroll-reconciliation.ts).
  const released = await ex.query(
    `SELECT z.line_id FROM payroll_released_lines z
     JOIN payroll_lines p ON p.region_code = z.region_code AND p.id = z.line_id
     WHERE z.region_code = $1 AND p.batch_id = $2`,
    [batch.regionCode, batch.id],
  );
  const releasedIds = new Set(released.rows.map((r) => textOf(r, 'line_id')));
  const counts = new Map<string, BucketCount>();
  for (const l of lines) {
    const bucket = releasedIds.has(l.id)
      ? l.accountNumber === null
        ? 'released_held'
        : 'released_sent'
      : l.status === 'paid'
        ? 'confirmed'
        : l.status === 'failed'
          ? 'failed'
          : batch.fileSha256 === null
            ? 'to_send'
            : 'outstanding';
    const key = `${l.kind}|${bucket}`;
    const c = counts.get(key) ?? { kind: l.kind, bucket, reissue: true, lines: 0, amountFen: 0 };
    counts.set(key, { ...c, lines: c.lines + 1, amountFen: c.amountFen + l.amountFen });
  }
  const later = await ex.query(
    `SELECT o.kind, count(*)::int AS lines, sum(o.amount_fen)::bigint AS amount_fen
     FROM payroll_lines o JOIN payroll_lines n ON n.region_code = o.region_code AND n.reissue_of = o.id
     WHERE o.region_code = $1 AND o.batch_id = $2 GROUP BY o.kind`,
    [batch.regionCode, batch.id],
  );
  const ledger = await ex.query(
    `SELECT coalesce(sum(p.amount) FILTER (WHERE p.side = 'D'), 0)::int8 AS debit
       FROM ledger_transactions t
       JOIN ledger_postings p ON p.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE t.kind = 'posted' AND t.source_type = 'benefit.payroll' AND t.source_id = $2
        AND a.code = $3 AND s.code = $1`,
    [batch.regionCode, batch.id, BENEFITS_PAYABLE],
  );
  return reconcileRun({
    counts: [...counts.values()],
    reissuedLater: later.rows.map((r) => ({
      kind: String(r['kind']),
      lines: intOf(r, 'lines'),
      amountFen: intOf(r, 'amount_fen'),
    })),
    ledger: {
      creditFen: 0,
      debitFen: ledger.rows[0] === undefined ? 0 : intOf(ledger.rows[0], 'debit'),
    },
    payablePosted: false,
  });
}

/** The batch as the API and the CLI answer it: account numbers cut to their last four digits. */
export function reissueBatchSummary(v: ReissueBatchView) {
  const t = v.reconciliation.total;
  return {
    regionCode: v.regionCode,
    id: v.id,
    status: v.status,
    accountsOn: v.accountsOn,
    lineCount: v.lineCount,
    totalFen: v.totalFen,
    approvalId: v.approvalId,
    proposedBy: v.proposedBy,
    appliedBy: v.appliedBy,
    appliedByUsername: v.appliedByUsername,
    fileSha256: v.fileSha256,
    lines: v.lines.map((l) => ({
      id: l.id,
      reissueOf: l.reissueOf,
      month: l.reissueMonth,
      workerId: l.workerId,
      kind: l.kind,
      amountFen: l.amountFen,
      bankName: l.bankName,
      accountTail: l.accountNumber === null ? null : l.accountNumber.slice(-4),
      status: l.status,
      failureReason: l.failureReason,
    })),
    reconciliation: {
      sent: t.sent,
      confirmed: t.confirmed,
      failed: t.failed,
      outstanding: t.outstanding,
      reissuedLater: t.reissuedLater,
      released: t.released,
      ledgerDifferenceFen: v.reconciliation.ledger.differenceFen,
    },
  };
}
