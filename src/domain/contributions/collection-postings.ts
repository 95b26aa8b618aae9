import { createHash } from 'node:crypto';
import { accountCode, DUE_FROM, DUE_TO, provinceOfSegment } from '../fund/ledger/accounts.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';

/**
 * Posting of collected contributions (ADR 0010). Pure.
 *
 * The tax bureau pays collected contributions into the fiscal special account (财政专户), which the
 * fund's existing flows hold as 1001 (the unified-mode sweep transfers a city's swept income out of
 * its 1001), so a batch posts, in the employer's city segment: Dr 1001 财政专户存款 for the cash,
 * Cr 1131 应收工伤保险费 for the part that settles assessed contributions, Cr 2103 暂收款 for the part
 * beyond what was assessed for that employer-month (an overpayment, held until refunded or assessed).
 *
 * A record another city received and forwarded (`forwardedFrom`, collection-forward.ts) is cash in
 * that city's 1001, and cities never trade directly (docs/ledger.md): its posting debits the
 * receiving city's 1001 and passes the cash up and down through the province's due accounts, so the
 * employer's city debits 1151:<province> instead of 1001. Its `…:transfer` transaction, posted with
 * it under the same approval as the sweep's transfer is, settles the due accounts: the cash leaves
 * the receiving city's 1001 for the province's and reaches the employer's city's 1001.
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
  forwardedFrom: string | null = null,
): CollectionPayload {
  // A project record adds its project to its line; other lines read as before 0026. A forwarded
  // batch adds a last line naming the city whose 1001 holds the cash, so the checker's approval
  // binds the segments the money is posted in.
  const lines = records.map(
    (r) =>
      `${r.voucher}|${r.employerId}|${r.month}|${r.amountFen}|${r.appliedFen}|${r.overpaidFen}${r.projectId === null ? '' : `|${r.projectId}`}`,
  );
  if (forwardedFrom !== null) lines.push(`forwarded-from|${forwardedFrom}`);
  const text = lines.join('\n');
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
  forwardedFrom: string | null = null,
): TransactionRequest {
  const { city, totalFen, appliedFen, overpaidFen } = payload;
  // ISO dates order as text: the last one is the latest 入库日期.
  const effectiveDate =
    records
      .map((r) => r.paidOn)
      .sort()
      .at(-1) ?? '0000-01-01';
  const postings =
    forwardedFrom === null
      ? [{ segment: city, account: '1001', side: 'debit' as const, amountFen: totalFen }]
      : forwardedCashLegs(city, forwardedFrom, totalFen);
  if (appliedFen > 0)
    postings.push({ segment: city, account: '1131', side: 'credit', amountFen: appliedFen });
  if (overpaidFen > 0)
    postings.push({ segment: city, account: '2103', side: 'credit', amountFen: overpaidFen });
  return {
    id: collectionTransactionId(payload.importId, payload.postingSeq),
    effectiveDate,
    source: { type: COLLECTION_SOURCE_TYPE, id: `${payload.importId}:${payload.postingSeq}` },
    memo: `工伤保险费征收入账 ${city} 批次 ${payload.importId}（${payload.recordCount}笔）${forwardedFrom === null ? '' : ` 转交自 ${forwardedFrom}`}`,
    postings,
  };
}

/**
 * The cash of a forwarded batch: the receiving city's 1001 and its due to the province, the
 * province's due from that city and due to the employer's city, the employer's city's due from the
 * province (which the caller credits to 1131 / 2103 as any collection).
 */
export function forwardedCashLegs(
  city: string,
  forwardedFrom: string,
  amountFen: number,
): TransactionRequest['postings'][number][] {
  const province = provinceOfSegment(city);
  return [
    { segment: forwardedFrom, account: '1001', side: 'debit', amountFen },
    { segment: forwardedFrom, account: accountCode(DUE_TO, province), side: 'credit', amountFen },
    { segment: province, account: accountCode(DUE_FROM, forwardedFrom), side: 'debit', amountFen },
    { segment: province, account: accountCode(DUE_TO, city), side: 'credit', amountFen },
    { segment: city, account: accountCode(DUE_FROM, province), side: 'debit', amountFen },
  ];
}

/**
 * The bank transfer of a forwarded batch's cash (as the sweep's `…:transfer`): the receiving city
 * pays the province, the province pays the employer's city; every due account is settled and the
 * employer's city's 1001 holds the cash its 1131 / 2103 were credited for.
 */
export function forwardTransferTransaction(
  collection: TransactionRequest,
  payload: CollectionPayload,
  forwardedFrom: string,
): TransactionRequest {
  const { city, totalFen: amountFen } = payload;
  const province = provinceOfSegment(city);
  return {
    id: `${collection.id}:transfer`,
    effectiveDate: collection.effectiveDate,
    source: collection.source,
    memo: `转交征收款划转 ${forwardedFrom} → ${province} → ${city} 批次 ${payload.importId}`,
    postings: [
      { segment: forwardedFrom, account: accountCode(DUE_TO, province), side: 'debit', amountFen },
      { segment: forwardedFrom, account: '1001', side: 'credit', amountFen },
      { segment: province, account: '1001', side: 'debit', amountFen },
      {
        segment: province,
        account: accountCode(DUE_FROM, forwardedFrom),
        side: 'credit',
        amountFen,
      },
      { segment: province, account: accountCode(DUE_TO, city), side: 'debit', amountFen },
      { segment: province, account: '1001', side: 'credit', amountFen },
      { segment: city, account: '1001', side: 'debit', amountFen },
      { segment: city, account: accountCode(DUE_FROM, province), side: 'credit', amountFen },
    ],
  };
}
