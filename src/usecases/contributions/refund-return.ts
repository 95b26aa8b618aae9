import type { Database, Executor } from '../../db/client.ts';
import { intOf, rowsOf, textOf, textOrNullOf } from '../../db/rows.ts';
import {
  type RefundFailurePayload,
  refundFailureTransaction,
  sha256Hex,
} from '../../domain/contributions/refund-bank.ts';
import type { Actor } from '../../identity/actor.ts';
import {
  type BankReturnLayout,
  type BankReturnProblem,
  type BankReturnRow,
  parseBankReturn,
} from '../../kernel/bank-return.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { guardOnly } from '../benefits/benefit-decision-approve.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { checkCity } from './excess-movement.ts';
import { type RefundFailureRefusal, writeFailure } from './refund-failure.ts';
import { type RefundFileStatus, refundFileStatuses } from './refund-file-status.ts';

/**
 * The bank's return file of a refund file (docs/contributions.md, "The bank's return file"): each
 * row answers one refund the file carried, paid (bank reference, day) or failed (reason, the day
 * the money came back). Paid refunds are recorded as confirmed; failed ones post through the
 * refund-failure code (Dr 1001 / Cr 2103, one per refund, client key `return.<refundId>`), all in
 * one database transaction. A row repeating what the refund already says is a replay, so the same
 * file twice writes nothing new; a file with any bad row — malformed, a refund not in the file, a
 * day before the refund's, an answer contradicting an earlier one — is refused whole with its row
 * report.
 */
export type RefundReturnRefusal =
  | 'refund_file.not_found'
  | 'refund_return.invalid'
  | RefundFailureRefusal;

export type RefundReturnOutcome = {
  returnId: string;
  fileId: string;
  status: 'imported' | 'exists';
  confirmed: number;
  failed: number;
  replayed: number;
  file: RefundFileStatus;
};

export const REFUND_RETURN_LAYOUT: BankReturnLayout = {
  idColumn: 'refund_id',
  idPattern: /^crf_[0-9]{6}_[0-9a-f]{16}$/,
  idHint: 'a refund id (crf_<city>_<16 hex>)',
  dayOnFailed: true,
};

type Item = {
  refundId: string;
  amountFen: number;
  refundOn: string;
  confirmedRef: string | null;
  failedReason: string | null;
};

async function itemsOf(ex: Executor, city: string, fileId: string): Promise<Map<string, Item>> {
  const r = await ex.query(
    `SELECT i.refund_id, r.amount_fen, to_char(r.refund_on, 'YYYY-MM-DD') AS refund_on,
            c.bank_reference, f.reason
       FROM contribution_refund_file_items i
       JOIN contribution_refunds r ON r.region_code = i.region_code AND r.id = i.refund_id
       LEFT JOIN contribution_refund_confirmations c ON c.region_code = i.region_code AND c.refund_id = i.refund_id
       LEFT JOIN contribution_refund_failures f ON f.region_code = i.region_code AND f.refund_id = i.refund_id
      WHERE i.region_code = $1 AND i.file_id = $2`,
    [city, fileId],
  );
  const items = rowsOf(r, (row) => ({
    refundId: textOf(row, 'refund_id'),
    amountFen: intOf(row, 'amount_fen'),
    refundOn: textOf(row, 'refund_on'),
    confirmedRef: textOrNullOf(row, 'bank_reference'),
    failedReason: textOrNullOf(row, 'reason'),
  }));
  return new Map(items.map((i) => [i.refundId, i]));
}

/** A row against what its refund already says: a problem, a replay, or a new answer. */
function judge(row: BankReturnRow, item: Item | undefined): BankReturnProblem | 'replay' | 'fresh' {
  const problem = (field: string, code: string, message: string) => ({
    row: row.row,
    field,
    code,
    message,
  });
  if (item === undefined)
    return problem('refund_id', 'not_in_file', 'the refund is not one this file carried');
  const day = row.status === 'paid' ? row.paidOn : row.failedOn;
  if (day !== null && day < item.refundOn)
    return problem('paid_on', 'before_refund', `before the refund day ${item.refundOn}`);
  if (item.confirmedRef === null && item.failedReason === null) return 'fresh';
  const same =
    row.status === 'paid'
      ? item.confirmedRef === row.bankReference
      : item.failedReason === row.reason;
  if (same) return 'replay';
  return problem('status', 'conflict', 'contradicts what the bank answered for it before');
}

type Failed = { payload: RefundFailurePayload; amountFen: number };
type Plan = { paid: BankReturnRow[]; failed: Failed[]; replayed: number };

function planOf(
  city: string,
  rows: readonly BankReturnRow[],
  items: ReadonlyMap<string, Item>,
): Result<Plan, 'refund_return.invalid'> {
  const problems: BankReturnProblem[] = [];
  const plan: Plan = { paid: [], failed: [], replayed: 0 };
  for (const row of rows) {
    const verdict = judge(row, items.get(row.id));
    if (verdict === 'replay') plan.replayed += 1;
    else if (verdict !== 'fresh') problems.push(verdict);
    else if (row.status === 'paid') plan.paid.push(row);
    else
      plan.failed.push({
        payload: {
          city,
          refundId: row.id,
          clientKey: `return.${row.id}`,
          reason: row.reason,
          failedOn: row.failedOn ?? '',
        },
        amountFen: items.get(row.id)?.amountFen ?? 0,
      });
  }
  if (problems.length > 0) return invalid(problems);
  return ok(plan);
}

