import type { Database } from '../../db/client.ts';
import { textOf } from '../../db/rows.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { insertFixtureInstitution, settleFixtureVisit } from '../settlement/statement-fixtures.ts';

/**
 * The demo institution's month (issue 13): the `demo.institution` user's hospital
 * (INST-330100-0001, managed by 杭州) with three settled visits of a recognised 杭州 demo case in
 * `month` — one sampled for review, one with a line paid only in part. Built with the statement's
 * fixture, which stands in for the transactions helper's settle until merge. The ledger period of
 * `on` must be open. Idempotent: a month that has settlements is left alone.
 */
export const DEMO_INSTITUTION = 'INST-330100-0001';

export async function seedSettlementMonthDemo(
  db: Database,
  actor: Actor,
  input: { month: string; on: IsoDate },
): Promise<{ settlements: number }> {
  const done = await db.query(
    `SELECT 1 FROM settlement_settlements WHERE institution_id = $1 AND accounting_month = $2`,
    [DEMO_INSTITUTION, input.month],
  );
  if (done.rows.length > 0) return { settlements: 0 };
  const accepted = await demoCase(db);
  if (accepted === null) return { settlements: 0 };
  const { agreementId } = await insertFixtureInstitution(db, {
    id: DEMO_INSTITUTION,
    name: '浙江大学医学院附属第一医院(演示)',
    regionCode: '330100',
    validFrom: '2024-01-01',
    validTo: '2028-12-31',
  });
  const base = {
    regionCode: '330100',
    institutionId: DEMO_INSTITUTION,
    agreementId,
    caseId: accepted.caseId,
    workerId: accepted.workerId,
    month: input.month,
    on: input.on,
  };
  const serial = (n: number) => `DEMO${input.month.replace('-', '')}${n}`;
  await settleFixtureVisit(db, actor, {
    ...base,
    serial: serial(1),
    sampled: true,
    lines: [
      { category: 'medical', claimedFen: 128_000, payableFen: 128_000 },
      { category: 'medical', claimedFen: 36_500, payableFen: 36_500 },
    ],
  });
  await settleFixtureVisit(db, actor, {
    ...base,
    serial: serial(2),
    sampled: false,
    lines: [
      { category: 'rehabilitation', claimedFen: 60_000, payableFen: 60_000 },
      { category: 'device', claimedFen: 50_000, payableFen: 42_000 },
    ],
  });
  await settleFixtureVisit(db, actor, {
    ...base,
    serial: serial(3),
    sampled: false,
    lines: [{ category: 'medical', claimedFen: 21_800, payableFen: 21_800 }],
  });
  return { settlements: 3 };
}

/**
 * A recognised 杭州 case: the demo's first one, or (a province seeded without cases, as the test
 * server is) one recorded here for a registered worker of a 杭州 employer, the way the statement's
 * tests insert theirs.
 */
async function demoCase(db: Database): Promise<{ caseId: string; workerId: string } | null> {
  const found = await db.query(
    `SELECT id, worker_id FROM cases WHERE region_code = '330100'
        AND determination_outcome IN ('recognised', 'deemed') ORDER BY id LIMIT 1`,
  );
  const row = found.rows[0];
  if (row !== undefined) return { caseId: textOf(row, 'id'), workerId: textOf(row, 'worker_id') };
  const who = await db.query(
    `SELECT w.id AS worker_id, e.id AS employer_id FROM workers w, employers e
      WHERE e.region_code = '330100' ORDER BY w.id, e.id LIMIT 1`,
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
