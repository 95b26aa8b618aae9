import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testBackend } from '../../../db/testing.ts';
import {
  canonicalRequest,
  type PostingRequest,
  requestHash,
  type TransactionRequest,
} from '../../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../../identity/actor.ts';
import type { Result } from '../../../kernel/result.ts';
import { decideApproval } from '../../approvals/approvals.ts';
import { setUpFundLedger } from '../testing.ts';
import { accountBalances, checkLedger, trialBalance } from './ledger-read.ts';
import { postTransactions, resolvePending } from './ledger-write.ts';
import { closePeriod, openPeriod, requestPeriodClose } from './periods.ts';

/**
 * Model-based test (R5): random sequences of posts, batches, retries, conflicting reuses of an id,
 * pending resolutions and maker-checker period closings, run against the database and against an
 * independent bigint model that predicts every outcome (result or refusal code) and every balance.
 * Fixed seed by default (printed); LEDGER_PROP_SEED=<n> replays another, LEDGER_PROP_RUNS=<n> more runs.
 */
const SEED = Number(process.env['LEDGER_PROP_SEED'] ?? 20260401);
const RUNS = Number(process.env['LEDGER_PROP_RUNS'] ?? (testBackend === 'pg' ? 150 : 60));

const SEGMENTS = ['330000', '330000-ADJ', '330100', '330200'] as const;
const PAIRS: readonly [string, string][] = [
  ['330100', '330000'],
  ['330100', '330000-ADJ'],
  ['330200', '330000'],
  ['330200', '330000-ADJ'],
  ['330000', '330000-ADJ'],
];
const PLAIN = [
  '1001',
  '1002',
  '1003',
  '1131',
  '2101',
  '2102',
  '3101',
  '4101',
  '4102',
  '4105',
  '5101',
  '5107',
  '5202',
  '5302',
  '5401',
];
const MONTHS = ['01', '02', '03'] as const;

// ---- generated command descriptors (ids and references are resolved when run) ----
type LegGen = { account: number; amount: number };
type TxGen = {
  segments: { segment: number; debits: LegGen[]; creditAccounts: number[]; split: number }[];
  cross: { pair: number; amount: number; reverse: boolean } | null;
  month: number;
  day: number;
  pending: boolean;
  corrects: number | null;
};
type Cmd =
  | { kind: 'post'; txs: TxGen[]; retryIn: number | null }
  | { kind: 'retry'; pick: number }
  | { kind: 'conflict'; pick: number }
  | { kind: 'resolve'; pick: number; action: 'post' | 'void' }
  | { kind: 'open'; segment: number; month: number }
  | { kind: 'close'; segment: number; month: number };

const amount = fc.integer({ min: 1, max: 2_000_000_000 });
const legGen = fc.record({ account: fc.nat(PLAIN.length - 1), amount });
const txGen: fc.Arbitrary<TxGen> = fc
  .record({
    segments: fc.array(
      fc.record({
        segment: fc.nat(SEGMENTS.length - 1),
        debits: fc.array(legGen, { minLength: 1, maxLength: 2 }),
        creditAccounts: fc.array(fc.nat(PLAIN.length - 1), { minLength: 1, maxLength: 2 }),
        split: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { minLength: 0, maxLength: 2 },
    ),
    cross: fc.option(fc.record({ pair: fc.nat(PAIRS.length - 1), amount, reverse: fc.boolean() }), {
      freq: 3,
    }),
    month: fc.nat(MONTHS.length - 1),
    day: fc.integer({ min: 1, max: 28 }),
    pending: fc.boolean(),
    corrects: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.nat() },
    ),
  })
  .filter((t) => t.segments.length > 0 || t.cross !== null);

const cmdGen: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      txs: fc.array(txGen, { minLength: 1, maxLength: 3 }),
      retryIn: fc.option(fc.nat(), { freq: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('conflict' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('resolve' as const),
      pick: fc.nat(),
      action: fc.constantFrom('post' as const, 'void' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('open' as const),
      segment: fc.nat(SEGMENTS.length - 1),
      month: fc.nat(MONTHS.length - 1),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      segment: fc.nat(SEGMENTS.length - 1),
      month: fc.nat(MONTHS.length - 1),
    }),
  },
);

// ---- the model ----
type Bal = { dp: bigint; cp: bigint; dq: bigint; cq: bigint };
type ModelTx = { req: TransactionRequest; hash: string; resolved: 'post' | 'void' | null };

