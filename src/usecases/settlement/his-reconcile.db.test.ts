import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { lineAmountFen } from '../../domain/settlement/adjudicate.ts';
import { monthOf, todayInChina } from '../../kernel/dates.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { cityActor } from '../contributions/testing.ts';
import { injuryDiagnosesOf, recordInjuryDiagnoses } from './case-injury-diagnoses.ts';
import type { MessageAnswer } from './his-messages.ts';
import {
  messageStatus,
  reconcileDetail,
  reconcileTotals,
  settlementDetail,
} from './his-queries.ts';
import { reverseMessage } from './his-reverse.ts';
import { identifyPatient, signIn } from './his-session.ts';
import { settle } from './his-settle-batch.ts';
import { openVisit, uploadLines } from './his-visits.ts';
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
let n = 0;
const env = (signInId?: string) => {
  n += 1;
  return { version: 1 as const, serial: `Q${n}`, signInId };
};

function answer(r: { ok: boolean; value?: MessageAnswer; code?: string }): MessageAnswer {
  if (!r.ok || r.value === undefined) throw new Error(`refused: ${r.code}`);
  return r.value;
}

const RULES = testRuleBook().benefits;

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpSettlement(t.db, testRuleBook().benefits);
  hospital = await insertInstitution(t.db);
  await insertAgreement(t.db, { institutionId: hospital.id, scopes: ['outpatient'] });
  await insertCodeMaps(t.db, hospital.id, [{ ownCode: 'H-SVC', catalogueCode: 'S001' }]);
  await insertCatalogueRows(t.db, [{ code: 'S001', kind: 'service' }]);
}, 120_000);
afterAll(() => t.cleanup());

describe('case injury diagnoses', () => {
  it('a city handler records ICD-10 codes (added, audited) and reads them', async () => {
    const c = await insertAcceptedCase(t.db, {
      employerId: f.employer.id,
      accidentDate: '2026-01-05',
      diagnoses: [],
    });
    const actor = cityActor('hz-maker', 'city_handler');
    const r = await recordInjuryDiagnoses(t.db, actor, {
      regionCode: '330100',
      caseId: c.caseId,
      codes: ['S82.2', 'S82.2', 'T14.0'],
    });
    expect(r).toEqual({ ok: true, value: { caseId: c.caseId, codes: ['S82.2', 'T14.0'] } });
    expect(await injuryDiagnosesOf(t.db, { regionCode: '330100', caseId: c.caseId })).toMatchObject(
      { value: { codes: ['S82.2', 'T14.0'] } },
    );
    const audit = await t.db.query(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'cases.injury_diagnoses.record' AND object = $1",
      [`case/330100/${c.caseId}`],
    );
    expect(audit.rows[0]?.['n']).toBe(1);
    const missing = await recordInjuryDiagnoses(t.db, actor, {
      regionCode: '330100',
      caseId: 'cas_330100_none',
      codes: ['S82.2'],
    });
    expect(missing).toMatchObject({ ok: false, code: 'settlement.case_not_found' });
  });
});

