import type { Database } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import { lineAmountFen } from '../../domain/settlement/adjudicate.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { type IsoDate, monthOf } from '../../kernel/dates.ts';
import type { Result } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { inReviewSample } from '../../rules/settlement/settlement-rules.ts';
import { recordInjuryDiagnoses } from '../settlement/case-injury-diagnoses.ts';
import type { JsonObject, MessageAnswer } from '../settlement/his-messages.ts';
import { cancelSettlement } from '../settlement/his-reverse.ts';
import { identifyPatient, idFromKey, signIn } from '../settlement/his-session.ts';
import { settle } from '../settlement/his-settle-batch.ts';
import { openVisit, uploadLines } from '../settlement/his-visits.ts';

/**
 * The demo institution's month (issue 13): the `demo.institution` user's hospital
 * (INST-330100-0001 of the reference seed, seed-settlement-demo.ts, with its agreement and DEMO-
 * code maps) settles three outpatient visits of a recognised 杭州 case today, through the real
 * messages (签到 9001, 登记 2201, 明细上报 2204, 结算 2207): the adjudication, the sampling and the
 * ledger postings are the real ones. One settlement is sampled for review, one line is paid only in
 * part (over its price cap). Today's ledger period must be open. Idempotent: a month that already
 * has the demo's settlements is left alone.
 */
export const DEMO_INSTITUTION = 'INST-330100-0001';
const DEMO_DIAGNOSIS = 'S62.0';

/** One fee line as the institution bills it: its own code, quantity (×1000) and unit price. */
export type HisLine = {
  ownCode: string;
  name: string;
  quantityMilli: number;
  unitPriceFen: number;
};

/** A 2207 serial of the institution whose settlement the centre samples for review (or not). */
export function serialSampled(
  rules: RuleSet,
  institutionId: string,
  prefix: string,
  sampled: boolean,
  skip: readonly string[] = [],
): string {
  for (let n = 1; n < 10_000; n += 1) {
    const serial = `${prefix}${n}`;
    if (skip.includes(serial)) continue;
    const id = idFromKey('stl', institutionId, '2207', serial);
    // The sample share is read on the settlement day; the demo's share has one value since 2011.
    const drawn = inReviewSample(rules, '330100', { on: '2025-01-01', settlementKey: id });
    if (!drawn.ok) throw new Error(drawn.message);
    if (drawn.value === sampled) return serial;
  }
  throw new Error(`no serial ${prefix}n is ${sampled ? '' : 'not '}sampled`);
}

/** The demo month's 2207 serials: the first one sampled for review, the two others not. */
export function demoSerials(rules: RuleSet, month: string): [string, string, string] {
  const prefix = `DEMO${month.replace('-', '')}`;
  const first = serialSampled(rules, DEMO_INSTITUTION, prefix, true);
  const second = serialSampled(rules, DEMO_INSTITUTION, prefix, false, [first]);
  const third = serialSampled(rules, DEMO_INSTITUTION, prefix, false, [first, second]);
  return [first, second, third];
}

/** The answer's body; a refusal stops the seed (the demo's data is fixed, a refusal is a bug). */
function answered(r: Result<MessageAnswer, string>, what: string): JsonObject {
  if (!r.ok) throw new Error(`${what}: ${r.code} ${r.message}`);
  return r.value.body;
}

/** The institution's HIS as the messages see it: the institution role, scoped to its id. */
export function hisActor(institutionId: string, username: string, userId = username): Actor {
  return {
    userId,
    username,
    role: 'institution',
    scopeKind: 'institution',
    scopeCode: institutionId,
    permissions: rolePermissions.institution,
    requestId: `his-${institutionId}`,
  };
}

/**
 * One outpatient visit opened, billed and settled by the institution through its messages
 * (serial = the 2207 serial; the other messages use it with a suffix). Returns the settlement.
 */