class Model {
  balances = new Map<string, Bal>();
  txs = new Map<string, ModelTx>();
  order: string[] = [];
  periods = new Map<string, 'open' | 'closed'>();

  bal(key: string): Bal {
    let b = this.balances.get(key);
    if (!b) {
      b = { dp: 0n, cp: 0n, dq: 0n, cq: 0n };
      this.balances.set(key, b);
    }
    return b;
  }

  period(segment: string, date: string): 'open' | 'closed' | undefined {
    return this.periods.get(`${segment}|${date.slice(0, 7)}`);
  }

  /** Predicts postTransactions: the refusal code or, per request, created / exists. */
  post(reqs: TransactionRequest[]): { code: string } | { statuses: ('created' | 'exists')[] } {
    const seen = new Map<string, string>();
    const prepared: TransactionRequest[] = [];
    for (const r of reqs) {
      const h = requestHash(canonicalRequest(r));
      const s = seen.get(r.id);
      if (s !== undefined) {
        if (s === h) continue;
        return { code: 'ledger.idempotency_conflict' };
      }
      seen.set(r.id, h);
      prepared.push(r);
    }
    const inBatch = new Set(prepared.map((r) => r.id));
    for (const r of prepared)
      if (r.corrects && !inBatch.has(r.corrects) && !this.txs.has(r.corrects))
        return { code: 'ledger.corrected_not_found' };
    for (const r of prepared) {
      const t = this.txs.get(r.id);
      if (t && t.hash !== seen.get(r.id)) return { code: 'ledger.idempotency_conflict' };
    }
    const fresh = prepared.filter((r) => !this.txs.has(r.id));
    for (const r of fresh)
      for (const p of r.postings) {
        const st = this.period(p.segment, r.effectiveDate);
        if (st !== 'open')
          return { code: st === 'closed' ? 'ledger.period_closed' : 'ledger.period_not_open' };
      }
    for (const r of fresh) {
      this.txs.set(r.id, { req: r, hash: seen.get(r.id)!, resolved: null });
      this.order.push(r.id);
      for (const p of r.postings) {
        const b = this.bal(`${p.segment}|${p.account}`);
        const a = BigInt(p.amountFen);
        if (r.pending) {
          if (p.side === 'debit') b.dq += a;
          else b.cq += a;
        } else if (p.side === 'debit') b.dp += a;
        else b.cp += a;
      }
    }
    const created = new Set(fresh.map((r) => r.id));
    const done = new Set<string>();
    return {
      statuses: reqs.map((r) => {
        if (created.has(r.id) && !done.has(r.id)) {
          done.add(r.id);
          return 'created';
        }
        return 'exists';
      }),
    };
  }

  resolve(id: string, action: 'post' | 'void'): string {
    const t = this.txs.get(id);
    if (!t) return 'ledger.pending_not_found';
    if (!t.req.pending) return 'ledger.not_pending';
    if (t.resolved) return 'ledger.pending_already_resolved';
    if (t.req.postings.some((p) => this.period(p.segment, t.req.effectiveDate) !== 'open'))
      return 'ledger.period_closed';
    t.resolved = action;
    for (const p of t.req.postings) {
      const b = this.bal(`${p.segment}|${p.account}`);
      const a = BigInt(p.amountFen);
      if (p.side === 'debit') {
        b.dq -= a;
        if (action === 'post') b.dp += a;
      } else {
        b.cq -= a;
        if (action === 'post') b.cp += a;
      }
    }
    return 'ok';
  }

  /** Posted debit / credit per account of transactions dated ≤ asOf. */
  postedAsOf(asOf: string): Map<string, { d: bigint; c: bigint }> {
    const out = new Map<string, { d: bigint; c: bigint }>();
    for (const t of this.txs.values()) {
      if (t.req.effectiveDate > asOf) continue;
      if (t.req.pending && t.resolved !== 'post') continue;
      for (const p of t.req.postings) {
        const k = `${p.segment}|${p.account}`;
        const v = out.get(k) ?? { d: 0n, c: 0n };
        if (p.side === 'debit') v.d += BigInt(p.amountFen);
        else v.c += BigInt(p.amountFen);
        out.set(k, v);
      }
    }
    return out;
  }
}

