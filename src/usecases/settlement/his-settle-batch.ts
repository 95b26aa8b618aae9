import type { Database, Executor } from '../../db/client.ts';
import { textArrayOf, textOrNullOf } from '../../db/rows.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../domain/fund/ledger/ledger.ts';
import { type Adjudication, adjudicate } from '../../domain/settlement/adjudicate.ts';
import { type Actor, scopeLabel } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { monthOf, todayInChina } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { inReviewSample } from '../../rules/settlement/settlement-rules.ts';
import { appendAudits, okEventOf } from '../audit/audit-log.ts';
import { needsCarefulWrite, postTransactionsWithin } from '../fund/ledger/ledger-write.ts';
import { RefusalSignal, refusalFromDatabaseError } from '../fund/refusals.ts';
import { adjudicationInputsOf } from './his-adjudication-input.ts';
import {
  answerStored,
  institutionOf,
  isAnswered,
  type JsonObject,
  type MessageAnswer,
  type MessageKey,
  requestSha256,
  type StoredMessage,
  storedMessages,
} from './his-messages.ts';
import { type Envelope, idFromKey, notSignedIn } from './his-session.ts';
import {
  adjudicationBody,
  checkCounts,
  expenseLegs,
  type SettleBody,
  type SettleRefusalCode,
  settledTransactionId,
  settlementTransaction,
  withCode,
} from './his-settle.ts';
import { VISIT_COLUMNS, type VisitRow, visitNotFound, visitRowOf } from './his-visits.ts';

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
  /** Deferred once already (a twin of a key, a visit or a case in its batch). */
  waited: boolean;
};

/** At most this many messages share a transaction: bounds a batch's statements and lock time. */
const MAX_BATCH = 64;
/**
 * Batches running at once: the next batch's lock-free reads overlap the running one's transaction
 * (the server's process waited on the database two thirds of the time with one). Two batches
 * serialise on the same rows as two messages did (ADR 0019).
 */
const IN_FLIGHT = 2;

type Batcher = { queue: Message[]; inFlight: number; scheduled: boolean };

const batchers = new WeakMap<Database, WeakMap<RuleSet, Batcher>>();

