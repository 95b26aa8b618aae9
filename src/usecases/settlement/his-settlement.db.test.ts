import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { lineAmountFen } from '../../domain/settlement/adjudicate.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { HZ, NB } from '../contributions/testing.ts';
import { accountBalances, checkLedger } from '../fund/ledger/ledger-read.ts';
import type { MessageAnswer } from './his-messages.ts';
import { cancelSettlement, reverseMessage } from './his-reverse.ts';
import { identifyPatient, signIn } from './his-session.ts';
import { preSettle } from './his-settle.ts';
import { settle } from './his-settle-batch.ts';
import { amendVisit, type FeeLine, openVisit, uploadLines } from './his-visits.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
  setUpSettlement,
  type TestInstitution,
} from './testing.ts';

let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpSettlement>>;
let hospital: TestInstitution;
let other: TestInstitution;
let serialSeq = 0;

const serial = () => {
  serialSeq += 1;
  return `S${serialSeq}`;
};

function line(
  lineNo: number,
  ownCode: string,
  quantityMilli: number,
  unitPriceFen: number,
  servedOn: string,
): FeeLine {
  return {
    lineNo,
    ownCode,
    name: ownCode,
    servedOn,
    quantityMilli,
    unitPriceFen,
    amountFen: lineAmountFen(quantityMilli, unitPriceFen),
  };
}

function answer(r: {
  ok: boolean;
  value?: MessageAnswer;
  code?: string;
  message?: string;
}): MessageAnswer {
  if (!r.ok || r.value === undefined) throw new Error(`refused: ${r.code} ${r.message}`);
  return r.value;
}

async function signedIn(inst: TestInstitution): Promise<string> {
  const a = answer(
    await signIn(t.db, inst.actor, { version: 1, serial: serial() }, { operator: '收费员01' }),
  );
  return String(a.body['signInId']);
}

/** A signed-in hospital, an accepted case, an open inpatient visit with two lines uploaded. */
async function visitWithLines(inst: TestInstitution = hospital) {
  const signInId = await signedIn(inst);
  const c = await insertAcceptedCase(t.db, {
    employerId: f.employer.id,
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
  const env = () => ({ version: 1 as const, serial: serial(), signInId });
  answer(await identifyPatient(t.db, inst.actor, env(), { idNumber: c.idNumber }));
  const opened = answer(
    await openVisit(t.db, inst.actor, env(), {
      caseId: c.caseId,
      hisVisitNo: `ZY${serial()}`,
      kind: 'inpatient',
      openedOn: '2026-01-06',
      diagnosisCode: 'S82.2',
    }),
  );
  const visitId = String(opened.body['visitId']);
  const lines = [
    line(1, 'H-DRUG', 2000, 1250, '2026-01-07'),
    line(2, 'H-REHAB', 1000, 3000, '2026-01-08'),
  ];
  answer(await uploadLines(t.db, inst.actor, env(), { visitId, lines }));
  const claimedFen = lines.reduce((s, l) => s + l.amountFen, 0);
  return {
    signInId,
    env,
    visitId,
    case: c,
    claimedFen,
    settleBody: { visitId, lineCount: 2, claimedFen },
  };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const r = await t.db.query(sql, params);
  return Number(r.rows[0]?.['n']);
}

async function balance(segment: string, account: string): Promise<number> {
  const rows = await accountBalances(t.db, { segment });
  return rows.find((r) => r.account === account)?.balanceFen ?? 0;
}

const RULES = testRuleBook().benefits;

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpSettlement(t.db, testRuleBook().benefits);
  hospital = await insertInstitution(t.db);
  other = await insertInstitution(t.db, { managingRegionCode: NB });
  for (const inst of [hospital, other]) {
    await insertAgreement(t.db, { institutionId: inst.id, scopes: ['outpatient', 'inpatient'] });
    await insertCodeMaps(t.db, inst.id, [
      { ownCode: 'H-DRUG', catalogueCode: 'D001' },
      { ownCode: 'H-REHAB', catalogueCode: 'R001' },
    ]);
  }
  await insertCatalogueRows(t.db, [
    { code: 'D001', kind: 'drug', priceCapFen: 1000 },
    { code: 'R001', kind: 'rehabilitation' },
  ]);
}, 120_000);
afterAll(() => t.cleanup());

