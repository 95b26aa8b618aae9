import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { intOf, oneOf, textOf } from '../../db/rows.ts';
import {
  benefitEntitlements,
  benefitOverpayments,
  benefitRetirements,
  workerDeaths,
  workers,
} from '../../db/schema.ts';
import {
  deathReversalTransactions,
  endedByDeath,
  endsWithDeath,
  type FailedLine,
  overpaymentAfterDeath,
  overpaymentId,
  type PaidLine,
} from '../../domain/benefits/death.ts';
import type { OverpaymentStatus } from '../../domain/benefits/recovery.ts';
import { accountLeftAt, OFFSET_CITATION } from '../../domain/benefits/retirement-offset.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../identity/actor.ts';
import { type IsoDate, monthOf } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { guardOnly } from './benefit-decision-approve.ts';
import { workerKnownInCity } from './worker-in-city.ts';

/**
 * Records a worker's death (docs/benefits.md, "Death") and applies it in one transaction: the
 * dated event on the province-wide person, the end of the worker's own periodic entitlements at
 * the end of the month of death (every city's: the person is one), and an open overpayment per
 * entitlement paid for months after it; the liability of failed lines for those months is
 * reversed (Dr 2102 / Cr 51xx, with the event, in the ledger write's guard). A refusal changes nothing (the transaction rolls back).
 * The caller's city must know the worker (a case or an entitlement there): otherwise 404.
 */
export type DeathRefusalCode =
  | 'benefit.worker_not_found'
  | 'benefit.death_in_future'
  | 'benefit.death_before_birth'
  | 'benefit.death_already_recorded'
  | 'benefit.death_conflict';

export type RecordDeathCode = DeathRefusalCode | LedgerRefusalCode;

export type EndedEntitlement = {
  regionCode: string;
  id: string;
  kind: string;
  endsOnBefore: IsoDate | null;
  endsOn: IsoDate | null;
};

export type OverpaymentView = {
  regionCode: string;
  id: string;
  entitlementId: string;
  months: string[];
  lineIds: string[];
  amountFen: number;
  status: OverpaymentStatus;
};

export type DeathRecord = {
  workerId: string;
  diedOn: IsoDate;
  source: string;
  recordedBy: string;
  endedEntitlements: EndedEntitlement[];
  overpayments: OverpaymentView[];
  overpaidFen: number;
  /**
   * A worker who reached the retirement age without a monthly pension (浙江 第二十六条第二款): what
   * is left in the personal pension account after the months offset through the month of death.
   * The heirs' ("余额由其近亲属依法继承"), not the fund's: shown, never posted. Null: no such account.
   */
  personalAccountLeft: PersonalAccountLeft | null;
};

export type PersonalAccountLeft = {
  retirementId: string;
  balanceFen: number;
  monthlyOffsetFen: number;
  leftFen: number;
  citation: string;
};

/** The liability of failed lines after the death, reversed Dr 2102 / Cr 51xx (none: empty). */
export type DeathReversal = { lineIds: string[]; amountFen: number; transactionIds: string[] };

export type RecordedDeath = DeathRecord & { reversal: DeathReversal };

export type RecordDeathInput = {
  regionCode: string;
  workerId: string;
  diedOn: IsoDate;
  source: string;
  /** The day of recording: a death after it is refused. */
  today: IsoDate;
};

export async function recordDeath(
  db: Database,
  actor: Actor,
  input: RecordDeathInput,
): Promise<Result<RecordedDeath, RecordDeathCode>> {
  const planned = await db.withConnection((ex) => failedAfter(ex, input.workerId, input.diedOn));
  const requests = deathReversalTransactions({
    workerId: input.workerId,
    lines: planned,
    diedOn: input.diedOn,
    on: input.today,
  });
  let ended: EndedEntitlement[] = [];
  const guard = async (tx: Executor): Promise<Refusal<RecordDeathCode> | null> => {
    const refused = await insertDeath(tx, actor, input);
    if (refused !== null) return refused;
    const now = await failedAfter(tx, input.workerId, input.diedOn);
    if (now.map((l) => l.id).join() !== planned.map((l) => l.id).join())
      return refuse('benefit.death_conflict', 'payroll lines of the worker changed meanwhile');
    await markReleased(tx, input.workerId, planned);
    ended = await endEntitlements(tx, input.workerId, input.diedOn);
    const overpayments = await recordOverpayments(tx, actor, input);
    await appendAudit(
      tx,
      okEventOf(actor, 'benefits.death.record', `worker/${input.workerId}/death`, {
        diedOn: input.diedOn,
        endedEntitlements: ended.map((e) => e.id),
        overpayments: overpayments.map((o) => ({ id: o.id, amountFen: o.amountFen })),
        reversedLineIds: planned.map((l) => l.id),
        reversalTransactionIds: requests.map((r) => r.id),
      }),
    );
    return null;
  };
  const written = await writeDeath(db, actor, requests, guard);
  if (!written.ok) return written;
  const view = await db.withConnection((ex) => deathOf(ex, input.workerId));
  if (view === null) return refuse('benefit.worker_not_found', 'the death record vanished');
  const reversal = {
    lineIds: planned.map((l) => l.id),
    amountFen: planned.reduce((s, l) => s + l.amountFen, 0),
    transactionIds: requests.map((r) => r.id),
  };
  return ok({ ...view, endedEntitlements: ended, reversal });
}

