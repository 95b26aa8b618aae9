import type { Database, Executor } from '../../../db/client.ts';
import { chartAccount, type SegmentKind } from '../../../domain/fund/ledger/accounts.ts';
import {
  BUDGET_APPROVAL_ACTION,
  type BudgetLine,
  type BudgetRefusalCode,
  type BudgetStatus,
  budgetLineType,
  type ConsolidationPayload,
  consolidationPayload,
  validateBudgetLines,
} from '../../../domain/fund/budgets/budget.ts';
import { type Actor, scopeLabel } from '../../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../../approvals/approvals.ts';
import { appendAudit } from '../../audit/audit-log.ts';
import { RefusalSignal } from '../refusals.ts';

/**
 * Yearly fund budgets (issue 4 item 8; docs/budgets.md): a city (or the province for its own
 * segment) compiles a draft and submits it; the province consolidates every submitted budget of the
 * year into one approval request (maker) with the exact payload; a different user with fund:approve
 * approves it; the province then approves the budgets by consuming that approval, which must match
 * the budgets as they are now. The database refuses changes to approved budgets and to the lines of
 * anything but a draft (migration 0004).
 */
export type BudgetView = {
  regionCode: string;
  year: number;
  province: string;
  status: BudgetStatus;
  version: number;
  lines: (BudgetLine & { name: string; nameEn: string; type: 'income' | 'expense' })[];
  totals: { incomeFen: number; expenseFen: number };
  createdBy: string;
  updatedBy: string;
  updatedAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  consolidationApprovalId: string | null;
  approvalId: string | null;
  approvedBy: string | null;
  checkerId: string | null;
  approvedAt: string | null;
};

type BudgetRow = {
  region_code: string;
  year: number;
  province: string;
  status: BudgetStatus;
  version: number;
  created_by: string;
  updated_by: string;
  updated_at: Date | string;
  submitted_by: string | null;
  submitted_at: Date | string | null;
  consolidation_approval_id: string | null;
  approval_id: string | null;
  approved_by: string | null;
  checker_id: string | null;
  approved_at: Date | string | null;
};

const COLUMNS = `region_code, year, province, status, version, created_by, updated_by, updated_at,
  submitted_by, submitted_at, consolidation_approval_id, approval_id, approved_by, checker_id, approved_at`;

function iso(v: Date | string | null): string | null {
  return v === null ? null : new Date(v).toISOString();
}

async function linesOf(
  ex: Pick<Executor, 'query'>,
  keys: readonly { regionCode: string; year: number }[],
): Promise<Map<string, BudgetLine[]>> {
  const out = new Map<string, BudgetLine[]>();
  if (keys.length === 0) return out;
  const r = await ex.query<{
    region_code: string;
    year: number;
    account: string;
    amount_fen: number;
  }>(
    `SELECT l.region_code, l.year, l.account, l.amount_fen
       FROM fund_budget_lines l JOIN unnest($1::text[], $2::int4[]) AS k(region_code, year)
         ON l.region_code = k.region_code AND l.year = k.year
      ORDER BY l.region_code, l.year, l.account`,
    [keys.map((k) => k.regionCode), keys.map((k) => k.year)],
  );
  for (const row of r.rows) {
    const key = `${row.region_code}|${row.year}`;
    const list = out.get(key) ?? [];
    list.push({ account: row.account, amountFen: row.amount_fen });
    out.set(key, list);
  }
  return out;
}

