import { hash } from 'node:crypto';
import type { IsoDate } from '../../../kernel/dates.ts';
import type { Fen } from '../../../kernel/money.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import {
  DUE_FROM,
  DUE_TO,
  type ParsedAccountCode,
  parseAccountCode,
  type SegmentKind,
  segmentKindOf,
} from './accounts.ts';
import { isValidDate } from './periods.ts';

/**
 * Journal requests, their validation and their canonical hash (pure). The database enforces the
 * same balance rules again (docs/ledger.md); this module gives the caller a typed refusal first.
 */
export type PostingSide = 'debit' | 'credit';

export type PostingRequest = {
  /** Fund segment code: '330000', '330000-ADJ', '330100'. */
  segment: string;
  /** Account code inside the segment: '4101', '1151:330100'. */
  account: string;
  side: PostingSide;
  /** Integer fen, > 0. */
  amountFen: Fen;
};

export type TransactionRequest = {
  /** Client-supplied id = idempotency key (persist it before submitting; reuse it on retry). */
  id: string;
  effectiveDate: IsoDate;
  /** The business event that caused the transaction. */
  source: { type: string; id: string };
  /** Parameter snapshot behind the amounts, when rules were applied. */
  parameterSnapshotId?: string | null | undefined;
  memo?: string | null | undefined;
  /** Id of the transaction this one corrects (corrections never update). */
  corrects?: string | null | undefined;
  /** Two-phase: a pending transaction counts only in pending balances until posted or voided. */
  pending?: boolean | undefined;
  postings: readonly PostingRequest[];
};

export type LedgerRefusalCode =
  | 'ledger.invalid_request'
  | 'ledger.unbalanced'
  | 'ledger.inter_segment_mismatch'
  | 'ledger.unknown_segment'
  | 'ledger.unknown_account'
  | 'ledger.unknown_region'
  | 'ledger.idempotency_conflict'
  | 'ledger.corrected_not_found'
  | 'ledger.period_not_open'
  | 'ledger.period_closed'
  | 'ledger.period_has_pending'
  | 'ledger.invalid_period'
  | 'ledger.pending_not_found'
  | 'ledger.not_pending'
  | 'ledger.pending_already_resolved';

/** The canonical form hashed for idempotency: every field, defaults made explicit. */
export type CanonicalRequest = {
  effectiveDate: string;
  sourceType: string;
  sourceId: string;
  parameterSnapshotId: string | null;
  memo: string | null;
  corrects: string | null;
  pending: boolean;
  postings: { segment: string; account: string; side: PostingSide; amountFen: number }[];
};

export function canonicalRequest(req: TransactionRequest): CanonicalRequest {
  return {
    effectiveDate: req.effectiveDate,
    sourceType: req.source.type,
    sourceId: req.source.id,
    parameterSnapshotId: req.parameterSnapshotId ?? null,
    memo: req.memo ?? null,
    corrects: req.corrects ?? null,
    pending: req.pending === true,
    postings: req.postings.map((p) => ({
      segment: p.segment,
      account: p.account,
      side: p.side,
      amountFen: p.amountFen,
    })),
  };
}

/**
 * sha256 of the canonical request. The serialisation is positional (a JSON array in a fixed field
 * order, version-tagged), so no key sorting is needed on the hot path; changing it changes every
 * stored hash, hence the version tag.
 */
export function requestHash(c: CanonicalRequest): string {
  const legs = c.postings.map((p) => [p.segment, p.account, p.side, p.amountFen]);
  const body = JSON.stringify([
    'ledger-request-v1',
    c.effectiveDate,
    c.sourceType,
    c.sourceId,
    c.parameterSnapshotId,
    c.memo,
    c.corrects,
    c.pending,
    legs,
  ]);
  return hash('sha256', body, 'hex');
}

