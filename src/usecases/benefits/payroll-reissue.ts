import type { Executor } from '../../db/client.ts';
import { boolOf, intOf, type Row, textOf, textOrNullOf } from '../../db/rows.ts';
import { payrollLines } from '../../db/schema.ts';
import { monthBounds, payrollLineId } from '../../domain/benefits/payroll-lines.ts';
import type {
  ReissueBlock,
  ReissuePayloadLine,
} from '../../domain/benefits/payroll-reissue-batch.ts';
import { runRow } from './payroll-store.ts';

/**
 * The reissue of failed lines in the next run of the city (docs/benefits.md, "Reissue of failed
 * lines"). A line failed by the bank, or never sent for want of a card account, is still owed: its
 * amount was posted to 2102 when its run was approved. The next run of the city (a later month)
 * writes one reissue line per such failed line — same entitlement, kind and amount, to the card
 * account in force on the month's last day — after its month lines, so the approval posts nothing
 * new for it and the bank's confirmation settles it Dr 2102 / Cr 1003. Exactly once: the unique
 * index on `reissue_of` (migration 0027) refuses a second reissue of one line, and the candidates
 * exclude a line reissued already, so a rerun after a kill writes nothing twice. Not reissued: a
 * line of a run whose payable is not posted, a line whose beneficiary has no card account now, and
 * a line of the worker's own items for a month after the worker's recorded death, nor one of an
 * entitlement a stop of benefits (第四十二条, benefit-stop.ts) ended, for a month after the stop's, nor
 * one of a survivor's pension a survivor's change ended or suspended (benefit-survivor-change*.ts),
 * for a month after the event's, nor one of a 伤残津贴 a retirement ended, for a month after the
 * retirement's (a back-dated retirement nets it), nor a line whose liability was released as owed
 * to no one (migration 0064, payroll-release.ts or a death's reversal). A survivor's
 * pension's line goes to the dependant's own account (migration 0039), never the worker's, and the
 * worker's death does not stop it (the pension is paid because of it).
 */
const LIMIT = 1000;

/** A failed line to pay again, with the account it goes to: the approved line's fields (domain). */
export type Candidate = Omit<ReissuePayloadLine, 'reissueOf'> & { id: string };

/** A failed line as the rules read it: its month owed, its account now, what blocks it. */
export type ReissueCheck = Omit<
  Candidate,
  'bankName' | 'accountNumber' | 'accountName' | 'accountValidFrom'
> & {
  month: string;
  account: Pick<
    Candidate,
    'bankName' | 'accountNumber' | 'accountName' | 'accountValidFrom'
  > | null;
  blocks: ReissueBlock[];
};

const BLOCK_COLUMNS: readonly ReissueBlock[] = [
  'reissued',
  'after_death',
  'after_stop',
  'after_survivor_end',
  'after_retirement',
  'after_missing',
  'released',
];

function checkOf(r: Row): ReissueCheck {
  const bankName = textOrNullOf(r, 'bank_name');
  const blocks = BLOCK_COLUMNS.filter((b) => boolOf(r, b));
  return {
    id: textOf(r, 'id'),
    entitlementId: textOf(r, 'entitlement_id'),
    workerId: textOf(r, 'worker_id'),
    kind: textOf(r, 'kind'),
    expenseAccount: textOf(r, 'expense_account'),
    amountFen: intOf(r, 'amount_fen'),
    month: textOf(r, 'month'),
    account:
      bankName === null
        ? null
        : {
            bankName,
            accountNumber: textOf(r, 'account_number'),
            accountName: textOf(r, 'account_name'),
            accountValidFrom: textOf(r, 'valid_from'),
          },
    blocks: bankName === null ? [...blocks, 'no_account'] : blocks,
  };
}

/** Any month is before this one: a line of the latest run may be read (outside a run's order). */
export const ANY_MONTH = '9999-12';

/**
 * The named lines as the rules read them for a by-hand action (a reissue batch, a release), every
 * flag read, and the names that are no failed line of the city's approved runs or batches.
 */
