import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { DISBURSEMENT_ACCOUNT, INSTITUTIONS_PAYABLE } from './statement.ts';

/**
 * The year-end release of the guarantee (责任保证金) retained from an institution's monthly
 * statements (docs/settlement-statements.md, "Release of the guarantee"). Pure: the use case reads
 * the year's paid statements (what each retained, per segment, and the deductions it already
 * counted) and the deductions now on record for those months, and this computes what is released.
 * A deduction recorded after a month was paid was booked Dr 2101 / Cr 51xx against what the fund
 * still owed the institution, which is the guarantee; it is taken from the release.
 */

export const GUARANTEE_RELEASE_ACTION = 'settlement.guarantee_release';

/** One segment of one paid statement: what it retained and the deductions it counted. */
export type PaidStatementSegment = {
  month: string;
  segment: string;
  guaranteeFen: Fen;
  deductedFen: Fen;
};

/** The deductions on record now for a month and segment (all of them, before or after payment). */
export type MonthDeductions = { month: string; segment: string; deductedFen: Fen };

export type ReleaseSegment = {
  segment: string;
  retainedFen: Fen;
  laterDeductedFen: Fen;
  releaseFen: Fen;
};

export type GuaranteeRelease = {
  institutionId: string;
  year: number;
  months: string[];
  segments: ReleaseSegment[];
  totals: { retainedFen: Fen; laterDeductedFen: Fen; releaseFen: Fen };
};

const key = (month: string, segment: string) => `${month}|${segment}`;

/**
 * Per segment: the guarantee retained by the year's paid statements, less the deductions found
 * after each was paid (the month's deductions now less those its payment counted), never below 0:
 * the release pays what is still held, not more.
 */
export function computeGuaranteeRelease(input: {
  institutionId: string;
  year: number;
  paid: readonly PaidStatementSegment[];
  deductionsNow: readonly MonthDeductions[];
}): GuaranteeRelease {
  const now = new Map<string, Fen>();
  for (const d of input.deductionsNow)
    now.set(key(d.month, d.segment), (now.get(key(d.month, d.segment)) ?? 0) + d.deductedFen);
  const bySegment = new Map<string, { retainedFen: Fen; laterDeductedFen: Fen }>();
  for (const p of input.paid) {
    const later = Math.max(0, (now.get(key(p.month, p.segment)) ?? 0) - p.deductedFen);
    const s = bySegment.get(p.segment) ?? { retainedFen: 0, laterDeductedFen: 0 };
    bySegment.set(p.segment, {
      retainedFen: s.retainedFen + p.guaranteeFen,
      laterDeductedFen: s.laterDeductedFen + later,
    });
  }
  const segments = [...bySegment.keys()].sort().map((segment) => {
    const s = bySegment.get(segment)!;
    return { segment, ...s, releaseFen: Math.max(0, s.retainedFen - s.laterDeductedFen) };
  });
  const sum = (pick: (s: ReleaseSegment) => Fen) => segments.reduce((t, s) => t + pick(s), 0);
  return {
    institutionId: input.institutionId,
    year: input.year,
    months: [...new Set(input.paid.map((p) => p.month))].sort(),
    segments,
    totals: {
      retainedFen: sum((s) => s.retainedFen),
      laterDeductedFen: sum((s) => s.laterDeductedFen),
      releaseFen: sum((s) => s.releaseFen),
    },
  };
}

export function releaseTransactionId(institutionId: string, year: number, segment: string) {
  return `settlement-guarantee:${institutionId}:${year}:released:${segment}`;
}

/** The release: Dr 2101 / Cr 1003 per segment with something to release. */
export function releaseTransactions(release: GuaranteeRelease, on: IsoDate): TransactionRequest[] {
  return release.segments
    .filter((s) => s.releaseFen > 0)
    .map((s) => ({
      id: releaseTransactionId(release.institutionId, release.year, s.segment),
      effectiveDate: on,
      source: {
        type: 'settlement_guarantee_release',
        id: `${release.institutionId}:${release.year}`,
      },
      memo: `协议机构责任保证金年终返还 ${release.institutionId} ${release.year}`,
      postings: [
        {
          segment: s.segment,
          account: INSTITUTIONS_PAYABLE,
          side: 'debit',
          amountFen: s.releaseFen,
        },
        {
          segment: s.segment,
          account: DISBURSEMENT_ACCOUNT,
          side: 'credit',
          amountFen: s.releaseFen,
        },
      ],
    }));
}
