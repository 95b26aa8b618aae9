import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import type { TransactionRequest } from '../fund/ledger/ledger.ts';
import { BENEFITS_PAYABLE } from './ledger-postings.ts';
import { lineSelectionKey, type ReissueBlock } from './payroll-reissue-batch.ts';

/**
 * The release of failed payroll lines owed to no one (pure; docs/benefits.md, "Release of failed
 * lines owed to no one"). A failed line's payable was posted Dr 51xx / Cr 2102 when its run was
 * approved; a later event — the worker's death, a stop of benefits, a survivor's pension ended or
 * suspended, a retirement — makes it owed to no one (the reissue's rules block it), so its
 * liability leaves 2102 the way it came: Dr 2102 / Cr 51xx, per expense account, one ledger
 * transaction per city and release. The checker approves the exact payload below.
 */
export const RELEASE_APPROVAL_ACTION = 'benefits.payroll.release';

/** At most this many lines in one release (a handler's selection). */
export const RELEASE_LINES_MAX = 500;

export type ReleaseRefusalCode =
  | 'benefit.release_line_not_failed'
  | 'benefit.release_line_owed'
  | 'benefit.release_already_reissued'
  | 'benefit.release_already_released'
  | 'benefit.release_changed'
  | 'benefit.release_not_found';

/** The reissue's blocks that make a failed line owed to no one (not `reissued`, not `no_account`). */
export type ReleaseReason = Extract<
  ReissueBlock,
  'after_death' | 'after_stop' | 'after_survivor_end' | 'after_retirement' | 'after_missing'
>;

export const RELEASE_REASONS: readonly ReleaseReason[] = [
  'after_death',
  'after_stop',
  'after_survivor_end',
  'after_retirement',
  'after_missing',
];

export function releaseReasonsOf(blocks: readonly ReissueBlock[]): ReleaseReason[] {
  return RELEASE_REASONS.filter((r) => blocks.includes(r));
}

/** One line of the release as the checker approves it. */
export type ReleasePayloadLine = {
  lineId: string;
  /** The month it was owed for. */
  month: string;
  entitlementId: string;
  workerId: string;
  kind: string;
  /** The account its payable was debited to (the line's own, as the run's approval posted it). */
  expenseAccount: string;
  amountFen: number;
  /** Every reason it is owed to no one, in the order above (the first is recorded). */
  reasons: ReleaseReason[];
};

export type ReleasePayload = {
  releaseId: string;
  regionCode: string;
  proposedOn: string;
  lines: ReleasePayloadLine[];
  lineCount: number;
  totalFen: number;
};

/**
 * The release's id: the city, the proposal's day, the lines named (sorted) and the generation —
 * 0 for the first proposal of a selection that day; a proposal after a dead one (its approval
 * rejected or expired) takes the next, so it is a new release, while a live one is answered again.
 */
export function releaseId(
  regionCode: string,
  on: string,
  lineIds: readonly string[],
  generation = 0,
): string {
  const key = lineSelectionKey(regionCode, on, lineIds, generation);
  return `prr_${createHash('sha256').update(`release|${key}`).digest('hex').slice(0, 20)}`;
}

export function releasePayload(input: {
  releaseId: string;
  regionCode: string;
  proposedOn: string;
  lines: readonly ReleasePayloadLine[];
}): ReleasePayload {
  const lines = [...input.lines].sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
  return {
    releaseId: input.releaseId,
    regionCode: input.regionCode,
    proposedOn: input.proposedOn,
    lines,
    lineCount: lines.length,
    totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
  };
}

export function releaseTransactionId(releaseId: string): string {
  return `benefit-payroll-release:${releaseId}`;
}

/**
 * The release's ledger transaction in the city's segment: Dr 2102 for the total, Cr each expense
 * account for its lines' sum (lines of 0 fen — a month withheld whole by an offset — move nothing;
 * none at all if every line is 0).
 */
export function releaseTransactions(payload: ReleasePayload, on: IsoDate): TransactionRequest[] {
  const byAccount = new Map<string, number>();
  for (const l of payload.lines)
    if (l.amountFen > 0)
      byAccount.set(l.expenseAccount, (byAccount.get(l.expenseAccount) ?? 0) + l.amountFen);
  const legs = [...byAccount.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const total = legs.reduce((s, [, fen]) => s + fen, 0);
  if (total === 0) return [];
  const segment = payload.regionCode;
  return [
    {
      id: releaseTransactionId(payload.releaseId),
      effectiveDate: on,
      source: { type: 'benefit.payroll_release', id: payload.releaseId },
      memo: '无人应得的失败发放冲回 failed payroll lines owed to no one released',
      postings: [
        { segment, account: BENEFITS_PAYABLE, side: 'debit' as const, amountFen: total },
        ...legs.map(([account, amountFen]) => ({
          segment,
          account,
          side: 'credit' as const,
          amountFen,
        })),
      ],
    },
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' ? o[k] : null);
const int = (o: Record<string, unknown>, k: string) =>
  Number.isSafeInteger(o[k]) && typeof o[k] === 'number' ? o[k] : null;

function lineOf(v: unknown): ReleasePayloadLine | null {
  const raw = isObject(v) ? v['reasons'] : null;
  if (!isObject(v) || !Array.isArray(raw)) return null;
  const reasons = RELEASE_REASONS.filter((r) => raw.includes(r));
  const [lineId, month, entitlementId, workerId, kind, expenseAccount] = [
    'lineId',
    'month',
    'entitlementId',
    'workerId',
    'kind',
    'expenseAccount',
  ].map((k) => str(v, k));
  const amountFen = int(v, 'amountFen');
  if (
    lineId == null ||
    month == null ||
    entitlementId == null ||
    workerId == null ||
    kind == null ||
    expenseAccount == null ||
    amountFen === null ||
    reasons.length !== raw.length
  )
    return null;
  return { lineId, month, entitlementId, workerId, kind, expenseAccount, amountFen, reasons };
}

/** The stored payload read back (jsonb) — checked field by field, not cast; null if malformed. */
export function parseReleasePayload(v: unknown): ReleasePayload | null {
  if (!isObject(v) || !Array.isArray(v['lines'])) return null;
  const lines = v['lines'].map(lineOf);
  const [releaseId, regionCode, proposedOn] = ['releaseId', 'regionCode', 'proposedOn'].map((k) =>
    str(v, k),
  );
  const lineCount = int(v, 'lineCount');
  const totalFen = int(v, 'totalFen');
  const checked = lines.flatMap((l) => (l === null ? [] : [l]));
  if (
    releaseId == null ||
    regionCode == null ||
    proposedOn == null ||
    lineCount === null ||
    totalFen === null ||
    checked.length !== lines.length
  )
    return null;
  return { releaseId, regionCode, proposedOn, lines: checked, lineCount, totalFen };
}
