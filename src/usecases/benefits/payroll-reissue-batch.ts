import type { Database, Executor } from '../../db/client.ts';
import { payrollLines } from '../../db/schema.ts';
import { payrollLineId } from '../../domain/benefits/payroll-lines.ts';
import {
  REISSUE_APPROVAL_ACTION,
  type ReissuePayload,
  type ReissueRefusalCode,
  reissueBatchId,
  reissueBlockCode,
  reissueBlockText,
  reissuePayload,
} from '../../domain/benefits/payroll-reissue-batch.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  approveUnlessApproved,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { namedLineChecks } from './payroll-reissue.ts';
import {
  approvalDead,
  type BatchRow,
  batchRow,
  GENERATIONS_MAX,
} from './payroll-reissue-batch-store.ts';

/**
 * The reissue of failed lines by hand, outside a run (docs/benefits.md, "Reissue by hand"). The
 * handler names failed lines of the city; the rules of the next run's reissue (payroll-reissue.ts
 * `reissueChecks`, the one statement of them) decide each — a line already paid again, a worker's
 * item after the recorded death, an entitlement a stop or a survivor's change ended, no card account
 * in force on the day → refused with the first blocked line's code, every blocked line named, and
 * nothing written. Otherwise a batch is proposed: its payload (lines, amounts, accounts on the day)
 * goes to approval. The checker's approve decides the approval and, in one transaction, rebuilds
 * the payload from the database as it stands (a line reissued by a run meanwhile is refused),
 * consumes the approval against it and writes the lines once. No ledger posting here: each line's
 * amount is owed in 2102 since its run was approved; the bank's confirmation settles it.
 */
export type ReissueCode = ReissueRefusalCode | ApprovalRefusal;

export type ProposedBatch = { batch: BatchRow; replayed: boolean };

async function planOf(
  ex: Executor,
  input: { regionCode: string; batchId: string; lineIds: readonly string[]; accountsOn: string },
): Promise<Result<ReissuePayload, ReissueRefusalCode>> {
  const { checks, missing } = await namedLineChecks(ex, {
    regionCode: input.regionCode,
    lineIds: input.lineIds,
    accountsOn: input.accountsOn,
  });
  if (missing.length > 0)
    return refuse(
      'benefit.reissue_line_not_failed',
      `${missing.length} line(s) are not failed lines of an approved run or batch of ${input.regionCode}`,
      { lineIds: missing },
    );
  const blocked = checks.filter((c) => c.blocks.length > 0);
  const first = blocked[0];
  if (first !== undefined) {
    const block = first.blocks[0] ?? 'reissued';
    return refuse(
      reissueBlockCode(block),
      `line ${first.id} cannot be paid again: ${reissueBlockText(block)}${blocked.length > 1 ? ` (and ${blocked.length - 1} more line(s))` : ''}`,
      { lines: blocked.map((c) => ({ lineId: c.id, reasons: c.blocks })) },
    );
  }
  return ok(
    reissuePayload({
      batchId: input.batchId,
      regionCode: input.regionCode,
      accountsOn: input.accountsOn,
      lines: checks.flatMap((c) =>
        c.account === null
          ? []
          : [
              {
                reissueOf: c.id,
                month: c.month,
                entitlementId: c.entitlementId,
                workerId: c.workerId,
                kind: c.kind,
                expenseAccount: c.expenseAccount,
                amountFen: c.amountFen,
                ...c.account,
              },
            ],
      ),
    }),
  );
}

export async function proposeReissue(
  db: Database,
  maker: Actor,
  input: { regionCode: string; lineIds: readonly string[]; on: IsoDate },
  options: { policy: ApprovalPolicy },
): Promise<Result<ProposedBatch, ReissueCode>> {
  const lineIds = [...new Set(input.lineIds)].sort();
  return db.transaction(async (tx) => {
    const found = await liveOrNewId(tx, input.regionCode, input.on, lineIds);
    if (typeof found !== 'string') return ok({ batch: found, replayed: true });
    const batchId = found;
    const plan = await planOf(tx, { ...input, batchId, lineIds, accountsOn: input.on });
    if (!plan.ok) return plan;
    const payload = plan.value;
    const approval = await requestApproval(tx, maker, {
      regionCode: input.regionCode,
      action: REISSUE_APPROVAL_ACTION,
      payload,
      amountFen: payload.totalFen,
      policy: options.policy,
    });
    await tx.query(
      `INSERT INTO payroll_reissue_batches (region_code, id, status, accounts_on, line_count,
         total_fen, payload, approval_id, proposed_by)
       VALUES ($1, $2, 'proposed', $3::date, $4, $5, $6::jsonb, $7, $8)`,
      [
        input.regionCode,
        batchId,
        input.on,
        payload.lineCount,
        payload.totalFen,
        JSON.stringify(payload),
        approval.id,
        maker.username,
      ],
    );
    await appendAudit(
      tx,
      okEventOf(maker, 'benefits.payroll.reissue.propose', batchObject(input.regionCode, batchId), {
        approvalId: approval.id,
        payloadSha256: payloadHash(payload),
        lineCount: payload.lineCount,
        totalFen: payload.totalFen,
      }),
    );
    const batch = await batchRow(tx, input.regionCode, batchId, false);
    if (batch === null) return refuse('benefit.reissue_batch_not_found', `batch ${batchId} gone`);
    return ok({ batch, replayed: false });
  });
}