export async function namedLineChecks(
  ex: Executor,
  input: { regionCode: string; lineIds: readonly string[]; accountsOn: string },
): Promise<{ checks: ReissueCheck[]; missing: string[] }> {
  const checks = await reissueChecks(ex, {
    regionCode: input.regionCode,
    before: ANY_MONTH,
    accountsOn: input.accountsOn,
    lineIds: input.lineIds,
    usable: false,
    limit: input.lineIds.length,
  });
  const found = new Set(checks.map((c) => c.id));
  return { checks, missing: input.lineIds.filter((id) => !found.has(id)) };
}

/**
 * The one statement of the reissue's rules (hand SQL, read through rows.ts mappers): the city's
 * failed lines of runs whose payable is posted — and of reissue batches (migration 0059) — owed for
 * a month before `before` (a reissue line's month owed is its `reissue_month`, migration 0066), each with the card account in
 * force on `accountsOn` and a flag per rule that forbids paying it again. The next run takes only
 * the unblocked ones (`usable`, in SQL, a page at a time); a reissue by hand names its lines
 * (`lineIds`) and reads every flag, to refuse a blocked line with its reason.
 */
export async function reissueChecks(
  ex: Executor,
  input: {
    regionCode: string;
    before: string;
    accountsOn: string;
    lineIds: readonly string[] | null;
    usable: boolean;
    limit: number;
    /** Keyset paging of the failed-lines list (payroll-failed-lines.ts): ids after this one. */
    after?: string | null;
    /** Leave out lines paid again or released already (the list's open lines; `usable` implies it). */
    unreissued?: boolean;
  },
): Promise<ReissueCheck[]> {
  const filter = input.usable
    ? 'WHERE NOT reissued AND NOT after_death AND NOT after_stop AND NOT after_survivor_end AND NOT after_retirement AND NOT after_missing AND NOT released AND bank_name IS NOT NULL'
    : input.unreissued === true
      ? 'WHERE NOT reissued AND NOT released'
      : '';
  const r = await ex.query(
    `SELECT * FROM (
     SELECT f.id, f.entitlement_id, f.worker_id, f.kind, f.expense_account, f.amount_fen,
       a.bank_name, a.account_number, a.account_name, a.valid_from::text,
       m.month,
       EXISTS (SELECT 1 FROM payroll_lines x
               WHERE x.region_code = f.region_code AND x.reissue_of = f.id) AS reissued,
       (e.dependant_id IS NULL AND d.died_on IS NOT NULL
        AND d.died_on < (m.month || '-01')::date) AS after_death,
       EXISTS (SELECT 1 FROM benefit_stops s
               WHERE s.region_code = f.region_code AND s.worker_id = f.worker_id
                 AND s.ended @> jsonb_build_array(jsonb_build_object('id', f.entitlement_id))
                 AND m.month > to_char(s.effective_on, 'YYYY-MM')) AS after_stop,
       EXISTS (SELECT 1 FROM benefit_survivor_changes c
               WHERE c.region_code = f.region_code AND c.status = 'applied'
                 AND c.ended_entitlement_id = f.entitlement_id
                 AND m.month > c.last_paid_month) AS after_survivor_end,
       -- A 伤残津贴 a retirement ended, for a month after the retirement's: a back-dated
       -- retirement nets that month in its overpayment (benefit-retirement.ts).
       EXISTS (SELECT 1 FROM benefit_retirements t
               WHERE t.region_code = f.region_code AND t.worker_id = f.worker_id
                 AND t.plan->'ended' @> jsonb_build_array(jsonb_build_object('id', f.entitlement_id))
                 AND m.month > to_char(t.retired_on, 'YYYY-MM')) AS after_retirement,
       -- A worker's own item the whereabouts-unknown event (第四十一条) ended, for a month after the
       -- accident's: the event counted such a month as overpaid (benefit-missing.ts).
       EXISTS (SELECT 1 FROM benefit_missing mi
               WHERE mi.region_code = f.region_code AND mi.worker_id = f.worker_id
                 AND mi.ended @> jsonb_build_array(jsonb_build_object('id', f.entitlement_id))
                 AND m.month > to_char(mi.accident_date, 'YYYY-MM')) AS after_missing,
       -- Owed to no one and its liability released (migration 0064: a release or a death's reversal).
       EXISTS (SELECT 1 FROM payroll_released_lines z
               WHERE z.region_code = f.region_code AND z.line_id = f.id) AS released
     FROM payroll_lines f
     LEFT JOIN payroll_runs r ON r.region_code = f.region_code AND r.id = f.run_id
     CROSS JOIN LATERAL (SELECT coalesce(f.reissue_month, r.month)::text AS month) m
     JOIN benefit_entitlements e ON e.region_code = f.region_code AND e.id = f.entitlement_id
     LEFT JOIN LATERAL (
       SELECT s.bank_name, s.account_number, s.account_name, s.valid_from
       FROM social_security_card_accounts s
       WHERE s.worker_id = f.worker_id AND e.dependant_id IS NULL AND s.valid_from <= $3::date
       UNION ALL
       SELECT c.bank_name, c.account_number, c.account_name, c.valid_from
       FROM dependant_card_accounts c
       WHERE c.region_code = e.region_code AND c.dependant_id = e.dependant_id
         AND c.valid_from <= $3::date
       ORDER BY valid_from DESC LIMIT 1) a ON true
     LEFT JOIN worker_deaths d ON d.worker_id = f.worker_id
     WHERE f.region_code = $1 AND f.status = 'failed' AND m.month < $2
       AND (f.batch_id IS NOT NULL OR r.status IN ('approved', 'file_issued', 'reconciled'))
       AND ($5::text[] IS NULL OR f.id = ANY($5::text[]))
       AND ($6::text IS NULL OR f.id > $6::text)) c
     ${filter}
     ORDER BY id LIMIT $4`,
    [
      input.regionCode,
      input.before,
      input.accountsOn,
      input.limit,
      input.lineIds === null ? null : [...input.lineIds],
      input.after ?? null,
    ],
  );
  return r.rows.map(checkOf);
}