export async function settleThroughHis(
  db: Database,
  rules: RuleSet,
  institution: Actor,
  input: {
    serial: string;
    caseId: string;
    on: IsoDate;
    diagnosisCode: string;
    lines: readonly HisLine[];
  },
): Promise<{ settlementId: string; visitId: string; fundFen: number; signInId: string }> {
  const s = input.serial;
  const signed = answered(
    await signIn(db, institution, { version: 1, serial: `${s}-SIGN` }, { operator: '收费员01' }),
    `sign in ${s}`,
  );
  const signInId = String(signed['signInId']);
  const env = (suffix: string) => ({ version: 1 as const, serial: `${s}${suffix}`, signInId });
  // 2201 opens a visit only for a patient whose card this institution has read (1101).
  const idNumber = await idNumberOfCase(db, input.caseId);
  answered(await identifyPatient(db, institution, env('-CARD'), { idNumber }), `card ${s}`);
  const opened = answered(
    await openVisit(db, institution, env('-OPEN'), {
      caseId: input.caseId,
      hisVisitNo: `MZ-${s}`,
      kind: 'outpatient',
      openedOn: input.on,
      diagnosisCode: input.diagnosisCode,
    }),
    `open ${s}`,
  );
  const visitId = String(opened['visitId']);
  const lines = input.lines.map((l, i) => ({
    ...l,
    lineNo: i + 1,
    servedOn: input.on,
    amountFen: lineAmountFen(l.quantityMilli, l.unitPriceFen),
  }));
  answered(await uploadLines(db, institution, env('-UP'), { visitId, lines }), `upload ${s}`);
  const claimedFen = lines.reduce((t, l) => t + l.amountFen, 0);
  const done = answered(
    await settle(db, rules, institution, env(''), { visitId, lineCount: lines.length, claimedFen }),
    `settle ${s}`,
  );
  return {
    settlementId: String(done['settlementId']),
    visitId,
    fundFen: Number(done['fundFen']),
    signInId,
  };
}

/** 2208 结算撤销 of a settlement by the institution, under `serial`. Returns the reversal's id. */
export async function cancelThroughHis(
  db: Database,
  institution: Actor,
  input: { serial: string; signInId: string; settlementId: string },
): Promise<string> {
  const r = answered(
    await cancelSettlement(
      db,
      institution,
      { version: 1, serial: input.serial, signInId: input.signInId },
      { settlementId: input.settlementId },
    ),
    `cancel ${input.settlementId}`,
  );
  return String(r['reversalId']);
}

/**
 * DEMO VALUES: the three visits' lines, in the hospital's own codes mapped by the reference seed.
 * Adjudicated (caps of the demo catalogue, fen): visit 1 清创缝合术 1 × 12 000 + X线 2 × 6 500 =
 * 25 000 paid whole; visit 2 头孢曲松 10 × 1 500 capped at 1 280 → 12 800 of 15 000 (over_price_cap)
 * + 诊查费 1 000 = 13 800; visit 3 阿莫西林 2 × 1 500 + 氯化钠 4 × 450 = 4 800. Fund 43 600.
 */
const VISITS: readonly (readonly HisLine[])[] = [
  [
    { ownCode: 'ZY-ZL-1004', name: '清创缝合术（小）', quantityMilli: 1000, unitPriceFen: 12_000 },
    { ownCode: 'ZY-ZL-1003', name: 'X线摄影', quantityMilli: 2000, unitPriceFen: 6_500 },
  ],
  [
    { ownCode: 'ZY-YP-0205', name: '注射用头孢曲松钠', quantityMilli: 10_000, unitPriceFen: 1_500 },
    { ownCode: 'ZY-ZL-1001', name: '普通门诊诊查费', quantityMilli: 1000, unitPriceFen: 1_000 },
  ],
  [
    { ownCode: 'ZY-YP-0101', name: '阿莫西林胶囊', quantityMilli: 2000, unitPriceFen: 1_500 },
    { ownCode: 'ZY-YP-0304', name: '氯化钠注射液', quantityMilli: 4000, unitPriceFen: 450 },
  ],
];