/**
 * The event and its reversal in one transaction (a guard only when nothing is reversed). A release
 * (payroll-release.ts) that took one of the lines meanwhile meets the released lines' primary key:
 * the same conflict as any change of the lines, nothing written.
 */
async function writeDeath(
  db: Database,
  actor: Actor,
  requests: ReturnType<typeof deathReversalTransactions>,
  guard: (tx: Executor) => Promise<Refusal<RecordDeathCode> | null>,
): Promise<Result<unknown, RecordDeathCode>> {
  try {
    return requests.length === 0
      ? await guardOnly(db, guard)
      : await postTransactions<RecordDeathCode>(db, actor, requests, {
          auditAction: 'benefits.death.reverse',
          guard,
        });
  } catch (err) {
    if (
      !(
        err instanceof Error && `${err.message}${err.cause}`.includes('payroll_released_lines_pkey')
      )
    )
      throw err;
    return refuse('benefit.death_conflict', 'a line of the worker was released meanwhile');
  }
}

/**
 * The worker's failed lines for months after the month of death, never reissued nor released
 * (migration 0064), in runs whose payable is posted (their liability sits in 2102 for no one).
 * Hand SQL read through rows.ts.
 */
async function failedAfter(ex: Executor, workerId: string, diedOn: IsoDate): Promise<FailedLine[]> {
  const r = await ex.query(
    `SELECT l.region_code::text, l.id, l.kind, l.expense_account, l.amount_fen,
       coalesce(orr.month, r.month)::text AS month
     FROM payroll_lines l
     JOIN payroll_runs r ON r.region_code = l.region_code AND r.id = l.run_id
     LEFT JOIN payroll_lines o ON o.region_code = l.region_code AND o.id = l.reissue_of
     LEFT JOIN payroll_runs orr ON orr.region_code = o.region_code AND orr.id = o.run_id
     WHERE l.worker_id = $1 AND l.status = 'failed'
       AND r.status IN ('approved', 'file_issued', 'reconciled')
       AND coalesce(orr.month, r.month) > $2
       AND NOT EXISTS (SELECT 1 FROM payroll_lines x
                       WHERE x.region_code = l.region_code AND x.reissue_of = l.id)
       AND NOT EXISTS (SELECT 1 FROM payroll_released_lines z
                       WHERE z.region_code = l.region_code AND z.line_id = l.id)
     ORDER BY l.region_code, l.id`,
    [workerId, monthOf(diedOn)],
  );
  return r.rows
    .filter((row) => endsWithDeath(textOf(row, 'kind')))
    .map((row) => ({
      regionCode: textOf(row, 'region_code'),
      id: textOf(row, 'id'),
      month: textOf(row, 'month'),
      expenseAccount: textOf(row, 'expense_account'),
      amountFen: intOf(row, 'amount_fen'),
    }));
}

/**
 * The reversed lines recorded as released (migration 0064), each with its city's reversal
 * transaction: a release (payroll-release.ts) never takes them again, nor the reissue.
 */
async function markReleased(tx: Executor, workerId: string, lines: readonly FailedLine[]) {
  for (const l of lines)
    await tx.query(
      `INSERT INTO payroll_released_lines (region_code, line_id, source, reason, expense_account,
         amount_fen, transaction_id)
       VALUES ($1, $2, 'death', 'after_death', $3, $4, $5)`,
      [
        l.regionCode,
        l.id,
        l.expenseAccount,
        l.amountFen,
        `benefit-death:${workerId}:${l.regionCode}:reversal`,
      ],
    );
}

