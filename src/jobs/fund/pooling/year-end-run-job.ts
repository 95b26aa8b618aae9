import { randomUUID } from 'node:crypto';
import type { Database } from '../../../db/client.ts';
import { systemActor } from '../../../identity/actor.ts';
import type { Result } from '../../../kernel/result.ts';
import type { PoolingParamSet } from '../../../rules/fund/pooling/pooling-params.ts';
import {
  runYearEnd,
  type YearEndRunInput,
  type YearEndRunRefusalCode,
  type YearEndRunResult,
} from '../../../usecases/fund/pooling/year-end-adjustment-run.ts';

/**
 * The year-end pooling year-end run as a batch job: one call per (province, year), idempotent and
 * resumable (see src/usecases/fund/year-end-run.ts). Run it again after any failure or kill; it
 * continues from the stored step and posts nothing twice. CLI: `tongchou pooling run`.
 */
export type YearEndJob = Omit<YearEndRunInput, 'params'>;

export async function runYearEndJob(
  db: Database,
  job: YearEndJob,
  params: PoolingParamSet,
): Promise<Result<YearEndRunResult, YearEndRunRefusalCode>> {
  const actor = systemActor(`job-year-end-year-end-${randomUUID()}`, job.province);
  return runYearEnd(db, actor, { ...job, params });
}

/** A one-line JSON summary for logs and the CLI (the full result is in the run table and reports). */
export function summarizeYearEnd(r: YearEndRunResult): Record<string, unknown> {
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
          adjustmentFundClosingFen: r.yearEnd.adjustmentFundClosingFen,
          coverageBasis: r.yearEnd.coverageBasis,
        }
      : { ...r.yearEnd.totals }),
    demoParameters: r.demoParameters,
    reports: r.reportFiles.map((f) => ({ path: f.path, sha256: f.sha256 })),
  };
}
