import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../../../db/client.ts';
import {
  dateOf,
  dateOrNullOf,
  intOf,
  jsonOf,
  type Row,
  textArrayOf,
  textOf,
} from '../../../db/rows.ts';
import { canonicalJson } from '../../../domain/audit/chain.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import type { Actor } from '../../../identity/actor.ts';
import { invariant } from '../../../kernel/assert.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import {
  type PoolingMode,
  type PoolingParamSet,
  type PoolingParamValue,
  usesDemoValues,
} from '../../../rules/fund/pooling/pooling-params.ts';
import { parsePoolingInput } from '../../../rules/fund/pooling/pooling-schema.ts';
import { citationSchema } from '../../../rules/parameters/schema.ts';
import { type ApprovalRefusal, checkApproval, consumeApproval } from '../../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../../audit/audit-log.ts';
import type { ReportFile } from '../../reports/report-writer.ts';
import {
  type ResumableRunOutcome,
  type RunStatus,
  runResumable,
} from '../../runs/resumable-run.ts';
import { postTransactions } from '../ledger/ledger-write.ts';
import { defaultReportsDir, type YearEndReportData } from './year-end-report.ts';

/**
 * The year-end run (年终清算) of both pooling modes on the resumable-run skeleton
 * (src/usecases/runs/resumable-run.ts): one row of `pooling_year_end_runs` per (province, year),
 * status computed → posted → reported, each step in one transaction with its audit event
 * (docs/pooling.md, "The run"). A mode (year-end-adjustment-run.ts, year-end-unified-run.ts)
 * supplies only its compute, its transactions and its reports.
 *
 * Hand-written SQL with a typed row mapper: the Drizzle mirror (src/db/schema-fund.ts) has no
 * `pooling_year_end_runs` table yet. The jsonb columns are written by this module only; they are
 * checked against zod schemas when read (`conforms`), so a row that is not what this module wrote
 * crashes as a programmer error instead of flowing on untyped.
 */
export type StoredRequest = { managementGapsFen: Record<string, number> };

const paramValueSchema = z.object({
  path: z.string(),
  region: z.string(),
  from: z.string(),
  status: z.enum(['legislated', 'projected', 'demo']),
  value: z.unknown(),
  citation: citationSchema,
});

const storedParamsSchema = z.object({
  snapshotId: z.string(),
  used: z.array(paramValueSchema),
});

const reportFilesSchema = z
  .array(z.object({ name: z.string(), path: z.string(), bytes: z.number(), sha256: z.string() }))
  .nullable();

/** An amount in fen as stored in the jsonb columns. */
export const storedFen = z.number().int();

/** What a mode stores as the run's input: the request, the settle input, its figures, the names. */
export type StoredRunInput<S, F> = {
  request: StoredRequest;
  settleInput: S;
  figures: F[];
  cityNames: Record<string, string>;
};

/** The schema of a mode's stored input, from its settle-input schema and its figures' fen fields. */
export function storedInputSchemaOf<S extends z.ZodType, F extends z.ZodRawShape>(
  settleInput: S,
  figureFields: F,
) {
  return z.object({
    request: z.object({ managementGapsFen: z.record(z.string(), storedFen) }),
    settleInput,
    figures: z.array(z.object({ code: z.string() }).extend(figureFields)),
    cityNames: z.record(z.string(), z.string()),
  });
}

/**
 * The stored run with its mode's input and result checked against the mode's schemas (this module
 * wrote them, so a mismatch is a programmer error and crashes).
 */
export function decodeStoredRun<I extends z.ZodType, R extends z.ZodType>(
  row: YearEndRunRow,
  schemas: { input: I; result: R },
): StoredYearEndRun<z.output<I>, z.output<R>> {
  const { input, result } = row;
  invariant(conforms(schemas.input, input), `stored ${row.mode} run input is malformed`);
  invariant(conforms(schemas.result, result), `stored ${row.mode} run result is malformed`);
  return { ...row, input, result };
}

