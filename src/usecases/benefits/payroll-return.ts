import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import {
  parseReturnFile,
  payrollPaidTransaction,
  type ReturnRow,
} from '../../domain/benefits/payroll-bank.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { dropFailedLines, type OverpaymentsAfterReturn } from './overpayment-failed-lines.ts';
import { type Reconciliation, reconciliation } from './payroll-read.ts';
import { type LineRow, linesById, type PayrollRefusalCode, runRow } from './payroll-store.ts';

/**
 * The bank's return file of a run (docs/benefits.md, "Bank return file"): each row answers one
 * line, paid (with the bank reference and day) or failed (with the reason). Confirmed lines are
 * posted Dr 2102 / Cr 1003 aggregated per return file and paid day (one bank debit per batch and
 * day, so the ledger matches the bank statement; each line names its transaction); failed lines
 * are recorded with their reason and post nothing — the liability stays in 2102 for the reissue.
 * A row repeating what a line already says is a replay (a re-imported file posts nothing); a row
 * contradicting it is refused. Lines and postings commit together (the ledger write's guard).
 * When no line is left outstanding the run is reconciled.
 */
export type ReturnCode = PayrollRefusalCode | LedgerRefusalCode;

export type ImportedReturn = {
  runId: string;
  returnSha256: string;
  confirmed: number;
  failed: number;
  replayed: number;
  transactionIds: string[];
  reconciliation: Reconciliation;
};

export type ReturnPlan = { fresh: ReturnRow[]; replayed: number; requests: TransactionRequest[] };

function sameAnswer(line: LineRow, row: ReturnRow): boolean {
  if (row.status === 'paid')
    return line.status === 'paid' && line.bankReference === row.bankReference;
  return line.status === 'failed' && line.failureReason === row.reason;
}

/**
 * Splits the rows into new answers and replays; refuses unknown lines and contradictions. `run` is
 * the run or the reissue batch the file answers (its id names the confirmations' transactions).
 */
export function planOf(
  run: { regionCode: string; id: string },
  rows: readonly ReturnRow[],
  lines: ReadonlyMap<string, LineRow>,
  sha256: string,
): Result<ReturnPlan, PayrollRefusalCode> {
  const unknown = rows.filter((r) => lines.get(r.lineId)?.accountNumber == null);
  if (unknown.length > 0)
    return refuse(
      'benefit.payroll_return_unknown_line',
      `${unknown.length} row(s) name no line of run ${run.id} that was sent`,
      { lineIds: unknown.map((r) => r.lineId) },
    );
  const fresh = rows.filter((r) => lines.get(r.lineId)?.status === 'issued');
  const conflicts = rows.filter((r) => {
    const line = lines.get(r.lineId);
    return line !== undefined && line.status !== 'issued' && !sameAnswer(line, r);
  });
  if (conflicts.length > 0)
    return refuse(
      'benefit.payroll_return_conflict',
      `${conflicts.length} row(s) contradict what the bank answered before`,
      { lineIds: conflicts.map((r) => r.lineId) },
    );
  const byDay = new Map<string, { amountFen: number; lines: number }>();
  for (const r of fresh)
    if (r.status === 'paid') {
      const d = byDay.get(r.paidOn) ?? { amountFen: 0, lines: 0 };
      d.amountFen += lines.get(r.lineId)?.amountFen ?? 0;
      d.lines += 1;
      byDay.set(r.paidOn, d);
    }
  const requests = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([paidOn, d]) =>
      payrollPaidTransaction({
        runId: run.id,
        segment: run.regionCode,
        returnSha256: sha256,
        paidOn,
        ...d,
      }),
    );
  return ok({ fresh, replayed: rows.length - fresh.length, requests });
}