function viewOf(row: BudgetRow, lines: readonly BudgetLine[]): BudgetView {
  let incomeFen = 0;
  let expenseFen = 0;
  for (const l of lines)
    if (budgetLineType(l.account) === 'income') incomeFen += l.amountFen;
    else expenseFen += l.amountFen;
  return {
    regionCode: row.region_code,
    year: row.year,
    province: row.province,
    status: row.status,
    version: row.version,
    lines: lines.map((l) => {
      const c = chartAccount(l.account);
      return {
        account: l.account,
        amountFen: l.amountFen,
        name: c?.name ?? l.account,
        nameEn: c?.nameEn ?? l.account,
        type: budgetLineType(l.account),
      };
    }),
    totals: { incomeFen, expenseFen },
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    updatedAt: iso(row.updated_at)!,
    submittedBy: row.submitted_by,
    submittedAt: iso(row.submitted_at),
    consolidationApprovalId: row.consolidation_approval_id,
    approvalId: row.approval_id,
    approvedBy: row.approved_by,
    checkerId: row.checker_id,
    approvedAt: iso(row.approved_at),
  };
}

type Segment = { code: string; kind: SegmentKind; province: string };

/** The budgetable segment of a region: a provisioned city, or the province's own segment. */
async function budgetSegment(
  ex: Pick<Executor, 'query'>,
  regionCode: string,
): Promise<Result<Segment, BudgetRefusalCode>> {
  const r = await ex.query<{ code: string; kind: SegmentKind; province: string }>(
    `SELECT code, kind, province FROM ledger_segments WHERE code = $1 AND kind IN ('city', 'province')`,
    [regionCode],
  );
  const s = r.rows[0];
  if (!s)
    return refuse(
      'budget.segment_unknown',
      `region ${regionCode} has no fund segment to budget (provision its ledger first)`,
      { regionCode },
    );
  return ok(s);
}