function buildRequest(
  g: TxGen,
  id: string,
  year: number,
  existing: readonly string[],
): TransactionRequest {
  const postings: PostingRequest[] = [];
  for (const s of g.segments) {
    const segment = SEGMENTS[s.segment]!;
    let total = 0;
    for (const d of s.debits) {
      postings.push({ segment, account: PLAIN[d.account]!, side: 'debit', amountFen: d.amount });
      total += d.amount;
    }
    const first =
      s.creditAccounts.length === 2
        ? Math.min(total - 1, Math.max(1, Math.floor(total * s.split)))
        : total;
    if (s.creditAccounts.length === 2 && total >= 2) {
      postings.push({
        segment,
        account: PLAIN[s.creditAccounts[0]!]!,
        side: 'credit',
        amountFen: first,
      });
      postings.push({
        segment,
        account: PLAIN[s.creditAccounts[1]!]!,
        side: 'credit',
        amountFen: total - first,
      });
    } else {
      postings.push({
        segment,
        account: PLAIN[s.creditAccounts[0]!]!,
        side: 'credit',
        amountFen: total,
      });
    }
  }
  if (g.cross) {
    const [a0, b0] = PAIRS[g.cross.pair]!;
    const [a, b] = g.cross.reverse ? [b0, a0] : [a0, b0];
    const amt = g.cross.amount;
    // a remits to b: a Dr 上解上级支出 / Cr due to b; b Dr due from a / Cr 下级上解收入.
    postings.push({ segment: a, account: '5302', side: 'debit', amountFen: amt });
    postings.push({ segment: a, account: `2151:${b}`, side: 'credit', amountFen: amt });
    postings.push({ segment: b, account: `1151:${a}`, side: 'debit', amountFen: amt });
    postings.push({ segment: b, account: '4105', side: 'credit', amountFen: amt });
  }
  const corrects =
    g.corrects === null
      ? null
      : existing.length === 0 || g.corrects % 7 === 0
        ? `ghost-${g.corrects}`
        : existing[g.corrects % existing.length]!;
  return {
    id,
    effectiveDate: `${year}-${MONTHS[g.month]}-${String(g.day).padStart(2, '0')}`,
    source: { type: 'model', id },
    corrects,
    pending: g.pending,
    postings,
  };
}

/** Outcomes seen, so that a run which never reached a branch fails instead of passing vacuously. */
const seen = new Map<string, number>();
function note(what: string): void {
  seen.set(what, (seen.get(what) ?? 0) + 1);
}

function codeOf<T>(r: Result<T>): string {
  return r.ok ? 'ok' : r.code;
}

// One database per file; every property run works in periods of its own year.
let t: TestDatabase;
let maker: Actor;
let checker: Actor;

/** One property run: its model, its year and the prefix of its transaction ids. */
type Run = { model: Model; year: number; prefix: string; n: number };

function pickFrom(run: Run): (i: number) => string {
  const ids = run.model.order;
  return (i: number) => ids[i % ids.length]!;
}

async function applyPost(run: Run, cmd: Extract<Cmd, { kind: 'post' }>): Promise<void> {
  const ids = run.model.order;
  const reqs = cmd.txs.map((g) => buildRequest(g, `${run.prefix}${run.n++}`, run.year, ids));
  if (cmd.retryIn !== null && ids.length > 0)
    reqs.push(run.model.txs.get(pickFrom(run)(cmd.retryIn))!.req);
  const expected = run.model.post(reqs);
  const got = await postTransactions(t.db, maker, reqs);
  if (got.ok) for (const x of got.value) note(`post.${x.status}.${x.kind}`);
  else note(`post.${got.code}`);
  if ('code' in expected) expect(codeOf(got)).toBe(expected.code);
  else expect(got.ok ? got.value.map((x) => x.status) : got.code).toEqual(expected.statuses);
}

async function applyRetry(run: Run, pick: number): Promise<void> {
  if (run.model.order.length === 0) return;
  const req = run.model.txs.get(pickFrom(run)(pick))!.req;
  const expected = run.model.post([req]);
  const got = await postTransactions(t.db, maker, [req]);
  if (got.ok) for (const x of got.value) note(`post.${x.status}.${x.kind}`);
  expect(got.ok ? got.value.map((x) => x.status) : got.code).toEqual(
    'code' in expected ? expected.code : expected.statuses,
  );
}

