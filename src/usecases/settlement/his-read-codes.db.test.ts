import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { lineAmountFen } from '../../domain/settlement/adjudicate.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { NB } from '../contributions/testing.ts';
import { type DownloadBody, downloadReference } from './his-downloads.ts';
import type { MessageAnswer } from './his-messages.ts';
import { reverseMessage } from './his-reverse.ts';
import { identifyPatient, signIn } from './his-session.ts';
import { settle } from './his-settle-batch.ts';
import { feeDetails, prescriptionDetails, recentVisits } from './his-visit-reads.ts';
import { cancelLines, type FeeLine, openVisit, uploadLines } from './his-visits.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
  setUpSettlement,
  type TestInstitution,
} from './testing.ts';

/**
 * The transaction set's reads (issue 13): 1301 批量数据下载, 9103 费用明细查询, 9104 处方明细查询,
 * 9105 近期就诊查询 — each on a seeded visit with figures worked by hand, scoped to the signed-in
 * institution, replayed and conflicting by (institution, code, serial) like every message.
 */
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpSettlement>>;
let hospital: TestInstitution;
let other: TestInstitution;
/** Unique per run: a retry in the same database meets fresh catalogue codes. */
const P = `HE${randomBytes(3).toString('hex')}`;
const DRUG = `${P}-D`;
const SERVICE = `${P}-S`;
let serialSeq = 0;
const serial = () => {
  serialSeq += 1;
  return `R${P}${serialSeq}`;
};

function answer(r: { ok: boolean; value?: MessageAnswer; code?: string }): MessageAnswer {
  if (!r.ok || r.value === undefined) throw new Error(`refused: ${r.code}`);
  return r.value;
}

function line(lineNo: number, ownCode: string, quantityMilli: number, unitPriceFen: number) {
  const amountFen = lineAmountFen(quantityMilli, unitPriceFen);
  return {
    lineNo,
    ownCode,
    name: ownCode,
    servedOn: '2026-01-07',
    quantityMilli,
    unitPriceFen,
    amountFen,
  } satisfies FeeLine;
}

async function signedEnv(inst: TestInstitution) {
  const a = answer(
    await signIn(t.db, inst.actor, { version: 1, serial: serial() }, { operator: '收费员' }),
  );
  const signInId = String(a.body['signInId']);
  return () => ({ version: 1 as const, serial: serial(), signInId });
}

/**
 * The seeded visit: an inpatient stay (no discharge day, so no food allowance) with three lines,
 * line 3 cancelled, lines 1 and 2 settled. Line 1: 2 × 12.50 元 of a drug capped at 10.00 元 →
 * partial, 2 × 1 000 = 2 000 fen payable of 2 500. Line 2: 1 × 30.00 元 service → 3 000 payable.
 * Line 3: 1 × 8.00 元 of the drug, cancelled (2205); line 4: 1 × 10.00 元 service, its upload
 * reversed (2209). Claimed 2 500 + 3 000 = 5 500, fund 5 000.
 */
async function seededVisit(env: () => ReturnType<Awaited<ReturnType<typeof signedEnv>>>) {
  const c = await insertAcceptedCase(t.db, {
    employerId: f.employer.id,
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
  answer(await identifyPatient(t.db, hospital.actor, env(), { idNumber: c.idNumber }));
  const open = async (hisVisitNo: string, openedOn: string) =>
    String(
      answer(
        await openVisit(t.db, hospital.actor, env(), {
          caseId: c.caseId,
          hisVisitNo,
          kind: 'inpatient',
          openedOn,
          diagnosisCode: 'S82.2',
        }),
      ).body['visitId'],
    );
  const visitId = await open(`ZY${serial()}`, '2026-01-06');
  const lines = [
    line(1, 'H-DRUG', 2000, 1250),
    line(2, 'H-SVC', 1000, 3000),
    line(3, 'H-DRUG', 1000, 800),
  ];
  answer(await uploadLines(t.db, hospital.actor, env(), { visitId, lines }));
  answer(await cancelLines(t.db, hospital.actor, env(), { visitId, lineNos: [3] }));
  const upload = env();
  const fourth = [line(4, 'H-SVC', 1000, 1000)];
  answer(await uploadLines(t.db, hospital.actor, upload, { visitId, lines: fourth }));
  const reversal = { txCode: '2204' as const, serial: upload.serial };
  answer(await reverseMessage(t.db, hospital.actor, env(), reversal));
  const settled = answer(
    await settle(t.db, testRuleBook().benefits, hospital.actor, env(), {
      visitId,
      lineCount: 2,
      claimedFen: 5500,
    }),
  );
  return { c, visitId, settlementId: String(settled.body['settlementId']), open };
}

let env: Awaited<ReturnType<typeof signedEnv>>;
let seeded: Awaited<ReturnType<typeof seededVisit>>;

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpSettlement(t.db, testRuleBook().benefits);
  hospital = await insertInstitution(t.db);
  other = await insertInstitution(t.db, { managingRegionCode: NB });
  await insertCatalogueRows(t.db, [
    { code: DRUG, kind: 'drug', priceCapFen: 1000 },
    { code: SERVICE, kind: 'service' },
  ]);
  for (const inst of [hospital, other]) {
    await insertAgreement(t.db, { institutionId: inst.id, scopes: ['inpatient'] });
    await insertCodeMaps(t.db, inst.id, [
      { ownCode: 'H-DRUG', catalogueCode: DRUG },
      { ownCode: 'H-SVC', catalogueCode: SERVICE },
    ]);
  }
  await insertCodeMaps(t.db, other.id, [{ ownCode: 'O-ONLY', catalogueCode: DRUG }]);
  env = await signedEnv(hospital);
  seeded = await seededVisit(env);
}, 120_000);
afterAll(() => t.cleanup());