/** The next run's candidates: failed lines of earlier months, accounts of the month's last day. */
async function candidates(
  tx: Executor,
  run: { regionCode: string; month: string },
): Promise<Candidate[]> {
  const checks = await reissueChecks(tx, {
    regionCode: run.regionCode,
    before: run.month,
    accountsOn: monthBounds(run.month).last,
    lineIds: null,
    usable: true,
    limit: LIMIT,
  });
  return checks.flatMap((c) => (c.account === null ? [] : [{ ...c, ...c.account }]));
}

/**
 * One batch of reissue lines under the run's lock, while it computes (after its month lines).
 * Answers 'done' when no candidate is left.
 */
export async function computeReissues(
  tx: Executor,
  run: { regionCode: string; id: string; month: string },
): Promise<'more' | 'done'> {
  const locked = await runRow(tx, run.regionCode, run.id, true);
  if (locked === null || locked.status !== 'computing') return 'done';
  const found = await candidates(tx, run);
  if (found.length === 0) return 'done';
  await tx.orm.insert(payrollLines).values(
    found.map((c) => ({
      regionCode: run.regionCode,
      id: payrollLineId(run.id, `reissue|${c.id}`),
      runId: run.id,
      entitlementId: c.entitlementId,
      workerId: c.workerId,
      kind: c.kind,
      expenseAccount: c.expenseAccount,
      amountFen: c.amountFen,
      bankName: c.bankName,
      accountNumber: c.accountNumber,
      accountName: c.accountName,
      accountValidFrom: c.accountValidFrom,
      status: 'issued' as const,
      reissueOf: c.id,
      // The month it was owed for (migration 0066), whichever run pays it again.
      reissueMonth: c.month,
    })),
  );
  await tx.query(
    `UPDATE payroll_runs SET line_count = line_count + $3, total_fen = total_fen + $4
     WHERE region_code = $1 AND id = $2`,
    [run.regionCode, run.id, found.length, found.reduce((s, c) => s + c.amountFen, 0)],
  );
  return found.length < LIMIT ? 'done' : 'more';
}

/** The reissue lines of a run (lines, fen): in the file, not in the payable. */
export async function reissueTotal(
  ex: Executor,
  run: { regionCode: string; id: string },
): Promise<{ lines: number; amountFen: number }> {
  const r = await ex.query(
    `SELECT count(*)::int AS lines, coalesce(sum(amount_fen), 0)::bigint AS amount_fen
     FROM payroll_lines WHERE region_code = $1 AND run_id = $2 AND reissue_of IS NOT NULL`,
    [run.regionCode, run.id],
  );
  const row = r.rows[0] ?? {};
  return { lines: intOf(row, 'lines'), amountFen: intOf(row, 'amount_fen') };
}
