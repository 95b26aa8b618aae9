import type { Database, Executor } from '../../db/client.ts';
import type { TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import { type Adjudication, adjudicate } from '../../domain/settlement/adjudicate.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { monthOf, todayInChina } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { inReviewSample } from '../../rules/settlement/settlement-rules.ts';
import { okEventOf } from '../audit/audit-log.ts';
import { adjudicationInputsOf } from './his-adjudication-input.ts';
import {
  answerStored,
  claimMessages,
  institutionOf,
  isAnswered,
  type JsonObject,
  type MessageAnswer,
  type MessageKey,
  requestSha256,
  type StoredMessage,
  storedMessages,
} from './his-messages.ts';
import { type Envelope, idFromKey, notSignedIn, signedInOf } from './his-session.ts';
import {
  adjudicationBody,
  checkCounts,
  expenseLegs,
  type SettleBody,
  type SettleRefusalCode,
  settledTransactionId,
  settlementTransaction,
  withCode,
  writeGuardedAll,
} from './his-settle.ts';
import { type VisitRow, visitNotFound, visitsOf } from './his-visits.ts';

/**
 * 费用结算 2207 by group commit (ADR 0019): concurrent settle messages of one actor are settled
 * together in one database transaction with set-based statements, each answered when its batch
 * commits (or refused alone, the others unaffected). One batch runs at a time per database and
 * rule set; what arrives meanwhile forms the next one. The answers, refusals and writes of each
 * message are those of a message settled alone (docs/settlement-messages.md, 2207).
 */
type Outcome = Result<MessageAnswer, SettleRefusalCode>;

type Message = {
  actor: Actor;
  key: MessageKey;
  sha: string;
  envelope: Envelope;
  body: SettleBody;
  answer: (outcome: Outcome) => void;
  fail: (err: unknown) => void;
};

/** At most this many messages share a transaction: bounds a batch's statements and lock time. */
const MAX_BATCH = 64;

type Batcher = { queue: Message[]; running: boolean };

const batchers = new WeakMap<Database, WeakMap<RuleSet, Batcher>>();

function batcherOf(db: Database, rules: RuleSet): Batcher {
  let byRules = batchers.get(db);
  if (!byRules) {
    byRules = new WeakMap();
    batchers.set(db, byRules);
  }
  let b = byRules.get(rules);
  if (!b) {
    b = { queue: [], running: false };
    byRules.set(rules, b);
  }
  return b;
}

/** 2207 费用结算. A replay answers the stored settlement; 50 concurrent twins make one settlement. */
export async function settle(
  db: Database,
  rules: RuleSet,
  actor: Actor,
  envelope: Envelope,
  body: SettleBody,
): Promise<Outcome> {
  const inst = institutionOf(actor);
  if (!inst.ok) return inst;
  const key = { institutionId: inst.value, txCode: '2207' as const, serial: envelope.serial };
  const sha = requestSha256(body);
  const b = batcherOf(db, rules);
  return new Promise<Outcome>((answer, fail) => {
    b.queue.push({ actor, key, sha, envelope, body, answer, fail });
    if (b.running) return;
    b.running = true;
    // The messages of this tick go in the first batch; a lone message waits for nothing else.
    setImmediate(() => void drain(db, rules, b));
  });
}

function actorKey(a: Actor): string {
  return `${a.username}|${a.role}|${scopeLabel(a)}`;
}

/** The next batch: the first queued message's actor (the ledger's batch event names one). */
function takeBatch(b: Batcher): Message[] {
  const who = actorKey(b.queue[0]!.actor);
  const batch: Message[] = [];
  const rest: Message[] = [];
  for (const m of b.queue)
    (batch.length < MAX_BATCH && actorKey(m.actor) === who ? batch : rest).push(m);
  b.queue = rest;
  return batch;
}

async function drain(db: Database, rules: RuleSet, b: Batcher): Promise<void> {
  while (b.queue.length > 0) {
    const deferred = await runBatch(db, rules, takeBatch(b));
    b.queue.unshift(...deferred);
  }
  b.running = false;
}

/** Settles a batch; answers each message but the deferred ones, which it returns. Never throws. */
async function runBatch(db: Database, rules: RuleSet, batch: Message[]): Promise<Message[]> {
  try {
    const planned = await planBatch(db, rules, batch);
    await settlePlans(db, rules, planned.plans);
    return planned.deferred;
  } catch (err) {
    if (batch.length === 1) {
      batch[0]!.fail(err);
      return [];
    }
    // An error of the batch: each message alone, so each gets what it would get alone (an answer
    // given before the error is given again and ignored: a promise settles once).
    for (const m of batch) await runBatch(db, rules, [m]);
    return [];
  }
}

type Plan = {
  message: Message;
  visit: VisitRow;
  adjudication: Adjudication;
  settlementId: string;
  at: Date;
  /** Drawn for manual review (人工审核) by the rules' sample share: the same on every replay. */
  sampled: boolean;
  request: TransactionRequest | null;
};

type Planned = { plans: Plan[]; deferred: Message[] };

/** The stored answer of an answered key: the replay, or the refusal (conflict, reversed). */
function storedOutcome(m: Message, stored: StoredMessage): Outcome {
  const answered = answerStored(m.key, stored, m.sha);
  if (!answered.ok) return answered;
  const body = answered.value.kind === 'replay' ? answered.value.body : {};
  return ok({ ...m.key, replayed: true, body });
}

/**
 * Before the transaction, without locks, as a message alone: keys already answered are replayed
 * (or refused), then the visits are read and adjudicated. The first message of a key, of a visit
 * and of a case goes on; the later ones wait for the next batch (ADR 0019: they must see its
 * writes).
 */
async function planBatch(db: Database, rules: RuleSet, batch: Message[]): Promise<Planned> {
  return db.withConnection(async (ex) => {
    const inst = batch[0]!.key.institutionId;
    const serials = batch.map((m) => m.key.serial);
    const stored = await storedMessages(ex, inst, '2207', serials);
    const deferred: Message[] = [];
    const fresh: Message[] = [];
    const keys = new Set<string>();
    const visitIds = new Set<string>();
    for (const m of batch) {
      const s = stored.get(m.key.serial);
      if (isAnswered(s)) m.answer(storedOutcome(m, s));
      else if (keys.has(m.key.serial) || visitIds.has(m.body.visitId)) deferred.push(m);
      else {
        keys.add(m.key.serial);
        visitIds.add(m.body.visitId);
        fresh.push(m);
      }
    }
    const plans = await planVisits(ex, rules, fresh, deferred);
    return { plans, deferred };
  });
}

/** The open visits of `fresh`, one per case, adjudicated; the refused are answered. */
async function planVisits(
  ex: Executor,
  rules: RuleSet,
  fresh: Message[],
  deferred: Message[],
): Promise<Plan[]> {
  if (fresh.length === 0) return [];
  const inst = fresh[0]!.key.institutionId;
  const visits = await visitsOf(
    ex,
    inst,
    fresh.map((m) => m.body.visitId),
    false,
  );
  const open: { m: Message; visit: VisitRow }[] = [];
  const notOpen: { m: Message; refusal: Refusal<SettleRefusalCode> }[] = [];
  const cases = new Set<string>();
  for (const m of fresh) {
    const visit = visits.get(m.body.visitId);
    if (visit === undefined) m.answer(visitNotFound(m.body.visitId));
    else if (visit.status !== 'open') notOpen.push({ m, refusal: visitNotOpen(visit) });
    else if (cases.has(visit.caseId)) deferred.push(m);
    else {
      cases.add(visit.caseId);
      open.push({ m, visit });
    }
  }
  await answerNotOpen(ex, notOpen);
  const inputs = await adjudicationInputsOf(
    ex,
    open.map((o) => o.visit),
    rules,
  );
  const at = new Date();
  const plans: Plan[] = [];
  open.forEach((o, i) => {
    const input = inputs[i]!;
    const plan = input.ok ? planOf(rules, o.m, o.visit, adjudicate(input.value), at) : input;
    if ('ok' in plan) o.m.answer(plan);
    else plans.push(plan);
  });
  return plans;
}

function visitNotOpen(visit: VisitRow): Refusal<'settlement.visit_not_open'> {
  return refuse('settlement.visit_not_open', `visit ${visit.id} is ${visit.status}`, {
    visitId: visit.id,
    status: visit.status,
  });
}

/**
 * A visit not open: a twin of this very message may have settled it since the first look (in
 * another process): its answer, not "visit settled", is what this message gets.
 */
async function answerNotOpen(
  ex: Executor,
  notOpen: { m: Message; refusal: Refusal<SettleRefusalCode> }[],
): Promise<void> {
  if (notOpen.length === 0) return;
  const inst = notOpen[0]!.m.key.institutionId;
  const serials = notOpen.map((n) => n.m.key.serial);
  const late = await storedMessages(ex, inst, '2207', serials);
  for (const { m, refusal } of notOpen) {
    const s = late.get(m.key.serial);
    m.answer(isAnswered(s) ? storedOutcome(m, s) : refusal);
  }
}

/** The plan of one message, or its refusal (counts, review sample parameters). */
function planOf(
  rules: RuleSet,
  m: Message,
  visit: VisitRow,
  adjudication: Adjudication,
  at: Date,
): Plan | Refusal<SettleRefusalCode> {
  const refused = checkCounts(m.body, adjudication);
  if (refused) return refused;
  const settlementId = idFromKey('stl', m.key.institutionId, m.key.txCode, m.key.serial);
  const sampled = inReviewSample(rules, visit.regionCode, {
    on: todayInChina(at.getTime()),
    settlementKey: settlementId,
  });
  if (!sampled.ok) return sampled;
  const request = settlementTransaction({
    id: settledTransactionId(settlementId),
    settlementId,
    segment: visit.regionCode,
    effectiveDate: todayInChina(at.getTime()),
    legs: expenseLegs(adjudication.totals.byCategory, adjudication.totals.foodAllowanceFen),
    reverse: null,
  });
  return { message: m, visit, adjudication, settlementId, at, sampled: sampled.value, request };
}

/** The settlement's audit event: appended with the ledger's, last (see writeGuardedAll). */
function settleEvent(plan: Plan) {
  const { visit, settlementId, message } = plan;
  return okEventOf(
    message.actor,
    'settlement.his.settle',
    `settlement/${visit.regionCode}/${settlementId}`,
    {
      visitId: visit.id,
      serial: message.key.serial,
      fundFen: plan.adjudication.totals.fundFen,
      ledgerTransactionId: plan.request?.id ?? null,
    },
  );
}

/** Internal: some messages were refused under the locks; the batch runs again without them. */
type Retry = 'settlement.batch_retry';

/**
 * The batch in one transaction. A message refused under the locks rolls the transaction back and
 * the rest runs again without it (each round removes one at least); a ledger refusal of several
 * runs each alone, so that the refusal answers only the message it belongs to.
 */
async function settlePlans(db: Database, rules: RuleSet, plans: Plan[]): Promise<void> {
  let remaining = plans;
  while (remaining.length > 0) {
    const refusals = new Map<Plan, Outcome>();
    let answers: JsonObject[] = [];
    const guard = batchGuard(rules, remaining, refusals, (a) => {
      answers = a;
    });
    const requests = remaining.flatMap((p) => (p.request === null ? [] : [p.request]));
    const written = await writeGuardedAll<SettleRefusalCode | Retry>(
      db,
      remaining[0]!.message.actor,
      requests,
      guard,
      'settlement.his.post',
      remaining.map(settleEvent),
    );
    if (written.ok) {
      remaining.forEach((p, i) => {
        p.message.answer(ok({ ...p.message.key, replayed: false, body: answers[i]! }));
      });
      return;
    }
    if (written.code !== 'settlement.batch_retry') {
      if (remaining.length === 1) remaining[0]!.message.answer(withCode(written.code, written));
      else for (const p of remaining) await settlePlans(db, rules, [p]);
      return;
    }
    for (const [p, outcome] of refusals) p.message.answer(outcome);
    remaining = remaining.filter((p) => !refusals.has(p));
  }
}

const RETRY: Refusal<Retry> = refuse('settlement.batch_retry', 'refused under the locks');

/**
 * The guard of a batch, on every attempt of its transaction: the keys claimed, the sign-ins, the
 * visits locked, the cases' locks, the same adjudication as planned, then the writes; `written`
 * gets the stored answers in the plans' order.
 */
function batchGuard(
  rules: RuleSet,
  plans: Plan[],
  refusals: Map<Plan, Outcome>,
  written: (answers: JsonObject[]) => void,
) {
  return async (tx: Executor): Promise<Refusal<SettleRefusalCode | Retry> | null> => {
    refusals.clear();
    const claimed = await claimAll(tx, plans, refusals);
    if (!claimed.ok) return claimed;
    await checkSignIns(tx, plans, refusals);
    const locked = await lockAll(tx, plans, refusals);
    await checkUnchanged(tx, rules, plans, locked, refusals);
    if (refusals.size > 0) return RETRY;
    written(await writeSettlements(tx, plans, locked));
    return null;
  };
}

/** The plans not refused yet. */
function going(plans: Plan[], refusals: Map<Plan, Outcome>): Plan[] {
  return plans.filter((p) => !refusals.has(p));
}

/** Claims every key; a key recorded meanwhile (a twin in another process) answers its store. */
async function claimAll(
  tx: Executor,
  plans: Plan[],
  refusals: Map<Plan, Outcome>,
): Promise<Result<true, SettleRefusalCode>> {
  const inst = plans[0]!.message.key.institutionId;
  const claims = plans.map((p) => ({ serial: p.message.key.serial, sha: p.message.sha }));
  const claimed = await claimMessages(tx, inst, '2207', claims);
  if (!claimed.ok) return claimed;
  const taken = plans.filter((p) => !claimed.value.has(p.message.key.serial));
  if (taken.length === 0) return ok(true);
  const serials = taken.map((p) => p.message.key.serial);
  const stored = await storedMessages(tx, inst, '2207', serials);
  for (const p of taken) {
    const s = stored.get(p.message.key.serial);
    // Recorded but unanswered cannot be seen from another transaction; as claimMessage does, a
    // key found without an answer is one to run: only a store with an answer leaves the batch.
    if (isAnswered(s)) refusals.set(p, storedOutcome(p.message, s));
  }
  return ok(true);
}

async function checkSignIns(tx: Executor, plans: Plan[], refusals: Map<Plan, Outcome>) {
  const open = going(plans, refusals);
  if (open.length === 0) return;
  const inst = open[0]!.message.key.institutionId;
  const ids = open.flatMap((p) => p.message.envelope.signInId ?? []);
  const signed = await signedInOf(tx, inst, ids);
  for (const p of open) {
    const id = p.message.envelope.signInId;
    if (id === undefined || !signed.has(id)) refusals.set(p, notSignedIn(id));
  }
}

/**
 * The visits locked (in id order) and still open, then the cases' locks (in order): the
 * duplicate-line rule reads the case's other visits' settled lines, so two visits of one case
 * settling at once must not each miss the other's (see checkUnchanged).
 */
async function lockAll(
  tx: Executor,
  plans: Plan[],
  refusals: Map<Plan, Outcome>,
): Promise<Map<string, VisitRow>> {
  const open = going(plans, refusals);
  if (open.length === 0) return new Map();
  const inst = open[0]!.message.key.institutionId;
  const ids = open.map((p) => p.visit.id);
  const locked = await visitsOf(tx, inst, ids, true);
  for (const p of open) {
    const v = locked.get(p.visit.id);
    if (v === undefined) refusals.set(p, visitNotFound(p.visit.id));
    else if (v.status !== 'open') refusals.set(p, visitNotOpen(v));
  }
  const cases = [...new Set(going(plans, refusals).map((p) => p.visit.caseId))].sort();
  if (cases.length > 0)
    await tx.query(
      "SELECT pg_advisory_xact_lock(hashtext('settlement-case:' || c)) FROM unnest($1::text[]) WITH ORDINALITY AS u(c, n) ORDER BY n",
      [cases],
    );
  return locked;
}

/**
 * Under the locks, the same adjudication as planned: a visit of a case whose other visit settled
 * since (or whose lines changed) adjudicates differently and is refused `visit_changed` (the
 * institution settles again with a new serial, the duplicate rejected).
 */
async function checkUnchanged(
  tx: Executor,
  rules: RuleSet,
  plans: Plan[],
  locked: Map<string, VisitRow>,
  refusals: Map<Plan, Outcome>,
) {
  const open = going(plans, refusals);
  if (open.length === 0) return;
  const visits = open.map((p) => locked.get(p.visit.id)!);
  const inputs = await adjudicationInputsOf(tx, visits, rules);
  open.forEach((p, i) => {
    const input = inputs[i]!;
    if (!input.ok) refusals.set(p, input);
    else if (JSON.stringify(adjudicate(input.value)) !== JSON.stringify(p.adjudication))
      refusals.set(
        p,
        refuse(
          'settlement.visit_changed',
          'the visit changed while it was settled: send 2207 again with a new serial',
        ),
      );
  });
}

/**
 * The settlements, their line results, the visits settled and the messages' stored answers of the
 * whole batch, in one statement (ADR 0019: a batch writes in one round trip what a message alone
 * wrote in one; issue 13). Hand SQL on the measured hot path (bench/settlement.bench.ts): unnest()
 * arrays, the line results flattened with the index of their settlement (`s`).
 */
const WRITE_SQL = `
WITH settlement AS (
  INSERT INTO settlement_settlements (region_code, id, visit_id, institution_id, kind, serial,
    settled_at, accounting_month, line_count, claimed_fen, fund_fen, food_allowance_fen,
    rejected_fen, status, sampled, ledger_transaction_id)
  SELECT u.region_code, u.id, u.visit_id, $1, 'settlement', u.serial, u.settled_at,
         u.accounting_month, u.line_count, u.claimed, u.fund, u.food, u.rejected, 'active',
         u.sampled, u.ledger_tx
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
                $8::int4[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::bool[],
                $14::text[])
      AS u(region_code, id, visit_id, serial, settled_at, accounting_month, line_count, claimed,
           fund, food, rejected, sampled, ledger_tx)),
line_results AS (
  INSERT INTO settlement_line_results (region_code, settlement_id, line_no, catalogue_code,
    category, outcome, claimed_fen, payable_fen, reasons)
  SELECT ($2::text[])[u.s], ($3::text[])[u.s], u.line_no, u.catalogue_code, u.category,
         u.outcome, u.claimed, u.payable, ARRAY(SELECT jsonb_array_elements_text(u.reasons))
    FROM unnest($15::int4[], $16::int4[], $17::text[], $18::text[], $19::text[], $20::int8[],
                $21::int8[], $22::jsonb[])
      AS u(s, line_no, catalogue_code, category, outcome, claimed, payable, reasons)),
visit AS (
  UPDATE settlement_visits v SET status = 'settled', version = v.version + 1
    FROM unnest($2::text[], $4::text[]) AS u(region_code, visit_id)
   WHERE v.region_code = u.region_code AND v.id = u.visit_id)
UPDATE settlement_messages m SET response = u.response
  FROM unnest($5::text[], $23::jsonb[]) AS u(serial, response)
 WHERE m.institution_id = $1 AND m.tx_code = '2207' AND m.serial = u.serial`;

/** The stored answer of a plan: what the institution gets, now and on every replay. */
function answerOf(plan: Plan): JsonObject {
  const { visit, adjudication: a, settlementId, at, sampled } = plan;
  return {
    ...adjudicationBody(visit.id, a),
    settlementId,
    settledAt: at.toISOString(),
    accountingMonth: monthOf(todayInChina(at.getTime())),
    fundFen: a.totals.fundFen,
    sampled,
    ledgerTransactionId: plan.request?.id ?? null,
  };
}

/** The batch's rows in one statement (above); answers the stored answers in the plans' order. */
async function writeSettlements(
  tx: Executor,
  plans: Plan[],
  locked: Map<string, VisitRow>,
): Promise<JsonObject[]> {
  const answers = plans.map(answerOf);
  const col = <T>(f: (p: Plan, i: number) => T): T[] => plans.map(f);
  const lines = plans.flatMap((p, i) => p.adjudication.lines.map((l) => ({ s: i + 1, l })));
  const line = <T>(f: (l: Adjudication['lines'][number]) => T): T[] => lines.map((x) => f(x.l));
  const t = (p: Plan) => p.adjudication.totals;
  await tx.query(WRITE_SQL, [
    plans[0]!.message.key.institutionId,
    col((p) => locked.get(p.visit.id)!.regionCode),
    col((p) => p.settlementId),
    col((p) => p.visit.id),
    col((p) => p.message.key.serial),
    col((_, i) => answers[i]!['settledAt']),
    col((_, i) => answers[i]!['accountingMonth']),
    col((p) => t(p).lineCount),
    col((p) => t(p).claimedFen),
    col((p) => t(p).fundFen),
    col((p) => t(p).foodAllowanceFen),
    col((p) => t(p).rejectedFen),
    col((p) => p.sampled),
    col((p) => p.request?.id ?? null),
    lines.map((x) => x.s),
    line((l) => l.lineNo),
    line((l) => l.catalogueCode),
    line((l) => l.category),
    line((l) => l.outcome),
    line((l) => l.claimedFen),
    line((l) => l.payableFen),
    line((l) => JSON.stringify(l.reasons)),
    answers.map((a) => JSON.stringify(a)),
  ]);
  return answers;
}
