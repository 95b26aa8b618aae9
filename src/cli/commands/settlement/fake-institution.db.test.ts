import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../api/testing.ts';
import type { Executor } from '../../../db/client.ts';
import { lineAmountFen } from '../../../domain/settlement/adjudicate.ts';
import { systemActor } from '../../../identity/actor.ts';
import { monthOf, todayInChina } from '../../../kernel/dates.ts';
import { randomInt, seededRandom } from '../../../kernel/random.ts';
import { HZ } from '../../../usecases/contributions/testing.ts';
import { accountBalances, checkLedger } from '../../../usecases/fund/ledger/ledger-read.ts';
import { openPeriod } from '../../../usecases/fund/ledger/periods.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
  institutionToken,
} from '../../../usecases/settlement/testing.ts';
import {
  FakeInstitution,
  faultsOfSeed,
  faultyTransport,
  feeDetails,
  noFaults,
  reconcileMonth,
  settleVisit,
  type Transport,
  type VisitPlan,
} from './fake-institution-client.ts';

/**
 * The acceptance test of the timeout rule (issue 13): for 20 seeds, a fresh institution settles
 * visits concurrently through the real HTTP routes over a transport that drops messages, loses
 * answers, duplicates and delivers late. Whatever the faults, what the institution believes
 * settled equals the fund's records and the ledger: nothing lost, nothing paid twice.
 */
let h: TestApp;
let employerId: string;
const month = monthOf(todayInChina());
const VISITS = 5;
/** What the seeds went through, summed: the last test checks every path was taken. */
const seen = { queriedThenResent: 0, reversedBy2209: 0, reversalRecords: 0, rejectedLines: 0 };

beforeAll(async () => {
  h = await startTestApp();
  // The demo template has no ledger period open for this month: settlements post in it.
  const opened = await openPeriod(h.t.db, systemActor('test'), { segment: 'all', period: month });
  if (!opened.ok) throw new Error(opened.message);
  await insertCatalogueRows(h.t.db, [
    { code: 'FK-D1', kind: 'drug', priceCapFen: 1000 },
    { code: 'FK-S1', kind: 'service' },
    { code: 'FK-R1', kind: 'rehabilitation' },
  ]);
  const e = await h.t.db.query(
    "SELECT id FROM employers WHERE region_code = '330100' ORDER BY id LIMIT 1",
  );
  employerId = String(e.rows[0]?.['id']);
}, 120_000);
afterAll(() => h.close());

/** A fresh institution with its agreement, code maps and accepted cases; its token. */
async function freshInstitution(seed: number) {
  const db = h.t.db;
  const inst = await insertInstitution(db);
  await insertAgreement(db, {
    institutionId: inst.id,
    scopes: ['outpatient', 'inpatient', 'rehabilitation'],
  });
  await insertCodeMaps(db, inst.id, [
    { ownCode: 'DRUG', catalogueCode: 'FK-D1' },
    { ownCode: 'SVC', catalogueCode: 'FK-S1' },
    { ownCode: 'REHAB', catalogueCode: 'FK-R1' },
  ]);
  const cases = [];
  for (let i = 0; i < 3 + (seed % 2); i += 1)
    cases.push(
      await insertAcceptedCase(db, {
        employerId,
        accidentDate: '2026-01-05',
        diagnoses: ['S82.2'],
      }),
    );
  return { inst, cases, token: await institutionToken(db, systemActor('test'), inst.username) };
}

const OWN_CODES = ['DRUG', 'DRUG', 'SVC', 'REHAB', 'UNMAPPED'] as const;
const KINDS = ['outpatient', 'inpatient', 'rehabilitation'] as const;

/**
 * The seed's visits: 3–6 lines each, some rejected on purpose (an unmapped code, a wrong amount)
 * or paid in part (a drug over its price cap), some cancelled and settled again. Quantities
 * differ from visit to visit so no line duplicates another visit's of the same case (that would
 * make a visit's answer depend on which visit settles first).
 */
function plansOf(seed: number, cases: { caseId: string; idNumber: string }[]): VisitPlan[] {
  const r = seededRandom(seed * 31 + 7);
  return Array.from({ length: VISITS }, (_, v) => {
    const c = cases[v % cases.length] ?? cases[0];
    if (c === undefined) throw new Error('no case');
    const lines = Array.from({ length: randomInt(r, 3, 6) }, (_, i) => {
      const ownCode = OWN_CODES[randomInt(r, 0, OWN_CODES.length - 1)] ?? 'DRUG';
      const quantityMilli = 1000 + v * 100 + i * 7;
      const unitPriceFen = randomInt(r, 300, 1400);
      const wrong = r() < 0.1 ? 1 : 0;
      return {
        ownCode,
        name: `${ownCode}-${i}`,
        servedOn: `2026-01-${String(10 + i).padStart(2, '0')}`,
        quantityMilli,
        unitPriceFen,
        amountFen: lineAmountFen(quantityMilli, unitPriceFen) + wrong,
      };
    });
    return {
      caseId: c.caseId,
      idNumber: c.idNumber,
      hisVisitNo: `MZ-${seed}-${v}`,
      kind: KINDS[randomInt(r, 0, KINDS.length - 1)] ?? 'inpatient',
      openedOn: '2026-01-10',
      diagnosisCode: 'S82.2',
      lines,
      thenCancel: r() < 0.3,
    };
  });
}