describe('direct settlement: the food allowance of a stay', () => {
  it('pays 住院伙食补助费 for the nights of a discharged inpatient stay, Dr 5102 in the case’s segment', async () => {
    const v = await visitWithLines();
    // Admitted 2026-01-06, discharged 2026-01-09: 3 nights. 浙江 2026: 35 % × (2 500.00 元 ÷ 30)
    // = 29.1666… 元, rounded once to 29.17 元 a day (demo minimum wage and divisor): 87.51 元.
    answer(
      await amendVisit(t.db, hospital.actor, v.env(), {
        visitId: v.visitId,
        closedOn: '2026-01-09',
      }),
    );
    const food5102 = await balance(HZ, '5102');
    const done = answer(await settle(t.db, RULES, hospital.actor, v.env(), v.settleBody));
    expect(done.body['totals']).toMatchObject({
      payableFen: 5000,
      foodAllowanceFen: 8751,
      fundFen: 13751,
    });
    expect(done.body['fundFen']).toBe(13751);
    expect((await balance(HZ, '5102')) - food5102).toBe(8751);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('pays none before discharge (the stay has no day count yet)', async () => {
    const v = await visitWithLines();
    const trial = answer(await preSettle(t.db, RULES, hospital.actor, v.env(), v.settleBody));
    expect(trial.body['totals']).toMatchObject({ foodAllowanceFen: 0, fundFen: 5000 });
  });
});

describe('direct settlement: the happy path', () => {
  it('signs in, identifies, opens, uploads, pre-settles (writing nothing), settles and posts to the ledger', async () => {
    const v = await visitWithLines();
    const who = answer(
      await identifyPatient(t.db, hospital.actor, v.env(), { idNumber: v.case.idNumber }),
    );
    expect(String(who.body['idNumber'])).not.toBe(v.case.idNumber);
    expect(who.body['cases']).toEqual([
      expect.objectContaining({ caseId: v.case.caseId, outcome: 'recognised' }),
    ]);
    const trial = answer(await preSettle(t.db, RULES, hospital.actor, v.env(), v.settleBody));
    expect(trial.body['totals']).toMatchObject({
      claimedFen: 5500,
      payableFen: 5000,
      fundFen: 5000,
    });
    expect(
      await count('SELECT count(*)::int AS n FROM settlement_settlements WHERE visit_id = $1', [
        v.visitId,
      ]),
    ).toBe(0);
    const before = await balance(HZ, '2101');
    const done = answer(await settle(t.db, RULES, hospital.actor, v.env(), v.settleBody));
    expect(done.replayed).toBe(false);
    expect(done.body).toMatchObject({
      fundFen: 5000,
      ledgerTransactionId: expect.stringMatching(/^settlement:stl_/),
    });
    const lines = done.body['lines'];
    expect(lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        outcome: 'partial',
        payableFen: 2000,
        reasons: ['over_price_cap'],
        category: 'medical',
      }),
      expect.objectContaining({
        lineNo: 2,
        outcome: 'payable',
        payableFen: 3000,
        category: 'rehabilitation',
      }),
    ]);
    expect(await balance(HZ, '2101')).toBe(before + 5000);
    const visit = await t.db.query('SELECT status FROM settlement_visits WHERE id = $1', [
      v.visitId,
    ]);
    expect(visit.rows[0]?.['status']).toBe('settled');
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('refuses a settle whose line count or total differs from ours, writing nothing', async () => {
    const v = await visitWithLines();
    const r = await settle(t.db, RULES, hospital.actor, v.env(), { ...v.settleBody, lineCount: 3 });
    expect(r).toMatchObject({ ok: false, code: 'settlement.lines_mismatch' });
    expect(
      await count('SELECT count(*)::int AS n FROM settlement_settlements WHERE visit_id = $1', [
        v.visitId,
      ]),
    ).toBe(0);
  });
});

/** A second visit of a case whose first visit settled a rehabilitation line on 2026-01-07. */
async function secondVisit(lines: FeeLine[]) {
  const c = await insertAcceptedCase(t.db, {
    employerId: f.employer.id,
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
  const signInId = await signedIn(hospital);
  const env = () => ({ version: 1 as const, serial: serial(), signInId });
  answer(await identifyPatient(t.db, hospital.actor, env(), { idNumber: c.idNumber }));
  const visitOf = async (hisVisitNo: string, visitLines: FeeLine[]) => {
    const opened = answer(
      await openVisit(t.db, hospital.actor, env(), {
        caseId: c.caseId,
        hisVisitNo: `${hisVisitNo}-${serial()}`,
        kind: 'outpatient',
        openedOn: '2026-01-06',
        diagnosisCode: 'S82.2',
      }),
    );
    const visitId = String(opened.body['visitId']);
    answer(await uploadLines(t.db, hospital.actor, env(), { visitId, lines: visitLines }));
    const claimedFen = visitLines.reduce((sum, l) => sum + l.amountFen, 0);
    return { visitId, lineCount: visitLines.length, claimedFen };
  };
  const first = await visitOf('MZ-A', [line(1, 'H-REHAB', 1000, 3000, '2026-01-07')]);
  answer(await settle(t.db, RULES, hospital.actor, env(), first));
  return { env, body: await visitOf('MZ-B', lines) };
}

describe('direct settlement: what a settle writes (issue 13 pins the set-based statements)', () => {
  it('a visit with a duplicate, an unmapped code and a price cap: answer, rows, postings, audit', async () => {
    const v = await secondVisit([
      line(1, 'H-REHAB', 1000, 3000, '2026-01-07'),
      line(2, 'H-NOT-MAPPED', 1000, 500, '2026-01-07'),
      line(3, 'H-DRUG', 2000, 1250, '2026-01-08'),
      line(4, 'H-REHAB', 1000, 2000, '2026-01-08'),
    ]);
    const done = answer(await settle(t.db, RULES, hospital.actor, v.env(), v.body));
    const id = String(done.body['settlementId']);
    const lines = [
      { lineNo: 1, outcome: 'rejected', claimedFen: 3000, payableFen: 0 },
      { lineNo: 2, outcome: 'rejected', claimedFen: 500, payableFen: 0 },
      { lineNo: 3, outcome: 'partial', claimedFen: 2500, payableFen: 2000 },
      { lineNo: 4, outcome: 'payable', claimedFen: 2000, payableFen: 2000 },
    ];
    expect(done.body['lines']).toEqual([
      {
        ...lines[0],
        reasons: ['duplicate_line'],
        catalogueCode: 'R001',
        category: 'rehabilitation',
      },
      {
        ...lines[1],
        reasons: ['unmapped_code'],
        catalogueCode: null,
        category: expect.any(String),
      },
      { ...lines[2], reasons: ['over_price_cap'], catalogueCode: 'D001', category: 'medical' },
      { ...lines[3], reasons: [], catalogueCode: 'R001', category: 'rehabilitation' },
    ]);
    expect(done.body['totals']).toMatchObject({ lineCount: 4, claimedFen: 8000, fundFen: 4000 });
    // The rows are the answer's lines, the settlement row its totals, the stored answer the answer.
    const rows = await t.db.query(
      `SELECT line_no AS "lineNo", outcome, claimed_fen::int AS "claimedFen",
              payable_fen::int AS "payableFen", reasons, catalogue_code AS "catalogueCode", category
         FROM settlement_line_results WHERE settlement_id = $1 ORDER BY line_no`,
      [id],
    );
    expect(rows.rows).toEqual(done.body['lines']);
    const s = await t.db.query(
      `SELECT line_count, claimed_fen::int AS claimed, fund_fen::int AS fund, rejected_fen::int AS rejected,
              status, ledger_transaction_id FROM settlement_settlements WHERE id = $1`,
      [id],
    );
    expect(s.rows).toEqual([
      {
        line_count: 4,
        claimed: 8000,
        fund: 4000,
        rejected: 4000,
        status: 'active',
        ledger_transaction_id: done.body['ledgerTransactionId'],
      },
    ]);
    const stored = await t.db.query(
      `SELECT response FROM settlement_messages WHERE tx_code = '2207' AND serial = $1`,
      [done.serial],
    );
    expect(stored.rows[0]?.['response']).toEqual(done.body);
    const status = await t.db.query('SELECT status FROM settlement_visits WHERE id = $1', [
      v.body.visitId,
    ]);
    expect(status.rows[0]?.['status']).toBe('settled');
    // Dr 5101 2000 and Dr 5104 2000, each against Cr 2101, in the case's segment.
    const postings = await t.db.query(
      `SELECT s.code AS segment, a.code AS account, p.side, p.amount::int AS amount
         FROM ledger_postings p JOIN ledger_transactions x ON x.seq = p.tx_seq
         JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_segments s ON s.id = p.segment_id
        WHERE x.id = $1 ORDER BY p.seq`,
      [done.body['ledgerTransactionId']],
    );
    expect(postings.rows).toEqual([
      { segment: HZ, account: '5101', side: 'D', amount: 2000 },
      { segment: HZ, account: '2101', side: 'C', amount: 2000 },
      { segment: HZ, account: '5104', side: 'D', amount: 2000 },
      { segment: HZ, account: '2101', side: 'C', amount: 2000 },
    ]);
    // The settlement's event, then the ledger's, one after the other; the chain holds.
    const events = await t.db.query(
      `SELECT e.seq::int AS seq, e.action, e.object, e.details FROM audit_events e
        WHERE e.seq >= (SELECT seq FROM audit_events WHERE object = $1)
        ORDER BY e.seq LIMIT 2`,
      [`settlement/${HZ}/${id}`],
    );
    const [settled, posted] = events.rows;
    expect(settled).toMatchObject({
      action: 'settlement.his.settle',
      details: { visitId: v.body.visitId, fundFen: 4000 },
    });
    expect(posted).toMatchObject({
      seq: Number(settled?.['seq']) + 1,
      action: 'settlement.his.post',
      object: `ledger/tx/${done.body['ledgerTransactionId']}`,
    });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});

describe('direct settlement: idempotency', () => {
  it('replays the stored answer for the same serial and body, refuses another body (nothing written)', async () => {
    const v = await visitWithLines();
    const env = v.env();
    const first = answer(await settle(t.db, RULES, hospital.actor, env, v.settleBody));
    const again = answer(await settle(t.db, RULES, hospital.actor, env, v.settleBody));
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);
    const messages = await count('SELECT count(*)::int AS n FROM settlement_messages', []);
    const conflict = await settle(t.db, RULES, hospital.actor, env, {
      ...v.settleBody,
      claimedFen: 1,
    });
    expect(conflict).toMatchObject({ ok: false, code: 'settlement.serial_conflict' });
    expect(await count('SELECT count(*)::int AS n FROM settlement_messages', [])).toBe(messages);
  });

  it('50 concurrent identical settles make exactly one settlement and one ledger transaction', async () => {
    const v = await visitWithLines();
    const env = v.env();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => settle(t.db, RULES, hospital.actor, env, v.settleBody)),
    );
    const answers = results.map(answer);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    const ids = new Set(answers.map((a) => a.body['settlementId']));
    expect(ids.size).toBe(1);
    expect(
      await count('SELECT count(*)::int AS n FROM settlement_settlements WHERE visit_id = $1', [
        v.visitId,
      ]),
    ).toBe(1);
    expect(
      await count('SELECT count(*)::int AS n FROM ledger_transactions WHERE source_id = $1', [
        [...ids][0],
      ]),
    ).toBe(1);
  }, 120_000);
});

describe('direct settlement: concurrent settles share one transaction (ADR 0019)', () => {
  it('settles five visits in one batch; a conflicting twin, a count mismatch and a settled visit are refused alone', async () => {
    const visits = [];
    for (let i = 0; i < 5; i++) visits.push(await visitWithLines());
    const mismatched = await visitWithLines();
    const done = await visitWithLines();
    answer(await settle(t.db, RULES, hospital.actor, done.env(), done.settleBody));
    const envs = visits.map((v) => v.env());
    const mismatchEnv = mismatched.env();
    const posts =
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'settlement.his.post'";
    const postsBefore = await count(posts, []);
    const payableBefore = await balance(HZ, '2101');
    // Called in one tick: all are queued before the batcher starts, so they form one batch.
    const results = await Promise.all([
      ...visits.map((v, i) => settle(t.db, RULES, hospital.actor, envs[i]!, v.settleBody)),
      settle(t.db, RULES, hospital.actor, envs[0]!, { ...visits[0]!.settleBody, claimedFen: 1 }),
      settle(t.db, RULES, hospital.actor, mismatchEnv, { ...mismatched.settleBody, lineCount: 3 }),
      settle(t.db, RULES, hospital.actor, done.env(), done.settleBody),
    ]);
    const settled = results.slice(0, 5).map(answer);
    // Each as alone: Dr 5101 2 000 (the drug at its 1 000 cap × 2) + Dr 5104 3 000 = 5 000.
    expect(settled.map((a) => [a.replayed, a.body['fundFen']])).toEqual(
      Array.from({ length: 5 }, () => [false, 5000]),
    );
    expect(results[5]).toMatchObject({ ok: false, code: 'settlement.serial_conflict' });
    expect(results[6]).toMatchObject({ ok: false, code: 'settlement.lines_mismatch' });
    expect(results[7]).toMatchObject({ ok: false, code: 'settlement.visit_not_open' });
    // One ledger batch of five transactions, after the five settlements' own events.
    expect(await count(posts, [])).toBe(postsBefore + 1);
    const post = await t.db.query(
      "SELECT object, details FROM audit_events WHERE action = 'settlement.his.post' ORDER BY seq DESC LIMIT 1",
    );
    expect(post.rows[0]).toMatchObject({
      object: `ledger/batch/${settled[0]!.body['ledgerTransactionId']}`,
      details: { created: 5, existing: 0, postings: 20 },
    });
    expect(Math.abs((await balance(HZ, '2101')) - payableBefore)).toBe(25_000);
    // The refused wrote nothing: no message record of the mismatch.
    expect(
      await count(
        "SELECT count(*)::int AS n FROM settlement_messages WHERE tx_code = '2207' AND serial = $1",
        [mismatchEnv.serial],
      ),
    ).toBe(0);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});

describe('direct settlement: a batch with a fund share of 0 (ADR 0019)', () => {
  it('posts only the paying settlement of a batch; a batch of only a fund share of 0 posts nothing', async () => {
    const paying = await visitWithLines();
    // Unmapped codes: every line rejected, the fund pays 0 and no ledger transaction is posted.
    const nothing = await secondVisit([line(1, 'H-NOT-MAPPED', 1000, 500, '2026-01-07')]);
    const alone = await secondVisit([line(1, 'H-NOT-MAPPED', 1000, 700, '2026-01-07')]);
    const posts =
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'settlement.his.post'";
    const postsBefore = await count(posts, []);
    const [a, b] = (
      await Promise.all([
        settle(t.db, RULES, hospital.actor, paying.env(), paying.settleBody),
        settle(t.db, RULES, hospital.actor, nothing.env(), nothing.body),
      ])
    ).map(answer);
    const c = answer(await settle(t.db, RULES, hospital.actor, alone.env(), alone.body));
    expect(a?.body).toMatchObject({ fundFen: 5000 });
    expect(typeof a?.body['ledgerTransactionId']).toBe('string');
    expect(b?.body).toMatchObject({ fundFen: 0, ledgerTransactionId: null });
    expect(c.body).toMatchObject({ fundFen: 0, ledgerTransactionId: null });
    // One ledger event (the paying settlement's); each settlement its own event.
    expect(await count(posts, [])).toBe(postsBefore + 1);
    for (const done of [a, b, c])
      expect(
        await count(
          "SELECT count(*)::int AS n FROM audit_events WHERE action = 'settlement.his.settle' AND object LIKE '%/' || $1",
          [done?.body['settlementId']],
        ),
      ).toBe(1);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });
});

describe('direct settlement: two visits of one case at once', () => {
  it('pays a line claimed on both visits once, however the two settles interleave', async () => {
    const c = await insertAcceptedCase(t.db, {
      employerId: f.employer.id,
      accidentDate: '2026-01-05',
      diagnoses: ['S82.2'],
    });
    const signInId = await signedIn(hospital);
    const env = () => ({ version: 1 as const, serial: serial(), signInId });
    answer(await identifyPatient(t.db, hospital.actor, env(), { idNumber: c.idNumber }));
    const twin = line(1, 'H-DRUG', 1000, 900, '2026-01-07');
    const visits = await Promise.all(
      ['MZ-TWIN-A', 'MZ-TWIN-B'].map(async (hisVisitNo) => {
        const opened = answer(
          await openVisit(t.db, hospital.actor, env(), {
            caseId: c.caseId,
            hisVisitNo,
            kind: 'outpatient',
            openedOn: '2026-01-06',
            diagnosisCode: 'S82.2',
          }),
        );
        const visitId = String(opened.body['visitId']);
        answer(await uploadLines(t.db, hospital.actor, env(), { visitId, lines: [twin] }));
        return { visitId, lineCount: 1, claimedFen: twin.amountFen };
      }),
    );
    const settleAll = () =>
      Promise.all(visits.map((body) => settle(t.db, RULES, hospital.actor, env(), body)));
    // At most one settles on the first round; whoever is refused `visit_changed` settles again,
    // and then the shared line is a duplicate.
    for (const r of await settleAll()) if (!r.ok) expect(r.code).toBe('settlement.visit_changed');
    for (const body of visits) {
      const settled = await count(
        `SELECT count(*)::int AS n FROM settlement_settlements WHERE visit_id = $1 AND status = 'active'`,
        [body.visitId],
      );
      if (settled === 0) answer(await settle(t.db, RULES, hospital.actor, env(), body));
    }
    const paid = await count(
      `SELECT count(*)::int AS n FROM settlement_line_results lr
         JOIN settlement_settlements s ON s.region_code = lr.region_code AND s.id = lr.settlement_id
        WHERE s.visit_id = ANY($1::text[]) AND s.status = 'active' AND lr.outcome <> 'rejected'`,
      [visits.map((v) => v.visitId)],
    );
    expect(paid).toBe(1);
  });
});

describe('direct settlement: reversal', () => {
  it('冲正 of a settle writes a negative record and a correcting transaction: the ledger nets to zero', async () => {
    const v = await visitWithLines();
    const before = {
      payable: await balance(HZ, '2101'),
      medical: await balance(HZ, '5101'),
      rehab: await balance(HZ, '5104'),
    };
    const settleEnv = v.env();
    const done = answer(await settle(t.db, RULES, hospital.actor, settleEnv, v.settleBody));
    const reversed = answer(
      await reverseMessage(t.db, hospital.actor, v.env(), {
        txCode: '2207',
        serial: settleEnv.serial,
      }),
    );
    expect(reversed.body).toMatchObject({ reverses: done.body['settlementId'], fundFen: -5000 });
    expect({
      payable: await balance(HZ, '2101'),
      medical: await balance(HZ, '5101'),
      rehab: await balance(HZ, '5104'),
    }).toEqual(before);
    const rows = await t.db.query(
      'SELECT kind, status, fund_fen FROM settlement_settlements WHERE visit_id = $1 ORDER BY kind',
      [v.visitId],
    );
    expect(rows.rows).toEqual([
      { kind: 'reversal', status: 'active', fund_fen: -5000 },
      { kind: 'settlement', status: 'reversed', fund_fen: 5000 },
    ]);
    const corr = await t.db.query('SELECT corrects FROM ledger_transactions WHERE id = $1', [
      reversed.body['ledgerTransactionId'],
    ]);
    expect(corr.rows[0]?.['corrects']).toBe(done.body['ledgerTransactionId']);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('cancel (2208) then settle again: the visit is open again and settles once more', async () => {
    const v = await visitWithLines();
    const done = answer(await settle(t.db, RULES, hospital.actor, v.env(), v.settleBody));
    const settlementId = String(done.body['settlementId']);
    answer(await cancelSettlement(t.db, hospital.actor, v.env(), { settlementId }));
    const twice = await cancelSettlement(t.db, hospital.actor, v.env(), { settlementId });
    expect(twice).toMatchObject({ ok: false, code: 'settlement.already_reversed' });
    const again = answer(await settle(t.db, RULES, hospital.actor, v.env(), v.settleBody));
    expect(again.body['settlementId']).not.toBe(settlementId);
    expect(again.body['fundFen']).toBe(5000);
  });

  it('冲正 of a message never received leaves a tombstone: the original arriving late is refused', async () => {
    const v = await visitWithLines();
    const late = v.env();
    const tomb = answer(
      await reverseMessage(t.db, hospital.actor, v.env(), { txCode: '2207', serial: late.serial }),
    );
    expect(tomb.body['outcome']).toBe('tombstone');
    const r = await settle(t.db, RULES, hospital.actor, late, v.settleBody);
    expect(r).toMatchObject({ ok: false, code: 'settlement.serial_reversed' });
    expect(
      await count('SELECT count(*)::int AS n FROM settlement_settlements WHERE visit_id = $1', [
        v.visitId,
      ]),
    ).toBe(0);
  });
});

describe('direct settlement: scope and segments', () => {
  it('another institution cannot see or touch the visit (404)', async () => {
    const v = await visitWithLines();
    const otherSignIn = await signedIn(other);
    const r = await settle(
      t.db,
      RULES,
      other.actor,
      { version: 1, serial: serial(), signInId: otherSignIn },
      v.settleBody,
    );
    expect(r).toMatchObject({ ok: false, code: 'settlement.visit_not_found' });
    const p = await preSettle(
      t.db,
      RULES,
      other.actor,
      { version: 1, serial: serial(), signInId: otherSignIn },
      v.settleBody,
    );
    expect(p).toMatchObject({ ok: false, code: 'settlement.visit_not_found' });
  });

  it('a worker of 杭州 treated at a 宁波 institution settles in 杭州’s segment', async () => {
    const v = await visitWithLines(other);
    const hz = await balance(HZ, '2101');
    const nb = await balance(NB, '2101');
    answer(await settle(t.db, RULES, other.actor, v.env(), v.settleBody));
    expect(await balance(HZ, '2101')).toBe(hz + 5000);
    expect(await balance(NB, '2101')).toBe(nb);
  });

  it('opens a visit only for a patient this institution identified (1101), not after its 冲正', async () => {
    const c = await insertAcceptedCase(t.db, {
      employerId: f.employer.id,
      accidentDate: '2026-01-05',
      diagnoses: ['S82.2'],
    });
    const signInId = await signedIn(hospital);
    const env = () => ({ version: 1 as const, serial: serial(), signInId });
    const open = (hisVisitNo: string) =>
      openVisit(t.db, hospital.actor, env(), {
        caseId: c.caseId,
        hisVisitNo,
        kind: 'outpatient',
        openedOn: '2026-01-06',
        diagnosisCode: 'S82.2',
      });
    const visits = () =>
      count('SELECT count(*)::int AS n FROM settlement_visits WHERE case_id = $1', [c.caseId]);
    // Another institution's card read does not count for this one.
    const otherEnv = { version: 1 as const, serial: serial(), signInId: await signedIn(other) };
    answer(await identifyPatient(t.db, other.actor, otherEnv, { idNumber: c.idNumber }));
    expect(await open('MZ-ID-1')).toMatchObject({
      ok: false,
      code: 'settlement.patient_not_identified',
    });
    // Its own read, reversed by 冲正, no longer counts either.
    const card = env();
    answer(await identifyPatient(t.db, hospital.actor, card, { idNumber: c.idNumber }));
    answer(
      await reverseMessage(t.db, hospital.actor, env(), { txCode: '1101', serial: card.serial }),
    );
    expect(await open('MZ-ID-2')).toMatchObject({
      ok: false,
      code: 'settlement.patient_not_identified',
    });
    expect(await visits()).toBe(0);
    answer(await identifyPatient(t.db, hospital.actor, env(), { idNumber: c.idNumber }));
    answer(await open('MZ-ID-3'));
    expect(await visits()).toBe(1);
  });

  it('refuses messages without a valid sign-in', async () => {
    const v = await visitWithLines();
    const r = await preSettle(
      t.db,
      RULES,
      hospital.actor,
      { version: 1, serial: serial(), signInId: 'sgn_0000000000000000' },
      v.settleBody,
    );
    expect(r).toMatchObject({ ok: false, code: 'settlement.not_signed_in' });
  });
});
