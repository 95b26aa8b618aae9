import { createHash } from 'node:crypto';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { periodEnd } from '../fund/ledger/periods.ts';

/**
 * What an assessment run posts and what its checker approves (ADR 0010). Pure.
 *
 * A run posts the DIFFERENCE between the new assessment versions and the versions they replace, in
 * the employer's city segment, effective the month's last day: Dr 1131 应收工伤保险费 / Cr 4101
 * 工伤保险费收入 when it grows, the reverse when it shrinks, nothing when it is zero.
 */
export const ASSESSMENT_ACTION = 'contributions.assessment';
export const ASSESSMENT_SOURCE_TYPE = 'contribution_assessment';

/** One employer's new assessment version, as the run computes it. */
export type AssessedLine = {
  employerId: string;
  version: number;
  declarationId: string;
  amountFen: number;
  previousAmountFen: number;
};

export function assessmentRunSeqId(city: string, month: string, seq: number): string {
  return `asr_${city}_${month.replace('-', '')}_${String(seq).padStart(3, '0')}`;
}

export function assessmentTransactionId(city: string, month: string, seq: number): string {
  return `contributions:assessment:${city}:${month}:${seq}`;
}

/** sha256 of the per-employer lines in employer-id order: binds the approval to every amount. */
export function amountsSha256(lines: readonly AssessedLine[]): string {
  const text = [...lines]
    .sort((a, b) => (a.employerId < b.employerId ? -1 : a.employerId > b.employerId ? 1 : 0))
    .map(
      (l) =>
        `${l.employerId}|${l.version}|${l.declarationId}|${l.amountFen}|${l.previousAmountFen}`,
    )
    .join('\n');
  return createHash('sha256').update(text).digest('hex');
}

export type AssessmentPayload = {
  city: string;
  month: string;
  runSeq: number;
  employerCount: number;
  amountTotalFen: number;
  differenceFen: number;
  amountsSha256: string;
};

/** What the checker approves: the city-month, the run, the counts, the totals and the amounts' hash. */
export function assessmentPayload(
  city: string,
  month: string,
  runSeq: number,
  lines: readonly AssessedLine[],
): AssessmentPayload {
  let amountTotalFen = 0;
  let differenceFen = 0;
  for (const l of lines) {
    amountTotalFen += l.amountFen;
    differenceFen += l.amountFen - l.previousAmountFen;
  }
  return {
    city,
    month,
    runSeq,
    employerCount: lines.length,
    amountTotalFen,
    differenceFen,
    amountsSha256: amountsSha256(lines),
  };
}

/** The run's one ledger transaction, or null when the difference is zero. */
export function assessmentTransaction(
  payload: AssessmentPayload,
  runId: string,
  parameterSnapshotId: string,
): TransactionRequest | null {
  const { city, month, differenceFen } = payload;
  if (differenceFen === 0) return null;
  const amountFen = Math.abs(differenceFen);
  const [debit, credit] = differenceFen > 0 ? ['1131', '4101'] : ['4101', '1131'];
  return {
    id: assessmentTransactionId(city, month, payload.runSeq),
    effectiveDate: periodEnd(month),
    source: { type: ASSESSMENT_SOURCE_TYPE, id: runId },
    parameterSnapshotId,
    memo: `${month} 工伤保险费核定 ${city}（第${payload.runSeq}次，${payload.employerCount}户）`,
    postings: [
      { segment: city, account: debit, side: 'debit', amountFen },
      { segment: city, account: credit, side: 'credit', amountFen },
    ],
  };
}
