import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FHIR_SYSTEMS } from '../../../domain/settlement/fhir-systems.ts';
import { exampleFhirClaim } from '../../../domain/settlement/testing.ts';
import { systemActor } from '../../../identity/actor.ts';
import { monthOf, todayInChina } from '../../../kernel/dates.ts';
import { fhirValidator } from '../../../runtime/fhir-schema.ts';
import { openPeriod } from '../../../usecases/fund/ledger/periods.ts';
import {
  insertAcceptedCase,
  insertAgreement,
  insertCatalogueRows,
  insertCodeMaps,
  insertInstitution,
  institutionToken,
} from '../../../usecases/settlement/testing.ts';
import { startTestApp, type TestApp } from '../../testing.ts';

/**
 * POST /fhir/Claim (issue 13): an R4 Claim, validated against the R4 schema, gets the same
 * adjudication as the native messages for the same visit and lines; sent twice it settles once;
 * an invalid one is answered 400 with an OperationOutcome and writes nothing.
 */
let h: TestApp;
let token: string;
let employerId: string;

const lines = [
  // Within the cap: payable. Over the 10.00 元 cap: partial. Unmapped: rejected.
  {
    lineNo: 1,
    ownCode: 'F-DRUG',
    name: '布洛芬',
    servedOn: '2026-01-07',
    quantityMilli: 2000,
    unitPriceFen: 800,
    amountFen: 1600,
  },
  {
    lineNo: 2,
    ownCode: 'F-DRUG2',
    name: '头孢',
    servedOn: '2026-01-07',
    quantityMilli: 1000,
    unitPriceFen: 1500,
    amountFen: 1500,
  },
  {
    lineNo: 3,
    ownCode: 'F-NONE',
    name: '未对照',
    servedOn: '2026-01-08',
    quantityMilli: 1000,
    unitPriceFen: 500,
    amountFen: 500,
  },
];

function fen(n: number): number {
  return n / 100;
}

/** The same visit as a FHIR Claim (docs/fhir.md): lines in 元, quantities in units. */
function claimOf(input: { serial: string; caseId: string; idNumber: string; hisVisitNo: string }) {
  const base = exampleFhirClaim();
  return {
    ...base,
    contained: [
      {
        resourceType: 'Patient',
        id: 'worker',
        identifier: [{ system: FHIR_SYSTEMS.socialSecurityNumber, value: input.idNumber }],
      },
    ],
    identifier: [
      { system: FHIR_SYSTEMS.messageSerial, value: input.serial },
      { system: FHIR_SYSTEMS.hisVisitNo, value: input.hisVisitNo },
    ],
    billablePeriod: { start: '2026-01-06', end: '2026-01-09' },
    related: [{ reference: { system: FHIR_SYSTEMS.caseId, value: input.caseId } }],
    diagnosis: [
      {
        sequence: 1,
        diagnosisCodeableConcept: { coding: [{ system: FHIR_SYSTEMS.icd10, code: 'S82.2' }] },
      },
    ],
    item: lines.map((l) => ({
      sequence: l.lineNo,
      productOrService: {
        coding: [{ system: FHIR_SYSTEMS.institutionItem, code: l.ownCode, display: l.name }],
      },
      servicedDate: l.servedOn,
      quantity: { value: l.quantityMilli / 1000 },
      unitPrice: { value: fen(l.unitPriceFen), currency: 'CNY' },
      net: { value: fen(l.amountFen), currency: 'CNY' },
    })),
    total: { value: fen(lines.reduce((s, l) => s + l.amountFen, 0)), currency: 'CNY' },
  };
}

