import type { TransactionRequest } from '../fund/ledger/ledger.ts';

/**
 * The receivable of a project's one-off contribution (按项目参保, docs/contributions.md). Pure.
 *
 * Registering a project posts what the contractor owes, in its city segment, effective the day of
 * registration: Dr 1131 应收工伤保险费 / Cr 4101 工伤保险费收入, like a month's assessment (the
 * contribution is income when assessed; the tax bureau's payment then settles the receivable). The
 * id is deterministic from the project id, so a replay of the same posting is recognised by the
 * ledger as already recorded and a different one is refused (ledger.idempotency_conflict).
 */
export const PROJECT_SOURCE_TYPE = 'construction_project';

export function projectTransactionId(projectId: string): string {
  return `contributions:project:${projectId}`;
}

export type ProjectReceivable = {
  regionCode: string;
  projectId: string;
  projectName: string;
  contributionFen: number;
  /** The registration day (YYYY-MM-DD): the posting's effective date. */
  registeredOn: string;
};

/** The registration's one ledger transaction, or null when the contribution is 0 fen. */
export function projectReceivableTransaction(
  p: ProjectReceivable,
  parameterSnapshotId: string,
): TransactionRequest | null {
  if (p.contributionFen === 0) return null;
  const amountFen = p.contributionFen;
  return {
    id: projectTransactionId(p.projectId),
    effectiveDate: p.registeredOn,
    source: { type: PROJECT_SOURCE_TYPE, id: p.projectId },
    parameterSnapshotId,
    memo: `按项目参保一次性工伤保险费 ${p.regionCode} ${p.projectName}`,
    postings: [
      { segment: p.regionCode, account: '1131', side: 'debit', amountFen },
      { segment: p.regionCode, account: '4101', side: 'credit', amountFen },
    ],
  };
}