async function applyConflict(run: Run, pick: number): Promise<void> {
  if (run.model.order.length === 0) return;
  const req = run.model.txs.get(pickFrom(run)(pick))!.req;
  // Every leg doubled: still balanced, same id → a different request.
  const body = {
    ...req,
    postings: req.postings.map((p) => ({ ...p, amountFen: p.amountFen * 2 })),
  };
  expect(run.model.post([body])).toEqual({ code: 'ledger.idempotency_conflict' });
  const got = await postTransactions(t.db, maker, [body]);
  expect(codeOf(got)).toBe('ledger.idempotency_conflict');
  note(`post.${codeOf(got)}`);
}

async function applyResolve(run: Run, cmd: Extract<Cmd, { kind: 'resolve' }>): Promise<void> {
  if (run.model.order.length === 0) return;
  const id = pickFrom(run)(cmd.pick);
  const expected = run.model.resolve(id, cmd.action);
  note(`resolve.${cmd.action}.${expected}`);
  expect(codeOf(await resolvePending(t.db, maker, { id, action: cmd.action }))).toBe(expected);
}

async function applyOpen(run: Run, cmd: Extract<Cmd, { kind: 'open' }>): Promise<void> {
  const segment = SEGMENTS[cmd.segment]!;
  const period = `${run.year}-${MONTHS[cmd.month]}`;
  const st = run.model.periods.get(`${segment}|${period}`);
  const got = await openPeriod(t.db, maker, { segment, period });
  expect(codeOf(got)).toBe(st === 'closed' ? 'ledger.period_closed' : 'ok');
  if (!st) run.model.periods.set(`${segment}|${period}`, 'open');
}

function hasUnresolvedPending(run: Run, segment: string, period: string): boolean {
  return [...run.model.txs.values()].some(
    (x) =>
      x.req.pending &&
      x.resolved === null &&
      x.req.effectiveDate.startsWith(period) &&
      x.req.postings.some((p) => p.segment === segment),
  );
}

async function applyClose(run: Run, cmd: Extract<Cmd, { kind: 'close' }>): Promise<void> {
  const segment = SEGMENTS[cmd.segment]!;
  const period = `${run.year}-${MONTHS[cmd.month]}`;
  const st = run.model.periods.get(`${segment}|${period}`);
  const req = await requestPeriodClose(t.db, maker, { segment, period });
  if (st !== 'open') {
    expect(codeOf(req)).toBe(st === 'closed' ? 'ledger.period_closed' : 'ledger.period_not_open');
    return;
  }
  if (!req.ok) throw new Error(req.message);
  const decision = await decideApproval(t.db, checker, {
    regionCode: segment.slice(0, 6),
    id: req.value.approvalId,
    decision: 'approved',
  });
  expect(decision.ok).toBe(true);
  const hasPending = hasUnresolvedPending(run, segment, period);
  const got = await closePeriod(t.db, maker, { segment, period, approvalId: req.value.approvalId });
  expect(codeOf(got)).toBe(hasPending ? 'ledger.period_has_pending' : 'ok');
  note(`close.${codeOf(got)}`);
  if (!hasPending) run.model.periods.set(`${segment}|${period}`, 'closed');
}

async function applyCommand(run: Run, cmd: Cmd): Promise<void> {
  switch (cmd.kind) {
    case 'post':
      return applyPost(run, cmd);
    case 'retry':
      return applyRetry(run, cmd.pick);
    case 'conflict':
      return applyConflict(run, cmd.pick);
    case 'resolve':
      return applyResolve(run, cmd);
    case 'open':
      return applyOpen(run, cmd);
    case 'close':
      return applyClose(run, cmd);
  }
}

type Balances = Awaited<ReturnType<typeof accountBalances>>;

/** Balances = baseline + model, for every account. */
async function expectBalancesAgree(
  run: Run,
  baseline: Map<string, Balances[number]>,
): Promise<void> {
  for (const b of await accountBalances(t.db, { segment: 'all' })) {
    const key = `${b.segment}|${b.account}`;
    const base = baseline.get(key)!;
    const m = run.model.balances.get(key) ?? { dp: 0n, cp: 0n, dq: 0n, cq: 0n };
    expect(
      [b.debitPostedFen, b.creditPostedFen, b.debitPendingFen, b.creditPendingFen].map(BigInt),
      key,
    ).toEqual([
      BigInt(base.debitPostedFen) + m.dp,
      BigInt(base.creditPostedFen) + m.cp,
      BigInt(base.debitPendingFen) + m.dq,
      BigInt(base.creditPendingFen) + m.cq,
    ]);
  }
}