function objectOf(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {};
}

/** Through the real routes, with the institution's token. */
function injectTransport(token: string): Transport {
  return async (w) => {
    const res = await h.app.inject({
      method: w.method,
      url: w.path,
      headers: { authorization: `Bearer ${token}` },
      ...(w.body === undefined ? {} : { payload: objectOf(w.body) }),
    });
    return { status: res.statusCode, body: res.json() };
  };
}

async function balance2101(): Promise<number> {
  const rows = await accountBalances(h.t.db, { segment: HZ });
  return rows.find((r) => r.account === '2101')?.balanceFen ?? 0;
}

type Row = {
  id: string;
  visitId: string;
  kind: string;
  reverses: string | null;
  status: string;
  fundFen: number;
  claimedFen: number;
  rejectedFen: number;
  ledgerTransactionId: string | null;
};

async function rowsOf(institutionId: string): Promise<Row[]> {
  const r = await h.t.db.query(
    `SELECT id, visit_id, kind, reverses, status, fund_fen::int8 AS fund_fen, claimed_fen::int8 AS claimed_fen,
            rejected_fen::int8 AS rejected_fen,
            ledger_transaction_id
       FROM settlement_settlements WHERE institution_id = $1 ORDER BY id`,
    [institutionId],
  );
  return r.rows.map((x) => ({
    id: String(x['id']),
    visitId: String(x['visit_id']),
    kind: String(x['kind']),
    reverses: x['reverses'] === null ? null : String(x['reverses']),
    status: String(x['status']),
    fundFen: Number(x['fund_fen']),
    claimedFen: Number(x['claimed_fen']),
    rejectedFen: Number(x['rejected_fen']),
    ledgerTransactionId:
      x['ledger_transaction_id'] === null ? null : String(x['ledger_transaction_id']),
  }));
}

/** Signed postings per account of the given ledger transactions (debit +, credit −). */
async function netByAccount(ex: Executor, ids: string[]): Promise<Map<string, number>> {
  const r = await ex.query(
    `SELECT a.code, sum(CASE p.side WHEN 'D' THEN p.amount ELSE -p.amount END)::int8 AS net
       FROM ledger_postings p JOIN ledger_transactions t ON t.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE t.id = ANY($1::text[]) GROUP BY a.code`,
    [ids],
  );
  return new Map(r.rows.map((x) => [String(x['code']), Number(x['net'])]));
}

function expectReversalsNetToZero(rows: Row[], nets: Map<string, Map<string, number>>): void {
  for (const rev of rows.filter((x) => x.kind === 'reversal')) {
    const original = rows.find((x) => x.id === rev.reverses);
    expect(original?.status).toBe('reversed');
    expect((original?.fundFen ?? 0) + rev.fundFen).toBe(0);
    expect((original?.claimedFen ?? 0) + rev.claimedFen).toBe(0);
    expect(rev.ledgerTransactionId === null).toBe(original?.ledgerTransactionId === null);
    for (const net of nets.get(rev.id)?.values() ?? []) expect(net).toBe(0);
  }
}

async function ledgerNets(rows: Row[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const rev of rows.filter((x) => x.kind === 'reversal' && x.ledgerTransactionId !== null)) {
    const original = rows.find((x) => x.id === rev.reverses);
    const ids = [original?.ledgerTransactionId ?? '', rev.ledgerTransactionId ?? ''];
    out.set(rev.id, await h.t.db.withConnection((ex) => netByAccount(ex, ids)));
  }
  return out;
}

function tally(log: readonly string[], rows: Row[]): void {
  seen.queriedThenResent += log.filter((l) => l.endsWith('sent again')).length;
  seen.reversedBy2209 += log.filter((l) => l.endsWith('not seen, reversed')).length;
  seen.reversalRecords += rows.filter((x) => x.kind === 'reversal').length;
  seen.rejectedLines += rows.filter((x) => x.kind === 'settlement' && x.rejectedFen > 0).length;
}

