import { createHash } from 'node:crypto';
import type { Database } from '../../../db/client.ts';
import {
  dateOf,
  dateOrNullOf,
  intOf,
  oneOfReader,
  ownedJsonOf,
  type Row,
  textArrayOf,
  textOf,
  withColumns,
} from '../../../db/rows.ts';
import { canonicalJson } from '../../../domain/audit/chain.ts';
import { budgetLineType } from '../../../domain/fund/budgets/budget.ts';
import { TRANSFER_INCOME_CODES } from '../../../domain/fund/indicators/indicator.ts';
import type { LedgerRefusalCode, TransactionRequest } from '../../../domain/fund/ledger/ledger.ts';
import {
  defaultPoolingParams,
  type PoolingParamSet,
  type PoolingParamValue,
  poolingModeAt,
  unifiedRulesAt,
  usesDemoValues,
} from '../../../domain/fund/pooling/pooling-params.ts';
import { parsePoolingInput } from '../../../domain/fund/pooling/pooling-schema.ts';
import {
  settleUnifiedGapSharing,
  type UnifiedCityResult,
  type UnifiedSettleInput,
  type UnifiedYearEnd,
  unifiedSettleInputSchema,
} from '../../../domain/fund/pooling/pooling-unified.ts';
import {
  gapSharingTransactions,
  unifiedTrueUpFen,
} from '../../../domain/fund/pooling/unified-postings.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { invariant } from '../../../kernel/assert.ts';
import { ok, type Result, refuse } from '../../../kernel/result.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { listBudgets } from '../budgets/budgets.ts';
import { postTransactions } from '../ledger/ledger-write.ts';
import { budgetedOwnExpenditureFen } from './unified-flows.ts';
import { defaultReportsDir, type ReportFile } from './year-end-adjustment-report.ts';
import { type UnifiedCityFigures, writeUnifiedReports } from './year-end-unified-report.ts';

/**
 * The year-end gap sharing of the unified mode (统收统支) as a ledger run, idempotent by
 * (province, year) and resumable like the adjustment-fund run (same table
 * `pooling_year_end_runs`, mode `unified`, same statuses computed → posted → reported):
 *
 * 1. compute — per city, from the ledger for the year: actual income = own income lines (4101,
 *    4102, 4103, 4106: not the transfers 4104/4105), actual expenditure = own expense lines (every
 *    5xxx but 5301/5302), transfersNet = 4104 + 4105 − 5301 − 5302 (allocations received minus
 *    sweeps); from the city's **approved** budget of the year the same own lines; management gaps
 *    from the province's assessment. `settleUnifiedGapSharing` with `unified.gap_sharing` in force on
 *    31 Dec gives each city's province and city-government shares. Stored once, with its audit
 *    event; never recomputed.
 * 2. post — per city `city_share` (receivable from the city government: 1132 / 4102) and `true_up`
 *    (the year-end 清算 that closes the city's year at zero, so the province bears exactly its
 *    share) in one atomic batch (src/domain/fund/unified-postings.ts).
 * 3. report — per-city Excel and PDF (unified-report.ts).
 */
export type UnifiedRunInput = {
  province: string;
  year: number;
  managementGapsFen?: Readonly<Record<string, number>> | undefined;
  reportsDir?: string | undefined;
  params?: PoolingParamSet | undefined;
};

export type UnifiedRunRefusalCode =
  | 'pooling.mode_not_unified'
  | 'pooling.no_cities'
  | 'pooling.budget_not_approved'
  | 'pooling.figures_invalid'
  | 'pooling.run_conflict'
  | LedgerRefusalCode;

export type UnifiedRunResult = {
  mode: 'unified';
  province: string;
  year: number;
  status: 'reported';
  computedNow: boolean;
  postedNow: number;
  transactionIds: string[];
  yearEnd: UnifiedYearEnd;
  figures: UnifiedCityFigures[];
  demoParameters: boolean;
  reportFiles: ReportFile[];
};

type StoredInput = {
  request: { managementGapsFen: Record<string, number> };
  settleInput: UnifiedSettleInput;
  figures: UnifiedCityFigures[];
  cityNames: Record<string, string>;
};
type StoredResult = UnifiedYearEnd;
type StoredParams = { snapshotId: string; used: PoolingParamValue[] };