describe('9103 费用明细查询', () => {
  it('answers every line, the cancelled one marked, each with its adjudication', async () => {
    const a = answer(await feeDetails(t.db, hospital.actor, env(), { visitId: seeded.visitId }));
    expect(a.replayed).toBe(false);
    expect(a.body).toMatchObject({
      visitId: seeded.visitId,
      status: 'settled',
      settlementId: seeded.settlementId,
      lineCount: 2,
      claimedFen: 5500,
      payableFen: 5000,
    });
    expect(a.body['lines']).toEqual([
      expect.objectContaining({
        lineNo: 1,
        amountFen: 2500,
        status: 'active',
        adjudication: {
          outcome: 'partial',
          catalogueCode: DRUG,
          category: 'medical',
          payableFen: 2000,
          reasons: ['over_price_cap'],
        },
      }),
      expect.objectContaining({
        lineNo: 2,
        amountFen: 3000,
        status: 'active',
        cancelledBy: null,
        adjudication: {
          outcome: 'payable',
          catalogueCode: SERVICE,
          category: 'medical',
          payableFen: 3000,
          reasons: [],
        },
      }),
      expect.objectContaining({
        lineNo: 3,
        amountFen: 800,
        status: 'cancelled',
        cancelledBy: '2205',
        adjudication: null,
      }),
      expect.objectContaining({
        lineNo: 4,
        amountFen: 1000,
        status: 'cancelled',
        cancelledBy: '2209',
        adjudication: null,
      }),
    ]);
  });

  it('another institution’s visit is not found; a replay answers the stored answer; another body conflicts', async () => {
    const otherEnv = await signedEnv(other);
    const theirs = await feeDetails(t.db, other.actor, otherEnv(), { visitId: seeded.visitId });
    expect(theirs).toMatchObject({ ok: false, code: 'settlement.visit_not_found' });
    const e = env();
    const first = answer(await feeDetails(t.db, hospital.actor, e, { visitId: seeded.visitId }));
    const again = answer(await feeDetails(t.db, hospital.actor, e, { visitId: seeded.visitId }));
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);
    const conflict = await feeDetails(t.db, hospital.actor, e, { visitId: 'vis_0000000000000000' });
    expect(conflict).toMatchObject({ ok: false, code: 'settlement.serial_conflict' });
  });

  it('a 冲正 of a read only marks it', async () => {
    const e = env();
    answer(await feeDetails(t.db, hospital.actor, e, { visitId: seeded.visitId }));
    const rv = answer(
      await reverseMessage(t.db, hospital.actor, env(), { txCode: '9103', serial: e.serial }),
    );
    expect(rv.body).toMatchObject({ outcome: 'marked' });
  });
});

describe('9104 处方明细查询', () => {
  it('answers the drug lines only, with the catalogue’s drug, class and unit', async () => {
    const a = answer(
      await prescriptionDetails(t.db, hospital.actor, env(), { visitId: seeded.visitId }),
    );
    // Lines 1 and 3 map to the drug; line 2 is a service.
    expect(a.body['lines']).toEqual([
      expect.objectContaining({
        lineNo: 1,
        quantityMilli: 2000,
        catalogueCode: DRUG,
        drugClass: 'A',
        unit: '次',
        status: 'active',
      }),
      expect.objectContaining({
        lineNo: 3,
        quantityMilli: 1000,
        catalogueCode: DRUG,
        status: 'cancelled',
      }),
    ]);
    const theirs = await prescriptionDetails(t.db, other.actor, (await signedEnv(other))(), {
      visitId: seeded.visitId,
    });
    expect(theirs).toMatchObject({ ok: false, code: 'settlement.visit_not_found' });
  });
});

