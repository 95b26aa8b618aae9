import type { Database, Executor } from '../../db/client.ts';
import { payrollPayableTransaction } from '../../domain/benefits/payroll-bank.ts';
import {
  PAYROLL_APPROVAL_ACTION,
  type PayrollApprovalPayload,
} from '../../domain/benefits/payroll-review.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import {
  type ApprovalRefusal,
  approveUnlessApproved,
  consumeApproval,
  payloadHash,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { settleOffsets } from './payroll-offsets.ts';
import { runReview } from './payroll-review-read.ts';
import { payrollSettings } from './payroll-run.ts';
import {
  type PayrollRefusalCode,
  POSTED_RUN_STATUSES,
  type RunRow,
  runRow,
} from './payroll-store.ts';

/**
 * A checker approves a computed run: their decision on the run's approval (migration 0009's
 * trigger refuses the maker and the maker's role), then, in one database transaction with the
 * ledger write, the approval is consumed against the payload rebuilt from the written lines (a
 * line changed since the computation no longer fits), the run becomes approved and the payable is
 * posted: Dr 51xx by kind / Cr 2102 for the run's total, id `benefit-payroll:<run>:approved`, so a
 * retry posts nothing twice and answers `replayed`.
 */
export type ApprovePayrollCode = PayrollRefusalCode | ApprovalRefusal | LedgerRefusalCode;

export type ApprovedRun = { run: RunRow; replayed: boolean };

const DONE = new Set<string>(POSTED_RUN_STATUSES);

export async function approvePayrollRun(
  db: Database,
  checker: Actor,
  rules: RuleSet,
  input: { regionCode: string; runId: string; on: IsoDate },
): Promise<Result<ApprovedRun, ApprovePayrollCode>> {
  const run = await db.withConnection((ex) => runRow(ex, input.regionCode, input.runId, false));
  if (run === null) return refuse('benefit.payroll_run_not_found', `run ${input.runId} not found`);
  if (DONE.has(run.status)) return ok({ run, replayed: true });
  if (run.status !== 'computed' || run.approvalId === null)
    return refuse('benefit.payroll_not_computed', `run ${run.id} is ${run.status}`);
  const settings = payrollSettings(rules, run.regionCode, run.month);
  if (!settings.ok) return settings;
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: run.regionCode,
    id: run.approvalId,
  });
  if (decided !== null) return decided;
  const payload = await db.withConnection((ex) => runReview(ex, run, settings.value.band));
  const request = payrollPayableTransaction({
    runId: run.id,
    segment: run.regionCode,
    effectiveDate: input.on,
    byKind: payload.byKind,
    offsets: payload.offsets,
  });
  const guard = (tx: Executor) =>
    applyApproval(tx, checker, { run, payload, request, on: input.on });
  const written =
    request === null
      ? await guardOnly(db, guard)
      : await postTransaction<ApprovePayrollCode>(db, checker, request, {
          auditAction: 'benefits.payroll.post',
          guard,
        });
  const after = await db.withConnection((ex) => runRow(ex, input.regionCode, input.runId, false));
  if (after === null) return refuse('benefit.payroll_run_not_found', `run ${run.id} vanished`);
  // A concurrent approval that won the race makes this one a replay, not a refusal.
  if (!written.ok) return DONE.has(after.status) ? ok({ run: after, replayed: true }) : written;
  return ok({ run: after, replayed: false });
}

async function applyApproval(
  tx: Executor,
  checker: Actor,
  input: {
    run: RunRow;
    payload: PayrollApprovalPayload;
    request: { id: string } | null;
    on: IsoDate;
  },
): Promise<Refusal<ApprovePayrollCode> | null> {
  const { run, payload } = input;
  const locked = await runRow(tx, run.regionCode, run.id, true);
  if (locked === null || locked.status !== 'computed' || locked.approvalId === null)
    return refuse('benefit.payroll_not_computed', `run ${run.id} is ${locked?.status ?? 'gone'}`);
  const used = await consumeApproval(tx, {
    regionCode: run.regionCode,
    id: locked.approvalId,
    action: PAYROLL_APPROVAL_ACTION,
    payload,
  });
  if (!used.ok) return used;
  await tx.query(
    `UPDATE payroll_runs SET status = 'approved', approved_by = $3, approved_on = $4::date,
       payable_transaction_id = $5 WHERE region_code = $1 AND id = $2`,
    [run.regionCode, run.id, used.value.checkerId, input.on, input.request?.id ?? null],
  );
  // The deductions are posted with the payable: a recovery they complete is settled now.
  const settled = payload.offsets === undefined ? [] : await settleOffsets(tx, run, input.on);
  await appendAudit(
    tx,
    okEventOf(checker, 'benefits.payroll.approve', `payroll-run/${run.regionCode}/${run.id}`, {
      approvalId: locked.approvalId,
      payloadSha256: payloadHash(payload),
      totalFen: payload.totalFen,
      ledgerTransactionId: input.request?.id ?? null,
      ...(settled.length > 0 ? { settledRecoveries: settled } : {}),
    }),
  );
  return null;
}