const runSpec = {
  mode: oneOfReader(['adjustment_fund', 'unified']),
  status: oneOfReader(['computed', 'posted', 'reported']),
  input: (r: Row, n: string) => ownedJsonOf<StoredInput>(r, n),
  result: (r: Row, n: string) => ownedJsonOf<StoredResult>(r, n),
  params: (r: Row, n: string) => ownedJsonOf<StoredParams>(r, n),
  transaction_ids: textArrayOf,
  report_files: (r: Row, n: string) => ownedJsonOf<ReportFile[] | null>(r, n),
};

type RunRow = {
  mode: 'adjustment_fund' | 'unified';
  status: 'computed' | 'posted' | 'reported';
  input: StoredInput;
  result: StoredResult;
  params: StoredParams;
  transaction_ids: string[];
  report_files: ReportFile[] | null;
};

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
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
    `SELECT mode, status, input, result, params, transaction_ids, report_files
       FROM pooling_year_end_runs WHERE province = $1 AND year = $2`,
    [province, year],
  );
  return withColumns(r, runSpec).rows[0];
}

/** The mode of the stored run of (province, year), or null when none is stored. */
export async function storedYearEndMode(
  db: Database,
  province: string,
  year: number,
): Promise<'adjustment_fund' | 'unified' | null> {
  const r = withColumns(
    await db.query('SELECT mode FROM pooling_year_end_runs WHERE province = $1 AND year = $2', [
      province,
      year,
    ]),
    { mode: oneOfReader(['adjustment_fund', 'unified']) },
  );
  return r.rows[0]?.mode ?? null;
}

function transactionsOf(province: string, row: Pick<RunRow, 'input' | 'result' | 'params'>) {
  const shares = new Map(row.result.cities.map((c) => [c.code, c.cityGovernmentShareFen]));
  return gapSharingTransactions({
    province,
    year: row.result.year,
    parameterSnapshotId: row.params.snapshotId,
    cities: row.input.figures.map((f) => ({
      code: f.code,
      cityGovernmentShareFen: shares.get(f.code) ?? 0,
      trueUpFen: f.trueUpFen,
    })),
  });
}

type YearFlows = Map<string, { ownIncome: number; ownExpenditure: number; transfersNet: number }>;

/** Each city's own income, own expenditure and transfers of the year, one query. */
async function readYearFlows(db: Database, province: string, year: number): Promise<YearFlows> {
  const r = withColumns(
    await db.query(
      `SELECT s.code AS segment, a.chart_code, a.type,
            sum(CASE WHEN p.side = 'C' THEN p.amount ELSE -p.amount END)::int8 AS net
       FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       LEFT JOIN ledger_resolutions r ON r.tx_seq = t.seq
       JOIN ledger_accounts a ON a.id = p.account_id
       JOIN ledger_segments s ON s.id = p.segment_id
      WHERE s.province = $1 AND s.kind = 'city' AND a.type IN ('income', 'expense')
        AND t.effective_date BETWEEN $2::date AND $3::date
        AND (t.kind = 'posted' OR r.action = 'post')
      GROUP BY 1, 2, 3`,
      [province, `${year}-01-01`, `${year}-12-31`],
    ),
    { segment: textOf, chart_code: textOf, type: textOf, net: intOf },
  );
  const out: YearFlows = new Map();
  for (const row of r.rows) {
    const f = out.get(row.segment) ?? { ownIncome: 0, ownExpenditure: 0, transfersNet: 0 };
    out.set(row.segment, f);
    const code = row.chart_code.trim();
    const net = Number(row.net);
    if (code === '5301' || code === '5302' || TRANSFER_INCOME_CODES.has(code))
      f.transfersNet += net;
    else if (row.type === 'income') f.ownIncome += net;
    else f.ownExpenditure -= net;
  }
  return out;
}