/** Scope, dates, and the one-death rule; inserts the event when all hold. */
async function insertDeath(
  tx: Executor,
  actor: Actor,
  input: RecordDeathInput,
): Promise<Refusal<DeathRefusalCode> | null> {
  const [worker] = await tx.orm
    .select({ birthDate: workers.birthDate })
    .from(workers)
    .where(eq(workers.id, input.workerId));
  if (worker === undefined || !(await workerKnownInCity(tx, input.regionCode, input.workerId)))
    return refuse('benefit.worker_not_found', `no worker ${input.workerId} in ${input.regionCode}`);
  if (input.diedOn > input.today)
    return refuse('benefit.death_in_future', `${input.diedOn} is after today (${input.today})`);
  if (input.diedOn < worker.birthDate)
    return refuse(
      'benefit.death_before_birth',
      `${input.diedOn} is before the worker's birth (${worker.birthDate})`,
    );
  const inserted = await tx.orm
    .insert(workerDeaths)
    .values({
      workerId: input.workerId,
      diedOn: input.diedOn,
      source: input.source,
      recordedRegionCode: input.regionCode,
      recordedBy: actor.username,
    })
    .onConflictDoNothing()
    .returning({ workerId: workerDeaths.workerId });
  if (inserted.length === 1) return null;
  const [held] = await tx.orm
    .select({ diedOn: workerDeaths.diedOn })
    .from(workerDeaths)
    .where(eq(workerDeaths.workerId, input.workerId));
  return refuse(
    'benefit.death_already_recorded',
    `the worker's death is recorded already (${held?.diedOn ?? '?'}): a correction is not built`,
    { diedOn: held?.diedOn ?? null },
  );
}

/** Every city's entitlements of the worker, locked; the worker's own ones cut to the death month. */
async function endEntitlements(
  tx: Executor,
  workerId: string,
  diedOn: IsoDate,
): Promise<EndedEntitlement[]> {
  const held = await tx.orm
    .select({
      regionCode: benefitEntitlements.regionCode,
      id: benefitEntitlements.id,
      kind: benefitEntitlements.kind,
      startsOn: benefitEntitlements.startsOn,
      endsOn: benefitEntitlements.endsOn,
      status: benefitEntitlements.status,
    })
    .from(benefitEntitlements)
    .where(eq(benefitEntitlements.workerId, workerId))
    .orderBy(benefitEntitlements.regionCode, benefitEntitlements.id)
    .for('update');
  const ended: EndedEntitlement[] = [];
  for (const e of held) {
    const change = endedByDeath(e, diedOn);
    if (change === null) continue;
    await tx.orm
      .update(benefitEntitlements)
      .set(change)
      .where(
        and(eq(benefitEntitlements.regionCode, e.regionCode), eq(benefitEntitlements.id, e.id)),
      );
    ended.push({ ...e, endsOnBefore: e.endsOn, endsOn: change.endsOn });
  }
  return ended.map(({ regionCode, id, kind, endsOnBefore, endsOn }) => ({
    regionCode,
    id,
    kind,
    endsOnBefore,
    endsOn,
  }));
}

type EntitlementLine = PaidLine & { regionCode: string; entitlementId: string; kind: string };

/**
 * The worker's lines for months after the month of `diedOn` (a death's, or a stop's event day:
 * benefit-stop.ts) in runs whose payable is posted (an approved run or later) and in reissue
 * batches once applied (their lines written, to be sent). A reissue line counts for the month it
 * was owed for (`reissue_month`, migration 0066), a month line for its run's. A month a decision
 * paid with its arrears (approved after the payroll ran it: benefit_entitlement_arrears, migration
 * 0067) counts as paid too, named `<payment>:<month>` (no payroll line: the bank's return never
 * takes it out, as a failed decision payment is reissued for the same liability). Hand SQL, read
 * through the rows.ts mappers.
 */
export async function linesAfter(tx: Executor, workerId: string, diedOn: IsoDate) {
  const r = await tx.query(
    `SELECT l.region_code::text, l.id, l.entitlement_id, l.kind, l.amount_fen, l.status,
       coalesce(l.reissue_month, r.month)::text AS month
     FROM payroll_lines l
     LEFT JOIN payroll_runs r ON r.region_code = l.region_code AND r.id = l.run_id
     LEFT JOIN payroll_reissue_batches b ON b.region_code = l.region_code AND b.id = l.batch_id
     WHERE l.worker_id = $1
       AND (r.status IN ('approved', 'file_issued', 'reconciled')
            OR b.status IN ('applied', 'file_issued', 'reconciled'))
       AND coalesce(l.reissue_month, r.month) > $2
     UNION ALL
     SELECT a.region_code::text, a.payment_id || ':' || a.month, a.entitlement_id, e.kind,
       a.amount_fen, 'paid', a.month::text
     FROM benefit_entitlement_arrears a
     JOIN benefit_entitlements e ON e.region_code = a.region_code AND e.id = a.entitlement_id
     WHERE e.worker_id = $1 AND a.month > $2
     ORDER BY 1, 3, 2`,
    [workerId, monthOf(diedOn)],
  );
  return r.rows.map(
    (row): EntitlementLine => ({
      regionCode: textOf(row, 'region_code'),
      entitlementId: textOf(row, 'entitlement_id'),
      kind: textOf(row, 'kind'),
      id: textOf(row, 'id'),
      month: textOf(row, 'month'),
      amountFen: intOf(row, 'amount_fen'),
      status: oneOf(row, 'status', ['issued', 'paid', 'failed']),
    }),
  );
}