describe('9105 近期就诊查询', () => {
  it('answers the patient’s visits here, most recent first, limited, the ID number masked', async () => {
    const later = await seeded.open(`ZY${serial()}`, '2026-02-01');
    const body = { idNumber: seeded.c.idNumber };
    const all = answer(await recentVisits(t.db, hospital.actor, env(), body));
    expect(all.body['idNumber']).not.toBe(seeded.c.idNumber);
    expect(JSON.stringify(all.body)).not.toContain(seeded.c.idNumber);
    expect(all.body['visits']).toEqual([
      expect.objectContaining({
        visitId: later,
        status: 'open',
        lineCount: 0,
        claimedFen: 0,
        settlementId: null,
        fundFen: null,
      }),
      // The seeded visit: active lines 1 and 2, 2 500 + 3 000 claimed, 5 000 fen fund share.
      expect.objectContaining({
        visitId: seeded.visitId,
        status: 'settled',
        lineCount: 2,
        claimedFen: 5500,
        settlementId: seeded.settlementId,
        fundFen: 5000,
      }),
    ]);
    const one = answer(await recentVisits(t.db, hospital.actor, env(), { ...body, limit: 1 }));
    expect(one.body['visits']).toEqual([expect.objectContaining({ visitId: later })]);
    // The same patient at another institution: none of this institution's visits.
    const theirs = answer(await recentVisits(t.db, other.actor, (await signedEnv(other))(), body));
    expect(theirs.body['visits']).toEqual([]);
  });
});

describe('1301 批量数据下载', () => {
  const download = (b: Omit<DownloadBody, 'asOf'> & { asOf?: string }, e = env()) =>
    downloadReference(t.db, hospital.actor, e, { asOf: '2026-07-01', ...b });

  it('pages 7 rows by 3 over 3 pages, every row once, in code order', async () => {
    const codes = Array.from({ length: 7 }, (_, i) => `${P}-A${i}`);
    await insertCatalogueRows(
      t.db,
      codes.map((code) => ({ code, kind: 'service' as const })),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const a = answer(
        await download({ dataset: 'catalogue', codePrefix: `${P}-A`, limit: 3, cursor }),
      );
      const rows = a.body['rows'] as { code: string }[];
      seen.push(...rows.map((r) => r.code));
      cursor = (a.body['nextCursor'] as string | null) ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 10);
    // 3 + 3 + 1 rows.
    expect(pages).toBe(3);
    expect(seen).toEqual(codes);
  });

  it('changedSince: only the rows whose validity or price changed, the closed one marked', async () => {
    const X = `${P}-CX`;
    const Y = `${P}-CY`;
    await insertCatalogueRows(t.db, [
      { code: X, kind: 'drug', priceCapFen: 100, validTo: '2026-05-31' },
      { code: X, kind: 'drug', priceCapFen: 120, validFrom: '2026-06-01' },
      { code: Y, kind: 'drug', priceCapFen: 500 },
    ]);
    // Recorded long before: only their dates decide.
    await t.db.query(
      `UPDATE settlement_catalogue_items SET created_at = '2020-01-01T00:00:00+08:00' WHERE code LIKE $1`,
      [`${P}-C%`],
    );
    const a = answer(
      await download({ dataset: 'catalogue', codePrefix: `${P}-C`, changedSince: '2026-06-01' }),
    );
    // X's old row ceased on 2026-05-31 (the day before changedSince), its new cap started on
    // 2026-06-01; Y did not change.
    expect(a.body['rows']).toEqual([
      expect.objectContaining({ code: X, priceCapFen: 100, validTo: '2026-05-31', inForce: false }),
      expect.objectContaining({
        code: X,
        priceCapFen: 120,
        validFrom: '2026-06-01',
        inForce: true,
      }),
    ]);
    const snapshot = answer(await download({ dataset: 'catalogue', codePrefix: `${P}-C` }));
    expect((snapshot.body['rows'] as { priceCapFen: number }[]).map((r) => r.priceCapFen)).toEqual([
      120, 500,
    ]);
  });

  it('the code maps are the institution’s own; a replay answers the stored page', async () => {
    const e = env();
    const a = answer(await download({ dataset: 'codeMaps' }, e));
    expect(a.body['rows']).toEqual([
      expect.objectContaining({ ownCode: 'H-DRUG', catalogueCode: DRUG, inForce: true }),
      expect.objectContaining({ ownCode: 'H-SVC', catalogueCode: SERVICE, inForce: true }),
    ]);
    expect(a.body['nextCursor']).toBeNull();
    const again = answer(await download({ dataset: 'codeMaps' }, e));
    expect(again).toEqual({ ...a, replayed: true });
    const conflict = await download({ dataset: 'catalogue' }, e);
    expect(conflict).toMatchObject({ ok: false, code: 'settlement.serial_conflict' });
  });
});
