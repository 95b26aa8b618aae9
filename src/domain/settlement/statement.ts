import type { IsoDate } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { fromDecimal, fromInt, mul, type RoundingRule } from '../../kernel/rational.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';

/**
 * An institution's monthly statement (pure, issue 13; docs/settlement.md §4): our totals for the
 * accounting month (settlements and their negative twins netted), reconciled with the totals the
 * institution declares; the deductions after review; the retained guarantee share (责任保证金);
 * the payable. Amounts are computed per fund segment (the city of each case), because the payment
 * is booked per segment (Dr 2101 / Cr 1003), and the statement's totals are their sums.
 */

/** The guarantee is rounded once per segment, half up to the fen (one named rule). */
export const GUARANTEE_ROUNDING: RoundingRule = 'half_up';

/** The approval action of a statement's payment (maker-checker). */
export const STATEMENT_PAYMENT_ACTION = 'settlement.statement_payment';

export type StatementSettlement = {
  regionCode: string;
  id: string;
  serial: string;
  kind: 'settlement' | 'reversal';
  claimedFen: Fen;
  fundFen: Fen;
};

export type StatementDeduction = {
  regionCode: string;
  settlementId: string;
  lineNo: number;
  deductedFen: Fen;
  reason: string;
};

export type DeclaredTotals = {
  settlementCount: number;
  fundFen: Fen;
  /** The institution's per-settlement detail (明细对账), when it sent one. */
  detail: { serial: string; fundFen: Fen }[] | null;
};

export type SegmentAmounts = {
  segment: string;
  fundFen: Fen;
  deductedFen: Fen;
  guaranteeFen: Fen;
  payableFen: Fen;
};

export type StatementTotals = {
  settlementCount: number;
  reversalCount: number;
  /** settlements − reversals: what the institution's own count must equal. */
  netCount: number;
  claimedFen: Fen;
  fundFen: Fen;
  deductedFen: Fen;
  guaranteeFen: Fen;
  payableFen: Fen;
};

export type Difference = { serial: string; oursFen: Fen | null; theirsFen: Fen | null };

export type Reconciliation =
  | { status: 'not_declared' }
  | { status: 'reconciled'; declared: DeclaredTotals }
  | { status: 'differs'; declared: DeclaredTotals; differences: Difference[] };

export type Statement = {
  institutionId: string;
  month: string;
  /** The share retained, as a decimal string ("0.05"), from the rules in force. */
  guaranteeShare: string;
  totals: StatementTotals;
  segments: SegmentAmounts[];
  reconciliation: Reconciliation;
};

export function computeStatement(input: {
  institutionId: string;
  month: string;
  guaranteeShare: string;
  settlements: readonly StatementSettlement[];
  deductions: readonly StatementDeduction[];
  declared: DeclaredTotals | null;
}): Statement {
  const segments = segmentAmounts(input.settlements, input.deductions, input.guaranteeShare);
  const settlementCount = input.settlements.filter((s) => s.kind === 'settlement').length;
  const reversalCount = input.settlements.length - settlementCount;
  const sum = (pick: (s: SegmentAmounts) => Fen) => segments.reduce((t, s) => t + pick(s), 0);
  const totals: StatementTotals = {
    settlementCount,
    reversalCount,
    netCount: settlementCount - reversalCount,
    claimedFen: input.settlements.reduce((t, s) => t + s.claimedFen, 0),
    fundFen: sum((s) => s.fundFen),
    deductedFen: sum((s) => s.deductedFen),
    guaranteeFen: sum((s) => s.guaranteeFen),
    payableFen: sum((s) => s.payableFen),
  };
  return {
    institutionId: input.institutionId,
    month: input.month,
    guaranteeShare: input.guaranteeShare,
    totals,
    segments,
    reconciliation: reconcile(totals, input.settlements, input.declared),
  };
}

function segmentAmounts(
  settlements: readonly StatementSettlement[],
  deductions: readonly StatementDeduction[],
  guaranteeShare: string,
): SegmentAmounts[] {
  const fund = new Map<string, Fen>();
  const deducted = new Map<string, Fen>();
  for (const s of settlements) fund.set(s.regionCode, (fund.get(s.regionCode) ?? 0) + s.fundFen);
  for (const d of deductions)
    deducted.set(d.regionCode, (deducted.get(d.regionCode) ?? 0) + d.deductedFen);
  const codes = [...new Set([...fund.keys(), ...deducted.keys()])].sort();
  const share = fromDecimal(guaranteeShare);
  return codes.map((segment) => {
    const fundFen = fund.get(segment) ?? 0;
    const deductedFen = deducted.get(segment) ?? 0;
    const base = fundFen - deductedFen;
    // Nothing is retained from a segment the month owes nothing in (reversals exceeding settlements).
    const guaranteeFen = base > 0 ? roundFen(mul(share, fromInt(base)), GUARANTEE_ROUNDING) : 0;
    return { segment, fundFen, deductedFen, guaranteeFen, payableFen: base - guaranteeFen };
  });
}

