import type { Database, Executor } from '../../db/client.ts';
import { intOf, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import {
  type CardAccount,
  isPartialMonthRule,
  isPayrollMonth,
  type MonthBounds,
  monthBounds,
  type PartialMonthRule,
  type PayrollEntitlement,
  type PayrollLine,
  payrollLineOf,
  payrollRunId,
} from '../../domain/benefits/payroll-lines.ts';
import { type AmountBand, PAYROLL_APPROVAL_ACTION } from '../../domain/benefits/payroll-review.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { lookup } from '../../rules/parameters/lookup.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { requestApproval, withdrawApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { chunkOffsets, type LineOffset } from './payroll-offsets.ts';
import { computeReissues } from './payroll-reissue.ts';
import { runReview } from './payroll-review-read.ts';
import { lockCityRuns, type PayrollRefusalCode, type RunRow, runRow } from './payroll-store.ts';

/**
 * Starts (or resumes, or answers) the payroll of a city and month. Idempotent by (city, month):
 * the run is created by one INSERT … ON CONFLICT DO NOTHING on the unique key, so concurrent starts
 * find one run. Lines are computed in chunks of entitlements in id order, each chunk committed with
 * the checkpoint (the last entitlement id read) under the run's row lock: a computation killed
 * between chunks resumes after the checkpoint and, line ids deriving from the run and the
 * entitlement, writes the same lines as an uninterrupted one. The last step reviews the lines
 * (totals, anomalies), asks the approval bound to that payload, and marks the run computed.
 */
export type PayrollSettings = { rule: PartialMonthRule; band: AmountBand };

export type StartOptions = {
  policy: ApprovalPolicy;
  chunkSize?: number;
  /** Test hook: runs after each committed chunk (a throw simulates a kill there). */
  afterChunk?: ((chunk: number) => Promise<void> | void) | undefined;
};

export type StartRequest = { regionCode: string; month: string };

function textParameter(rules: RuleSet, region: string, path: string, on: string): string | null {
  return lookup(rules, region, path, on)?.value.text ?? null;
}

function fenParameter(rules: RuleSet, region: string, path: string, on: string): number | null {
  const v = lookup(rules, region, path, on)?.value.raw;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/** The month's dated parameters (src/rules/values/…/payroll.yaml), read on its first day. */
export function payrollSettings(
  rules: RuleSet,
  regionCode: string,
  month: string,
): Result<PayrollSettings, PayrollRefusalCode> {
  const on = `${month}-01`;
  const rule = textParameter(rules, regionCode, 'payroll.partial_month_rule', on);
  const minFen = fenParameter(rules, regionCode, 'payroll.amount_band_min_fen', on);
  const maxFen = fenParameter(rules, regionCode, 'payroll.amount_band_max_fen', on);
  if (rule === null || !isPartialMonthRule(rule) || minFen === null || maxFen === null)
    return refuse(
      'benefit.payroll_parameter_missing',
      `the payroll parameters (payroll.partial_month_rule, payroll.amount_band_*) have no value for ${regionCode} on ${on}`,
    );
  return ok({ rule, band: { minFen, maxFen } });
}

async function checkCity(db: Database, regionCode: string): Promise<boolean> {
  const r = await db.query(`SELECT 1 FROM regions WHERE code = $1 AND level = 'city'`, [
    regionCode,
  ]);
  return r.rows.length === 1;
}

export async function startPayrollRun(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: StartRequest,
  options: StartOptions,
): Promise<Result<RunRow, PayrollRefusalCode>> {
  const { regionCode, month } = request;
  if (!isPayrollMonth(month))
    return refuse('benefit.payroll_invalid_month', `month must be YYYY-MM, got ${month}`);
  if (!(await checkCity(db, regionCode)))
    return refuse('benefit.payroll_not_city', `${regionCode} is not a city: runs are per city`);
  const settings = payrollSettings(rules, regionCode, month);
  if (!settings.ok) return settings;
  const runId = payrollRunId(regionCode, month);
  // The id derives from (city, month), so a concurrent start collides on the primary key and on
  // the (city, month) key alike, whichever index PostgreSQL checks first: no arbiter is named, so
  // either collision means "already started" (an arbiter of one let the other raise 23505).
  await db.transaction(async (tx) => {
    // A decision approved meanwhile either sees this run or is seen by its computation.
    await lockCityRuns(tx, regionCode);
    await tx.query(
      `INSERT INTO payroll_runs (region_code, id, month, status, started_by)
       VALUES ($1, $2, $3, 'computing', $4) ON CONFLICT DO NOTHING`,
      [regionCode, runId, month, actor.username],
    );
  });
  return computeRun(db, actor, { regionCode, id: runId, month }, settings.value, options);
}

/** Computes a run in `computing` from its checkpoint to the end (a no-op past it): start and recompute. */
async function computeRun(
  db: Database,
  actor: Actor,
  run: { regionCode: string; id: string; month: string },
  settings: PayrollSettings,
  options: StartOptions,
): Promise<Result<RunRow, PayrollRefusalCode>> {
  for (let chunk = 1; ; chunk += 1) {
    const step = await db.transaction((tx) =>
      computeChunk(tx, run, settings.rule, options.chunkSize ?? 1000),
    );
    if (step === 'done') break;
    await options.afterChunk?.(chunk);
  }
  // After the month lines, the failed lines of earlier runs are paid again (payroll-reissue.ts).
  while ((await db.transaction((tx) => computeReissues(tx, run))) === 'more');
  await db.transaction((tx) => finishRun(tx, actor, run, settings.band, options.policy));
  const after = await db.withConnection((ex) => runRow(ex, run.regionCode, run.id, false));
  if (after === null) return refuse('benefit.payroll_run_not_found', `run ${run.id} vanished`);
  return ok(after);
}

/**
 * Computes a computed, unapproved run again (重新计算; docs/benefits.md, "Recomputing a run"): an
 * event recorded after it was computed — a death, a stop, a missing worker, an indexation — changed
 * what its month owes, its review now differs from the one its approval is bound to, and the
 * approval is refused (approval.payload_mismatch). Nothing of the run was posted, sent or answered:
 * its lines are a draft. One transaction discards them (the audit event keeps their count, total,
 * digest and the approval they were bound to, with the handler's reason) and puts the run back to
 * `computing`; the computation then runs as a start does, so a kill anywhere after that commit is
 * resumed by either command, and a new approval is asked for the new review. The old approval is
 * left as it is: no run names it any longer, so approving it applies nothing (it expires).
 */
export async function recomputePayrollRun(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: { regionCode: string; runId: string; reason: string },
  options: StartOptions,
): Promise<Result<RunRow, PayrollRefusalCode>> {
  const found = await db.withConnection((ex) =>
    runRow(ex, request.regionCode, request.runId, false),
  );
  if (found === null)
    return refuse('benefit.payroll_run_not_found', `run ${request.runId} not found`);
  const settings = payrollSettings(rules, found.regionCode, found.month);
  if (!settings.ok) return settings;
  const reset = await db.transaction((tx) => discardLines(tx, actor, request));
  if (!reset.ok) return reset;
  const run = { regionCode: found.regionCode, id: found.id, month: found.month };
  return computeRun(db, actor, run, settings.value, options);
}

/** Under the run's lock: a computed run's lines discarded, the run back to `computing`, audited. */
async function discardLines(
  tx: Executor,
  actor: Actor,
  request: { regionCode: string; runId: string; reason: string },
): Promise<Result<null, PayrollRefusalCode>> {
  const run = await runRow(tx, request.regionCode, request.runId, true);
  if (run === null)
    return refuse('benefit.payroll_run_not_found', `run ${request.runId} not found`);
  // A computation still going (or killed) is simply resumed; an approved run is posted: never.
  if (run.status === 'computing') return ok(null);
  if (run.status !== 'computed')
    return refuse(
      'benefit.payroll_run_not_recomputable',
      `run ${run.id} is ${run.status}: only a computed run not yet approved can be computed again`,
      { status: run.status },
    );
  await tx.query('DELETE FROM payroll_lines WHERE region_code = $1 AND run_id = $2', [
    run.regionCode,
    run.id,
  ]);
  await tx.query(
    `UPDATE payroll_runs SET status = 'computing', checkpoint_entitlement_id = NULL,
       line_count = 0, total_fen = 0, totals = NULL, anomalies = NULL, totals_sha256 = NULL,
       approval_id = NULL, computed_at = NULL
     WHERE region_code = $1 AND id = $2`,
    [run.regionCode, run.id],
  );
  // The old totals' approval can no longer be used: out of the checkers' queue (migration 0068).
  if (run.approvalId !== null)
    await withdrawApproval(tx, { regionCode: run.regionCode, id: run.approvalId });
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.payroll.recompute', `payroll-run/${run.regionCode}/${run.id}`, {
      reason: request.reason,
      discarded: {
        lineCount: run.lineCount,
        totalFen: run.totalFen,
        totalsSha256: run.totalsSha256,
        approvalId: run.approvalId,
      },
    }),
  );
  return ok(null);
}

