/**
 * How long an approval lives and how many checkers an action needs (docs/security.md,
 * "Maker-checker"). The settings APPROVAL_TTL_HOURS and APPROVAL_TIERS (src/runtime/config.ts)
 * make one; tests and the seed use the defaults.
 */
export type ApprovalPolicy = {
  /** Milliseconds from the request until the approval can no longer be decided or consumed. */
  ttlMs: number;
  /**
   * Per action: above this many fen, two checkers are needed; 0 = always two. An action missing
   * here needs one checker.
   */
  twoCheckersAboveFen: Readonly<Record<string, number>>;
};

/** 72 hours: a weekend plus a working day, so a Friday request can still be checked on Monday. */
export const DEFAULT_APPROVAL_TTL_HOURS = 72;

/**
 * Default tiers: a transfer between the province and a city above 1 000 万元 (10^9 fen), or an
 * opening balance above 1 亿元, needs a second checker. Overridden action by action by
 * APPROVAL_TIERS.
 */
export const DEFAULT_TWO_CHECKERS_ABOVE_FEN: Readonly<Record<string, number>> = {
  'pooling.allocate': 1_000_000_000,
  'pooling.allocate_from_budget': 1_000_000_000,
  'pooling.sweep': 1_000_000_000,
  'ledger.opening_balance': 10_000_000_000,
};

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  ttlMs: DEFAULT_APPROVAL_TTL_HOURS * 3_600_000,
  twoCheckersAboveFen: DEFAULT_TWO_CHECKERS_ABOVE_FEN,
};

/**
 * One or two checkers for `action` moving `amountFen` (null: no amount known when asking, e.g. a
 * year-end run, which then needs two only when its tier is 0).
 */
export function requiredCheckers(
  policy: ApprovalPolicy,
  action: string,
  amountFen: number | null,
): 1 | 2 {
  const above = policy.twoCheckersAboveFen[action];
  if (above === undefined) return 1;
  if (above === 0) return 2;
  return amountFen !== null && amountFen > above ? 2 : 1;
}
