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

export async function seedSettlementDemo(
  db: Database,
  actor: Actor,
  input: { month: string; on: IsoDate },
): Promise<{ settlements: number }> {
  const done = await db.query(
    `SELECT 1 FROM settlement_settlements WHERE institution_id = $1 AND accounting_month = $2`,
    [DEMO_INSTITUTION, input.month],
  );
  if (done.rows.length > 0) return { settlements: 0 };
  const c = await db.query(
    `SELECT id, worker_id FROM cases WHERE region_code = '330100'
        AND determination_outcome IN ('recognised', 'deemed') ORDER BY id LIMIT 1`,
  );
  const row = c.rows[0];
  if (row === undefined) return { settlements: 0 };
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
    caseId: textOf(row, 'id'),
    workerId: textOf(row, 'worker_id'),
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