/** The dependant a survivor's pension is paid to (migration 0034); null: the worker's own item. */
type EntitlementRow = PayrollEntitlement & {
  account: CardAccount | null;
  dependantId: string | null;
};

function entitlementOf(r: Row): EntitlementRow {
  const accountNumber = textOrNullOf(r, 'account_number');
  const payer = textOf(r, 'payer');
  return {
    id: textOf(r, 'id'),
    workerId: textOf(r, 'worker_id'),
    kind: textOf(r, 'kind'),
    amountFen: intOf(r, 'amount_fen'),
    payer: payer === 'fund' ? 'fund' : 'employer',
    startsOn: textOf(r, 'starts_on'),
    endsOn: textOrNullOf(r, 'ends_on'),
    status: textOf(r, 'status') === 'active' ? 'active' : 'ended',
    dependantId: textOrNullOf(r, 'dependant_id'),
    account:
      accountNumber === null
        ? null
        : {
            accountNumber,
            bankName: textOf(r, 'bank_name'),
            accountName: textOf(r, 'account_name'),
            validFrom: textOf(r, 'valid_from'),
          },
  };
}

/**
 * The next chunk of the city's entitlements the month may pay, with the card account in force on
 * the month's last day. The SQL narrows; the domain (`payrollLineOf`) decides. A survivor's
 * pension is the dependant's money, never the deceased worker's: it takes the dependant's own
 * account (dependant_card_accounts, migration 0039) and never the worker's (`e.dependant_id IS
 * NULL` in the worker's join), so without one its line is held, failed with the reason.
 */