type TrialBalanceResult = Awaited<ReturnType<typeof trialBalance>>;

/** Trial balance as of a mid-run date = earlier years + the model's posted transactions to that date. */
async function expectTrialBalanceAgrees(run: Run, tbBefore: TrialBalanceResult): Promise<void> {
  const asOf = `${run.year}-02-14`;
  const tb = await trialBalance(t.db, { segment: 'all', asOf });
  if (!tb.ok || !tbBefore.ok) throw new Error('trial balance refused');
  expect(tb.value.totals.balanced).toBe(true);
  const before = new Map(tbBefore.value.rows.map((r) => [`${r.segment}|${r.account}`, r]));
  const want = run.model.postedAsOf(asOf);
  const rows = new Map(tb.value.rows.map((r) => [`${r.segment}|${r.account}`, r]));
  for (const k of new Set([...rows.keys(), ...want.keys()])) {
    const r = rows.get(k);
    const m = want.get(k) ?? { d: 0n, c: 0n };
    const b = before.get(k);
    expect([BigInt(r?.debitFen ?? 0), BigInt(r?.creditFen ?? 0)], k).toEqual([
      BigInt(b?.debitFen ?? 0) + m.d,
      BigInt(b?.creditFen ?? 0) + m.c,
    ]);
  }
}

let runCount = 0;

/** One property run: fresh periods, the commands against model and database, then every check. */
async function runCommands(cmds: Cmd[]): Promise<void> {
  runCount += 1;
  const year = 2100 + runCount; // every run (shrinks too) works in periods of its own
  const run: Run = { model: new Model(), year, prefix: `s${SEED}-r${runCount}-`, n: 0 };
  const baseline = new Map(
    (await accountBalances(t.db, { segment: 'all' })).map((b) => [`${b.segment}|${b.account}`, b]),
  );
  const tbBefore = await trialBalance(t.db, { segment: 'all', asOf: `${year - 1}-12-31` });
  // January and February open everywhere; March only through 'open' commands.
  for (const m of ['01', '02']) {
    const opened = await openPeriod(t.db, maker, { segment: 'all', period: `${year}-${m}` });
    expect(opened.ok).toBe(true);
    for (const s of SEGMENTS) run.model.periods.set(`${s}|${year}-${m}`, 'open');
  }
  for (const cmd of cmds) await applyCommand(run, cmd);
  await expectBalancesAgree(run, baseline);
  await expectTrialBalanceAgrees(run, tbBefore);
  const check = await checkLedger(t.db);
  expect(check.differences).toEqual([]);
}

/** Every outcome the model knows was reached at least once (else the generator lost its reach). */
function expectEveryOutcomeSeen(): void {
  for (const must of [
    'post.created.posted',
    'post.created.pending',
    'post.exists.posted',
    'post.ledger.idempotency_conflict',
    'post.ledger.period_closed',
    'post.ledger.period_not_open',
    'post.ledger.corrected_not_found',
    'resolve.post.ok',
    'resolve.void.ok',
    'resolve.*.ledger.pending_already_resolved',
    'resolve.*.ledger.not_pending',
    'close.ok',
    'close.ledger.period_has_pending',
  ])
    expect(
      [...seen].filter(([k]) =>
        new RegExp(`^${must.replace(/\./g, '\\.').replace('*', '[a-z]+')}$`).test(k),
      ).length,
      must,
    ).toBeGreaterThan(0);
}

describe(`ledger against a bigint model on ${testBackend}`, () => {
  beforeAll(async () => {
    t = await openTestDatabase();
    ({ maker, checker } = await setUpFundLedger(t.db, { cities: ['330100', '330200'] }));
  });
  afterAll(async () => t.cleanup());

  it('random sequences: outcomes, balances, trial balances and checkLedger agree with the model', async () => {
    console.log(`ledger model test: seed ${SEED}, ${RUNS} runs (LEDGER_PROP_SEED to replay)`);
    await fc.assert(
      fc.asyncProperty(fc.array(cmdGen, { minLength: 1, maxLength: 25 }), runCommands),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log('outcomes:', Object.fromEntries([...seen].sort()));
    expectEveryOutcomeSeen();
  }, 120_000);
});
