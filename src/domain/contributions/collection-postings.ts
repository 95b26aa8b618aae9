import { createHash } from 'node:crypto';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';

/**
 * Posting of collected contributions (ADR 0010). Pure.
 *
 * The tax bureau pays collected contributions into the fiscal special account (财政专户), which the
 * fund's existing flows hold as 1001 (the unified-mode sweep transfers a city's swept income out of
 * its 1001), so a batch posts, in the employer's city segment: Dr 1001 财政专户存款 for the cash,
 * Cr 1131 应收工伤保险费 for the part that settles assessed contributions, Cr 2103 暂收款 for the part
 * beyond what was assessed for that employer-month (an overpayment, held until refunded or assessed).
 */
export const COLLECTION_ACTION = 'contributions.collections';
export const COLLECTION_SOURCE_TYPE = 'contribution_collection';

export type MatchedRecord = {
  voucher: string;
  employerId: string;
  /** YYYY-MM */
  month: string;
  amountFen: number;
  paidOn: string;
  /** The project the record pays (按项目参保), or null: it pays the employer-month. */
  projectId: string | null;
};

/** What a record pays: `project|<id>` or `<employerId>|<month>` (the keys of `outstanding`). */
export function receivableKey(
  r: Pick<MatchedRecord, 'employerId' | 'month' | 'projectId'>,
): string {
  return r.projectId === null ? `${r.employerId}|${r.month}` : `project|${r.projectId}`;
}

export type AppliedRecord = MatchedRecord & { appliedFen: number; overpaidFen: number };

/**
 * Splits each record into the part that settles the outstanding receivable it pays (an
 * employer-month's assessment, or a project's one-off contribution) and the overpayment, in voucher
 * order (deterministic). `outstanding` is keyed by `receivableKey` and is the receivable minus what
 * earlier postings applied; it is not changed.
 */
export function applyToReceivables(
  records: readonly MatchedRecord[],
  outstanding: ReadonlyMap<string, number>,
): AppliedRecord[] {
  const left = new Map(outstanding);
  return [...records]
    .sort((a, b) => (a.voucher < b.voucher ? -1 : a.voucher > b.voucher ? 1 : 0))
    .map((r) => {
      const key = receivableKey(r);
      const open = Math.max(0, left.get(key) ?? 0);
      const appliedFen = Math.min(open, r.amountFen);
      left.set(key, open - appliedFen);
      return { ...r, appliedFen, overpaidFen: r.amountFen - appliedFen };
    });
}

export type CollectionPayload = {
  city: string;
  importId: string;
  postingSeq: number;
  recordCount: number;
  totalFen: number;
  appliedFen: number;
  overpaidFen: number;
  recordsSha256: string;
};

export function collectionTransactionId(importId: string, seq: number): string {
  return `contributions:collection:${importId}:${seq}`;
}

/** What the checker approves: the batch, its totals and a hash of every record's split. */
export function collectionPayload(
  city: string,
  importId: string,
  postingSeq: number,
  records: readonly AppliedRecord[],
): CollectionPayload {
  // A project record adds its project to its line; other lines read as before 0026.
  const text = records
    .map(
      (r) =>
        `${r.voucher}|${r.employerId}|${r.month}|${r.amountFen}|${r.appliedFen}|${r.overpaidFen}${r.projectId === null ? '' : `|${r.projectId}`}`,
    )
    .join('\n');
  let totalFen = 0;
  let appliedFen = 0;
  for (const r of records) {
    totalFen += r.amountFen;
    appliedFen += r.appliedFen;
  }
  return {
    city,
    importId,
    postingSeq,
    recordCount: records.length,
    totalFen,
    appliedFen,
    overpaidFen: totalFen - appliedFen,
    recordsSha256: createHash('sha256').update(text).digest('hex'),
  };
}

/**
 * The batch's one transaction, effective the latest 入库日期 of its records (the day the last of
 * the money was in the account).
 */
export function collectionTransaction(
  payload: CollectionPayload,
  records: readonly AppliedRecord[],
): TransactionRequest {
  const { city, totalFen, appliedFen, overpaidFen } = payload;
  // ISO dates order as text: the last one is the latest 入库日期.
  const effectiveDate =
    records
      .map((r) => r.paidOn)
      .sort()
      .at(-1) ?? '0000-01-01';
  const postings: TransactionRequest['postings'][number][] = [
    { segment: city, account: '1001', side: 'debit', amountFen: totalFen },
  ];
  if (appliedFen > 0)
    postings.push({ segment: city, account: '1131', side: 'credit', amountFen: appliedFen });
  if (overpaidFen > 0)
    postings.push({ segment: city, account: '2103', side: 'credit', amountFen: overpaidFen });
  return {
    id: collectionTransactionId(payload.importId, payload.postingSeq),
    effectiveDate,
    source: { type: COLLECTION_SOURCE_TYPE, id: `${payload.importId}:${payload.postingSeq}` },
    memo: `工伤保险费征收入账 ${city} 批次 ${payload.importId}（${payload.recordCount}笔）`,
    postings,
  };
}
