import { startTestApp } from '../../../src/api/testing.ts';
import type { Database } from '../../../src/db/client.ts';
import { systemActor } from '../../../src/identity/actor.ts';
import { todayInChina } from '../../../src/kernel/dates.ts';
import { testRuleBook } from '../../../src/runtime/testing.ts';
import { openPeriod } from '../../../src/usecases/fund/ledger/periods.ts';
import { seedSettlementMonthDemo } from '../../../src/usecases/seed/seed-settlement-month-demo.ts';
import { seedPayrollDemo } from './payroll-seed.ts';
import { seedSurvivorDemo } from './survivor-seed.ts';

/** Data one spec's own server adds to the demo seed (the shared server's data stays the seed's). */
export type ServerOptions = {
  settlementMonth?: boolean;
  payrollMonth?: boolean;
  /** The demo survivor's death case and last month's payroll paying her (survivor.spec.ts). */
  survivorMonth?: string;
};

/** The current month in Beijing (YYYY-MM): the ledger period today's postings fall in. */
function currentPeriod(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
    .format(new Date())
    .slice(0, 7);
}

/**
 * The real server for browser journeys: the same Fastify app as `npm start`, on an ephemeral port,
 * over a fresh in-memory PGlite database migrated and seeded with the demo province. It serves the
 * built web UI from dist/web (build it first: see build-web.ts). The demo ledger's periods end with
 * its last demo year; the current month's period is opened too (as the province would at month
 * start, `tongchou ledger` CLI), because the benefit journey posts today. Its database is handed
 * back too, for a journey that inserts its own records per attempt (benefit-forms.spec.ts).
 */
export async function startTestServer(
  options: ServerOptions = {},
): Promise<{ baseUrl: string; close: () => Promise<void>; db: Database }> {
  const h = await startTestApp();
  const opened = await openPeriod(h.t.db, systemActor('e2e-open-period'), {
    segment: 'all',
    period: currentPeriod(),
  });
  if (!opened.ok) throw new Error(`e2e: open ${currentPeriod()}: ${opened.message}`);
  // The demo institution's month (issue 13), for the settlement journey only: its postings of this
  // month would change what the other journeys' pages show (the fund's budget year, a portal's cases).
  if (options.settlementMonth)
    await seedSettlementMonthDemo(h.t.db, testRuleBook().benefits, systemActor('e2e-settlement'), {
      on: todayInChina(),
    });
  // Fund-paid entitlements with card accounts in 杭州, for the payroll journey only (a run posts).
  if (options.payrollMonth) await seedPayrollDemo(h.t.db);
  if (options.survivorMonth) await seedSurvivorDemo(h.t.db, options.survivorMonth);
  const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
  return { baseUrl: address, close: h.close, db: h.t.db };
}
