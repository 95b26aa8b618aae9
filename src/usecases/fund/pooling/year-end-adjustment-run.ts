import { createHash } from 'node:crypto';
import type { Database } from '../../../db/client.ts';
import {
  oneOfReader,
  ownedJsonOf,
  type Row,
  textArrayOf,
  textOf,
  withColumns,
} from '../../../db/rows.ts';
import { canonicalJson } from '../../../domain/audit/chain.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import {
  adjustmentFundRulesAt,
  defaultPoolingParams,
  type PoolingParamSet,
  type PoolingParamValue,
  poolingModeAt,
  usesDemoValues,
} from '../../../domain/fund/pooling/pooling-params.ts';
import { parsePoolingInput } from '../../../domain/fund/pooling/pooling-schema.ts';
import {
  type AdjustmentFundSettleInput,
  type AdjustmentFundYearEnd,
  adjustmentFundSettleInputSchema,
  settlePooling,
} from '../../../domain/fund/pooling/pooling-settle.ts';
import { yearEndTransactions } from '../../../domain/fund/pooling/year-end-adjustment-postings.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { invariant } from '../../../kernel/assert.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { postTransactions } from '../ledger/ledger-write.ts';
import {
  defaultReportsDir,
  type ReportFile,
  writeYearEndReports,
  type YearEndReportData,
} from './year-end-adjustment-report.ts';
import { type CityFigures, readYearEndFigures } from './year-end-figures.ts';
import {
  runUnifiedGapSharing,
  storedYearEndMode,
  type UnifiedRunRefusalCode,
  type UnifiedRunResult,
} from './year-end-unified-run.ts';

/**
 * The real year-end run of the adjustment-fund mode, idempotent by (province, year) and
 * safe to kill at any point (docs/pooling.md, "The run"):
 *
 * 1. compute — read each city's figures for the year from the ledger, settle with `settlePooling`,
 *    and store input, result and parameters in `pooling_year_end_runs` (status `computed`) in one
 *    transaction with its audit event. A run already stored is never recomputed: later postings do
 *    not change a year-end run once computed.
 * 2. post — submit the stored result's transactions (ids from province, year, city and kind) in one
 *    atomic batch through the ledger write path; ids already recorded come back as `exists`; then
 *    status `posted`.
 * 3. report — write the per-city Excel and PDF (temp file + rename, fixed dates, byte-deterministic),
 *    then status `reported` with the files' sha256. A rerun of a reported run re-checks the files and
 *    rewrites a missing or altered one.
 *
 * The mode comes from the dated parameter `pooling.mode` on 31 Dec (or from the stored run): a
 * unified year is dispatched to `runUnifiedGapSharing` (unified-run.ts), same table and steps.
 */
export type YearEndRunInput = {
  province: string;
  year: number;
  /** 管理性缺口 per city from the province's assessment (not in the ledger); default 0. */
  managementGapsFen?: Readonly<Record<string, number>> | undefined;
  /** Default ./data/reports/<province>-<year>/. */
  reportsDir?: string | undefined;
  params?: PoolingParamSet | undefined;
};

export type YearEndRunRefusalCode =
  | 'pooling.mode_not_supported'
  | 'pooling.no_cities'
  | 'pooling.figures_invalid'
  | 'pooling.run_conflict'
  | UnifiedRunRefusalCode
  | LedgerRefusalCode;

export type YearEndRunResult = AdjustmentFundRunResult | UnifiedRunResult;

export type AdjustmentFundRunResult = {
  mode: 'adjustment_fund';
  province: string;
  year: number;
  status: 'reported';
  /** True when this call computed the run (false: it resumed or re-checked a stored one). */
  computedNow: boolean;
  /** Transactions the ledger recorded during this call (0 on a rerun of a posted run). */
  postedNow: number;
  transactionIds: string[];
  yearEnd: AdjustmentFundYearEnd;
  /** True when a parameter used is a `demo` placeholder: the figures are not legally binding. */
  demoParameters: boolean;
  reportFiles: ReportFile[];
};

const runSpec = {
  mode: oneOfReader(['adjustment_fund', 'unified']),
  status: oneOfReader(['computed', 'posted', 'reported']),
  input: (r: Row, n: string) => ownedJsonOf<StoredInput>(r, n),
  result: (r: Row, n: string) => ownedJsonOf<AdjustmentFundYearEnd>(r, n),
  params: (r: Row, n: string) => ownedJsonOf<StoredParams>(r, n),
  input_hash: textOf,
  transaction_ids: textArrayOf,
  report_files: (r: Row, n: string) => ownedJsonOf<ReportFile[] | null>(r, n),
};

type RunRow = {
  mode: 'adjustment_fund' | 'unified';
  status: 'computed' | 'posted' | 'reported';
  input: StoredInput;
  result: AdjustmentFundYearEnd;
  params: StoredParams;
  input_hash: string;
  transaction_ids: string[];
  report_files: ReportFile[] | null;
};