/** Names the fields in which two canonical requests differ (for `ledger.idempotency_conflict`). */
export function requestDifferences(stored: CanonicalRequest, incoming: CanonicalRequest): string[] {
  const fields: string[] = [];
  const scalar = [
    'effectiveDate',
    'sourceType',
    'sourceId',
    'parameterSnapshotId',
    'memo',
    'corrects',
    'pending',
  ] as const;
  for (const f of scalar) if (stored[f] !== incoming[f]) fields.push(f);
  if (stored.postings.length !== incoming.postings.length) {
    fields.push('postings.length');
  } else {
    stored.postings.forEach((p, i) => {
      const q = incoming.postings[i]!;
      for (const f of ['segment', 'account', 'side', 'amountFen'] as const)
        if (p[f] !== q[f]) fields.push(`postings[${i}].${f}`);
    });
  }
  return fields;
}

const MAX_LEGS = 10_000;

// Parsing caches (the chart and segment codes and the dates are few; validation runs per transaction).
const accountCodeCache = new Map<string, ParsedAccountCode | null>();
const segmentKindCache = new Map<string, SegmentKind | null>();

function cachedAccountCode(code: string): ParsedAccountCode | undefined {
  let v = accountCodeCache.get(code);
  if (v === undefined) {
    v = parseAccountCode(code) ?? null;
    if (accountCodeCache.size < 10_000) accountCodeCache.set(code, v);
  }
  return v ?? undefined;
}

const validDateCache = new Map<string, boolean>();

function cachedValidDate(date: string): boolean {
  let v = validDateCache.get(date);
  if (v === undefined) {
    v = isValidDate(date);
    if (validDateCache.size < 10_000) validDateCache.set(date, v);
  }
  return v;
}

function cachedSegmentKind(segment: string): SegmentKind | undefined {
  let v = segmentKindCache.get(segment);
  if (v === undefined) {
    v = segmentKindOf(segment) ?? null;
    if (segmentKindCache.size < 10_000) segmentKindCache.set(segment, v);
  }
  return v ?? undefined;
}
const MAX_TEXT = 200;

function text(v: unknown, max = MAX_TEXT): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= max;
}

type Where = { id: unknown };
type Refused = Refusal<LedgerRefusalCode>;

/** The request's own fields (not its postings): id, date, source, texts, leg count. */
function headerRefusal(req: TransactionRequest, where: Where): Refused | undefined {
  if (!text(req.id)) return refuse('ledger.invalid_request', 'id must be 1–200 characters', where);
  if (typeof req.effectiveDate !== 'string' || !cachedValidDate(req.effectiveDate))
    return refuse('ledger.invalid_request', `effectiveDate must be YYYY-MM-DD`, where);
  if (!req.source || !text(req.source.type) || !text(req.source.id))
    return refuse('ledger.invalid_request', 'source.type and source.id are required', where);
  for (const [k, v] of [
    ['parameterSnapshotId', req.parameterSnapshotId],
    ['corrects', req.corrects],
  ] as const)
    if (v !== undefined && v !== null && !text(v))
      return refuse('ledger.invalid_request', `${k} must be 1–200 characters or null`, where);
  if (req.memo !== undefined && req.memo !== null && !text(req.memo, 2000))
    return refuse('ledger.invalid_request', 'memo must be 1–2000 characters or null', where);
  if (req.corrects === req.id)
    return refuse('ledger.invalid_request', 'a transaction cannot correct itself', where);
  if (!Array.isArray(req.postings) || req.postings.length < 2 || req.postings.length > MAX_LEGS)
    return refuse('ledger.invalid_request', `a transaction needs 2–${MAX_LEGS} postings`, where);
  return undefined;
}

/** One leg on its own: amount, side, segment and account code; the parsed account when valid. */
function checkPosting(
  p: TransactionRequest['postings'][number],
  i: number,
  where: Where,
): ParsedAccountCode | Refused {
  if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0)
    return refuse('ledger.invalid_request', `postings[${i}].amountFen must be an integer > 0`, {
      ...where,
      posting: i,
    });
  if (p.side !== 'debit' && p.side !== 'credit')
    return refuse('ledger.invalid_request', `postings[${i}].side must be debit or credit`, {
      ...where,
      posting: i,
    });
  if (typeof p.segment !== 'string' || cachedSegmentKind(p.segment) === undefined)
    return refuse(
      'ledger.unknown_segment',
      `postings[${i}].segment ${p.segment} is not a segment code`,
      { ...where, posting: i },
    );
  const parsed = typeof p.account === 'string' ? cachedAccountCode(p.account) : undefined;
  if (!parsed)
    return refuse(
      'ledger.unknown_account',
      `postings[${i}].account ${p.account} is not in the chart`,
      { ...where, posting: i },
    );
  return parsed;
}