async function native(code: string, serial: string, body: unknown, signInId?: string) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/api/v1/settlement/his/${code}`,
    headers: { authorization: `Bearer ${token}` },
    payload: { version: 1, serial, ...(signInId ? { signInId } : {}), body },
  });
  expect(res.statusCode, `${code}: ${res.body}`).toBe(200);
  return res.json().body as Record<string, unknown>;
}

async function postClaim(claim: unknown, type = 'application/fhir+json') {
  return h.app.inject({
    method: 'POST',
    url: '/fhir/Claim',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    payload: JSON.stringify(claim),
  });
}

async function acceptedCase() {
  return insertAcceptedCase(h.t.db, {
    employerId,
    accidentDate: '2026-01-05',
    diagnoses: ['S82.2'],
  });
}

async function settlementCount(): Promise<number> {
  const r = await h.t.db.query('SELECT count(*)::int AS n FROM settlement_settlements');
  return Number(r.rows[0]?.['n']);
}

/** Twin case A through the native messages: 9001 → 2201 → 2203 → 2204 → 2207. */
async function settleNatively(c: {
  caseId: string;
  idNumber: string;
}): Promise<Record<string, unknown>> {
  const signInId = String((await native('9001', 'FN-1', { operator: '收费员' }))['signInId']);
  await native('1101', 'FN-1B', { idNumber: c.idNumber }, signInId);
  const opened = await native(
    '2201',
    'FN-2',
    {
      caseId: c.caseId,
      hisVisitNo: 'ZY-FN',
      kind: 'inpatient',
      openedOn: '2026-01-06',
      diagnosisCode: 'S82.2',
    },
    signInId,
  );
  const visitId = String(opened['visitId']);
  await native('2203', 'FN-3', { visitId, closedOn: '2026-01-09' }, signInId);
  await native('2204', 'FN-4', { visitId, lines }, signInId);
  const claimedFen = lines.reduce((s, l) => s + l.amountFen, 0);
  return native('2207', 'FN-5', { visitId, lineCount: 3, claimedFen }, signInId);
}

beforeAll(async () => {
  h = await startTestApp();
  const db = h.t.db;
  const system = systemActor('fhir-test');
  for (const period of [monthOf(todayInChina())]) {
    const opened = await openPeriod(db, system, { segment: 'all', period });
    expect(opened.ok).toBe(true);
  }
  const hospital = await insertInstitution(db);
  await insertAgreement(db, { institutionId: hospital.id, scopes: ['inpatient'] });
  await insertCodeMaps(db, hospital.id, [
    { ownCode: 'F-DRUG', catalogueCode: 'FH-D001' },
    { ownCode: 'F-DRUG2', catalogueCode: 'FH-D002' },
  ]);
  await insertCatalogueRows(db, [
    { code: 'FH-D001', kind: 'drug', priceCapFen: 1000 },
    { code: 'FH-D002', kind: 'drug', priceCapFen: 1000 },
  ]);
  const employer = await db.query(
    "SELECT id FROM employers WHERE region_code = '330100' ORDER BY id LIMIT 1",
  );
  employerId = String(employer.rows[0]?.['id']);
  token = await institutionToken(db, system, hospital.username);
}, 120_000);
afterAll(() => h.close());

describe('POST /fhir/Claim', () => {
  it('adjudicates a Claim exactly as the native messages adjudicate the same visit', async () => {
    const a = await acceptedCase();
    const settled = await settleNatively(a);
    // FHIR: twin case B, the same visit and lines as an R4 Claim.
    const b = await acceptedCase();
    const claim = claimOf({
      serial: 'FC-1',
      caseId: b.caseId,
      idNumber: b.idNumber,
      hisVisitNo: 'ZY-FC',
    });
    expect(fhirValidator()('Claim', claim)).toEqual([]);
    const res = await postClaim(claim);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const response = res.json();
    expect(fhirValidator()('ClaimResponse', response)).toEqual([]);
    expect(response.outcome).toBe('complete');
    const nativeLines = settled['lines'] as {
      lineNo: number;
      payableFen: number;
      outcome: string;
    }[];
    // Line by line: the benefit (payable) amount in 元 and the native outcome's reasons.
    const benefitOf = (item: {
      itemSequence: number;
      adjudication: { category: { coding: { code: string }[] }; amount?: { value: number } }[];
    }) =>
      item.adjudication.find((x) => x.category.coding[0]?.code === 'benefit')?.amount?.value ?? 0;
    const fhirPayable = (response.item as Parameters<typeof benefitOf>[0][]).map((i) => ({
      lineNo: i.itemSequence,
      payableFen: Math.round(benefitOf(i) * 100),
    }));
    expect(fhirPayable).toEqual(
      nativeLines.map((l) => ({ lineNo: l.lineNo, payableFen: l.payableFen })),
    );
    expect(nativeLines.map((l) => l.outcome)).toEqual(['payable', 'partial', 'rejected']);
    // The fund's share, food allowance included, is the same both ways.
    const fundFen = Number(settled['fundFen']);
    const fhirSettled = await h.t.db.query(
      `SELECT s.fund_fen FROM settlement_settlements s JOIN settlement_visits v
          ON v.region_code = s.region_code AND v.id = s.visit_id WHERE v.case_id = $1`,
      [b.caseId],
    );
    expect(Number(fhirSettled.rows[0]?.['fund_fen'])).toBe(fundFen);
  });

  it('settles a Claim sent twice once, and answers the same ClaimResponse', async () => {
    const c = await acceptedCase();
    const claim = claimOf({
      serial: 'FC-2',
      caseId: c.caseId,
      idNumber: c.idNumber,
      hisVisitNo: 'ZY-FC2',
    });
    const first = await postClaim(claim, 'application/json');
    const before = await settlementCount();
    const again = await postClaim(claim);
    expect(again.statusCode).toBe(200);
    expect(again.json().item).toEqual(first.json().item);
    expect(await settlementCount()).toBe(before);
  });

  it('answers an invalid Claim 400 with an OperationOutcome naming the problems, writing nothing', async () => {
    const before = await settlementCount();
    const bad = {
      ...claimOf({ serial: 'FC-3', caseId: 'x', idNumber: '1', hisVisitNo: 'y' }),
      status: 'bogus',
    };
    const res = await postClaim(bad);
    expect(res.statusCode).toBe(400);
    const outcome = res.json();
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(fhirValidator()('OperationOutcome', outcome)).toEqual([]);
    expect(JSON.stringify(outcome.issue)).toContain('status');
    expect(await settlementCount()).toBe(before);
  });
});

describe('POST /fhir/Claim: the patient', () => {
  it("refuses a Claim whose case is not one of its patient's accepted cases, settling nothing", async () => {
    const patient = await acceptedCase();
    const other = await acceptedCase();
    const before = await settlementCount();
    const res = await postClaim(
      claimOf({
        serial: 'FC-4',
        caseId: other.caseId,
        idNumber: patient.idNumber,
        hisVisitNo: 'ZY-FC4',
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const response = res.json();
    expect(response.outcome).toBe('error');
    expect(response.disposition).toContain('not an accepted case of the Claim');
    expect(response.error[0].code.coding[0].code).toBe('settlement.patient_not_identified');
    expect(await settlementCount()).toBe(before);
  });
});
