import type { Database, Executor } from '../../db/client.ts';
import { intOf, jsonOf, oneOfReader, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import type { PayrollReleaseStatus } from '../../db/schema.ts';
import {
  parseReleasePayload,
  RELEASE_APPROVAL_ACTION,
  type ReleasePayload,
  type ReleaseRefusalCode,
  releaseId,
  releasePayload,
  releaseReasonsOf,
  releaseTransactionId,
  releaseTransactions,
} from '../../domain/benefits/payroll-release.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
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
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { namedLineChecks } from './payroll-reissue.ts';
import { approvalDead, GENERATIONS_MAX } from './payroll-reissue-batch-store.ts';

/**
 * The release of failed payroll lines owed to no one (docs/benefits.md, "Release of failed lines
 * owed to no one"). The handler names failed lines of the city; the reissue's rules
 * (payroll-reissue.ts `reissueChecks`, the one statement of them) decide each: a line they block
 * because a death, a stop, a survivor's end or a retirement made it owed to no one is released; a
 * line still owed (`benefit.release_line_owed`), reissued (paid by its reissue), released already,
 * or not a failed line of the city is refused, naming the line, and nothing is written. The
 * checker's approve decides the approval and applies in one ledger transaction: the lines read
 * again under it (changed since → `benefit.release_changed`), the approval consumed against the
 * payload, one `payroll_released_lines` row per line (its primary key: never released twice, a
 * death's reversal included) and Dr 2102 / Cr 51xx per expense account, id
 * `benefit-payroll-release:<release>` (the client key: a retry posts nothing twice).
 */
export type ReleaseCode = ReleaseRefusalCode | ApprovalRefusal | LedgerRefusalCode;

export type ReleaseRow = {
  regionCode: string;
  id: string;
  status: PayrollReleaseStatus;
  proposedOn: string;
  lineCount: number;
  totalFen: number;
  payload: ReleasePayload;
  approvalId: string;
  proposedBy: string;
  appliedBy: string | null;
  transactionId: string | null;
};

export type ReleaseOutcome = { release: ReleaseRow; replayed: boolean };

const releaseStatus = oneOfReader<PayrollReleaseStatus>(['proposed', 'applied']);

function releaseOf(r: Row): ReleaseRow {
  const payload = parseReleasePayload(jsonOf(r, 'payload'));
  invariant(payload !== null, `release ${textOf(r, 'id')}: its stored payload is malformed`);
  return {
    regionCode: textOf(r, 'region_code'),
    id: textOf(r, 'id'),
    status: releaseStatus(r, 'status'),
    proposedOn: textOf(r, 'proposed_on'),
    lineCount: intOf(r, 'line_count'),
    totalFen: intOf(r, 'total_fen'),
    payload,
    approvalId: textOf(r, 'approval_id'),
    proposedBy: textOf(r, 'proposed_by'),
    appliedBy: textOrNullOf(r, 'applied_by'),
    transactionId: textOrNullOf(r, 'transaction_id'),
  };
}

/** One release (hand SQL read through rows.ts; the payload checked by its schema). */
export async function releaseRow(
  ex: Executor,
  regionCode: string,
  id: string,
  lock: boolean,
): Promise<ReleaseRow | null> {
  const r = await ex.query(
    `SELECT region_code::text, id, status, proposed_on::text, line_count, total_fen, payload,
       approval_id, proposed_by, applied_by, transaction_id
     FROM payroll_releases WHERE region_code = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [regionCode, id],
  );
  const row = r.rows[0];
  return row === undefined ? null : releaseOf(row);
}

/** The payload of the named lines as the rules read them now, or the first refused line's code. */
async function planOf(
  ex: Executor,
  input: { regionCode: string; releaseId: string; lineIds: readonly string[]; on: string },
): Promise<Result<ReleasePayload, ReleaseRefusalCode>> {
  const { checks, missing } = await namedLineChecks(ex, {
    regionCode: input.regionCode,
    lineIds: input.lineIds,
    accountsOn: input.on,
  });
  if (missing.length > 0)
    return refuse(
      'benefit.release_line_not_failed',
      `line ${missing[0]} is not a failed line of an approved run or batch of ${input.regionCode}`,
      { lineIds: missing },
    );
  const refusals = checks.flatMap((c) => {
    const code: ReleaseRefusalCode | null = c.blocks.includes('released')
      ? 'benefit.release_already_released'
      : c.blocks.includes('reissued')
        ? 'benefit.release_already_reissued'
        : releaseReasonsOf(c.blocks).length === 0
          ? 'benefit.release_line_owed'
          : null;
    return code === null ? [] : [{ lineId: c.id, code }];
  });
  const first = refusals[0];
  if (first !== undefined)
    return refuse(
      first.code,
      `line ${first.lineId} cannot be released (${first.code})${refusals.length > 1 ? ` (and ${refusals.length - 1} more line(s))` : ''}`,
      { lines: refusals },
    );
  return ok(
    releasePayload({
      releaseId: input.releaseId,
      regionCode: input.regionCode,
      proposedOn: input.on,
      lines: checks.map((c) => ({
        lineId: c.id,
        month: c.month,
        entitlementId: c.entitlementId,
        workerId: c.workerId,
        kind: c.kind,
        expenseAccount: c.expenseAccount,
        amountFen: c.amountFen,
        reasons: releaseReasonsOf(c.blocks),
      })),
    }),
  );
}

/** The live release of this selection today (replayed), or the id of the new one to write. */
async function liveOrNewId(
  tx: Executor,
  regionCode: string,
  on: string,
  lineIds: readonly string[],
): Promise<ReleaseRow | string> {
  for (let generation = 0; generation < GENERATIONS_MAX; generation += 1) {
    const id = releaseId(regionCode, on, lineIds, generation);
    const existing = await releaseRow(tx, regionCode, id, true);
    if (existing === null) return id;
    if (
      existing.status !== 'proposed' ||
      !(await approvalDead(tx, regionCode, existing.approvalId))
    )
      return existing;
  }
  throw new Error(`${GENERATIONS_MAX} dead releases of one selection on ${on}`);
}

const releaseObject = (regionCode: string, id: string) => `payroll-release/${regionCode}/${id}`;

export async function proposeRelease(
  db: Database,
  maker: Actor,
  input: { regionCode: string; lineIds: readonly string[]; on: IsoDate },
  options: { policy: ApprovalPolicy },
): Promise<Result<ReleaseOutcome, ReleaseCode>> {
  const lineIds = [...new Set(input.lineIds)].sort();
  return db.transaction(async (tx) => {
    const found = await liveOrNewId(tx, input.regionCode, input.on, lineIds);
    if (typeof found !== 'string') return ok({ release: found, replayed: true });
    const plan = await planOf(tx, { ...input, releaseId: found, lineIds });
    if (!plan.ok) return plan;
    const payload = plan.value;
    const approval = await requestApproval(tx, maker, {
      regionCode: input.regionCode,
      action: RELEASE_APPROVAL_ACTION,
      payload,
      amountFen: payload.totalFen,
      policy: options.policy,
    });
    await tx.query(
      `INSERT INTO payroll_releases (region_code, id, status, proposed_on, line_count, total_fen,
         payload, approval_id, proposed_by)
       VALUES ($1, $2, 'proposed', $3::date, $4, $5, $6::jsonb, $7, $8)`,
      [
        input.regionCode,
        found,
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
      okEventOf(maker, 'benefits.payroll.release.propose', releaseObject(input.regionCode, found), {
        approvalId: approval.id,
        payloadSha256: payloadHash(payload),
        lineIds: payload.lines.map((l) => l.lineId),
        totalFen: payload.totalFen,
      }),
    );
    const release = await releaseRow(tx, input.regionCode, found, false);
    if (release === null) return refuse('benefit.release_not_found', `release ${found} gone`);
    return ok({ release, replayed: false });
  });
}

/** The primary key of the released lines refused an insert: another release took a line. */
function isReleasedTwice(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; depth += 1) {
    if (e.message.includes('payroll_released_lines_pkey')) return true;
    e = e.cause;
  }
  return false;
}

/** Internal: the guard found the release applied meanwhile (answered as a replay). */
type Replayed = 'benefit.release_replayed';

export async function approveRelease(
  db: Database,
  checker: Actor,
  input: { regionCode: string; releaseId: string; on: IsoDate },
): Promise<Result<ReleaseOutcome, ReleaseCode>> {
  const release = await db.withConnection((ex) =>
    releaseRow(ex, input.regionCode, input.releaseId, false),
  );
  if (release === null)
    return refuse('benefit.release_not_found', `release ${input.releaseId} not found`);
  if (release.status !== 'proposed') return ok({ release, replayed: true });
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: release.regionCode,
    id: release.approvalId,
  });
  if (decided !== null) return decided;
  const requests = releaseTransactions(release.payload, input.on);
  const transactionId = releaseTransactionId(release.id);
  let written: Result<unknown, ReleaseCode | Replayed>;
  try {
    const guard = (tx: Executor) => applyRelease(tx, checker, release, transactionId);
    // Every line 0 fen (a month withheld whole by an offset): nothing to post, the rest applies.
    written =
      requests.length === 0
        ? await guardOnly(db, guard)
        : await postTransactions<ReleaseRefusalCode | ApprovalRefusal | Replayed>(
            db,
            checker,
            requests,
            { auditAction: 'benefits.payroll.release.post', guard },
          );
  } catch (err) {
    if (!isReleasedTwice(err)) throw err;
    written = refuse('benefit.release_changed', 'a line was released meanwhile by another release');
  }
  if (!written.ok && written.code !== 'benefit.release_replayed')
    return { ...written, code: written.code };
  const after = await db.withConnection((ex) =>
    releaseRow(ex, input.regionCode, input.releaseId, false),
  );
  if (after === null) return refuse('benefit.release_not_found', `release ${input.releaseId} gone`);
  return ok({ release: after, replayed: !written.ok });
}

/**
 * Inside the ledger write's transaction, before its postings: the release locked and still
 * proposed, its lines read again (any change → release_changed), the approval consumed against
 * the payload, the lines recorded released and the release marked applied, with its audit event.
 */
async function applyRelease(
  tx: Executor,
  checker: Actor,
  release: ReleaseRow,
  transactionId: string,
) {
  const locked = await releaseRow(tx, release.regionCode, release.id, true);
  if (locked === null)
    return refuse('benefit.release_not_found', `release ${release.id} not found`);
  if (locked.status !== 'proposed')
    return refuse('benefit.release_replayed' as const, `release ${release.id} applied already`);
  const lineIds = locked.payload.lines.map((l) => l.lineId);
  const plan = await planOf(tx, {
    regionCode: locked.regionCode,
    releaseId: locked.id,
    lineIds,
    on: locked.proposedOn,
  });
  if (!plan.ok)
    return refuse(
      'benefit.release_changed',
      `the lines of release ${locked.id} changed since the proposal: ${plan.message}`,
      { cause: plan.code, ...plan.details },
    );
  const used = await consumeApproval(tx, {
    regionCode: locked.regionCode,
    id: locked.approvalId,
    action: RELEASE_APPROVAL_ACTION,
    payload: plan.value,
  });
  if (!used.ok) return used;
  // The ledger request was built from the stored payload: it must be the one approved.
  if (payloadHash(locked.payload) !== payloadHash(plan.value))
    return refuse('approval.payload_mismatch', `release ${locked.id}'s stored payload differs`);
  await writeReleased(tx, plan.value, transactionId);
  await tx.query(
    `UPDATE payroll_releases SET status = 'applied', applied_by = $3, applied_at = now(),
       transaction_id = $4
     WHERE region_code = $1 AND id = $2`,
    [locked.regionCode, locked.id, used.value.checkerId, transactionId],
  );
  await appendAudit(
    tx,
    okEventOf(
      checker,
      'benefits.payroll.release.apply',
      releaseObject(locked.regionCode, locked.id),
      {
        approvalId: locked.approvalId,
        payloadSha256: payloadHash(plan.value),
        lineIds,
        totalFen: plan.value.totalFen,
        transactionId,
      },
    ),
  );
  return null;
}

async function writeReleased(tx: Executor, payload: ReleasePayload, transactionId: string) {
  for (const l of payload.lines)
    await tx.query(
      `INSERT INTO payroll_released_lines (region_code, line_id, source, release_id, reason,
         expense_account, amount_fen, transaction_id)
       VALUES ($1, $2, 'release', $3, $4, $5, $6, $7)`,
      [
        payload.regionCode,
        l.lineId,
        payload.releaseId,
        l.reasons[0] ?? 'after_death',
        l.expenseAccount,
        l.amountFen,
        transactionId,
      ],
    );
}

/** A release as shown (fund:read): its row and its payload's lines. */
export async function releaseView(
  db: Database,
  input: { regionCode: string; releaseId: string },
): Promise<Result<ReleaseRow, 'benefit.release_not_found'>> {
  const row = await db.withConnection((ex) =>
    releaseRow(ex, input.regionCode, input.releaseId, false),
  );
  return row === null
    ? refuse('benefit.release_not_found', `release ${input.releaseId} not found`)
    : ok(row);
}

/** The answer of the API and the CLI: the release's row, its lines, and whether it was replayed. */
export function releaseSummary(outcome: ReleaseOutcome) {
  const { payload, ...row } = outcome.release;
  return { ...row, lines: payload.lines, replayed: outcome.replayed };
}