/** Running sums of a request's legs: in total, per segment and per pair of due accounts. */
type Sums = {
  debits: number;
  credits: number;
  perSegment: Map<string, number>;
  perPair: Map<string, number> | undefined;
};

/** Checks every leg and sums them (in numbers: every running sum is checked to stay a safe integer). */
function sumPostings(req: TransactionRequest, where: Where): Sums | Refused {
  const sums: Sums = { debits: 0, credits: 0, perSegment: new Map(), perPair: undefined };
  for (let i = 0; i < req.postings.length; i++) {
    const p = req.postings[i]!;
    const parsed = checkPosting(p, i, where);
    if ('ok' in parsed) return parsed;
    const signed = p.side === 'debit' ? p.amountFen : -p.amountFen;
    if (p.side === 'debit') sums.debits += p.amountFen;
    else sums.credits += p.amountFen;
    if (!Number.isSafeInteger(sums.debits) || !Number.isSafeInteger(sums.credits))
      return refuse('ledger.invalid_request', 'the transaction total exceeds 2^53 − 1 fen', where);
    sums.perSegment.set(p.segment, (sums.perSegment.get(p.segment) ?? 0) + signed);
    if (
      parsed.counterparty !== null &&
      (parsed.chartCode === DUE_FROM || parsed.chartCode === DUE_TO)
    ) {
      if (parsed.counterparty === p.segment)
        return refuse(
          'ledger.unknown_account',
          `postings[${i}]: a segment has no due account to itself`,
          { ...where, posting: i },
        );
      const pair =
        p.segment < parsed.counterparty
          ? `${p.segment}|${parsed.counterparty}`
          : `${parsed.counterparty}|${p.segment}`;
      sums.perPair ??= new Map();
      sums.perPair.set(pair, (sums.perPair.get(pair) ?? 0) + signed);
    }
  }
  return sums;
}

/** Σ debits = Σ credits, per transaction, per segment, and between every pair of segments. */
function balanceRefusal(sums: Sums, where: Where): Refused | undefined {
  const { debits, credits } = sums;
  if (debits !== credits)
    return refuse('ledger.unbalanced', `debits ${debits} ≠ credits ${credits}`, {
      ...where,
      debitsFen: debits,
      creditsFen: credits,
    });
  for (const [segment, net] of sums.perSegment)
    if (net !== 0)
      return refuse(
        'ledger.unbalanced',
        `segment ${segment} is unbalanced by ${net} fen (debits − credits); cross-segment flows go through due-from / due-to accounts`,
        { ...where, segment, netFen: net },
      );
  if (sums.perPair)
    for (const [pair, net] of sums.perPair)
      if (net !== 0)
        return refuse(
          'ledger.inter_segment_mismatch',
          `the due-from / due-to legs between ${pair.replace('|', ' and ')} do not mirror each other (net ${net} fen)`,
          { ...where, segments: pair.split('|'), netFen: net },
        );
  return undefined;
}

/**
 * Checks a request on its own: shape, integer amounts, ≥ 2 legs, known segment and account codes,
 * Σ debits = Σ credits per transaction and per segment, and the inter-segment rule (for every pair
 * of segments, the due-from / due-to legs between them net to zero, so both sides record the flow).
 */
export function validateTransactionRequest(
  req: TransactionRequest,
): Result<CanonicalRequest, LedgerRefusalCode> {
  const where = { id: req.id };
  const header = headerRefusal(req, where);
  if (header !== undefined) return header;
  const sums = sumPostings(req, where);
  if ('ok' in sums) return sums;
  return balanceRefusal(sums, where) ?? ok(canonicalRequest(req));
}

/** Σ debit amounts of a validated request (= Σ credits). */
export function totalFen(c: CanonicalRequest): number {
  let t = 0;
  for (const p of c.postings) if (p.side === 'debit') t += p.amountFen;
  return t;
}