function reconcile(
  totals: StatementTotals,
  settlements: readonly StatementSettlement[],
  declared: DeclaredTotals | null,
): Reconciliation {
  if (declared === null) return { status: 'not_declared' };
  if (declared.settlementCount === totals.netCount && declared.fundFen === totals.fundFen)
    return { status: 'reconciled', declared };
  return { status: 'differs', declared, differences: differences(settlements, declared.detail) };
}

/**
 * The settlements whose fund share differs between the two sides, by serial: ours only, theirs
 * only, or both with other amounts. Without the institution's detail, every one of ours is listed
 * (it has to find the difference against them).
 */
function differences(
  settlements: readonly StatementSettlement[],
  detail: DeclaredTotals['detail'],
): Difference[] {
  const ours = new Map<string, Fen>();
  for (const s of settlements) ours.set(s.serial, (ours.get(s.serial) ?? 0) + s.fundFen);
  if (detail === null)
    return [...ours].map(([serial, oursFen]) => ({ serial, oursFen, theirsFen: null }));
  const theirs = new Map<string, Fen>();
  for (const d of detail) theirs.set(d.serial, (theirs.get(d.serial) ?? 0) + d.fundFen);
  const serials = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  return serials
    .map((serial) => ({
      serial,
      oursFen: ours.get(serial) ?? null,
      theirsFen: theirs.get(serial) ?? null,
    }))
    .filter((d) => d.oursFen !== d.theirsFen);
}

/** What the checker approves: the amounts, never the reconciliation's working. */
export function statementPayload(s: Statement) {
  return {
    institutionId: s.institutionId,
    month: s.month,
    guaranteeShare: s.guaranteeShare,
    totals: s.totals,
    segments: s.segments,
  };
}
export type StatementPayload = ReturnType<typeof statementPayload>;

/** The ledger account a line's category is booked to (migration 0029's settlement_line_results). */
export const CATEGORY_ACCOUNTS = {
  medical: '5101',
  rehabilitation: '5104',
  device: '5105',
} as const;
export type LineCategory = keyof typeof CATEGORY_ACCOUNTS;

export const INSTITUTIONS_PAYABLE = '2101';
export const DISBURSEMENT_ACCOUNT = '1003';

export function deductionTransactionId(regionCode: string, settlementId: string, lineNo: number) {
  return `settlement-review:${regionCode}:${settlementId}:${lineNo}:deducted`;
}

/** A deduction after review: the payable to the institution falls, and so does the expense. */
export function deductionTransaction(input: {
  regionCode: string;
  settlementId: string;
  lineNo: number;
  category: LineCategory;
  amountFen: Fen;
  effectiveDate: IsoDate;
}): TransactionRequest {
  return {
    id: deductionTransactionId(input.regionCode, input.settlementId, input.lineNo),
    effectiveDate: input.effectiveDate,
    source: { type: 'settlement_review', id: `${input.settlementId}:${input.lineNo}` },
    memo: `人工审核扣款 ${input.settlementId} 第${input.lineNo}行`,
    postings: [
      {
        segment: input.regionCode,
        account: INSTITUTIONS_PAYABLE,
        side: 'debit',
        amountFen: input.amountFen,
      },
      {
        segment: input.regionCode,
        account: CATEGORY_ACCOUNTS[input.category],
        side: 'credit',
        amountFen: input.amountFen,
      },
    ],
  };
}

export function paymentTransactionId(institutionId: string, month: string, segment: string) {
  return `settlement-statement:${institutionId}:${month}:paid:${segment}`;
}

/**
 * The payment of an approved statement: Dr 2101 / Cr 1003 per segment for its payable; the
 * guarantee stays owed in 2101 until it is released. Segments with nothing payable post nothing.
 */
export function paymentTransactions(payload: StatementPayload, on: IsoDate): TransactionRequest[] {
  return payload.segments
    .filter((s) => s.payableFen > 0)
    .map((s) => ({
      id: paymentTransactionId(payload.institutionId, payload.month, s.segment),
      effectiveDate: on,
      source: { type: 'settlement_statement', id: `${payload.institutionId}:${payload.month}` },
      memo: `协议机构月结算支付 ${payload.institutionId} ${payload.month}`,
      postings: [
        {
          segment: s.segment,
          account: INSTITUTIONS_PAYABLE,
          side: 'debit',
          amountFen: s.payableFen,
        },
        {
          segment: s.segment,
          account: DISBURSEMENT_ACCOUNT,
          side: 'credit',
          amountFen: s.payableFen,
        },
      ],
    }));
}