type StoredInput = {
  request: { managementGapsFen: Record<string, number> };
  settleInput: AdjustmentFundSettleInput;
  figures: CityFigures[];
  cityNames: Record<string, string>;
};
type StoredParams = { snapshotId: string; used: PoolingParamValue[] };

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function lastDayOf(year: number): string {
  return `${year}-12-31`;
}

function auditOf(actor: Actor, action: string, object: string, details: Record<string, unknown>) {
  return {
    actor: actor.username,
    role: actor.role,
    scope: scopeLabel(actor),
    action,
    object,
    result: 'ok' as const,
    requestId: actor.requestId,
    details,
  };
}

async function loadRun(db: Database, province: string, year: number): Promise<RunRow | undefined> {
  const r = await db.query(
    `SELECT mode, status, input, result, params, input_hash, transaction_ids, report_files
       FROM pooling_year_end_runs WHERE province = $1 AND year = $2`,
    [province, year],
  );
  return withColumns(r, runSpec).rows[0];
}

function transactionsOf(
  province: string,
  row: Pick<RunRow, 'result' | 'params'>,
): TransactionRequest[] {
  return yearEndTransactions({
    province,
    yearEnd: row.result,
    effectiveDate: lastDayOf(row.result.year),
    parameterSnapshotId: row.params.snapshotId,
  });
}

/** Step 1: compute and store (or find the stored run). */
async function computeRun(
  db: Database,
  actor: Actor,
  input: YearEndRunInput,
  managementGapsFen: Record<string, number>,
): Promise<Result<{ row: RunRow; computedNow: boolean }, YearEndRunRefusalCode>> {
  const { province, year } = input;
  const params = input.params ?? defaultPoolingParams();
  const mode = poolingModeAt(params, province, lastDayOf(year));
  if (mode.value !== 'adjustment_fund')
    return refuse(
      'pooling.mode_not_supported',
      `${province} pools by ${mode.value} in ${year}; this step settles the adjustment_fund mode only (runYearEnd dispatches unified years to runUnifiedGapSharing)`,
      { province, year, mode: mode.value },
    );
  const figures = await readYearEndFigures(db, province, year);
  if (figures.cities.length === 0)
    return refuse('pooling.no_cities', `no city segment is provisioned for ${province}`, {
      province,
    });
  const { rules, used } = adjustmentFundRulesAt(params, province, lastDayOf(year));
  const allUsed = [mode as PoolingParamValue, ...used];
  const settleInputRaw = {
    mode: 'adjustment_fund',
    year,
    rules,
    adjustmentFundOpeningFen: figures.adjustmentFundOpeningFen,
    cities: figures.cities.map((c) => ({
      code: c.code,
      contributionIncomeFen: c.contributionIncomeFen,
      otherIncomeFen: c.otherIncomeFen,
      expenditureFen: c.expenditureFen,
      openingBalanceFen: c.openingBalanceFen,
      managementGapFen: managementGapsFen[c.code] ?? 0,
    })),
  };
  const parsed = parsePoolingInput(adjustmentFundSettleInputSchema, settleInputRaw);
  if (!parsed.ok)
    return refuse(
      'pooling.figures_invalid',
      `the ledger figures of ${province} ${year} cannot be settled: ${parsed.problem.detail}`,
      { problem: parsed.problem },
    );
  const outcome = settlePooling(parsed.value);
  const storedParams: StoredParams = {
    snapshotId: `pooling-params:${sha256(allUsed)}`,
    used: allUsed,
  };
  const storedInput: StoredInput = {
    request: { managementGapsFen },
    settleInput: parsed.value,
    figures: figures.cities,
    cityNames: figures.cityNames,
  };
  const txIds = transactionsOf(province, { result: outcome, params: storedParams }).map(
    (t) => t.id,
  );
  const inputHash = sha256(storedInput);
  const inserted = await db.transaction(async (tx) => {
    const ins = await tx.query(
      `INSERT INTO pooling_year_end_runs
         (province, year, mode, status, input, result, params, input_hash, transaction_ids, actor)
       VALUES ($1, $2, 'adjustment_fund', 'computed', $3, $4, $5, $6, $7, $8)
       ON CONFLICT (province, year) DO NOTHING`,
      [
        province,
        year,
        JSON.stringify(storedInput),
        JSON.stringify(outcome),
        JSON.stringify(storedParams),
        inputHash,
        txIds,
        actor.username,
      ],
    );
    if (ins.rowCount === 0) return false;
    await appendAudit(
      tx,
      auditOf(actor, 'pooling.year_end.compute', `pooling-run/${province}/${year}`, {
        inputHash,
        transactions: txIds.length,
        adjustmentFundClosingFen: outcome.adjustmentFundClosingFen,
        demoParameters: usesDemoValues(allUsed),
      }),
    );
    return true;
  });
  const row = await loadRun(db, province, year);
  invariant(row !== undefined, 'year-end run vanished after insert');
  return ok({ row, computedNow: inserted });
}

