import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { systemActor } from '../identity/actor.ts';
import type { Result } from '../kernel/result.ts';
import {
  runYearEndSettlement,
  type SettlementRunInput,
  type SettlementRunRefusalCode,
  type SettlementRunResult,
} from '../usecases/fund/settlement-run.ts';

/**
 * The year-end pooling settlement as a batch job: one call per (province, year), idempotent and
 * resumable (see src/usecases/fund/settlement-run.ts). Run it again after any failure or kill; it
 * continues from the stored step and posts nothing twice. CLI: `tongchou pooling run`.
 */
export type YearEndSettlementJob = Omit<SettlementRunInput, 'params'>;

export async function runYearEndSettlementJob(
  db: Database,
  job: YearEndSettlementJob,
): Promise<Result<SettlementRunResult, SettlementRunRefusalCode>> {
  const actor = systemActor(`job-year-end-settlement-${randomUUID()}`, job.province);
  return runYearEndSettlement(db, actor, job);
}

/** A one-line JSON summary for logs and the CLI (the full result is in the run table and reports). */
export function summarizeSettlement(r: SettlementRunResult): Record<string, unknown> {
  return {
    province: r.province,
    year: r.year,
    status: r.status,
    computedNow: r.computedNow,
    postedNow: r.postedNow,
    mode: r.mode,
    transactions: r.transactionIds.length,
    ...(r.mode === 'adjustment_fund'
      ? {
          adjustmentFundClosingFen: r.settlement.adjustmentFundClosingFen,
          coverageBasis: r.settlement.coverageBasis,
        }
      : { ...r.settlement.totals }),
    demoParameters: r.demoParameters,
    reports: r.reportFiles.map((f) => ({ path: f.path, sha256: f.sha256 })),
  };
}
