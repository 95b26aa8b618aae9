import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import type { MonthBounds } from './payroll-lines.ts';

/**
 * What the checker sees before approving a run (pure): the anomaly guards' findings and the
 * totals the approval is bound to. A finding does not stop the run; the checker decides, and the
 * approval's payload names every finding, so approving is approving them too.
 */
export type PayrollAnomalyCode =
  | 'payment_after_death'
  | 'two_payable_of_kind'
  | 'amount_out_of_band'
  | 'account_changed_this_month'
  | 'account_missing'
  | 'entitlement_not_in_force';

export type PayrollAnomaly = {
  code: PayrollAnomalyCode;
  workerId: string;
  lineIds: string[];
  detail: string;
};

/** One written line as the guards read it. */
export type ReviewLine = {
  id: string;
  workerId: string;
  kind: string;
  amountFen: Fen;
  hasAccount: boolean;
  /** The in-force card account's valid_from (null: no account). */
  accountValidFrom: IsoDate | null;
  /** The worker's recorded date of death, where one is held (null: none recorded). */
  diedOn: IsoDate | null;
};

export type AmountBand = { minFen: Fen; maxFen: Fen };

/** The findings of one line on its own. */
export function lineAnomalies(
  line: ReviewLine,
  m: MonthBounds,
  band: AmountBand,
): PayrollAnomaly[] {
  const out: PayrollAnomaly[] = [];
  const at = (code: PayrollAnomalyCode, detail: string) =>
    out.push({ code, workerId: line.workerId, lineIds: [line.id], detail });
  // Whole months are paid through the month of death; a later month paying is wrong.
  if (line.diedOn !== null && line.diedOn < m.first)
    at('payment_after_death', `${line.kind} for ${m.month} after the death on ${line.diedOn}`);
  if (line.amountFen < band.minFen || line.amountFen > band.maxFen)
    at(
      'amount_out_of_band',
      `${line.kind} ${line.amountFen} fen outside ${band.minFen}–${band.maxFen} fen`,
    );
  if (!line.hasAccount) at('account_missing', 'no social-security card account on record');
  else if (line.accountValidFrom !== null && line.accountValidFrom >= m.first)
    at('account_changed_this_month', `card account recorded from ${line.accountValidFrom}`);
  return out;
}

/**
 * Two lines of one worker and kind in one month: two entitlements covering it (one ended inside
 * the month and its successor, or a data error). The database keeps one *active* per kind; an
 * ended one still pays the months its dates cover, so this can happen and must be looked at.
 */
export function duplicateKindAnomalies(lines: readonly ReviewLine[]): PayrollAnomaly[] {
  const byKey = new Map<string, ReviewLine[]>();
  for (const l of lines) {
    const key = `${l.workerId}|${l.kind}`;
    byKey.set(key, [...(byKey.get(key) ?? []), l]);
  }
  const out: PayrollAnomaly[] = [];
  for (const group of byKey.values()) {
    const first = group[0];
    if (group.length < 2 || first === undefined) continue;
    out.push({
      code: 'two_payable_of_kind',
      workerId: first.workerId,
      lineIds: group.map((l) => l.id).sort(),
      detail: `${group.length} payable ${first.kind} entitlements in the month`,
    });
  }
  return out;
}

/** Stable order: by worker, code, first line (the payload's hash must not depend on read order). */
export function sortAnomalies(list: readonly PayrollAnomaly[]): PayrollAnomaly[] {
  return [...list].sort(
    (a, b) => cmp(a.workerId, b.workerId) || cmp(a.code, b.code) || cmp(a.lineIds[0], b.lineIds[0]),
  );
}

function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export type KindTotal = { kind: string; expenseAccount: string; lines: number; amountFen: Fen };

/** The approval action of a payroll run (maker-checker, src/usecases/approvals/). */
export const PAYROLL_APPROVAL_ACTION = 'benefits.payroll';

export type PayrollApprovalPayload = {
  runId: string;
  regionCode: string;
  month: string;
  lineCount: number;
  totalFen: Fen;
  /** The month lines by kind: what the approval posts (Dr 51xx / Cr 2102). */
  byKind: KindTotal[];
  /** Reissue lines of failed lines of earlier runs: in the file, owed in 2102 already. */
  reissued: { lines: number; amountFen: Fen };
  /** sha256 of the lines in id order (id, entitlement, worker, kind, amount, account number). */
  linesSha256: string;
  anomalies: PayrollAnomaly[];
  /**
   * Deductions for recoveries by offset, by kind: the payable's Cr 1132 (its Dr 51xx is the month
   * lines' amount plus these). Absent when the run has none, so such a run's payload, and its
   * hash, are what they were before offsets existed.
   */
  offsets?: KindTotal[] | undefined;
};

export function payrollApprovalPayload(input: PayrollApprovalPayload): PayrollApprovalPayload {
  const { offsets, ...rest } = input;
  return {
    ...rest,
    byKind: [...input.byKind].sort((a, b) => cmp(a.kind, b.kind)),
    anomalies: sortAnomalies(input.anomalies),
    ...(offsets !== undefined && offsets.length > 0
      ? { offsets: [...offsets].sort((a, b) => cmp(a.kind, b.kind)) }
      : {}),
  };
}

/**
 * One line of the lines digest (the caller hashes them in id order, newline-terminated). A
 * deduction is appended (amount and recovery) only where there is one: a line without it digests
 * as before, and a changed deduction no longer fits the approval.
 */
export function digestLine(l: {
  id: string;
  entitlementId: string;
  workerId: string;
  kind: string;
  amountFen: Fen;
  accountNumber: string | null;
  offsetFen?: Fen | undefined;
  recoveryId?: string | null | undefined;
}): string {
  const offset =
    l.offsetFen !== undefined && l.offsetFen > 0
      ? `|offset ${l.offsetFen} ${l.recoveryId ?? ''}`
      : '';
  return `${l.id}|${l.entitlementId}|${l.workerId}|${l.kind}|${l.amountFen}|${l.accountNumber ?? ''}${offset}\n`;
}