export async function seedSettlementMonthDemo(
  db: Database,
  rules: RuleSet,
  actor: Actor,
  input: { on: IsoDate },
): Promise<{ settlements: number }> {
  const month = monthOf(input.on);
  const done = await db.query(
    `SELECT 1 FROM settlement_settlements WHERE institution_id = $1 AND accounting_month = $2`,
    [DEMO_INSTITUTION, month],
  );
  if (done.rows.length > 0) return { settlements: 0 };
  // The reference seed's hospital and its system's user (demo.institution): absent, no demo month.
  const user = await db.query(
    `SELECT u.id, u.username FROM users u JOIN settlement_institutions i ON i.id = u.scope_code
      WHERE u.role = 'institution' AND u.scope_code = $1 ORDER BY u.username LIMIT 1`,
    [DEMO_INSTITUTION],
  );
  const userRow = user.rows[0];
  if (userRow === undefined) return { settlements: 0 };
  const accepted = await demoCase(db);
  if (accepted === null) return { settlements: 0 };
  const recorded = await recordInjuryDiagnoses(db, actor, {
    regionCode: '330100',
    caseId: accepted.caseId,
    codes: [DEMO_DIAGNOSIS],
  });
  if (!recorded.ok) throw new Error(`demo month: ${recorded.message}`);
  const his = hisActor(DEMO_INSTITUTION, textOf(userRow, 'username'), textOf(userRow, 'id'));
  const serials = demoSerials(rules, month);
  for (const [i, lines] of VISITS.entries())
    await settleThroughHis(db, rules, his, {
      serial: serials[i] ?? '',
      caseId: accepted.caseId,
      on: input.on,
      diagnosisCode: DEMO_DIAGNOSIS,
      lines,
    });
  return { settlements: VISITS.length };
}

/**
 * A recognised 杭州 case: the demo's first one, or (a province seeded without cases, as the test
 * server is) one recorded here for a registered worker of a 杭州 employer.
 */
async function demoCase(db: Database): Promise<{ caseId: string; workerId: string } | null> {
  const found = await db.query(
    `SELECT id, worker_id FROM cases WHERE region_code = '330100'
        AND determination_outcome IN ('recognised', 'deemed') ORDER BY id LIMIT 1`,
  );
  const row = found.rows[0];
  if (row !== undefined) return { caseId: textOf(row, 'id'), workerId: textOf(row, 'worker_id') };
  const who = await db.query(
    // Not the portal users' own employer or person: their journeys count their own cases.
    `SELECT w.id AS worker_id, e.id AS employer_id FROM workers w, employers e
      WHERE e.region_code = '330100'
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.scope_code = e.credit_code)
        AND NOT EXISTS (SELECT 1 FROM persons p JOIN users u ON u.scope_code = p.id
                         WHERE p.id_number = w.id_number)
      ORDER BY w.id, e.id LIMIT 1`,
  );
  const pick = who.rows[0];
  if (pick === undefined) return null;
  const caseId = 'cas_330100_5e771e0000000001';
  await db.query(
    `INSERT INTO cases (region_code, id, worker_id, employer_region_code, employer_id, case_type,
       accident_date, status, determination_outcome, determination_decided_on, created_by)
     VALUES ('330100', $1, $2, '330100', $3, 'accident', '2024-03-04', 'decided', 'recognised',
       '2024-04-15', 'seed') ON CONFLICT DO NOTHING`,
    [caseId, textOf(pick, 'worker_id'), textOf(pick, 'employer_id')],
  );
  return { caseId, workerId: textOf(pick, 'worker_id') };
}

/** The ID number of a case's worker: what the counter reads off the card (1101). */
async function idNumberOfCase(db: Database, caseId: string): Promise<string> {
  const r = await db.query(
    'SELECT w.id_number FROM cases c JOIN workers w ON w.id = c.worker_id WHERE c.id = $1',
    [caseId],
  );
  const row = r.rows[0];
  if (!row) throw new Error(`seed: case ${caseId} has no worker`);
  return textOf(row, 'id_number');
}