/** One open overpayment per entitlement of the worker's own paid after the month of death. */
async function recordOverpayments(
  tx: Executor,
  actor: Actor,
  input: RecordDeathInput,
): Promise<OverpaymentView[]> {
  const byEntitlement = new Map<string, EntitlementLine[]>();
  for (const l of await linesAfter(tx, input.workerId, input.diedOn)) {
    if (!endsWithDeath(l.kind)) continue;
    const key = `${l.regionCode}|${l.entitlementId}`;
    byEntitlement.set(key, [...(byEntitlement.get(key) ?? []), l]);
  }
  const out: OverpaymentView[] = [];
  for (const lines of byEntitlement.values()) {
    const first = lines[0];
    const over = overpaymentAfterDeath(lines, input.diedOn);
    if (first === undefined || over === null) continue;
    const row = {
      regionCode: first.regionCode,
      id: overpaymentId(first.regionCode, first.entitlementId),
      entitlementId: first.entitlementId,
      ...over,
      status: 'open' as const,
    };
    await tx.orm
      .insert(benefitOverpayments)
      .values({ ...row, workerId: input.workerId, reason: 'death', createdBy: actor.username });
    out.push(row);
  }
  return out;
}

/** The recorded death of a worker with its overpayments (null: none recorded). */
export async function deathOf(
  ex: Executor,
  workerId: string,
): Promise<Omit<DeathRecord, 'endedEntitlements'> | null> {
  const [death] = await ex.orm
    .select()
    .from(workerDeaths)
    .where(eq(workerDeaths.workerId, workerId));
  if (death === undefined) return null;
  const overpayments = await ex.orm
    .select({
      regionCode: benefitOverpayments.regionCode,
      id: benefitOverpayments.id,
      entitlementId: benefitOverpayments.entitlementId,
      months: benefitOverpayments.months,
      lineIds: benefitOverpayments.lineIds,
      amountFen: benefitOverpayments.amountFen,
      status: benefitOverpayments.status,
    })
    .from(benefitOverpayments)
    .where(eq(benefitOverpayments.workerId, workerId))
    .orderBy(benefitOverpayments.regionCode, benefitOverpayments.entitlementId)
    .then(onEntitlements);
  return {
    workerId,
    diedOn: death.diedOn,
    source: death.source,
    recordedBy: death.recordedBy,
    overpayments,
    overpaidFen: overpayments.reduce((s, o) => s + o.amountFen, 0),
    personalAccountLeft: await accountLeft(ex, workerId, death.diedOn),
  };
}

/** The personal account's balance left at death (the heirs'), from the worker's retirement. */
async function accountLeft(
  ex: Executor,
  workerId: string,
  diedOn: IsoDate,
): Promise<PersonalAccountLeft | null> {
  const [r] = await ex.orm
    .select({ id: benefitRetirements.id, plan: benefitRetirements.plan })
    .from(benefitRetirements)
    .where(eq(benefitRetirements.workerId, workerId));
  const offset = r?.plan.offset;
  if (r === undefined || offset === undefined) return null;
  return {
    retirementId: r.id,
    balanceFen: offset.balanceFen,
    monthlyOffsetFen: offset.monthlyOffsetFen,
    leftFen: accountLeftAt(offset, diedOn),
    citation: OFFSET_CITATION,
  };
}

/**
 * The rows of months paid on an entitlement: a lump sum's receivable (the advance a reappeared
 * worker's family returns, migration 0060) has no entitlement and is not one of an event's months.
 */
export function onEntitlements<T extends { entitlementId: string | null }>(
  rows: readonly T[],
): (T & { entitlementId: string })[] {
  return rows.flatMap((r) =>
    r.entitlementId === null ? [] : [{ ...r, entitlementId: r.entitlementId }],
  );
}