export async function importBankReturn(
  db: Database,
  actor: Actor,
  input: { regionCode: string; runId: string; text: string },
): Promise<Result<ImportedReturn, ReturnCode>> {
  const run = await db.withConnection((ex) => runRow(ex, input.regionCode, input.runId, false));
  if (run === null) return refuse('benefit.payroll_run_not_found', `run ${input.runId} not found`);
  if (run.status !== 'file_issued' && run.status !== 'reconciled')
    return refuse(
      'benefit.payroll_file_not_issued',
      `run ${run.id} is ${run.status}: issue its file first`,
    );
  const parsed = parseReturnFile(input.text);
  if (!parsed.ok)
    return refuse('benefit.payroll_return_invalid', 'the return file has problems', {
      problems: parsed.problems,
    });
  const sha256 = createHash('sha256').update(input.text).digest('hex');
  const ids = parsed.rows.map((r) => r.lineId);
  const before = await db.withConnection((ex) =>
    linesById(ex, { regionCode: run.regionCode, runId: run.id, ids, lock: false }),
  );
  const plan = planOf(run, parsed.rows, before, sha256);
  if (!plan.ok) return plan;
  const guard = (tx: Executor) => applyReturn(tx, actor, { run, plan: plan.value, sha256 });
  const written =
    plan.value.requests.length === 0
      ? await guardOnly(db, guard)
      : await postTransactions<ReturnCode>(db, actor, plan.value.requests, {
          auditAction: 'benefits.payroll.paid',
          guard,
        });
  if (!written.ok) return written;
  const figures = await db.withConnection((ex) => reconciliation(ex, run));
  return ok({
    runId: run.id,
    returnSha256: sha256,
    confirmed: plan.value.fresh.filter((r) => r.status === 'paid').length,
    failed: plan.value.fresh.filter((r) => r.status === 'failed').length,
    replayed: plan.value.replayed,
    transactionIds: plan.value.requests.map((r) => r.id),
    reconciliation: figures,
  });
}

/** Under the locks: the lines must still be as planned (a concurrent import refuses this one). */
async function applyReturn(
  tx: Executor,
  actor: Actor,
  input: { run: { regionCode: string; id: string }; plan: ReturnPlan; sha256: string },
): Promise<Refusal<ReturnCode> | null> {
  const { run, plan } = input;
  await runRow(tx, run.regionCode, run.id, true);
  const ids = plan.fresh.map((r) => r.lineId);
  const locked = await linesById(tx, {
    regionCode: run.regionCode,
    runId: run.id,
    ids,
    lock: true,
  });
  if ([...locked.values()].some((l) => l.status !== 'issued') || locked.size !== ids.length)
    return refuse('benefit.payroll_return_conflict', 'lines were answered meanwhile: import again');
  const overpayments = await writeAnswers(
    tx,
    { regionCode: run.regionCode, column: 'run_id', id: run.id },
    plan,
    input.sha256,
  );
  await tx.query(
    `UPDATE payroll_runs SET status = 'reconciled', reconciled_at = now()
     WHERE region_code = $1 AND id = $2 AND status = 'file_issued'
       AND NOT EXISTS (SELECT 1 FROM payroll_lines
                       WHERE region_code = $1 AND run_id = $2 AND status = 'issued')`,
    [run.regionCode, run.id],
  );
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.payroll.return', `payroll-run/${run.regionCode}/${run.id}`, {
      returnSha256: input.sha256,
      answered: plan.fresh.length,
      replayed: plan.replayed,
      transactionIds: plan.requests.map((q) => q.id),
      overpayments,
    }),
  );
  return null;
}

/**
 * Records each new answer on its line (of a run or of a reissue batch), with its transaction; the
 * overpayments that counted a line the bank now fails lose it (overpayment-failed-lines.ts).
 */
export async function writeAnswers(
  tx: Executor,
  owner: { regionCode: string; column: 'run_id' | 'batch_id'; id: string },
  plan: ReturnPlan,
  sha256: string,
): Promise<OverpaymentsAfterReturn> {
  for (const r of plan.fresh) {
    const txId =
      r.status === 'paid'
        ? (plan.requests.find((q) => q.effectiveDate === r.paidOn)?.id ?? null)
        : null;
    await tx.query(
      `UPDATE payroll_lines SET status = $4, bank_reference = $5, paid_on = $6::date,
         failure_reason = $7, paid_transaction_id = $8, return_sha256 = $9
       WHERE region_code = $1 AND ${owner.column} = $2 AND id = $3`,
      r.status === 'paid'
        ? [
            owner.regionCode,
            owner.id,
            r.lineId,
            'paid',
            r.bankReference,
            r.paidOn,
            null,
            txId,
            sha256,
          ]
        : [owner.regionCode, owner.id, r.lineId, 'failed', null, null, r.reason, null, sha256],
    );
  }
  return dropFailedLines(tx, {
    regionCode: owner.regionCode,
    failedLineIds: plan.fresh.filter((r) => r.status === 'failed').map((r) => r.lineId),
    returnSha256: sha256,
  });
}