/** A signed-in hospital's outpatient visit with one 25.00 元 line, settled. */
async function settledVisit() {
  const signInId = String(
    answer(await signIn(t.db, hospital.actor, env(), { operator: 'x' })).body['signInId'],
  );
  const c = await insertAcceptedCase(t.db, {
    employerId: f.employer.id,
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
  answer(await identifyPatient(t.db, hospital.actor, env(signInId), { idNumber: c.idNumber }));
  const opened = answer(
    await openVisit(t.db, hospital.actor, env(signInId), {
      caseId: c.caseId,
      hisVisitNo: 'MZ1',
      kind: 'outpatient',
      openedOn: '2026-02-01',
      diagnosisCode: 'S82.2',
    }),
  );
  const visitId = String(opened.body['visitId']);
  const amountFen = lineAmountFen(1000, 2500);
  answer(
    await uploadLines(t.db, hospital.actor, env(signInId), {
      visitId,
      lines: [
        {
          lineNo: 1,
          ownCode: 'H-SVC',
          name: '换药',
          servedOn: '2026-02-01',
          quantityMilli: 1000,
          unitPriceFen: 2500,
          amountFen,
        },
      ],
    }),
  );
  const settleEnv = env(signInId);
  const done = answer(
    await settle(t.db, RULES, hospital.actor, settleEnv, {
      visitId,
      lineCount: 1,
      claimedFen: amountFen,
    }),
  );
  const settlementId = String(done.body['settlementId']);
  return { signInId, settlementId, settleEnv };
}

describe('reconciliation and queries', () => {
  it('totals and detail match ours, or name the differences', async () => {
    const { signInId, settlementId, settleEnv } = await settledVisit();
    const period = { month: monthOf(todayInChina()) };
    const match = answer(
      await reconcileTotals(t.db, hospital.actor, env(signInId), {
        period,
        count: 1,
        fundFen: 2500,
      }),
    );
    expect(match.body).toEqual({ match: true, ours: { count: 1, fundFen: 2500 }, settlements: [] });
    const differ = answer(
      await reconcileTotals(t.db, hospital.actor, env(signInId), {
        period: { day: todayInChina() },
        count: 2,
        fundFen: 2500,
      }),
    );
    expect(differ.body).toMatchObject({
      match: false,
      settlements: [{ settlementId, fundFen: 2500 }],
    });
    const detail = answer(
      await reconcileDetail(t.db, hospital.actor, env(signInId), {
        period,
        settlements: [
          { settlementId, fundFen: 2400 },
          { settlementId: 'stl_0000000000000000', fundFen: 1 },
        ],
      }),
    );
    expect(detail.body).toEqual({
      match: false,
      onlyOurs: [],
      onlyTheirs: [{ settlementId: 'stl_0000000000000000', fundFen: 1 }],
      amountDiffers: [{ settlementId, ours: 2500, theirs: 2400 }],
    });
    expect(await settlementDetail(t.db, hospital.actor, settlementId)).toMatchObject({
      ok: true,
      value: { fundFen: 2500, lines: [{ lineNo: 1, outcome: 'payable', category: 'medical' }] },
    });
    expect(
      await messageStatus(t.db, hospital.actor, { txCode: '2207', serial: settleEnv.serial }),
    ).toMatchObject({ ok: true, value: { status: 'done', answer: { settlementId } } });
    expect(
      await messageStatus(t.db, hospital.actor, { txCode: '2207', serial: 'NEVER' }),
    ).toMatchObject({ ok: false, code: 'settlement.message_not_found' });
  });
});

describe('冲正 of other messages', () => {
  it('reverses an upload (its lines cancelled) and a registration (the visit cancelled); refuses a second 冲正', async () => {
    const signInId = String(
      answer(await signIn(t.db, hospital.actor, env(), { operator: 'x' })).body['signInId'],
    );
    const c = await insertAcceptedCase(t.db, {
      employerId: f.employer.id,
      accidentDate: '2026-01-05',
      diagnoses: ['S82.2'],
    });
    answer(await identifyPatient(t.db, hospital.actor, env(signInId), { idNumber: c.idNumber }));
    const openEnv = env(signInId);
    const opened = answer(
      await openVisit(t.db, hospital.actor, openEnv, {
        caseId: c.caseId,
        hisVisitNo: 'MZ2',
        kind: 'outpatient',
        openedOn: '2026-02-01',
        diagnosisCode: 'S82.2',
      }),
    );
    const visitId = String(opened.body['visitId']);
    const upEnv = env(signInId);
    answer(
      await uploadLines(t.db, hospital.actor, upEnv, {
        visitId,
        lines: [
          {
            lineNo: 1,
            ownCode: 'H-SVC',
            name: '换药',
            servedOn: '2026-02-01',
            quantityMilli: 1000,
            unitPriceFen: 100,
            amountFen: 100,
          },
        ],
      }),
    );
    const undoUpload = answer(
      await reverseMessage(t.db, hospital.actor, env(signInId), {
        txCode: '2204',
        serial: upEnv.serial,
      }),
    );
    expect(undoUpload.body['outcome']).toBe('lines_cancelled');
    const again = await reverseMessage(t.db, hospital.actor, env(signInId), {
      txCode: '2204',
      serial: upEnv.serial,
    });
    expect(again).toMatchObject({ ok: false, code: 'settlement.already_reversed' });
    const undoOpen = answer(
      await reverseMessage(t.db, hospital.actor, env(signInId), {
        txCode: '2201',
        serial: openEnv.serial,
      }),
    );
    expect(undoOpen.body['outcome']).toBe('visit_cancelled');
    const rows = await t.db.query(
      'SELECT (SELECT status FROM settlement_visits WHERE id = $1) AS visit, (SELECT status FROM settlement_fee_lines WHERE visit_id = $1) AS line',
      [visitId],
    );
    expect(rows.rows[0]).toEqual({ visit: 'cancelled', line: 'cancelled' });
  });
});
