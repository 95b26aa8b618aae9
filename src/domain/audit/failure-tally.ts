/**
 * Unauthenticated failures (a POST without a session, a missing CSRF token, a rate-limit answer)
 * counted per source address in memory and summarised once per window. Appending each to the chain
 * would take the chain-head lock per request: a flood of them would queue every real writer behind
 * it. Memory is bounded: past `addressesMax` distinct addresses in one window, failures are only
 * counted as overflow.
 */
export type FailureKind = 'unauthenticated' | 'csrf' | 'rate_limited';

export type FailureSample = {
  address: string;
  kind: FailureKind;
  route: string;
  userAgent: string | null;
  /** Known for a CSRF refusal (the session is valid) or a rate-limited signed-in user. */
  username: string | null;
};

export type AddressTally = {
  address: string;
  failures: number;
  byKind: Partial<Record<FailureKind, number>>;
  userAgents: string[];
  routes: string[];
  usernames: string[];
};

export type FailureSummary = {
  windowStartedAt: string;
  windowEndedAt: string;
  failures: number;
  byKind: Partial<Record<FailureKind, number>>;
  addressesSeen: number;
  /** Failures from addresses beyond `addressesMax` (counted, not told apart). */
  untrackedFailures: number;
  /** The addresses with the most failures, most first; the rest are in `otherFailures`. */
  addresses: AddressTally[];
  otherFailures: number;
};

/** Distinct values kept per address (user agents, routes, user names): enough to recognise. */
const SAMPLES_PER_ADDRESS = 3;
/** Addresses detailed in one event; the others are summed, so one event stays small. */
export const ADDRESSES_PER_EVENT = 50;

function addSample(list: string[], value: string | null): void {
  if (value !== null && list.length < SAMPLES_PER_ADDRESS && !list.includes(value))
    list.push(value);
}

function bump(byKind: Partial<Record<FailureKind, number>>, kind: FailureKind): void {
  byKind[kind] = (byKind[kind] ?? 0) + 1;
}

export function createFailureTally(options: { addressesMax: number }): {
  add: (sample: FailureSample, nowMs: number) => void;
  pending: () => number;
  drain: (nowMs: number) => FailureSummary | null;
} {
  let byAddress = new Map<string, AddressTally>();
  let byKind: Partial<Record<FailureKind, number>> = {};
  let failures = 0;
  let overflow = 0;
  let startedMs: number | null = null;
  return {
    add(sample, nowMs) {
      startedMs ??= nowMs;
      failures += 1;
      bump(byKind, sample.kind);
      let tally = byAddress.get(sample.address);
      if (!tally) {
        if (byAddress.size >= options.addressesMax) {
          overflow += 1;
          return;
        }
        tally = {
          address: sample.address,
          failures: 0,
          byKind: {},
          userAgents: [],
          routes: [],
          usernames: [],
        };
        byAddress.set(sample.address, tally);
      }
      tally.failures += 1;
      bump(tally.byKind, sample.kind);
      addSample(tally.userAgents, sample.userAgent);
      addSample(tally.routes, sample.route);
      addSample(tally.usernames, sample.username);
    },
    pending: () => failures,
    drain(nowMs) {
      if (failures === 0 || startedMs === null) return null;
      const ranked = [...byAddress.values()].sort((a, b) => b.failures - a.failures);
      const shown = ranked.slice(0, ADDRESSES_PER_EVENT);
      const shownFailures = shown.reduce((sum, t) => sum + t.failures, 0);
      const summary: FailureSummary = {
        windowStartedAt: new Date(startedMs).toISOString(),
        windowEndedAt: new Date(nowMs).toISOString(),
        failures,
        byKind,
        addressesSeen: byAddress.size,
        untrackedFailures: overflow,
        addresses: shown,
        otherFailures: failures - shownFailures,
      };
      byAddress = new Map();
      byKind = {};
      failures = 0;
      overflow = 0;
      startedMs = null;
      return summary;
    },
  };
}