async function runSeed(seed: number) {
  const { inst, cases, token } = await freshInstitution(seed);
  const before = await balance2101();
  const { transport, pending } = faultyTransport(injectTransport(token), seed, faultsOfSeed(seed));
  const his = new FakeInstitution(transport, `F${seed}`, seed);
  await his.signIn('收费员01');
  await Promise.all(plansOf(seed, cases).map((p) => settleVisit(his, p)));
  await Promise.all(pending);
  return { inst, his, before };
}

describe('the fake institution reads a settled visit back', () => {
  it('9103 after a settle: the lines with their adjudication', async () => {
    const { cases, token } = await freshInstitution(0);
    const c = cases[0];
    if (c === undefined) throw new Error('no case');
    const { transport } = faultyTransport(injectTransport(token), 0, noFaults);
    const his = new FakeInstitution(transport, 'F9103', 0);
    await his.signIn('收费员01');
    const visitId = await settleVisit(his, {
      caseId: c.caseId,
      idNumber: c.idNumber,
      hisVisitNo: 'MZ-9103',
      thenCancel: false,
      kind: 'outpatient',
      openedOn: '2026-01-10',
      diagnosisCode: 'S82.2',
      lines: [
        // 1 × 12.00 元 of FK-D1, capped at 10.00 元: partial, 1 000 fen payable.
        {
          ownCode: 'DRUG',
          name: '药',
          servedOn: '2026-01-10',
          quantityMilli: 1000,
          unitPriceFen: 1200,
          amountFen: 1200,
        },
        // 2 × 5.00 元 of FK-S1 (no cap): 1 000 fen payable.
        {
          ownCode: 'SVC',
          name: '治疗',
          servedOn: '2026-01-10',
          quantityMilli: 2000,
          unitPriceFen: 500,
          amountFen: 1000,
        },
      ],
    });
    const body = await feeDetails(his, visitId);
    // Claimed 1 200 + 1 000 = 2 200 fen; payable 1 000 + 1 000 = 2 000 fen.
    expect(body).toMatchObject({
      visitId,
      status: 'settled',
      lineCount: 2,
      claimedFen: 2200,
      payableFen: 2000,
    });
    const lines = Array.isArray(body['lines']) ? body['lines'] : [];
    expect(lines.map((l) => objectOf(objectOf(l)['adjudication'])['outcome'])).toEqual([
      'partial',
      'payable',
    ]);
  }, 60_000);
});

describe('the fake institution under seeded faults (query, then resend or 冲正)', () => {
  for (let seed = 1; seed <= 20; seed += 1)
    it(`seed ${seed}: the fund's records equal the institution's, nothing paid twice`, async () => {
      const { inst, his, before } = await runSeed(seed);
      const rows = await rowsOf(inst.id);
      // (a) the fund's totals are the institution's confirmed records, and 1320 agrees.
      const sum = (xs: { fundFen: number }[]) => xs.reduce((s, x) => s + x.fundFen, 0);
      expect(rows.length).toBe(his.confirmed.length);
      expect(sum(rows)).toBe(sum(his.confirmed));
      expect(new Set(his.confirmed.map((c) => c.settlementId))).toEqual(
        new Set(rows.map((x) => x.id)),
      );
      expect(sum(rows.filter((x) => x.kind === 'settlement'))).toBeGreaterThan(0);
      const totals = await reconcileMonth(his, month);
      expect(totals).toMatchObject({ match: true });
      // (b) every reversal nets its original to zero, in the rows and in the ledger.
      expectReversalsNetToZero(rows, await ledgerNets(rows));
      // (c) nothing paid twice.
      const active = rows.filter((x) => x.kind === 'settlement' && x.status === 'active');
      expect(new Set(active.map((x) => x.visitId)).size).toBe(active.length);
      expect(active.length).toBe(VISITS);
      expect((await balance2101()) - before).toBe(sum(rows));
      expect(sum(active)).toBe(sum(rows));
      const txIds = rows.flatMap((x) => (x.ledgerTransactionId ? [x.ledgerTransactionId] : []));
      expect(new Set(txIds).size).toBe(txIds.length);
      const dup = await h.t.db.query(
        `SELECT ledger_transaction_id FROM settlement_settlements
          WHERE ledger_transaction_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
      );
      expect(dup.rows).toEqual([]);
      const check = await checkLedger(h.t.db);
      expect(check.differences).toEqual([]);
      expect(check.ok).toBe(true);
      tally(his.log, rows);
    }, 60_000);

  it('the seeds took every path: resent after a query, 冲正, reversal records, lines rejected', async () => {
    expect(seen.queriedThenResent).toBeGreaterThan(0);
    expect(seen.reversedBy2209).toBeGreaterThan(0);
    expect(seen.reversalRecords).toBeGreaterThan(0);
    expect(seen.rejectedLines).toBeGreaterThan(0);
  });
});
