import type { Database } from '../../../db/client.ts';
import { textOf, withColumns } from '../../../db/rows.ts';
import { adjustmentSegmentCode } from '../../../domain/fund/ledger/accounts.ts';
import { invariant } from '../../../kernel/assert.ts';
import { trialBalance } from '../ledger/ledger-read.ts';

/**
 * A city's figures for the year-end run, read from the ledger through the ledger engineer's
 * `trialBalance` (posted transactions and pending ones resolved as posted, by effective date):
 *
 * - contributionIncome = the year's movement of 4101 工伤保险费收入;
 * - otherIncome = the year's movement of every other income account (4102–4106);
 * - expenditure = the year's movement of every expense account (5xxx);
 * - openingBalance = the fund balance at the end of the previous year: 3001 基金结余 + Σ income −
 *   Σ expense up to then (the 储备金 3101 is not usable balance). After a year-end run this equals
 *   the previous year's closingAfterCoverage, because the year-end run's own postings are income /
 *   expense / 3001 movements.
 *
 * Movements are the difference of two trial balances (31 Dec of the previous year and of the year).
 */
export type CityFigures = {
  code: string;
  contributionIncomeFen: number;
  otherIncomeFen: number;
  expenditureFen: number;
  openingBalanceFen: number;
};

export type YearEndFigures = {
  cities: CityFigures[];
  cityNames: Record<string, string>;
  adjustmentFundOpeningFen: number;
};

type Tb = Map<string, Map<string, { chartCode: string; type: string; balanceFen: number }>>;

async function balancesAt(db: Database, province: string, asOf: string): Promise<Tb> {
  const tb = await trialBalance(db, { segment: 'all', asOf });
  invariant(tb.ok, `trial balance at ${asOf} failed`);
  const out: Tb = new Map();
  for (const r of tb.value.rows) {
    if (r.segment.slice(0, 2) !== province.slice(0, 2)) continue;
    let seg = out.get(r.segment);
    if (!seg) {
      seg = new Map();
      out.set(r.segment, seg);
    }
    seg.set(r.account, { chartCode: r.chartCode, type: r.type, balanceFen: r.balanceFen });
  }
  return out;
}

function sumWhere(
  tb: Tb,
  segment: string,
  pick: (a: { chartCode: string; type: string }) => boolean,
): number {
  let s = 0;
  for (const a of tb.get(segment)?.values() ?? []) if (pick(a)) s += a.balanceFen;
  return s;
}

const isContribution = (a: { chartCode: string }) => a.chartCode === '4101';
const isOtherIncome = (a: { chartCode: string; type: string }) =>
  a.type === 'income' && a.chartCode !== '4101';
const isExpense = (a: { type: string }) => a.type === 'expense';

/** Fund balance (3001 + income − expense) of a segment in a trial balance. */
function fundBalance(tb: Tb, segment: string): number {
  return (
    sumWhere(tb, segment, (a) => a.chartCode === '3001') +
    sumWhere(tb, segment, (a) => a.type === 'income') -
    sumWhere(tb, segment, isExpense)
  );
}

export async function readYearEndFigures(
  db: Database,
  province: string,
  year: number,
): Promise<YearEndFigures> {
  const seg = withColumns(
    await db.query(
      `SELECT s.code, r.name FROM ledger_segments s JOIN regions r ON r.code = s.region
      WHERE s.province = $1 AND s.kind = 'city' ORDER BY s.code`,
      [province],
    ),
    { code: textOf, name: textOf },
  );
  const before = await balancesAt(db, province, `${year - 1}-12-31`);
  const after = await balancesAt(db, province, `${year}-12-31`);
  const movement = (segment: string, pick: Parameters<typeof sumWhere>[2]) =>
    sumWhere(after, segment, pick) - sumWhere(before, segment, pick);
  return {
    cities: seg.rows.map((c) => ({
      code: c.code,
      contributionIncomeFen: movement(c.code, isContribution),
      otherIncomeFen: movement(c.code, isOtherIncome),
      expenditureFen: movement(c.code, isExpense),
      openingBalanceFen: fundBalance(before, c.code),
    })),
    cityNames: Object.fromEntries(seg.rows.map((c) => [c.code, c.name])),
    adjustmentFundOpeningFen: fundBalance(before, adjustmentSegmentCode(province)),
  };
}