/**
 * The batch a proposal of this selection today answers (a live one: replayed), or the id of the
 * new one to write: the first generation not taken, past every dead batch (its approval rejected
 * or expired) — so a rejected proposal does not answer for ever.
 */
async function liveOrNewId(
  tx: Executor,
  regionCode: string,
  on: string,
  lineIds: readonly string[],
): Promise<BatchRow | string> {
  for (let generation = 0; generation < GENERATIONS_MAX; generation += 1) {
    const id = reissueBatchId(regionCode, on, lineIds, generation);
    const existing = await batchRow(tx, regionCode, id, true);
    if (existing === null) return id;
    if (
      existing.status !== 'proposed' ||
      !(await approvalDead(tx, regionCode, existing.approvalId))
    )
      return existing;
  }
  throw new Error(`${GENERATIONS_MAX} dead reissue batches of one selection on ${on}`);
}

const batchObject = (regionCode: string, id: string) => `payroll-reissue/${regionCode}/${id}`;

/** The unique index on reissue_of refused the insert: a run paid one of the lines meanwhile. */
function isReissuedOnce(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    if (e.message.includes('payroll_lines_reissued_once')) return true;
    e = e.cause;
  }
  return false;
}

export async function approveReissue(
  db: Database,
  checker: Actor,
  input: { regionCode: string; batchId: string },
): Promise<Result<ProposedBatch, ReissueCode>> {
  const batch = await db.withConnection((ex) =>
    batchRow(ex, input.regionCode, input.batchId, false),
  );
  if (batch === null)
    return refuse('benefit.reissue_batch_not_found', `batch ${input.batchId} not found`);
  if (batch.status !== 'proposed') return ok({ batch, replayed: true });
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: batch.regionCode,
    id: batch.approvalId,
  });
  if (decided !== null) return decided;
  try {
    return await db.transaction((tx) => applyBatch(tx, checker, batch));
  } catch (err) {
    if (!isReissuedOnce(err)) throw err;
    return refuse(
      'benefit.reissue_already_reissued',
      `a line of batch ${batch.id} was paid again meanwhile (by a run): propose the rest again`,
    );
  }
}

async function applyBatch(
  tx: Executor,
  checker: Actor,
  batch: BatchRow,
): Promise<Result<ProposedBatch, ReissueCode>> {
  const locked = await batchRow(tx, batch.regionCode, batch.id, true);
  if (locked === null)
    return refuse('benefit.reissue_batch_not_found', `batch ${batch.id} not found`);
  if (locked.status !== 'proposed') return ok({ batch: locked, replayed: true });
  const lineIds = lineIdsOf(locked.payload);
  const plan = await planOf(tx, { ...locked, batchId: locked.id, lineIds });
  if (!plan.ok) return plan;
  const used = await consumeApproval(tx, {
    regionCode: locked.regionCode,
    id: locked.approvalId,
    action: REISSUE_APPROVAL_ACTION,
    payload: plan.value,
  });
  if (!used.ok) return used;
  await tx.orm.insert(payrollLines).values(
    plan.value.lines.map((l) => ({
      regionCode: locked.regionCode,
      id: payrollLineId(locked.id, `reissue|${l.reissueOf}`),
      runId: null,
      batchId: locked.id,
      reissueMonth: l.month,
      entitlementId: l.entitlementId,
      workerId: l.workerId,
      kind: l.kind,
      expenseAccount: l.expenseAccount,
      amountFen: l.amountFen,
      bankName: l.bankName,
      accountNumber: l.accountNumber,
      accountName: l.accountName,
      accountValidFrom: l.accountValidFrom,
      status: 'issued' as const,
      reissueOf: l.reissueOf,
    })),
  );
  await tx.query(
    `UPDATE payroll_reissue_batches SET status = 'applied', applied_by = $3, applied_at = now()
     WHERE region_code = $1 AND id = $2`,
    [locked.regionCode, locked.id, used.value.checkerId],
  );
  await appendAudit(
    tx,
    okEventOf(
      checker,
      'benefits.payroll.reissue.apply',
      batchObject(locked.regionCode, locked.id),
      {
        approvalId: locked.approvalId,
        payloadSha256: payloadHash(plan.value),
        lineCount: plan.value.lineCount,
        totalFen: plan.value.totalFen,
      },
    ),
  );
  const after = await batchRow(tx, locked.regionCode, locked.id, false);
  return after === null
    ? refuse('benefit.reissue_batch_not_found', `batch ${locked.id} gone`)
    : ok({ batch: after, replayed: false });
}

/** The failed lines the stored payload names (written by proposeReissue; read back checked). */
function lineIdsOf(payload: unknown): string[] {
  if (typeof payload !== 'object' || payload === null || !('lines' in payload)) return [];
  const lines = payload.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((l: unknown) =>
    typeof l === 'object' && l !== null && 'reissueOf' in l && typeof l.reissueOf === 'string'
      ? [l.reissueOf]
      : [],
  );
}
