import { randomInt, seededRandom } from '../../../kernel/random.ts';

/**
 * A fake contracted institution (issue 13): a HIS that signs in and settles visits through the
 * transaction set (docs/settlement-messages.md) over a transport that, by seed, drops messages,
 * loses answers, duplicates messages, delivers them late and reorders them — and that follows the
 * timeout rule: on a lost answer it queries the message by its key, then either sends the same
 * message again or reverses it (冲正 2209), never a new serial for the same act. What it believes
 * settled (its "confirmed" records) must equal the fund's records: the test and the demo check it.
 */
export type Wire = { method: 'GET' | 'POST'; path: string; body?: unknown };
export type WireAnswer = { status: number; body: unknown };
export type Transport = (request: Wire) => Promise<WireAnswer>;

/** The answer never came (dropped, lost, or too late). */
export class WireTimeout extends Error {
  constructor(path: string) {
    super(`no answer to ${path}`);
  }
}

export type Faults = {
  /** The message never reaches the centre. */
  drop: number;
  /** The centre applies it; the answer is lost. */
  loseAnswer: number;
  /** Sent twice at once (a proxy's retry). */
  duplicate: number;
  /** The client times out; the message reaches the centre later (after the client has moved on). */
  late: number;
  /** Up to this many ms before each delivery: concurrent visits' messages interleave. */
  maxDelayMs: number;
};

export const noFaults: Faults = { drop: 0, loseAnswer: 0, duplicate: 0, late: 0, maxDelayMs: 0 };

/** Faults drawn from a seed: every seed its own mix, the same mix for the same seed. */
export function faultsOfSeed(seed: number): Faults {
  const r = seededRandom(seed * 7919 + 17);
  return {
    drop: 0.05 + r() * 0.1,
    loseAnswer: 0.05 + r() * 0.15,
    duplicate: r() * 0.15,
    late: r() * 0.1,
    maxDelayMs: randomInt(r, 0, 3),
  };
}

/** Which fault a roll in [0, 1) falls on (drop is tested first, by the caller). */
function faultOf(roll: number, f: Faults): 'lose_answer' | 'duplicate' | 'late' | null {
  const bounds: ['lose_answer' | 'duplicate' | 'late', number][] = [
    ['lose_answer', f.drop + f.loseAnswer],
    ['duplicate', f.drop + f.loseAnswer + f.duplicate],
    ['late', f.drop + f.loseAnswer + f.duplicate + f.late],
  ];
  return bounds.find(([, upTo]) => roll < upTo)?.[0] ?? null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a transport with the faults. Queries (GET) are only delayed and dropped: a lost query is
 * harmless (the client asks again). Late deliveries are collected in `pending` so a test can wait
 * for all of them before it compares totals.
 */
export function faultyTransport(
  inner: Transport,
  seed: number,
  faults: Faults,
): { transport: Transport; pending: Promise<unknown>[] } {
  const rand = seededRandom(seed);
  const pending: Promise<unknown>[] = [];
  const transport: Transport = async (request) => {
    const roll = rand();
    const delay = faults.maxDelayMs > 0 ? randomInt(rand, 0, faults.maxDelayMs) : 0;
    if (delay > 0) await sleep(delay);
    if (roll < faults.drop) throw new WireTimeout(request.path);
    if (request.method === 'GET') return inner(request);
    const fault = faultOf(roll, faults);
    if (fault === 'lose_answer') {
      await inner(request);
      throw new WireTimeout(request.path);
    }
    if (fault === 'duplicate') {
      const [first] = await Promise.all([inner(request), inner(request)]);
      return first;
    }
    if (fault === 'late') {
      pending.push(sleep(randomInt(rand, 1, 8)).then(() => inner(request)));
      throw new WireTimeout(request.path);
    }
    return inner(request);
  };
  return { transport, pending };
}

export type FeeLine = {
  lineNo: number;
  ownCode: string;
  name: string;
  servedOn: string;
  quantityMilli: number;
  unitPriceFen: number;
  amountFen: number;
};

/** One visit the fake institution will settle (and, if `thenCancel`, cancel and settle again). */
export type VisitPlan = {
  caseId: string;
  idNumber: string;
  hisVisitNo: string;
  kind: 'outpatient' | 'inpatient' | 'rehabilitation' | 'device';
  openedOn: string;
  diagnosisCode: string;
  lines: Omit<FeeLine, 'lineNo'>[];
  thenCancel: boolean;
};

/** A settlement record as the institution believes it (positive, or the negative of a reversal). */
export type ConfirmedRecord = { settlementId: string; fundFen: number; accountingMonth: string };

type Outcome =
  | { kind: 'answer'; body: Record<string, unknown> }
  | { kind: 'refused'; status: number; body: unknown }
  | { kind: 'reversed'; reversal: Record<string, unknown> | null };

const HIS = '/api/v1/settlement/his';

function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {};
}

