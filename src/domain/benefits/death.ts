import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import { monthOf } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { BENEFITS_PAYABLE } from './ledger-postings.ts';
import { monthBounds } from './payroll-lines.ts';

/**
 * The death event's effects on a worker's own periodic entitlements (pure). 《工伤保险条例》第三十九条
 * (quoted whole in docs/benefits.md, "Death") gives the survivors' items and does not say when the
 * worker's own items stop. 《河南省工伤保险条例》第三十条第一款 starts the survivors' pension the month after:
 * "供养亲属抚恤金自职工死亡的次月起支付。" — so the worker's own items are paid through the month of
 * death, whole, and end on its last day. That end is our reading, applied in every province.
 */

/** The dependants' pension is theirs, not the worker's: a death does not end it. */
export function endsWithDeath(kind: string): boolean {
  return kind !== 'survivor_pension';
}

/** The last day a worker's own item is paid: the last day of the month of death. */
export function deathMonthEnd(diedOn: IsoDate): IsoDate {
  return monthBounds(monthOf(diedOn)).last;
}

export type EntitlementDates = {
  id: string;
  kind: string;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  status: 'active' | 'ended';
};

/**
 * The entitlement's dates after the death (null: the death does not change it). One starting after
 * the month of death never pays: ended without an end date (the payroll pays such a one nothing).
 */
export function endedByDeath(
  e: EntitlementDates,
  diedOn: IsoDate,
): { endsOn: IsoDate | null; status: 'ended' } | null {
  if (!endsWithDeath(e.kind)) return null;
  const last = deathMonthEnd(diedOn);
  if (e.startsOn > last)
    return e.status === 'ended' && e.endsOn === null ? null : { endsOn: null, status: 'ended' };
  if (e.endsOn !== null && e.endsOn <= last) return null;
  return { endsOn: last, status: 'ended' };
}

/** A payroll line of the entitlement as the overpayment reads it. */
export type PaidLine = {
  id: string;
  month: string;
  amountFen: Fen;
  status: 'issued' | 'paid' | 'failed';
};

export type Overpayment = { months: string[]; lineIds: string[]; amountFen: Fen };

/**
 * What was paid for months after the month of death: lines confirmed by the bank (`paid`) or sent
 * and not yet answered (`issued`: the money has left). Failed lines paid nothing. Null: nothing.
 */
export function overpaymentAfterDeath(
  lines: readonly PaidLine[],
  diedOn: IsoDate,
): Overpayment | null {
  const deathMonth = monthOf(diedOn);
  const after = lines
    .filter((l) => l.month > deathMonth && l.status !== 'failed')
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.id < b.id ? -1 : 1));
  if (after.length === 0) return null;
  return {
    months: [...new Set(after.map((l) => l.month))],
    lineIds: after.map((l) => l.id),
    amountFen: after.reduce((s, l) => s + l.amountFen, 0),
  };
}

/** Derived from the entitlement and the reason: recording again finds the same record. */
export function overpaymentId(regionCode: string, entitlementId: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${entitlementId}|death`);
  return `ovp_${digest.digest('hex').slice(0, 20)}`;
}

/** A failed line for a month after the death, never reissued: owed to no one. */
export type FailedLine = {
  regionCode: string;
  id: string;
  month: string;
  expenseAccount: string;
  amountFen: Fen;
};

/**
 * The reversal of the liability of failed lines for months after the month of death (one
 * transaction per city, the ledger's segment): their payable was posted (Dr 51xx / Cr 2102) when
 * their run was approved, nothing was paid, and nothing is owed, so Dr 2102 / Cr 51xx by expense
 * account. Idempotent by its id (one per worker and city: a death is recorded once).
 */
export function deathReversalTransactions(input: {
  workerId: string;
  lines: readonly FailedLine[];
  diedOn: IsoDate;
  on: IsoDate;
}): TransactionRequest[] {
  const deathMonth = monthOf(input.diedOn);
  const byRegion = new Map<string, Map<string, Fen>>();
  for (const l of input.lines) {
    if (l.month <= deathMonth) continue;
    const accounts = byRegion.get(l.regionCode) ?? new Map<string, Fen>();
    accounts.set(l.expenseAccount, (accounts.get(l.expenseAccount) ?? 0) + l.amountFen);
    byRegion.set(l.regionCode, accounts);
  }
  return [...byRegion.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([segment, accounts]) => {
      const legs = [...accounts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      const total = legs.reduce((s, [, fen]) => s + fen, 0);
      return {
        id: `benefit-death:${input.workerId}:${segment}:reversal`,
        effectiveDate: input.on,
        source: { type: 'benefit.death', id: input.workerId },
        memo: '死亡后月份的失败发放冲回 failed payroll lines after a death reversed',
        postings: [
          { segment, account: BENEFITS_PAYABLE, side: 'debit' as const, amountFen: total },
          ...legs.map(([account, amountFen]) => ({
            segment,
            account,
            side: 'credit' as const,
            amountFen,
          })),
        ],
      };
    });
}