function audit(actor: Actor, action: string, object: string, details: Record<string, unknown>) {
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

export async function getBudget(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<Result<BudgetView, BudgetRefusalCode>> {
  const r = await db.query<BudgetRow>(
    `SELECT ${COLUMNS} FROM fund_budgets WHERE region_code = $1 AND year = $2`,
    [input.regionCode, input.year],
  );
  const row = r.rows[0];
  if (!row)
    return refuse(
      'budget.not_found',
      `no ${input.year} budget for ${input.regionCode} yet (PUT its lines to start a draft)`,
      { ...input },
    );
  const lines = await linesOf(db, [input]);
  return ok(viewOf(row, lines.get(`${input.regionCode}|${input.year}`) ?? []));
}

/** The budgets of a year in scope: every segment's for the province, the city's own for a city. */
export async function listBudgets(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<BudgetView[]> {
  const r = await db.query<BudgetRow>(
    `SELECT ${COLUMNS} FROM fund_budgets
      WHERE year = $2 AND (region_code = $1 OR province = $1) ORDER BY region_code`,
    [input.regionCode, input.year],
  );
  const lines = await linesOf(
    db,
    r.rows.map((x) => ({ regionCode: x.region_code, year: x.year })),
  );
  return r.rows.map((row) => viewOf(row, lines.get(`${row.region_code}|${row.year}`) ?? []));
}

async function lockBudget(
  tx: Executor,
  regionCode: string,
  year: number,
): Promise<BudgetRow | undefined> {
  const r = await tx.query<BudgetRow>(
    `SELECT ${COLUMNS} FROM fund_budgets WHERE region_code = $1 AND year = $2 FOR UPDATE`,
    [regionCode, year],
  );
  return r.rows[0];
}

function notDraft(row: BudgetRow): Result<never, BudgetRefusalCode> {
  if (row.status === 'approved')
    return refuse(
      'budget.already_approved',
      `the ${row.year} budget of ${row.region_code} is approved and cannot change`,
      { regionCode: row.region_code, year: row.year },
    );
  return refuse(
    'budget.not_draft',
    `the ${row.year} budget of ${row.region_code} is ${row.status}; only a draft can change (ask the province to return it)`,
    { regionCode: row.region_code, year: row.year, status: row.status },
  );
}

/**
 * Creates the draft or replaces its lines. `expectedVersion` (optional) guards against a lost
 * update: a different current version is `budget.version_conflict`. Equal lines change nothing.
 */
export async function saveBudgetLines(
  db: Database,
  actor: Actor,
  input: {
    regionCode: string;
    year: number;
    lines: readonly BudgetLine[];
    expectedVersion?: number | undefined;
  },
): Promise<Result<BudgetView & { changed: boolean }, BudgetRefusalCode>> {
  const v = validateBudgetLines(input.lines);
  if (!v.ok) return v;
  const lines = v.value;
  try {
    return await db.transaction(async (tx) => {
      const seg = await budgetSegment(tx, input.regionCode);
      if (!seg.ok) return seg;
      const ins = await tx.query(
        `INSERT INTO fund_budgets (region_code, year, province, status, version, created_by, updated_by)
       VALUES ($1, $2, $3, 'draft', 1, $4, $4) ON CONFLICT (region_code, year) DO NOTHING
       RETURNING region_code`,
        [input.regionCode, input.year, seg.value.province, actor.username],
      );
      const createdNow = ins.rows.length > 0;
      const row = (await lockBudget(tx, input.regionCode, input.year))!;
      if (row.status !== 'draft') return notDraft(row);
      if (input.expectedVersion !== undefined && input.expectedVersion !== row.version)
        // Thrown, not returned: a draft inserted above must roll back with the refusal.
        throw new RefusalSignal(
          refuse(
            'budget.version_conflict',
            `the budget is at version ${row.version}, not ${input.expectedVersion}: reload and edit again`,
            { version: row.version, expectedVersion: input.expectedVersion },
          ),
        );
      const current = (await linesOf(tx, [input])).get(`${input.regionCode}|${input.year}`) ?? [];
      const same =
        current.length === lines.length &&
        current.every(
          (c, i) => c.account === lines[i]!.account && c.amountFen === lines[i]!.amountFen,
        );
      if (same && !createdNow) return ok({ ...viewOf(row, current), changed: false });
      await tx.query('DELETE FROM fund_budget_lines WHERE region_code = $1 AND year = $2', [
        input.regionCode,
        input.year,
      ]);
      if (lines.length > 0)
        await tx.query(
          `INSERT INTO fund_budget_lines (region_code, year, account, amount_fen)
         SELECT $1, $2, * FROM unnest($3::text[], $4::int8[])`,
          [
            input.regionCode,
            input.year,
            lines.map((l) => l.account),
            lines.map((l) => l.amountFen),
          ],
        );
      const version = createdNow ? 1 : row.version + 1;
      const upd = await tx.query<BudgetRow>(
        `UPDATE fund_budgets SET version = $3, updated_by = $4, updated_at = now()
        WHERE region_code = $1 AND year = $2 RETURNING ${COLUMNS}`,
        [input.regionCode, input.year, version, actor.username],
      );
      const after = viewOf(upd.rows[0]!, lines);
      await appendAudit(
        tx,
        audit(actor, 'fund.budget.save', `budget/${input.regionCode}/${input.year}`, {
          version,
          lines: lines.length,
          incomeFen: after.totals.incomeFen,
          expenseFen: after.totals.expenseFen,
        }),
      );
      return ok({ ...after, changed: true });
    });
  } catch (err) {
    if (err instanceof RefusalSignal) return err.refusal as Refusal<BudgetRefusalCode>;
    throw err;
  }
}

/** draft → submitted (the segment hands its budget to the province). */
export async function submitBudget(
  db: Database,
  actor: Actor,
  input: { regionCode: string; year: number },
): Promise<Result<BudgetView, BudgetRefusalCode>> {
  return db.transaction(async (tx) => {
    const row = await lockBudget(tx, input.regionCode, input.year);
    if (!row)
      return refuse('budget.not_found', `no ${input.year} budget for ${input.regionCode}`, {
        ...input,
      });
    if (row.status !== 'draft') return notDraft(row);
    const upd = await tx.query<BudgetRow>(
      `UPDATE fund_budgets SET status = 'submitted', submitted_by = $3, submitted_at = now(),
              updated_by = $3, updated_at = now()
        WHERE region_code = $1 AND year = $2 RETURNING ${COLUMNS}`,
      [input.regionCode, input.year, actor.username],
    );
    await appendAudit(
      tx,
      audit(actor, 'fund.budget.submit', `budget/${input.regionCode}/${input.year}`, {
        version: row.version,
      }),
    );
    const lines = await linesOf(tx, [input]);
    return ok(viewOf(upd.rows[0]!, lines.get(`${input.regionCode}|${input.year}`) ?? []));
  });
}

/**
 * submitted / consolidated → draft, with a reason (the province sends it back, or the city
 * withdraws it). A pending consolidation that included it can then no longer be approved.
 */
export async function returnBudget(
  db: Database,
  actor: Actor,
  input: { regionCode: string; year: number; reason: string },
): Promise<Result<BudgetView, BudgetRefusalCode>> {
  return db.transaction(async (tx) => {
    const row = await lockBudget(tx, input.regionCode, input.year);
    if (!row)
      return refuse('budget.not_found', `no ${input.year} budget for ${input.regionCode}`, {
        regionCode: input.regionCode,
        year: input.year,
      });
    if (row.status === 'approved') return notDraft(row);
    if (row.status === 'draft')
      return refuse(
        'budget.not_submitted',
        `the ${input.year} budget of ${input.regionCode} is already a draft`,
        { regionCode: input.regionCode, year: input.year },
      );
    const upd = await tx.query<BudgetRow>(
      `UPDATE fund_budgets SET status = 'draft', consolidation_approval_id = NULL,
              updated_by = $3, updated_at = now()
        WHERE region_code = $1 AND year = $2 RETURNING ${COLUMNS}`,
      [input.regionCode, input.year, actor.username],
    );
    await appendAudit(
      tx,
      audit(actor, 'fund.budget.return', `budget/${input.regionCode}/${input.year}`, {
        from: row.status,
        reason: input.reason,
      }),
    );
    const lines = await linesOf(tx, [input]);
    return ok(viewOf(upd.rows[0]!, lines.get(`${input.regionCode}|${input.year}`) ?? []));
  });
}

async function provinceOnly(
  tx: Executor,
  regionCode: string,
): Promise<Result<Segment, BudgetRefusalCode>> {
  const seg = await budgetSegment(tx, regionCode);
  if (!seg.ok) return seg;
  if (seg.value.kind !== 'province')
    return refuse(
      'budget.province_only',
      `budgets are consolidated and approved by the province, not by ${regionCode}`,
      { regionCode, province: seg.value.province },
    );
  return seg;
}

async function payloadOf(
  tx: Executor,
  province: string,
  year: number,
  rows: readonly BudgetRow[],
): Promise<ConsolidationPayload> {
  const lines = await linesOf(
    tx,
    rows.map((r) => ({ regionCode: r.region_code, year: r.year })),
  );
  return consolidationPayload(
    province,
    year,
    rows.map((r) => ({
      segment: r.region_code,
      version: r.version,
      lines: lines.get(`${r.region_code}|${r.year}`) ?? [],
    })),
  );
}

export type Consolidation = {
  approvalId: string;
  payloadHash: string;
  payload: ConsolidationPayload;
};

/**
 * Maker side: gathers every submitted (and previously consolidated, not yet approved) budget of the
 * province's year, asks for approval of exactly that payload, and marks them consolidated.
 */
export async function consolidateBudgets(
  db: Database,
  actor: Actor,
  input: { regionCode: string; year: number },
): Promise<Result<Consolidation, BudgetRefusalCode>> {
  return db.transaction(async (tx) => {
    const seg = await provinceOnly(tx, input.regionCode);
    if (!seg.ok) return seg;
    const r = await tx.query<BudgetRow>(
      `SELECT ${COLUMNS} FROM fund_budgets WHERE province = $1 AND year = $2
        ORDER BY region_code FOR UPDATE`,
      [seg.value.province, input.year],
    );
    const rows = r.rows.filter((x) => x.status === 'submitted' || x.status === 'consolidated');
    if (rows.length === 0)
      return refuse(
        'budget.nothing_to_consolidate',
        `no submitted ${input.year} budget in ${seg.value.province} to consolidate`,
        {
          year: input.year,
          statuses: Object.fromEntries(r.rows.map((x) => [x.region_code, x.status])),
        },
      );
    const payload = await payloadOf(tx, seg.value.province, input.year, rows);
    const a = await requestApproval(tx, actor, {
      regionCode: seg.value.province,
      action: BUDGET_APPROVAL_ACTION,
      payload,
    });
    await tx.query(
      `UPDATE fund_budgets SET status = 'consolidated', consolidation_approval_id = $3,
              updated_by = $4, updated_at = now()
        WHERE year = $2 AND region_code = ANY($1::text[])`,
      [rows.map((x) => x.region_code), input.year, a.id, actor.username],
    );
    await appendAudit(
      tx,
      audit(actor, 'fund.budget.consolidate', `budget/${seg.value.province}/${input.year}`, {
        approvalId: a.id,
        payloadHash: a.payloadHash,
        budgets: rows.map((x) => x.region_code),
        ...payload.totals,
      }),
    );
    return ok({ approvalId: a.id, payloadHash: a.payloadHash, payload });
  });
}

/** Checker-approved: consumes the approval (it must cover exactly the consolidated budgets as they are now). */
export async function approveBudgets(
  db: Database,
  actor: Actor,
  input: { regionCode: string; year: number; approvalId: string },
): Promise<
  Result<
    { year: number; approved: string[]; checkerId: string; payloadHash: string },
    BudgetRefusalCode | ApprovalRefusal
  >
> {
  return db.transaction(async (tx) => {
    const seg = await provinceOnly(tx, input.regionCode);
    if (!seg.ok) return seg;
    const r = await tx.query<BudgetRow>(
      `SELECT ${COLUMNS} FROM fund_budgets WHERE province = $1 AND year = $2
        ORDER BY region_code FOR UPDATE`,
      [seg.value.province, input.year],
    );
    const rows = r.rows.filter((x) => x.status === 'consolidated');
    if (rows.length === 0)
      return r.rows.length > 0 && r.rows.every((x) => x.status === 'approved')
        ? refuse(
            'budget.already_approved',
            `every ${input.year} budget of ${seg.value.province} is already approved`,
            { year: input.year },
          )
        : refuse(
            'budget.nothing_consolidated',
            `no consolidated ${input.year} budget in ${seg.value.province} awaits approval`,
            { year: input.year },
          );
    const payload = await payloadOf(tx, seg.value.province, input.year, rows);
    const consumed = await consumeApproval(tx, {
      regionCode: seg.value.province,
      id: input.approvalId,
      action: BUDGET_APPROVAL_ACTION,
      payload,
    });
    if (!consumed.ok) return consumed;
    await tx.query(
      `UPDATE fund_budgets SET status = 'approved', approval_id = $3, approved_by = $4,
              checker_id = $5, approved_at = now(), updated_by = $4, updated_at = now()
        WHERE year = $2 AND region_code = ANY($1::text[])`,
      [
        rows.map((x) => x.region_code),
        input.year,
        input.approvalId,
        actor.username,
        consumed.value.checkerId,
      ],
    );
    const hash = payloadHash(payload);
    await appendAudit(
      tx,
      audit(actor, 'fund.budget.approve', `budget/${seg.value.province}/${input.year}`, {
        approvalId: input.approvalId,
        checkerId: consumed.value.checkerId,
        payloadHash: hash,
        budgets: rows.map((x) => x.region_code),
      }),
    );
    return ok({
      year: input.year,
      approved: rows.map((x) => x.region_code),
      checkerId: consumed.value.checkerId,
      payloadHash: hash,
    });
  });
}