/** The fields every stored-run view shows about the run itself, in the views' order. */
export function runStateView(run: YearEndRunRow) {
  return {
    status: run.status,
    computedAt: run.computedAt.toISOString(),
    postedAt: run.postedAt?.toISOString() ?? null,
    reportedAt: run.reportedAt?.toISOString() ?? null,
    actor: run.actor,
    demoParameters: usesDemoValues(run.params.used),
  };
}

/** The run's transaction count and report files (without their server paths), for the views. */
export function runFilesView(run: YearEndRunRow) {
  return {
    transactionCount: run.transactionIds.length,
    reportFiles: (run.reportFiles ?? []).map((f) => ({
      name: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
  };
}

export type StoredParams = { snapshotId: string; used: PoolingParamValue[] };

/** True when `value` is what `schema` describes (no transforms: the value itself is returned). */
export function conforms<S extends z.ZodType>(schema: S, value: unknown): value is z.output<S> {
  return schema.safeParse(value).success;
}

/** A stored run as read, its mode's input and result still unchecked. */
export type YearEndRunRow = {
  province: string;
  year: number;
  mode: PoolingMode;
  status: RunStatus;
  input: unknown;
  result: unknown;
  params: StoredParams;
  transactionIds: string[];
  reportFiles: ReportFile[] | null;
  actor: string;
  computedAt: Date;
  postedAt: Date | null;
  reportedAt: Date | null;
};

/** A stored run with its mode's input and result checked. */
export type StoredYearEndRun<I, R> = Omit<YearEndRunRow, 'input' | 'result'> & {
  input: I;
  result: R;
};

const RUN_COLUMNS = `province, year, mode, status, input, result, params, transaction_ids,
  report_files, actor, computed_at, posted_at, reported_at`;

/** A text column holding one of `values` (a CHECK constraint in the migration keeps it so). */
function textIn<T extends string>(row: Row, name: string, values: readonly T[]): T {
  const value = textOf(row, name);
  const found = values.find((v) => v === value);
  invariant(found !== undefined, `column ${name} holds an unknown value ${value}`);
  return found;
}

const MODES: readonly PoolingMode[] = ['adjustment_fund', 'unified'];
const STATUSES: readonly RunStatus[] = ['computed', 'posted', 'reported'];

function runRowOf(row: Row): YearEndRunRow {
  const params = jsonOf(row, 'params');
  invariant(conforms(storedParamsSchema, params), 'stored year-end run parameters are malformed');
  const reportFiles = jsonOf(row, 'report_files');
  invariant(conforms(reportFilesSchema, reportFiles), 'stored report files are malformed');
  return {
    province: textOf(row, 'province'),
    year: intOf(row, 'year'),
    mode: textIn(row, 'mode', MODES),
    status: textIn(row, 'status', STATUSES),
    input: jsonOf(row, 'input'),
    result: jsonOf(row, 'result'),
    params,
    transactionIds: textArrayOf(row, 'transaction_ids'),
    reportFiles,
    actor: textOf(row, 'actor'),
    computedAt: dateOf(row, 'computed_at'),
    postedAt: dateOrNullOf(row, 'posted_at'),
    reportedAt: dateOrNullOf(row, 'reported_at'),
  };
}

/** The stored run of (province, year), or undefined when none is stored. */
export async function loadYearEndRun(
  db: Database,
  province: string,
  year: number,
): Promise<YearEndRunRow | undefined> {
  const r = await db.query(
    `SELECT ${RUN_COLUMNS} FROM pooling_year_end_runs WHERE province = $1 AND year = $2`,
    [province, year],
  );
  const row = r.rows[0];
  return row === undefined ? undefined : runRowOf(row);
}

/** The mode of the stored run of (province, year), or null when none is stored. */
export async function storedYearEndMode(
  db: Database,
  province: string,
  year: number,
): Promise<PoolingMode | null> {
  const r = await db.query(
    'SELECT mode FROM pooling_year_end_runs WHERE province = $1 AND year = $2',
    [province, year],
  );
  const row = r.rows[0];
  return row === undefined ? null : textIn(row, 'mode', MODES);
}

export function sha256Json(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** The snapshot id of the parameters a run used: their canonical hash. */
export function storedParamsOf(used: PoolingParamValue[]): StoredParams {
  return { snapshotId: `pooling-params:${sha256Json(used)}`, used };
}

export function yearEndOf(year: number): string {
  return `${year}-12-31`;
}

type ModeInput = StoredRunInput<unknown, unknown>;

/** What a mode supplies to the year-end run. */
export type YearEndModeSteps<I extends ModeInput, R, C extends string> = {
  mode: PoolingMode;
  /** Reads the figures, settles them; the input, result and parameters to store. */
  compute: (
    managementGapsFen: Record<string, number>,
  ) => Promise<Result<{ input: I; result: R; params: StoredParams }, C>>;
  /** What the compute event records besides the input hash and the transaction count. */
  auditDetails: (result: R) => Record<string, unknown>;
  /** Checks a stored row's input and result (crashes on a row this mode did not write). */
  decode: (row: YearEndRunRow) => StoredYearEndRun<I, R>;
  /** The run's ledger transactions, ids derived from province, year, city and kind. */
  transactions: (
    province: string,
    run: Pick<StoredYearEndRun<I, R>, 'input' | 'result' | 'params'>,
  ) => TransactionRequest[];
  writeReports: (
    data: YearEndReportData<R, I['figures'][number]>,
    dir: string,
  ) => Promise<ReportFile[]>;
};

export type YearEndRunRequest = {
  province: string;
  year: number;
  /** 管理性缺口 per city from the province's assessment (not in the ledger); default 0. */
  managementGapsFen?: Readonly<Record<string, number>> | undefined;
  /** Default ./data/reports/<province>-<year>/. */
  reportsDir?: string | undefined;
  /**
   * The approved approval of this run (action `pooling.year_end_run`, payload `yearEndRunPayload`):
   * checked before the run is stored, consumed in the transaction of its postings.
   */
  approvalId: string;
};

export const YEAR_END_RUN_ACTION = 'pooling.year_end_run';

/**
 * What a checker approves for a year-end run: province, year and the management gaps (管理性缺口,
 * figures from outside the ledger that move money between cities), as the run stores them.
 */
export function yearEndRunPayload(
  province: string,
  year: number,
  managementGapsFen: Readonly<Record<string, number>> | undefined,
) {
  return { province, year, managementGapsFen: normalizedGaps(managementGapsFen) };
}

function approvalUse(req: YearEndRunRequest, gaps: Record<string, number>) {
  return {
    regionCode: req.province,
    id: req.approvalId,
    action: YEAR_END_RUN_ACTION,
    payload: { province: req.province, year: req.year, managementGapsFen: gaps },
  };
}

/** The input of either mode's run: the request and, for tests, the pooling parameters. */
export type YearEndRunInput = YearEndRunRequest & { params: PoolingParamSet };

/** What both modes' run results hold. */
export type YearEndRunOutcome<R> = {
  province: string;
  year: number;
  status: 'reported';
  /** True when this call computed the run (false: it resumed or re-checked a stored one). */
  computedNow: boolean;
  /** Transactions the ledger recorded during this call (0 on a rerun of a posted run). */
  postedNow: number;
  transactionIds: string[];
  yearEnd: R;
  /** True when a parameter used is a `demo` placeholder: the figures are not legally binding. */
  demoParameters: boolean;
  reportFiles: ReportFile[];
};

/** The settle input parsed from the ledger figures, or the refusal naming what they break. */
export function parseSettleInput<S extends z.ZodType>(
  schema: S,
  figures: unknown,
  req: Pick<YearEndRunRequest, 'province' | 'year'>,
): Result<z.output<S>, 'pooling.figures_invalid'> {
  const parsed = parsePoolingInput(schema, figures);
  if (!parsed.ok)
    return refuse(
      'pooling.figures_invalid',
      `the ledger figures of ${req.province} ${req.year} cannot be settled: ${parsed.problem.detail}`,
      { problem: parsed.problem },
    );
  return ok(parsed.value);
}

type StoreRefusalCode = 'pooling.run_conflict' | ApprovalRefusal | LedgerRefusalCode;

/** The request's management gaps without zeros, in code order (how they are stored and compared). */
export function normalizedGaps(
  gaps: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(gaps ?? {})
      .filter(([, v]) => v !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

/** Step compute: settle and store (status `computed`) with its audit event; false if one was stored first. */
async function computeAndStore<I extends ModeInput, R, C extends string>(
  db: Database,
  actor: Actor,
  req: YearEndRunRequest,
  steps: YearEndModeSteps<I, R, C>,
  managementGapsFen: Record<string, number>,
): Promise<Result<boolean, C | ApprovalRefusal>> {
  const computed = await steps.compute(managementGapsFen);
  if (!computed.ok) return computed;
  const { input, result, params } = computed.value;
  const txIds = steps.transactions(req.province, computed.value).map((t) => t.id);
  const inputHash = sha256Json(input);
  return db.transaction(async (tx): Promise<Result<boolean, ApprovalRefusal>> => {
    // No run is stored (and then holds the year) without an approval of its gaps.
    const usable = await checkApproval(tx, approvalUse(req, managementGapsFen));
    if (!usable.ok) return usable;
    const ins = await tx.query(
      `INSERT INTO pooling_year_end_runs
         (province, year, mode, status, input, result, params, input_hash, transaction_ids, actor)
       VALUES ($1, $2, $3, 'computed', $4, $5, $6, $7, $8, $9)
       ON CONFLICT (province, year) DO NOTHING`,
      [
        req.province,
        req.year,
        steps.mode,
        JSON.stringify(input),
        JSON.stringify(result),
        JSON.stringify(params),
        inputHash,
        txIds,
        actor.username,
      ],
    );
    if (ins.rowCount === 0) return ok(false);
    await appendAudit(
      tx,
      okEventOf(actor, 'pooling.year_end.compute', `pooling-run/${req.province}/${req.year}`, {
        inputHash,
        transactions: txIds.length,
        ...steps.auditDetails(result),
        demoParameters: usesDemoValues(params.used),
        approvalId: req.approvalId,
      }),
    );
    return ok(true);
  });
}

/** Step post: submit the stored result's transactions in one atomic batch, then status `posted`. */
async function postStored(
  db: Database,
  actor: Actor,
  req: YearEndRunRequest,
  requests: TransactionRequest[],
  storedIds: readonly string[],
  gaps: Record<string, number>,
): Promise<Result<number, LedgerRefusalCode | ApprovalRefusal>> {
  invariant(
    canonicalJson(requests.map((r) => r.id)) === canonicalJson(storedIds),
    'stored transaction ids differ from the ones derived from the stored result',
  );
  const firstId = requests[0]?.id;
  const posted = await postTransactions<ApprovalRefusal>(db, actor, requests, {
    auditAction: 'pooling.year_end.post',
    guard: async (tx) => {
      // A resumed run whose postings were recorded (its status update was lost) consumed its
      // approval with them.
      if (firstId !== undefined) {
        const done = await tx.query('SELECT 1 FROM ledger_transactions WHERE id = $1', [firstId]);
        if (done.rows.length > 0) return null;
      }
      const used = await consumeApproval(tx, approvalUse(req, gaps));
      return used.ok ? null : used;
    },
  });
  if (!posted.ok) return posted;
  const createdNow = posted.value.filter((p) => p.status === 'created').length;
  await db.transaction(async (tx) => {
    const upd = await tx.query(
      `UPDATE pooling_year_end_runs SET status = 'posted', posted_at = now()
        WHERE province = $1 AND year = $2 AND status = 'computed'`,
      [req.province, req.year],
    );
    if (upd.rowCount === 0) return; // another process got there first
    await appendAudit(
      tx,
      okEventOf(actor, 'pooling.year_end.posted', `pooling-run/${req.province}/${req.year}`, {
        transactions: requests.length,
        createdNow,
      }),
    );
  });
  return ok(createdNow);
}

/** Step report: record the written files' hashes (status `reported`) when they changed. */
async function markReported(
  db: Database,
  actor: Actor,
  req: YearEndRunRequest,
  files: ReportFile[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const upd = await tx.query(
      `UPDATE pooling_year_end_runs SET status = 'reported', reported_at = coalesce(reported_at, now()), report_files = $3
        WHERE province = $1 AND year = $2 AND status IN ('posted', 'reported')
          AND (report_files IS NULL OR report_files <> $3::jsonb)`,
      [req.province, req.year, JSON.stringify(files)],
    );
    if (upd.rowCount === 0) return;
    await appendAudit(
      tx,
      okEventOf(actor, 'pooling.year_end.reported', `pooling-run/${req.province}/${req.year}`, {
        files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      }),
    );
  });
}

/** A stored run accepted for this request: same mode, same management gaps. */
function acceptStored<I extends ModeInput, R, C extends string>(
  req: YearEndRunRequest,
  steps: YearEndModeSteps<I, R, C>,
  row: YearEndRunRow,
  managementGapsFen: Record<string, number>,
): Result<StoredYearEndRun<I, R>, StoreRefusalCode> {
  const { province, year } = req;
  if (row.mode !== steps.mode)
    return refuse(
      'pooling.run_conflict',
      `the ${year} year-end run of ${province} was stored in ${row.mode} mode`,
      { province, year, mode: row.mode },
    );
  const run = steps.decode(row);
  const stored = run.input.request.managementGapsFen;
  if (canonicalJson(stored) !== canonicalJson(managementGapsFen))
    return refuse(
      'pooling.run_conflict',
      `the ${year} year-end run of ${province} was computed with other management gaps; a run is settled once (corrections are new transactions)`,
      { stored, requested: managementGapsFen },
    );
  return ok(run);
}

/** Runs (or resumes) the year-end run of (province, year) in one mode, on the resumable skeleton. */
export function runYearEndMode<I extends ModeInput, R, C extends string>(
  db: Database,
  actor: Actor,
  req: YearEndRunRequest,
  steps: YearEndModeSteps<I, R, C>,
) {
  const gaps = normalizedGaps(req.managementGapsFen);
  const dir = req.reportsDir ?? defaultReportsDir(req.province, req.year);
  return runResumable<YearEndRunRow, StoredYearEndRun<I, R>, C | StoreRefusalCode, ReportFile[]>({
    load: () => loadYearEndRun(db, req.province, req.year),
    compute: () => computeAndStore(db, actor, req, steps, gaps),
    accept: (row) => acceptStored(req, steps, row, gaps),
    post: (run) =>
      postStored(db, actor, req, steps.transactions(req.province, run), run.transactionIds, gaps),
    report: async (run) => {
      const files = await steps.writeReports(
        {
          province: req.province,
          yearEnd: run.result,
          figures: run.input.figures,
          cityNames: run.input.cityNames,
          params: run.params.used,
          transactionIds: run.transactionIds,
        },
        dir,
      );
      await markReported(db, actor, req, files);
      return files;
    },
  });
}

/** What both modes' run results share, from the outcome of the resumable run. */
export function yearEndRunResultOf<I extends ModeInput, R>(
  req: YearEndRunRequest,
  outcome: ResumableRunOutcome<StoredYearEndRun<I, R>, ReportFile[]>,
): YearEndRunOutcome<R> {
  const { run, computedNow, postedNow, reports } = outcome;
  return {
    province: req.province,
    year: req.year,
    status: 'reported',
    computedNow,
    postedNow,
    transactionIds: run.transactionIds,
    yearEnd: run.result,
    demoParameters: usesDemoValues(run.params.used),
    reportFiles: reports,
  };
}
