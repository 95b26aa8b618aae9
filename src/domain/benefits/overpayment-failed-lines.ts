import type { Fen } from '../../kernel/money.ts';
import type { OverpaymentReason } from './recovery.ts';

/**
 * A line the bank fails after an overpayment counted it (docs/benefits.md, "Recovering
 * overpayments", "A line the bank fails later"). An overpayment counts a line sent to the bank
 * (`issued`) as paid — the money is gone unless the bank says otherwise — so when the bank's return
 * fails it, nothing was paid for that month and the line leaves the overpayment. Pure: the use case
 * reads the overpayments naming the failed lines and writes what this returns.
 *
 * Only the reasons that count each line whole (what the bank was to pay for a month not owed at
 * all) are reduced here; a correction's and a retirement's overpayment count a month's difference
 * (paid − due), which a failed line changes in a way only a new computation gives, and an
 * overpayment under recovery has its receivable recognised already: those are left as they are and
 * named for review (the recovery's decision refuses an overpayment with a failed line).
 */
export const WHOLE_LINE_REASONS: readonly OverpaymentReason[] = [
  'death',
  'suspension',
  'missing',
  'survivor_end',
  'missing_reappeared',
];

export type CountedOverpayment = {
  id: string;
  reason: OverpaymentReason;
  months: readonly string[];
  lineIds: readonly string[];
  amountFen: Fen;
  /** A recovery was decided for it (its receivable is in 1132). */
  recovering: boolean;
};

/** A line of the overpayment, as the payroll holds it now: the month it was owed for. */
export type CountedLine = { id: string; month: string; amountFen: Fen; failed: boolean };

export type OverpaymentReduction =
  | {
      kind: 'reduced';
      id: string;
      removed: { lineId: string; month: string; amountFen: Fen }[];
      after: { months: string[]; lineIds: string[]; amountFen: Fen; status: 'open' | 'cancelled' };
    }
  | { kind: 'review'; id: string; reason: OverpaymentReason; lineIds: string[] };

/**
 * The overpayment without its failed lines. `lines` are the overpayment's own lines read now (every
 * id of `lineIds`); the amount falls by what each failed line had counted, and a month stays while
 * another counted line of it does. Lines that do not sum to the amount (a record this rule did not
 * make) are named for review rather than guessed at: the bank's return itself must still import.
 */
export function withoutFailedLines(
  o: CountedOverpayment,
  lines: readonly CountedLine[],
): OverpaymentReduction | null {
  const failed = lines.filter((l) => l.failed && o.lineIds.includes(l.id));
  if (failed.length === 0) return null;
  const review: OverpaymentReduction = {
    kind: 'review',
    id: o.id,
    reason: o.reason,
    lineIds: failed.map((l) => l.id),
  };
  if (o.recovering || !WHOLE_LINE_REASONS.includes(o.reason)) return review;
  const counted = o.lineIds.map((id) => lines.find((l) => l.id === id));
  const sum = counted.reduce((s, l) => s + (l?.amountFen ?? Number.NaN), 0);
  if (sum !== o.amountFen) return review;
  const kept = counted.filter((l): l is CountedLine => l !== undefined && !l.failed);
  const amountFen = kept.reduce((s, l) => s + l.amountFen, 0);
  const months = o.months.filter((m) => kept.some((l) => l.month === m));
  return {
    kind: 'reduced',
    id: o.id,
    removed: failed.map((l) => ({ lineId: l.id, month: l.month, amountFen: l.amountFen })),
    after: {
      months,
      lineIds: kept.map((l) => l.id),
      amountFen,
      status: kept.length === 0 ? 'cancelled' : 'open',
    },
  };
}
