/**
 * A run's reconciliation (pure; docs/benefits.md, "Reconciliation report"): what its lines say —
 * sent, confirmed by the bank, failed, outstanding (sent, no answer), held (never sent: no card
 * account), reissue lines it carries for earlier runs, and its failed or held lines a later run
 * reissued, and its lines released as owed to no one (已冲回: a release or a death's reversal took
 * their liability out of 2102) — per kind and in total, as lines and fen; and beside them the
 * ledger's view, the balance of 2102 应付待遇款 the run's own transactions leave (Cr at approval, Dr
 * per confirmation), with the balance the lines imply, so a difference shows at once.
 *
 * The buckets part the lines: month lines + reissue lines = confirmed + failed + outstanding +
 * held + to send + released. A released line counts in `released` only, never in `failed` or
 * `held`: `failed` is what the bank failed and is still owed (reissued later, or waiting), so
 * sent = confirmed + failed + outstanding + the released lines that were sent.
 */
export type Figure = { lines: number; amountFen: number };

/**
 * Where a line stands: `to_send` is a line with an account of a run whose file is not issued;
 * `released_sent` a line the bank failed whose liability was released, `released_held` one never
 * sent (no card account) released likewise.
 */
export type LineBucket =
  | 'confirmed'
  | 'failed'
  | 'outstanding'
  | 'held'
  | 'to_send'
  | 'released_sent'
  | 'released_held';

export type BucketCount = Figure & { kind: string; bucket: LineBucket; reissue: boolean };

export type KindReconciliation = {
  kind: string;
  label: string;
  /** The run's own month lines (what its approval posts to 2102). */
  monthLines: Figure;
  /** Lines paying again earlier runs' failed or held lines (owed in 2102 since those runs). */
  reissueLines: Figure;
  sent: Figure;
  confirmed: Figure;
  failed: Figure;
  outstanding: Figure;
  held: Figure;
  toSend: Figure;
  /** This run's failed or held lines a later run pays again. */
  reissuedLater: Figure;
  /** Lines owed to no one whose liability left 2102 (payroll_released_lines), whatever they were. */
  released: Figure;
};

export type LedgerView = {
  /** Cr 2102 by the run's transactions: the approval's payable. */
  creditFen: number;
  /** Dr 2102 by the run's transactions: the bank's confirmations. */
  debitFen: number;
  /** creditFen − debitFen: what the run's postings leave owed. */
  balanceFen: number;
  /** What the lines imply: the month lines if the payable is posted, less every confirmed line. */
  expectedFen: number;
  /** balanceFen − expectedFen: zero when the ledger and the lines agree. */
  differenceFen: number;
};

export type RunReconciliation = {
  byKind: KindReconciliation[];
  total: KindReconciliation;
  ledger: LedgerView;
};

const KIND_LABEL: Readonly<Record<string, string>> = {
  disability_allowance: '伤残津贴',
  disability_allowance_top_up: '伤残津贴差额（退休后）',
  nursing_allowance: '生活护理费',
  survivor_pension: '供养亲属抚恤金',
};

/** The Chinese label of a payroll kind (the code itself for a kind not named here). */
export function payrollKindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

const zero = (): Figure => ({ lines: 0, amountFen: 0 });
const add = (a: Figure, b: Figure): Figure => ({
  lines: a.lines + b.lines,
  amountFen: a.amountFen + b.amountFen,
});

function emptyKind(kind: string, label: string): KindReconciliation {
  return {
    kind,
    label,
    monthLines: zero(),
    reissueLines: zero(),
    sent: zero(),
    confirmed: zero(),
    failed: zero(),
    outstanding: zero(),
    held: zero(),
    toSend: zero(),
    reissuedLater: zero(),
    released: zero(),
  };
}

const BUCKET_FIELD = {
  confirmed: 'confirmed',
  failed: 'failed',
  outstanding: 'outstanding',
  held: 'held',
  to_send: 'toSend',
  released_sent: 'released',
  released_held: 'released',
} as const;

function addCount(k: KindReconciliation, c: BucketCount): KindReconciliation {
  const figure = { lines: c.lines, amountFen: c.amountFen };
  const field = BUCKET_FIELD[c.bucket];
  const sentNow =
    c.bucket === 'confirmed' ||
    c.bucket === 'failed' ||
    c.bucket === 'outstanding' ||
    c.bucket === 'released_sent';
  return {
    ...k,
    [field]: add(k[field], figure),
    ...(c.reissue
      ? { reissueLines: add(k.reissueLines, figure) }
      : { monthLines: add(k.monthLines, figure) }),
    ...(sentNow ? { sent: add(k.sent, figure) } : {}),
  };
}

function sumKinds(kinds: readonly KindReconciliation[]): KindReconciliation {
  const figures = [
    'monthLines',
    'reissueLines',
    'sent',
    'confirmed',
    'failed',
    'outstanding',
    'held',
    'toSend',
    'reissuedLater',
    'released',
  ] as const;
  let total = emptyKind('total', '合计');
  for (const k of kinds) for (const f of figures) total = { ...total, [f]: add(total[f], k[f]) };
  return total;
}

/** Assembles the reconciliation from the lines' counts and the run's 2102 postings. */
export function reconcileRun(input: {
  counts: readonly BucketCount[];
  reissuedLater: readonly (Figure & { kind: string })[];
  ledger: { creditFen: number; debitFen: number };
  payablePosted: boolean;
}): RunReconciliation {
  const kinds = new Map<string, KindReconciliation>();
  const kindOf = (kind: string) => kinds.get(kind) ?? emptyKind(kind, payrollKindLabel(kind));
  for (const c of input.counts) kinds.set(c.kind, addCount(kindOf(c.kind), c));
  for (const r of input.reissuedLater) {
    const k = kindOf(r.kind);
    kinds.set(r.kind, { ...k, reissuedLater: add(k.reissuedLater, r) });
  }
  const byKind = [...kinds.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1));
  const total = sumKinds(byKind);
  const balanceFen = input.ledger.creditFen - input.ledger.debitFen;
  // A release's Dr 2102 is in its own transaction (source benefit.payroll_release, one per release
  // across runs), a death's reversal in the death's: neither is the run's, and a released line was
  // never confirmed, so both sides leave it out and still agree after a release.
  const expectedFen =
    (input.payablePosted ? total.monthLines.amountFen : 0) - total.confirmed.amountFen;
  return {
    byKind,
    total,
    ledger: { ...input.ledger, balanceFen, expectedFen, differenceFen: balanceFen - expectedFen },
  };
}