/** The HIS side of the protocol: serials, the timeout rule, and what it has confirmed. */
export class FakeInstitution {
  readonly confirmed: ConfirmedRecord[] = [];
  readonly log: string[] = [];
  private counter = 0;
  private signInId: string | undefined;
  private readonly rand: () => number;

  constructor(
    private readonly transport: Transport,
    private readonly prefix: string,
    seed: number,
  ) {
    this.rand = seededRandom(seed ^ 0x5eed);
  }

  private nextSerial(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  /** A query is read-only: asked again until an answer comes (bounded). */
  private async query(path: string): Promise<WireAnswer> {
    for (let i = 0; i < 50; i += 1) {
      try {
        return await this.transport({ method: 'GET', path });
      } catch (err) {
        if (!(err instanceof WireTimeout)) throw err;
      }
    }
    throw new Error(`no answer to the query ${path} in 50 tries`);
  }

  /**
   * Sends one message under one serial until its fate is known. On a timeout: query the key;
   * applied → its stored answer; never seen → send the same message again, or (settlements only,
   * by seed) reverse it with 2209 so it can never apply.
   */
  async send(code: string, body: unknown, mayReverse = false): Promise<Outcome> {
    const serial = this.nextSerial();
    const envelope = {
      version: 1,
      serial,
      ...(code === '9001' ? {} : { signInId: this.signInId }),
      body,
    };
    for (let attempt = 0; attempt < 30; attempt += 1) {
      try {
        const r = await this.transport({ method: 'POST', path: `${HIS}/${code}`, body: envelope });
        if (r.status === 200) return { kind: 'answer', body: objectOf(objectOf(r.body)['body']) };
        return { kind: 'refused', status: r.status, body: r.body };
      } catch (err) {
        if (!(err instanceof WireTimeout)) throw err;
      }
      const q = await this.query(`${HIS}/messages/${code}/${serial}`);
      if (q.status === 200) {
        const stored = objectOf(q.body);
        // The stored answer is the transaction's answer itself (the `body` of the live answer).
        if (stored['status'] === 'done')
          return { kind: 'answer', body: objectOf(stored['answer']) };
        return { kind: 'reversed', reversal: null };
      }
      if (q.status !== 404) return { kind: 'refused', status: q.status, body: q.body };
      if (mayReverse && this.rand() < 0.5) {
        this.log.push(`${code} ${serial}: not seen, reversed`);
        const rv = await this.send('2209', { txCode: code, serial });
        if (rv.kind === 'answer') return { kind: 'reversed', reversal: rv.body };
        // The original arrived between the query and the 冲正 (a late delivery): the 冲正 is
        // refused and writes nothing; the next round asks again under the same serial.
        this.log.push(`${code} ${serial}: reversal refused, asked again`);
        continue;
      }
      this.log.push(`${code} ${serial}: not seen, sent again`);
    }
    throw new Error(`message ${code} ${serial} undelivered after 30 tries`);
  }

  async signIn(operator: string): Promise<void> {
    const r = await this.send('9001', { operator });
    if (r.kind !== 'answer') throw new Error(`sign-in failed: ${JSON.stringify(r)}`);
    this.signInId = String(r.body['signInId']);
  }
}

/**
 * The visit flow of one plan: identify, open, upload, pre-settle, settle (again if reversed). The
 * visit's id is answered, for a later query (9103).
 */
export async function settleVisit(his: FakeInstitution, plan: VisitPlan): Promise<string> {
  const who = await his.send('1101', { idNumber: plan.idNumber });
  if (who.kind !== 'answer') throw new Error(`identify refused: ${JSON.stringify(who)}`);
  const visitId = await openVisit(his, plan);
  const lines = await uploadLines(his, visitId, plan.lines);
  const totals = {
    visitId,
    lineCount: lines.length,
    claimedFen: lines.reduce((s, l) => s + l.amountFen, 0),
  };
  const pre = await his.send('2206', totals);
  if (pre.kind !== 'answer') throw new Error(`pre-settlement refused: ${JSON.stringify(pre)}`);
  const expected = Number(objectOf(pre.body['totals'])['fundFen']);
  const settlementId = await settleUntilDone(his, totals, expected);
  if (!plan.thenCancel) return visitId;
  const cancel = await his.send('2208', { settlementId });
  if (cancel.kind !== 'answer') throw new Error(`cancel refused: ${JSON.stringify(cancel)}`);
  recordReversal(his, cancel.body, settlementId);
  await settleUntilDone(his, totals, expected);
  return visitId;
}

/**
 * 9103 费用明细查询 of a visit: the lines as the centre holds them, each with its adjudication.
 * A read, so the timeout rule's query-then-resend under the same serial is always safe.
 */
export async function feeDetails(
  his: FakeInstitution,
  visitId: string,
): Promise<Record<string, unknown>> {
  const r = await his.send('9103', { visitId });
  if (r.kind !== 'answer') throw new Error(`fee details refused: ${JSON.stringify(r)}`);
  return r.body;
}

async function openVisit(his: FakeInstitution, plan: VisitPlan): Promise<string> {
  for (let n = 0; n < 5; n += 1) {
    const r = await his.send('2201', {
      caseId: plan.caseId,
      hisVisitNo: n === 0 ? plan.hisVisitNo : `${plan.hisVisitNo}-${n}`,
      kind: plan.kind,
      openedOn: plan.openedOn,
      diagnosisCode: plan.diagnosisCode,
    });
    if (r.kind === 'answer') return String(r.body['visitId']);
    if (r.kind === 'refused') throw new Error(`open visit refused: ${JSON.stringify(r.body)}`);
  }
  throw new Error('the visit could not be opened in 5 tries');
}

async function uploadLines(
  his: FakeInstitution,
  visitId: string,
  lines: VisitPlan['lines'],
): Promise<FeeLine[]> {
  // A reversed upload keeps its line numbers used: the next try numbers the lines afresh.
  for (let n = 0; n < 5; n += 1) {
    const numbered = lines.map((l, i) => ({ ...l, lineNo: n * 100 + i + 1 }));
    const r = await his.send('2204', { visitId, lines: numbered });
    if (r.kind === 'answer') return numbered;
    if (r.kind === 'refused') throw new Error(`upload refused: ${JSON.stringify(r.body)}`);
  }
  throw new Error('the lines could not be uploaded in 5 tries');
}

async function settleUntilDone(
  his: FakeInstitution,
  totals: { visitId: string; lineCount: number; claimedFen: number },
  expectedFundFen: number,
): Promise<string> {
  for (let n = 0; n < 8; n += 1) {
    const r = await his.send('2207', totals, true);
    if (r.kind === 'refused') throw new Error(`settlement refused: ${JSON.stringify(r.body)}`);
    if (r.kind === 'reversed') {
      if (r.reversal && typeof r.reversal['reversalId'] === 'string')
        recordReversal(his, r.reversal, String(r.reversal['reverses']));
      continue;
    }
    const fundFen = Number(r.body['fundFen']);
    if (fundFen !== expectedFundFen)
      throw new Error(`settled ${fundFen} fen, pre-settled ${expectedFundFen}`);
    const settlementId = String(r.body['settlementId']);
    his.confirmed.push({
      settlementId,
      fundFen,
      accountingMonth: String(r.body['accountingMonth']),
    });
    return settlementId;
  }
  throw new Error('the visit could not be settled in 8 tries');
}

/** A reversal's answer: the original (known or learnt from it) and its negative twin. */
function recordReversal(
  his: FakeInstitution,
  body: Record<string, unknown>,
  original: string,
): void {
  const fundFen = Number(body['fundFen']);
  const accountingMonth = String(body['accountingMonth']);
  // An original learnt only from its 冲正 (it arrived late) is counted in the reversal's month:
  // the answer does not carry the original's; both fall in one month unless a month ends between.
  if (!his.confirmed.some((c) => c.settlementId === original))
    his.confirmed.push({ settlementId: original, fundFen: -fundFen, accountingMonth });
  his.confirmed.push({ settlementId: String(body['reversalId']), fundFen, accountingMonth });
}

/** 1320 总额对账 of an accounting month: the institution's confirmed records against the fund's. */
export async function reconcileMonth(
  his: FakeInstitution,
  month: string,
): Promise<Record<string, unknown>> {
  const mine = his.confirmed.filter((c) => c.accountingMonth === month);
  const r = await his.send('1320', {
    period: { month },
    count: mine.length,
    fundFen: mine.reduce((s, c) => s + c.fundFen, 0),
  });
  if (r.kind !== 'answer') throw new Error(`reconciliation refused: ${JSON.stringify(r)}`);
  return r.body;
}
