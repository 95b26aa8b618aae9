import type { Database } from '../../../db/client.ts';
import type { TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import { systemActor } from '../../../identity/actor.ts';
import { invariant } from '../../../kernel/assert.ts';
import { postTransactions } from '../../../usecases/fund/ledger/ledger-write.ts';
import { openPeriod } from '../../../usecases/fund/ledger/periods.ts';
import { setUpFundLedger } from '../../../usecases/fund/testing.ts';

/**
 * A small 浙江 ledger for year-end run tests (the DB test and the kill test's child): four cities,
 * a 2022 history (opening balances) and 2023 flows, in the adjustment-fund years of 330000.
 * Figures (fen): see SCENARIO_FIGURES; the adjustment fund opens 2023 with 300 000.
 */
export const SCENARIO_PROVINCE = '330000';
export const SCENARIO_YEAR = 2023;
export const SCENARIO_CITIES = ['330100', '330200', '330300', '330400'] as const;
export const SCENARIO_MANAGEMENT_GAPS: Record<string, number> = { '330300': 300_000 };

export const SCENARIO_FIGURES = {
  '330100': {
    prior: [10_000_000, 8_000_000],
    contribution: 12_000_000,
    other: 100_000,
    expenditure: 9_000_000,
  },
  '330200': {
    prior: [5_000_000, 5_000_000],
    contribution: 6_000_000,
    other: 0,
    expenditure: 8_000_000,
  },
  '330300': {
    prior: [3_000_000, 2_500_000],
    contribution: 4_000_000,
    other: 50_000,
    expenditure: 6_000_000,
  },
  '330400': {
    prior: [2_000_000, 1_000_000],
    contribution: 2_000_000,
    other: 0,
    expenditure: 2_500_000,
  },
} as const;
export const SCENARIO_ADJUSTMENT_OPENING_FEN = 300_000;

function tx(
  id: string,
  date: string,
  segment: string,
  dr: string,
  cr: string,
  amountFen: number,
): TransactionRequest {
  return {
    id,
    effectiveDate: date,
    source: { type: 'scenario', id },
    postings: [
      { segment, account: dr, side: 'debit', amountFen },
      { segment, account: cr, side: 'credit', amountFen },
    ],
  };
}

export async function seedYearEndScenario(db: Database): Promise<void> {
  await setUpFundLedger(db, { cities: [...SCENARIO_CITIES] });
  const actor = systemActor('req-scenario', SCENARIO_PROVINCE);
  for (const period of ['2022-12', '2023-06', '2023-12']) {
    const o = await openPeriod(db, actor, { segment: 'all', period });
    invariant(o.ok, `open ${period}`);
  }
  const requests: TransactionRequest[] = [
    tx(
      'scn:adj:2022:other',
      '2022-12-20',
      `${SCENARIO_PROVINCE}-ADJ`,
      '1001',
      '4106',
      SCENARIO_ADJUSTMENT_OPENING_FEN,
    ),
  ];
  for (const [city, f] of Object.entries(SCENARIO_FIGURES)) {
    requests.push(
      tx(`scn:${city}:2022:contribution`, '2022-12-15', city, '1002', '4101', f.prior[0]),
    );
    requests.push(tx(`scn:${city}:2022:benefits`, '2022-12-16', city, '5101', '1003', f.prior[1]));
    requests.push(
      tx(`scn:${city}:2023:contribution`, '2023-06-15', city, '1002', '4101', f.contribution),
    );
    if (f.other > 0)
      requests.push(tx(`scn:${city}:2023:interest`, '2023-06-30', city, '1001', '4103', f.other));
    requests.push(
      tx(`scn:${city}:2023:benefits`, '2023-12-10', city, '5101', '1003', f.expenditure),
    );
  }
  const r = await postTransactions(db, actor, requests);
  invariant(r.ok, `scenario postings refused: ${r.ok ? '' : r.message}`);
}