async function entitlementChunk(
  tx: Executor,
  input: { regionCode: string; afterId: string; m: MonthBounds; limit: number },
): Promise<EntitlementRow[]> {
  const r = await tx.query(
    `SELECT e.id, e.worker_id, e.kind, e.amount_fen, e.payer, e.starts_on::text, e.ends_on::text,
       e.status, e.dependant_id, a.bank_name, a.account_number, a.account_name, a.valid_from::text
     FROM benefit_entitlements e
     LEFT JOIN LATERAL (
       SELECT s.bank_name, s.account_number, s.account_name, s.valid_from
       FROM social_security_card_accounts s
       WHERE s.worker_id = e.worker_id AND e.dependant_id IS NULL AND s.valid_from <= $3::date
       UNION ALL
       SELECT d.bank_name, d.account_number, d.account_name, d.valid_from
       FROM dependant_card_accounts d
       WHERE d.region_code = e.region_code AND d.dependant_id = e.dependant_id
         AND d.valid_from <= $3::date
       ORDER BY valid_from DESC LIMIT 1) a ON true
     WHERE e.region_code = $1 AND e.id > $2 AND e.payer = 'fund' AND e.starts_on <= $3::date
       AND (e.ends_on IS NULL OR e.ends_on >= $4::date)
     ORDER BY e.id LIMIT $5`,
    [input.regionCode, input.afterId, input.m.last, input.m.first, input.limit],
  );
  return r.rows.map(entitlementOf);
}

/** One chunk under the run's lock: its lines, the checkpoint and the running totals, together. */
async function computeChunk(
  tx: Executor,
  run: { regionCode: string; id: string; month: string },
  rule: PartialMonthRule,
  limit: number,
): Promise<'more' | 'done'> {
  const locked = await runRow(tx, run.regionCode, run.id, true);
  if (locked === null || locked.status !== 'computing') return 'done';
  const m = monthBounds(run.month);
  const chunk = await entitlementChunk(tx, {
    regionCode: run.regionCode,
    afterId: locked.checkpointEntitlementId ?? '',
    m,
    limit,
  });
  const last = chunk.at(-1);
  if (last === undefined) return 'done';
  const lines = chunk
    .map((e) => payrollLineOf(run.id, e, m, rule, e.account))
    .filter((l): l is PayrollLine => l !== null);
  const forDependant = new Set(chunk.filter((e) => e.dependantId !== null).map((e) => e.id));
  // A recovery by offset deducts from the person's own lines only (payroll-offsets.ts).
  const own = lines.filter((l) => !forDependant.has(l.entitlementId));
  const offsets = await chunkOffsets(tx, run, own);
  const values = lines.map(lineValues(run, forDependant, offsets));
  await insertLines(tx, run, values);
  await tx.query(
    `UPDATE payroll_runs SET checkpoint_entitlement_id = $3, line_count = line_count + $4,
       total_fen = total_fen + $5 WHERE region_code = $1 AND id = $2`,
    [run.regionCode, run.id, last.id, values.length, values.reduce((s, l) => s + l.amountFen, 0)],
  );
  return chunk.length < limit ? 'done' : 'more';
}