function batcherOf(db: Database, rules: RuleSet): Batcher {
  let byRules = batchers.get(db);
  if (!byRules) {
    byRules = new WeakMap();
    batchers.set(db, byRules);
  }
  let b = byRules.get(rules);
  if (!b) {
    b = { queue: [], inFlight: 0, scheduled: false };
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
    b.queue.push({ actor, key, sha, envelope, body, answer, fail, waited: false });
    if (b.scheduled) return;
    b.scheduled = true;
    // The messages of this tick go in the same batch; a lone message waits for nothing else.
    setImmediate(() => {
      b.scheduled = false;
      startBatches(db, rules, b);
    });
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

/** Starts batches while fewer than IN_FLIGHT run; each, when done, starts the next. */
function startBatches(db: Database, rules: RuleSet, b: Batcher): void {
  while (b.inFlight < IN_FLIGHT && b.queue.length > 0) {
    const batch = takeBatch(b);
    b.inFlight += 1;
    void runBatch(db, rules, batch).then((deferred) => {
      b.inFlight -= 1;
      b.queue.unshift(...deferred);
      startBatches(db, rules, b);
    });
  }
}

/** Settles a batch; answers each message but the deferred ones, which it returns. Never throws. */
async function runBatch(db: Database, rules: RuleSet, batch: Message[]): Promise<Message[]> {
  try {
    const { fresh, deferred } = await sortOut(db, batch);
    deferred.push(...(await settleFresh(db, rules, fresh)));
    for (const m of deferred) m.waited = true;
    return deferred;
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

/** The stored answer of an answered key: the replay, or the refusal (conflict, reversed). */
function storedOutcome(m: Message, stored: StoredMessage): Outcome {
  const answered = answerStored(m.key, stored, m.sha);
  if (!answered.ok) return answered;
  const body = answered.value.kind === 'replay' ? answered.value.body : {};
  return ok({ ...m.key, replayed: true, body });
}

/**
 * The first message of a key and of a visit goes on; the later ones wait for the next batch, whose
 * first read answers the twins of a settled key from the store (ADR 0019). A batch without such a
 * waiting message skips that read: a replay is found by the claim.
 */
async function sortOut(
  db: Database,
  batch: Message[],
): Promise<{ fresh: Message[]; deferred: Message[] }> {
  let open = batch;
  if (batch.some((m) => m.waited)) {
    const inst = batch[0]!.key.institutionId;
    const serials = batch.map((m) => m.key.serial);
    const stored = await db.withConnection((ex) => storedMessages(ex, inst, '2207', serials));
    open = batch.filter((m) => {
      const s = stored.get(m.key.serial);
      if (isAnswered(s)) m.answer(storedOutcome(m, s));
      return !isAnswered(s);
    });
  }
  const keys = new Set<string>();
  const visits = new Set<string>();
  const fresh: Message[] = [];
  const deferred: Message[] = [];
  for (const m of open) {
    if (keys.has(m.key.serial) || visits.has(m.body.visitId)) deferred.push(m);
    else {
      keys.add(m.key.serial);
      visits.add(m.body.visitId);
      fresh.push(m);
    }
  }
  return { fresh, deferred };
}

type Plan = {
  message: Message;
  /** The visit as locked in the batch's transaction. */
  visit: VisitRow;
  adjudication: Adjudication;
  settlementId: string;
  at: Date;
  /** Drawn for manual review (人工审核) by the rules' sample share: the same on every replay. */
  sampled: boolean;
  request: TransactionRequest | null;
};

/** What one transaction of a batch ended with. */
type Round =
  | { kind: 'done'; answers: Map<Message, JsonObject> }
  | { kind: 'without'; refused: Map<Message, Outcome>; deferred: Message[] }
  | { kind: 'careful' }
  | { kind: 'refused'; refusal: Refusal<LedgerRefusalCode> };

/**
 * The messages in transactions until each is answered or deferred: a message refused under the
 * locks rolls the transaction back and the rest runs again without it (each round removes one at
 * least); a ledger refusal of several runs each alone, so that it answers only its own message.
 * Answers the deferred (a second visit of a case already in the batch).
 */
async function settleFresh(db: Database, rules: RuleSet, messages: Message[]): Promise<Message[]> {
  let remaining = messages;
  let careful = false;
  const later: Message[] = [];
  while (remaining.length > 0) {
    const round = await settleRound(db, rules, remaining, careful);
    if (round.kind === 'done') {
      for (const m of remaining)
        m.answer(ok({ ...m.key, replayed: false, body: round.answers.get(m)! }));
      return later;
    }
    if (round.kind === 'careful') careful = true;
    else if (round.kind === 'refused') {
      if (remaining.length === 1) remaining[0]!.answer(withCode(round.refusal.code, round.refusal));
      else for (const m of remaining) later.push(...(await settleFresh(db, rules, [m])));
      return later;
    } else {
      for (const [m, outcome] of round.refused) m.answer(outcome);
      later.push(...round.deferred);
      const out = new Set<Message>([...round.refused.keys(), ...round.deferred]);
      remaining = remaining.filter((m) => !out.has(m));
    }
  }
  return later;
}

class RollBack extends Error {}

/** One transaction of the batch (see settleFresh); `careful` as postTransactionsWithin. */
async function settleRound(
  db: Database,
  rules: RuleSet,
  messages: Message[],
  careful: boolean,
): Promise<Round> {
  const refused = new Map<Message, Outcome>();
  const deferred: Message[] = [];
  let answers = new Map<Message, JsonObject>();
  try {
    await db.transaction(async (tx) => {
      refused.clear();
      deferred.length = 0;
      const plans = await lockAndPlan(tx, rules, messages, { refused, deferred });
      if (refused.size > 0 || deferred.length > 0) throw new RollBack();
      answers = await writeAll(db, tx, plans, careful);
    });
    return { kind: 'done', answers };
  } catch (err) {
    if (err instanceof RollBack) return { kind: 'without', refused, deferred };
    // As postTransactions: what the ledger's write path throws inside is a ledger refusal.
    if (err instanceof RefusalSignal)
      return { kind: 'refused', refusal: err.refusal as Refusal<LedgerRefusalCode> };
    if (!careful && needsCarefulWrite(err)) return { kind: 'careful' };
    const mapped = refusalFromDatabaseError(err);
    if (mapped) return { kind: 'refused', refusal: mapped };
    throw err;
  }
}

type Verdicts = { refused: Map<Message, Outcome>; deferred: Message[] };

/**
 * Under the batch's locks, each message as a message alone is judged, in the same order of
 * refusals: a key already answered (a replay, or a twin another process settled), the visit
 * (found, open), the adjudication (the stay's food allowance, the counts, the review sample),
 * the institution active, the sign-in. A second visit of a case in the batch waits (the
 * duplicate-line rule must see the first's lines). Answers the plans of the others.
 */
async function lockAndPlan(
  tx: Executor,
  rules: RuleSet,
  messages: Message[],
  v: Verdicts,
): Promise<Plan[]> {
  const inst = messages[0]!.key.institutionId;
  const claim = await claimAndLock(tx, inst, messages);
  const unclaimed = messages.filter((m) => !claim.inserted.has(m.key.serial));
  const stored =
    unclaimed.length === 0
      ? new Map<string, StoredMessage>()
      : await storedMessages(
          tx,
          inst,
          '2207',
          unclaimed.map((m) => m.key.serial),
        );
  const visits = claim.visits;
  const candidates: { m: Message; visit: VisitRow }[] = [];
  const cases = new Set<string>();
  for (const m of messages) {
    const s = stored.get(m.key.serial);
    const visit = visits.get(m.body.visitId);
    if (isAnswered(s)) v.refused.set(m, storedOutcome(m, s));
    else if (visit === undefined) v.refused.set(m, visitNotFound(m.body.visitId));
    else if (visit.status !== 'open') v.refused.set(m, visitNotOpen(visit));
    else if (cases.has(visit.caseId)) v.deferred.push(m);
    else {
      cases.add(visit.caseId);
      candidates.push({ m, visit });
    }
  }
  return planAll(tx, rules, candidates, claim, v);
}

/** The adjudication of the candidates read in one statement; the refused are recorded. */
async function planAll(
  tx: Executor,
  rules: RuleSet,
  candidates: { m: Message; visit: VisitRow }[],
  claim: Claimed,
  v: Verdicts,
): Promise<Plan[]> {
  const inputs = await adjudicationInputsOf(
    tx,
    candidates.map((c) => c.visit),
    rules,
  );
  const at = new Date();
  const plans: Plan[] = [];
  candidates.forEach(({ m, visit }, i) => {
    const input = inputs[i]!;
    const plan = input.ok ? planOf(rules, m, visit, adjudicate(input.value), at) : input;
    const signInId = m.envelope.signInId;
    if ('ok' in plan) v.refused.set(m, plan);
    else if (!claim.active)
      v.refused.set(
        m,
        refuse(
          'settlement.institution_inactive',
          `institution ${m.key.institutionId} is not active`,
          {
            institutionId: m.key.institutionId,
          },
        ),
      );
    else if (signInId === undefined || !claim.signedIn.has(signInId))
      v.refused.set(m, notSignedIn(signInId));
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

type Claimed = {
  active: boolean;
  inserted: Set<string>;
  signedIn: Set<string>;
  visits: Map<string, VisitRow>;
};

/**
 * One statement opens the batch's transaction (ADR 0019): the keys claimed (as claimMessage does
 * one: only for an active institution; a key being recorded by a concurrent transaction waits for
 * it), the sign-ins still open, the visits locked in id order and then their cases' advisory locks
 * `settlement-case:<case id>` in order. The adjudication read after it sees every settlement of
 * those cases committed before: the duplicate-line rule reads the case's other visits' settled
 * lines, and two visits of one case settling at once must not each miss the other's. One row per
 * visit (or one without a visit), the claim's columns on each.
 */
const CLAIM_AND_LOCK_SQL = `
WITH inst AS (SELECT status FROM settlement_institutions WHERE id = $1),
claimed AS (
  INSERT INTO settlement_messages (institution_id, tx_code, serial, request_sha256, status)
  SELECT $1, '2207', u.serial, u.sha, 'done'
    FROM unnest($2::text[], $3::text[]) AS u(serial, sha)
   WHERE EXISTS (SELECT 1 FROM inst WHERE status = 'active')
   ORDER BY u.serial
  ON CONFLICT DO NOTHING RETURNING serial),
visits AS MATERIALIZED (
  SELECT ${VISIT_COLUMNS}
    FROM settlement_visits WHERE id = ANY($5::text[]) AND institution_id = $1
   ORDER BY id FOR UPDATE),
cases AS MATERIALIZED (
  SELECT pg_advisory_xact_lock(hashtext('settlement-case:' || c.case_id))
    FROM (SELECT DISTINCT case_id FROM visits ORDER BY case_id) c),
head AS (
  SELECT (SELECT status FROM inst) AS institution_status,
         coalesce((SELECT array_agg(serial) FROM claimed), '{}') AS inserted,
         coalesce((SELECT array_agg(id) FROM settlement_sign_ins
                    WHERE id = ANY($4::text[]) AND institution_id = $1 AND signed_out_at IS NULL),
                  '{}') AS signed_in,
         (SELECT count(*) FROM cases) AS case_locks)
SELECT head.*, visits.* FROM head LEFT JOIN visits ON true`;

async function claimAndLock(tx: Executor, inst: string, messages: Message[]): Promise<Claimed> {
  const r = await tx.query(CLAIM_AND_LOCK_SQL, [
    inst,
    messages.map((m) => m.key.serial),
    messages.map((m) => m.sha),
    [...new Set(messages.flatMap((m) => m.envelope.signInId ?? []))],
    messages.map((m) => m.body.visitId),
  ]);
  const head = r.rows[0];
  invariant(head !== undefined, 'the claim answers one row at least');
  const locked = r.rows.filter((row) => textOrNullOf(row, 'id') !== null).map(visitRowOf);
  return {
    active: textOrNullOf(head, 'institution_status') === 'active',
    inserted: new Set(textArrayOf(head, 'inserted')),
    signedIn: new Set(textArrayOf(head, 'signed_in')),
    visits: new Map(locked.map((v) => [v.id, v])),
  };
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

/** The settlement's audit event: appended with the ledger's batch event, last. */
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

/**
 * The batch's writes: its rows in one statement, then its ledger transactions in one batch, whose
 * audit append carries every settlement's event before the ledger's (the chain head is held for
 * the last statement and the COMMIT only). Answers the stored answers.
 */
async function writeAll(
  db: Database,
  tx: Executor,
  plans: Plan[],
  careful: boolean,
): Promise<Map<Message, JsonObject>> {
  const answers = await writeSettlements(tx, plans);
  const requests = plans.flatMap((p) => (p.request === null ? [] : [p.request]));
  const audit = plans.map(settleEvent);
  if (requests.length === 0) await appendAudits(tx, audit);
  else
    await postTransactionsWithin(
      db,
      tx,
      plans[0]!.message.actor,
      requests,
      { auditAction: 'settlement.his.post', audit },
      careful,
    );
  return new Map(plans.map((p, i) => [p.message, answers[i]!]));
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
    FROM unnest($2::char(6)[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
                $8::int4[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::bool[],
                $14::text[])
      AS u(region_code, id, visit_id, serial, settled_at, accounting_month, line_count, claimed,
           fund, food, rejected, sampled, ledger_tx)),
line_results AS (
  INSERT INTO settlement_line_results (region_code, settlement_id, line_no, catalogue_code,
    category, outcome, claimed_fen, payable_fen, reasons)
  SELECT ($2::char(6)[])[u.s], ($3::text[])[u.s], u.line_no, u.catalogue_code, u.category,
         u.outcome, u.claimed, u.payable, ARRAY(SELECT jsonb_array_elements_text(u.reasons))
    FROM unnest($15::int4[], $16::int4[], $17::text[], $18::text[], $19::text[], $20::int8[],
                $21::int8[], $22::jsonb[])
      AS u(s, line_no, catalogue_code, category, outcome, claimed, payable, reasons)),
visit AS (
  UPDATE settlement_visits v SET status = 'settled', version = v.version + 1
    FROM unnest($2::char(6)[], $4::text[]) AS u(region_code, visit_id)
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
async function writeSettlements(tx: Executor, plans: Plan[]): Promise<JsonObject[]> {
  const answers = plans.map(answerOf);
  const col = <T>(f: (p: Plan, i: number) => T): T[] => plans.map(f);
  const lines = plans.flatMap((p, i) => p.adjudication.lines.map((l) => ({ s: i + 1, l })));
  const line = <T>(f: (l: Adjudication['lines'][number]) => T): T[] => lines.map((x) => f(x.l));
  const t = (p: Plan) => p.adjudication.totals;
  await tx.query(WRITE_SQL, [
    plans[0]!.message.key.institutionId,
    col((p) => p.visit.regionCode),
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