async function computeRun(
  db: Database,
  actor: Actor,
  input: UnifiedRunInput,
  managementGapsFen: Record<string, number>,
): Promise<Result<{ row: RunRow; computedNow: boolean }, UnifiedRunRefusalCode>> {
  const { province, year } = input;
  const params = input.params ?? defaultPoolingParams();
  const yearEnd = `${year}-12-31`;
  const mode = poolingModeAt(params, province, yearEnd);
  if (mode.value !== 'unified')
    return refuse(
      'pooling.mode_not_unified',
      `${province} pools by ${mode.value} in ${year}, not unified`,
      { province, year, mode: mode.value },
    );
  const seg = withColumns(
    await db.query(
      `SELECT s.code, r.name FROM ledger_segments s JOIN regions r ON r.code = s.region
      WHERE s.province = $1 AND s.kind = 'city' ORDER BY s.code`,
      [province],
    ),
    { code: textOf, name: textOf },
  );
  if (seg.rows.length === 0)
    return refuse('pooling.no_cities', `no city segment is provisioned for ${province}`, {
      province,
    });
  const budgets = new Map(
    (await listBudgets(db, { regionCode: province, year })).map((b) => [b.regionCode, b]),
  );
  const unapproved = seg.rows
    .map((c) => ({ city: c.code, status: budgets.get(c.code)?.status ?? null }))
    .filter((c) => c.status !== 'approved');
  if (unapproved.length > 0)
    return refuse(
      'pooling.budget_not_approved',
      `the gap is shared against each city's approved ${year} budget; not approved: ${unapproved.map((c) => `${c.city} (${c.status ?? 'none'})`).join(', ')}`,
      { province, year, cities: unapproved },
    );
  const flows = await readYearFlows(db, province, year);
  const { rules, used } = unifiedRulesAt(params, province, yearEnd);
  const allUsed = [mode as PoolingParamValue, ...used];
  const figuresIn = seg.rows.map((c) => {
    const lines = budgets.get(c.code)?.lines ?? [];
    const f = flows.get(c.code) ?? { ownIncome: 0, ownExpenditure: 0, transfersNet: 0 };
    return {
      code: c.code,
      budgetedIncomeFen: lines
        .filter(
          (l) => budgetLineType(l.account) === 'income' && !TRANSFER_INCOME_CODES.has(l.account),
        )
        .reduce((s, l) => s + l.amountFen, 0),
      budgetedExpenditureFen: budgetedOwnExpenditureFen(lines),
      actualIncomeFen: f.ownIncome,
      actualExpenditureFen: f.ownExpenditure,
      transfersNetFen: f.transfersNet,
    };
  });
  const parsed = parsePoolingInput(unifiedSettleInputSchema, {
    mode: 'unified',
    year,
    rules,
    cities: figuresIn.map((f) => ({
      code: f.code,
      budgetedIncomeFen: f.budgetedIncomeFen,
      budgetedExpenditureFen: f.budgetedExpenditureFen,
      actualIncomeFen: f.actualIncomeFen,
      actualExpenditureFen: f.actualExpenditureFen,
      managementGapFen: managementGapsFen[f.code] ?? 0,
    })),
  });
  if (!parsed.ok)
    return refuse(
      'pooling.figures_invalid',
      `the ledger figures of ${province} ${year} cannot be settled: ${parsed.problem.detail}`,
      { problem: parsed.problem },
    );
  const outcome = settleUnifiedGapSharing(parsed.value);
  const shareOf = new Map(outcome.cities.map((c) => [c.code, c.cityGovernmentShareFen]));
  const figures: UnifiedCityFigures[] = figuresIn.map((f) => ({
    ...f,
    trueUpFen: unifiedTrueUpFen({ ...f, cityGovernmentShareFen: shareOf.get(f.code) ?? 0 }),
  }));
  const storedParams: StoredParams = {
    snapshotId: `pooling-params:${sha256(allUsed)}`,
    used: allUsed,
  };
  const storedInput: StoredInput = {
    request: { managementGapsFen },
    settleInput: parsed.value,
    figures,
    cityNames: Object.fromEntries(seg.rows.map((c) => [c.code, c.name])),
  };
  const txIds = transactionsOf(province, {
    input: storedInput,
    result: outcome,
    params: storedParams,
  }).map((t) => t.id);
  const inputHash = sha256(storedInput);
  const inserted = await db.transaction(async (tx) => {
    const ins = await tx.query(
      `INSERT INTO pooling_year_end_runs
         (province, year, mode, status, input, result, params, input_hash, transaction_ids, actor)
       VALUES ($1, $2, 'unified', 'computed', $3, $4, $5, $6, $7, $8)
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
        mode: 'unified',
        inputHash,
        transactions: txIds.length,
        ...outcome.totals,
        demoParameters: usesDemoValues(allUsed),
      }),
    );
    return true;
  });
  const row = await loadRun(db, province, year);
  invariant(row !== undefined, 'year-end run vanished after insert');
  return ok({ row, computedNow: inserted });
}

async function postRun(
  db: Database,
  actor: Actor,
  province: string,
  year: number,
  row: RunRow,
): Promise<Result<number, UnifiedRunRefusalCode>> {
  const requests: TransactionRequest[] = transactionsOf(province, row);
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
    if (upd.rowCount === 0) return;
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

async function reportRun(
  db: Database,
  actor: Actor,
  province: string,
  year: number,
  row: RunRow,
  reportsDir: string,
): Promise<ReportFile[]> {
  const files = await writeUnifiedReports(
    {
      province,
      yearEnd: row.result,
      figures: row.input.figures,
      cityNames: row.input.cityNames,
      params: row.params.used,
      transactionIds: row.transaction_ids,
    },
    reportsDir,
  );
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

/** Runs (or resumes) the unified-mode year-end gap sharing of `province` for `year`. */
export async function runUnifiedGapSharing(
  db: Database,
  actor: Actor,
  input: UnifiedRunInput,
): Promise<Result<UnifiedRunResult, UnifiedRunRefusalCode>> {
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
  if (row.mode !== 'unified')
    return refuse(
      'pooling.run_conflict',
      `the ${year} year-end run of ${province} was stored in ${row.mode} mode`,
      { province, year, mode: row.mode },
    );
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
    mode: 'unified',
    province,
    year,
    status: 'reported',
    computedNow,
    postedNow,
    transactionIds: row.transaction_ids,
    yearEnd: row.result,
    figures: row.input.figures,
    demoParameters: usesDemoValues(row.params.used),
    reportFiles,
  });
}

/** The stored unified run as the year-end run page shows it (province: every city; a city: its own). */
export type UnifiedYearEndView = {
  province: string;
  year: number;
  mode: 'unified';
  status: 'computed' | 'posted' | 'reported';
  computedAt: string;
  postedAt: string | null;
  reportedAt: string | null;
  actor: string;
  demoParameters: boolean;
  rules: UnifiedYearEnd['rules'];
  cities: (UnifiedCityResult & UnifiedCityFigures & { name: string })[];
  /** Province only (null for a city's view). */
  totals: UnifiedYearEnd['totals'] | null;
  transactionCount: number;
  reportFiles: { name: string; bytes: number; sha256: string }[];
};

export async function unifiedYearEndResult(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<Result<UnifiedYearEndView, 'fund.year_end_not_found'>> {
  const province = `${input.regionCode.slice(0, 2)}0000`;
  const raw = await db.query(
    `SELECT mode, status, input, result, params, transaction_ids, report_files, actor,
            computed_at, posted_at, reported_at
       FROM pooling_year_end_runs WHERE province = $1 AND year = $2 AND mode = 'unified'`,
    [province, input.year],
  );
  const r = withColumns(raw, {
    ...runSpec,
    actor: textOf,
    computed_at: dateOf,
    posted_at: dateOrNullOf,
    reported_at: dateOrNullOf,
  });
  const row = r.rows[0];
  if (!row)
    return refuse(
      'fund.year_end_not_found',
      `no ${input.year} unified year-end run has been run for ${province}`,
      { province, year: input.year },
    );
  const isProvince = input.regionCode === province;
  const figures = new Map(row.input.figures.map((f) => [f.code, f]));
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return ok({
    province,
    year: input.year,
    mode: 'unified',
    status: row.status,
    computedAt: iso(row.computed_at)!,
    postedAt: iso(row.posted_at),
    reportedAt: iso(row.reported_at),
    actor: row.actor,
    demoParameters: usesDemoValues(row.params.used),
    rules: row.result.rules,
    cities: row.result.cities
      .filter((c) => isProvince || c.code === input.regionCode)
      .map((c) => ({
        ...figures.get(c.code)!,
        ...c,
        name: row.input.cityNames[c.code] ?? c.code,
      })),
    totals: isProvince ? row.result.totals : null,
    transactionCount: row.transaction_ids.length,
    reportFiles: (row.report_files ?? []).map((f) => ({
      name: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
    })),
  });
}