export const NO_DEPENDANT_ACCOUNT =
  'no account on record for the beneficiary (供养亲属): a survivor’s pension is never paid to the deceased worker’s card';

/**
 * A line without an account cannot be sent: it is failed at once, with the reason. A deduction
 * (offset) lowers what the bank pays (`amountFen`) and is kept beside it with its recovery; a line
 * without one writes no offset column's value but the default, as before migration 0045.
 */
function lineValues(
  run: { regionCode: string; id: string },
  forDependant: ReadonlySet<string>,
  offsets: ReadonlyMap<string, LineOffset>,
) {
  return (l: PayrollLine) => ({
    regionCode: run.regionCode,
    id: l.id,
    runId: run.id,
    entitlementId: l.entitlementId,
    workerId: l.workerId,
    kind: l.kind,
    expenseAccount: l.expenseAccount,
    amountFen: l.amountFen - (offsets.get(l.id)?.offsetFen ?? 0),
    ...(offsets.has(l.id) ? offsets.get(l.id) : {}),
    bankName: l.account?.bankName ?? null,
    accountNumber: l.account?.accountNumber ?? null,
    accountName: l.account?.accountName ?? null,
    accountValidFrom: l.account?.validFrom ?? null,
    status: l.account === null ? ('failed' as const) : ('issued' as const),
    failureReason:
      l.account !== null
        ? null
        : forDependant.has(l.entitlementId)
          ? NO_DEPENDANT_ACCOUNT
          : 'no social-security card account on record',
  });
}

type LineValues = ReturnType<ReturnType<typeof lineValues>>;

/**
 * A chunk's lines in one statement of one array per column (unnest), not one parameter per value:
 * 1 000 lines of 14 columns bound as 14 arrays parse and plan once, where a VALUES list of 14 000
 * parameters cost more to build and bind than to write (the payroll benchmark, bench/payroll.bench.ts).
 * The same rows in the same order as the ORM's multi-row INSERT it replaces; offset_fen 0 and
 * recovery_id NULL are the columns' defaults.
 */
async function insertLines(
  tx: Executor,
  run: { regionCode: string; id: string },
  values: readonly LineValues[],
): Promise<void> {
  if (values.length === 0) return;
  const col = <T>(f: (v: LineValues) => T): T[] => values.map(f);
  await tx.query(
    `INSERT INTO payroll_lines (region_code, run_id, id, entitlement_id, worker_id, kind,
       expense_account, amount_fen, offset_fen, recovery_id, bank_name, account_number, account_name,
       account_valid_from, status, failure_reason)
     SELECT $1, $2, u.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::date[],
       $15::text[], $16::text[]) AS u`,
    [
      run.regionCode,
      run.id,
      col((v) => v.id),
      col((v) => v.entitlementId),
      col((v) => v.workerId),
      col((v) => v.kind),
      col((v) => v.expenseAccount),
      col((v) => v.amountFen),
      col((v) => v.offsetFen ?? 0),
      col((v) => v.recoveryId ?? null),
      col((v) => v.bankName),
      col((v) => v.accountNumber),
      col((v) => v.accountName),
      col((v) => v.accountValidFrom),
      col((v) => v.status),
      col((v) => v.failureReason),
    ],
  );
}

/** Reviews the written lines, asks the approval bound to the review, marks the run computed. */
async function finishRun(
  tx: Executor,
  actor: Actor,
  run: { regionCode: string; id: string; month: string },
  band: AmountBand,
  policy: ApprovalPolicy,
): Promise<void> {
  const locked = await runRow(tx, run.regionCode, run.id, true);
  if (locked === null || locked.status !== 'computing') return;
  const payload = await runReview(tx, run, band);
  const approval = await requestApproval(tx, actor, {
    regionCode: run.regionCode,
    action: PAYROLL_APPROVAL_ACTION,
    payload,
    amountFen: payload.totalFen,
    policy,
  });
  await tx.query(
    `UPDATE payroll_runs SET status = 'computed', totals = $3::jsonb, anomalies = $4::jsonb,
       totals_sha256 = $5, approval_id = $6, computed_at = now()
     WHERE region_code = $1 AND id = $2`,
    [
      run.regionCode,
      run.id,
      JSON.stringify(payload.byKind),
      JSON.stringify(payload.anomalies),
      approval.payloadHash,
      approval.id,
    ],
  );
  await appendAudit(
    tx,
    okEventOf(actor, 'benefits.payroll.compute', `payroll-run/${run.regionCode}/${run.id}`, {
      lineCount: payload.lineCount,
      totalFen: payload.totalFen,
      anomalies: payload.anomalies.length,
      approvalId: approval.id,
    }),
  );
}