/** Step 2: post the stored result (idempotent) and mark the run posted. */
async function postRun(
  db: Database,
  actor: Actor,
  province: string,
  year: number,
  row: RunRow,
): Promise<Result<number, YearEndRunRefusalCode>> {
  const requests = transactionsOf(province, row);
  invariant(
    canonicalJson(requests.map((r) => r.id)) === canonicalJson(row.transaction_ids),
    'stored transaction ids differ from the ones derived from the stored result',
  );
  const posted = await postTransactions(db, actor, requests, {
    auditAction: 'pooling.year_end.post',
  });
  if (!posted.ok) return posted;
  const createdNow = posted.value.filter((p) => p.status === 'created').length;
  await db.transaction(async (tx) => {
    const upd = await tx.query(
      `UPDATE pooling_year_end_runs SET status = 'posted', posted_at = now()
        WHERE province = $1 AND year = $2 AND status = 'computed'`,
      [province, year],
    );
    if (upd.rowCount === 0) return; // another process got there first
    await appendAudit(
      tx,
      auditOf(actor, 'pooling.year_end.posted', `pooling-run/${province}/${year}`, {
        transactions: requests.length,
        createdNow,
      }),
    );
  });
  return ok(createdNow);
}

function reportDataOf(province: string, row: RunRow): YearEndReportData {
  return {
    province,
    yearEnd: row.result,
    figures: row.input.figures,
    cityNames: row.input.cityNames,
    params: row.params.used,
    transactionIds: row.transaction_ids,
  };
}

/** Step 3: write (or re-check) the report files and mark the run reported. */
async function reportRun(
  db: Database,
  actor: Actor,
  province: string,
  year: number,
  row: RunRow,
  reportsDir: string,
): Promise<ReportFile[]> {
  const files = await writeYearEndReports(reportDataOf(province, row), reportsDir);
  await db.transaction(async (tx) => {
    const upd = await tx.query(
      `UPDATE pooling_year_end_runs SET status = 'reported', reported_at = coalesce(reported_at, now()), report_files = $3
        WHERE province = $1 AND year = $2 AND status IN ('posted', 'reported')
          AND (report_files IS NULL OR report_files <> $3::jsonb)`,
      [province, year, JSON.stringify(files)],
    );
    if (upd.rowCount === 0) return;
    await appendAudit(
      tx,
      auditOf(actor, 'pooling.year_end.reported', `pooling-run/${province}/${year}`, {
        files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      }),
    );
  });
  return files;
}

/** Runs (or resumes) the year-end run of `province` for `year`, in the year's mode. */
export async function runYearEnd(
  db: Database,
  actor: Actor,
  input: YearEndRunInput,
): Promise<Result<YearEndRunResult, YearEndRunRefusalCode>> {
  const { province, year } = input;
  const mode =
    (await storedYearEndMode(db, province, year)) ??
    poolingModeAt(input.params ?? defaultPoolingParams(), province, lastDayOf(year)).value;
  if (mode === 'unified') return runUnifiedGapSharing(db, actor, input);
  return runAdjustmentFundYearEnd(db, actor, input);
}

async function runAdjustmentFundYearEnd(
  db: Database,
  actor: Actor,
  input: YearEndRunInput,
): Promise<Result<AdjustmentFundRunResult, YearEndRunRefusalCode>> {
  const { province, year } = input;
  const managementGapsFen = Object.fromEntries(
    Object.entries(input.managementGapsFen ?? {})
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  let row = await loadRun(db, province, year);
  let computedNow = false;
  if (row === undefined) {
    const c = await computeRun(db, actor, input, managementGapsFen);
    if (!c.ok) return c;
    row = c.value.row;
    computedNow = c.value.computedNow;
  }
  if (canonicalJson(row.input.request.managementGapsFen) !== canonicalJson(managementGapsFen))
    return refuse(
      'pooling.run_conflict',
      `the ${year} year-end run of ${province} was computed with other management gaps; a run is settled once (corrections are new transactions)`,
      { stored: row.input.request.managementGapsFen, requested: managementGapsFen },
    );
  let postedNow = 0;
  if (row.status === 'computed') {
    const p = await postRun(db, actor, province, year, row);
    if (!p.ok) return p;
    postedNow = p.value;
  }
  const reportFiles = await reportRun(
    db,
    actor,
    province,
    year,
    row,
    input.reportsDir ?? defaultReportsDir(province, year),
  );
  return ok({
    mode: 'adjustment_fund',
    province,
    year,
    status: 'reported',
    computedNow,
    postedNow,
    transactionIds: row.transaction_ids,
    yearEnd: row.result,
    demoParameters: usesDemoValues(row.params.used),
    reportFiles,
  });
}