function invalid(problems: BankReturnProblem[]): Refusal<'refund_return.invalid'> {
  return refuse(
    'refund_return.invalid',
    `the return file has ${problems.length} problem(s): nothing was recorded`,
    { problems: problems.slice(0, 1000) },
  );
}

async function fileExists(ex: Executor, city: string, fileId: string): Promise<boolean> {
  const r = await ex.query(
    'SELECT 1 FROM contribution_refund_files WHERE region_code = $1 AND id = $2',
    [city, fileId],
  );
  return r.rows.length > 0;
}

export async function importRefundReturn(
  db: Database,
  actor: Actor,
  input: { city: string; fileId: string; text: string },
): Promise<Result<RefundReturnOutcome, RefundReturnRefusal>> {
  const { city, fileId } = input;
  const inCity = checkCity(city);
  if (!inCity.ok) return inCity;
  if (!(await db.withConnection((ex) => fileExists(ex, city, fileId))))
    return refuse('refund_file.not_found', `no refund file ${fileId} was issued in ${city}`, {
      fileId,
    });
  const parsed = parseBankReturn(REFUND_RETURN_LAYOUT, input.text);
  if (!parsed.ok) return invalid(parsed.problems);
  const sha256 = sha256Hex(input.text);
  const returnId = `crret_${city}_${sha256Hex(`${city}|${fileId}|${sha256}`).slice(0, 16)}`;
  const items = await db.withConnection((ex) => itemsOf(ex, city, fileId));
  const planned = planOf(city, parsed.rows, items);
  if (!planned.ok) return planned;
  const plan = planned.value;
  let status: RefundReturnOutcome['status'] = 'exists';
  const guard = async (tx: Executor): Promise<Refusal<RefundReturnRefusal> | null> => {
    const g = await writeReturn(tx, actor, { city, fileId, returnId, sha256, plan });
    if (g === 'imported' || g === 'exists') status = g;
    return g === 'imported' || g === 'exists' ? null : g;
  };
  const requests = plan.failed.map((f) => refundFailureTransaction(f.payload, f.amountFen));
  const written =
    requests.length === 0
      ? await guardOnly(db, guard)
      : await postTransactions<RefundReturnRefusal>(db, actor, requests, {
          auditAction: 'contributions.refund.return.post',
          guard,
        });
  if (!written.ok) return written;
  const [file] = await db.withConnection((ex) => refundFileStatuses(ex, city, fileId));
  if (file === undefined) throw new Error('the refund file vanished');
  return ok({
    returnId,
    fileId,
    status,
    confirmed: plan.paid.length,
    failed: plan.failed.length,
    replayed: plan.replayed,
    file,
  });
}

type Written = {
  city: string;
  fileId: string;
  returnId: string;
  sha256: string;
  plan: Plan;
};

/**
 * In one transaction (the ledger's, when failures post): under the file's lock the answers are
 * judged again — a concurrent import of another return refuses this one — then the failures are
 * written through the refund-failure code, the confirmations and the return recorded, and audited.
 */
async function writeReturn(
  tx: Executor,
  actor: Actor,
  w: Written,
): Promise<Refusal<RefundReturnRefusal> | 'imported' | 'exists'> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `contributions:refund-return:${w.city}:${w.fileId}`,
  ]);
  const items = await itemsOf(tx, w.city, w.fileId);
  const fresh = [...w.plan.paid.map((r) => r.id), ...w.plan.failed.map((f) => f.payload.refundId)];
  const answered = fresh.filter((id) => {
    const i = items.get(id);
    return i === undefined || i.confirmedRef !== null || i.failedReason !== null;
  });
  if (answered.length > 0)
    return invalid(
      answered.map((id) => ({
        row: 0,
        field: 'refund_id',
        code: 'answered_meanwhile',
        message: `${id} was answered by another import meanwhile: import the file again`,
      })),
    );
  for (const f of w.plan.failed) {
    const id = refundFailureTransaction(f.payload, f.amountFen).id;
    const g = await writeFailure(tx, actor, f.payload, id);
    if (g !== 'written' && g !== 'replayed') return g;
  }
  const inserted = await tx.query(
    `INSERT INTO contribution_refund_returns (region_code, id, file_id, sha256, paid_count, failed_count, imported_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
    [
      w.city,
      w.returnId,
      w.fileId,
      w.sha256,
      w.plan.paid.length,
      w.plan.failed.length,
      actor.userId,
    ],
  );
  await confirm(tx, actor, w);
  if (inserted.rows.length === 0 && fresh.length === 0) return 'exists';
  await appendAudit(
    tx,
    okEventOf(actor, 'contributions.refund.return', `refund-file/${w.city}/${w.fileId}`, {
      returnId: w.returnId,
      sha256: w.sha256,
      confirmed: w.plan.paid.length,
      failed: w.plan.failed.length,
      replayed: w.plan.replayed,
    }),
  );
  return 'imported';
}

async function confirm(tx: Executor, actor: Actor, w: Written): Promise<void> {
  const paid = w.plan.paid.flatMap((r) => (r.status === 'paid' ? [r] : []));
  if (paid.length === 0) return;
  await tx.query(
    `INSERT INTO contribution_refund_confirmations (region_code, refund_id, file_id, return_id, bank_reference,
       paid_on, recorded_by)
     SELECT $1, u.refund_id, $2, $3, u.bank_reference, u.paid_on::date, $4
       FROM unnest($5::text[], $6::text[], $7::text[]) AS u(refund_id, bank_reference, paid_on)`,
    [
      w.city,
      w.fileId,
      w.returnId,
      actor.userId,
      paid.map((r) => r.id),
      paid.map((r) => r.bankReference),
      paid.map((r) => r.paidOn),
    ],
  );
}
