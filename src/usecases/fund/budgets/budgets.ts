import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { fundBudgetLines, fundBudgets, ledgerSegments } from '../../../db/schema.ts';
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
import { chartAccount, type SegmentKind } from '../../../domain/fund/ledger/accounts.ts';
import type { Actor } from '../../../identity/actor.ts';
import { ok, type Refusal, type Result, refuse } from '../../../kernel/result.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../../audit/audit-log.ts';
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

const b = fundBudgets;
const budgetColumns = {
  regionCode: b.regionCode,
  year: b.year,
  province: b.province,
  status: b.status,
  version: b.version,
  createdBy: b.createdBy,
  updatedBy: b.updatedBy,
  updatedAt: b.updatedAt,
  submittedBy: b.submittedBy,
  submittedAt: b.submittedAt,
  consolidationApprovalId: b.consolidationApprovalId,
  approvalId: b.approvalId,
  approvedBy: b.approvedBy,
  checkerId: b.checkerId,
  approvedAt: b.approvedAt,
};

type BudgetRow = {
  regionCode: string;
  year: number;
  province: string;
  status: BudgetStatus;
  version: number;
  createdBy: string;
  updatedBy: string;
  updatedAt: Date;
  submittedBy: string | null;
  submittedAt: Date | null;
  consolidationApprovalId: string | null;
  approvalId: string | null;
  approvedBy: string | null;
  checkerId: string | null;
  approvedAt: Date | null;
};

const budgetKey = (regionCode: string, year: number) =>
  and(eq(b.regionCode, regionCode), eq(b.year, year));

function iso(v: Date | null): string | null {
  return v === null ? null : v.toISOString();
}

/** Budget lines of the given budgets, keyed `region|year`, in account order. */
async function linesOf(
  ex: Executor,
  keys: readonly { regionCode: string; year: number }[],
): Promise<Map<string, BudgetLine[]>> {
  const out = new Map<string, BudgetLine[]>();
  if (keys.length === 0) return out;
  const l = fundBudgetLines;
  const rows = await ex.orm
    .select({ regionCode: l.regionCode, year: l.year, account: l.account, amountFen: l.amountFen })
    .from(l)
    .where(or(...keys.map((k) => and(eq(l.regionCode, k.regionCode), eq(l.year, k.year)))))
    .orderBy(l.regionCode, l.year, l.account);
  for (const row of rows) {
    const key = `${row.regionCode}|${row.year}`;
    const list = out.get(key) ?? [];
    list.push({ account: row.account, amountFen: row.amountFen });
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
    regionCode: row.regionCode,
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
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
    submittedBy: row.submittedBy,
    submittedAt: iso(row.submittedAt),
    consolidationApprovalId: row.consolidationApprovalId,
    approvalId: row.approvalId,
    approvedBy: row.approvedBy,
    checkerId: row.checkerId,
    approvedAt: iso(row.approvedAt),
  };
}

type Segment = { code: string; kind: SegmentKind; province: string };

/** The budgetable segment of a region: a provisioned city, or the province's own segment. */
async function budgetSegment(
  ex: Executor,
  regionCode: string,
): Promise<Result<Segment, BudgetRefusalCode>> {
  const [s] = await ex.orm
    .select({
      code: ledgerSegments.code,
      kind: ledgerSegments.kind,
      province: ledgerSegments.province,
    })
    .from(ledgerSegments)
    .where(
      and(eq(ledgerSegments.code, regionCode), inArray(ledgerSegments.kind, ['city', 'province'])),
    );
  if (!s)
    return refuse(
      'budget.segment_unknown',
      `region ${regionCode} has no fund segment to budget (provision its ledger first)`,
      { regionCode },
    );
  return ok(s);
}

export async function getBudget(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<Result<BudgetView, BudgetRefusalCode>> {
  return db.withConnection(async (ex) => {
    const [row] = await ex.orm
      .select(budgetColumns)
      .from(b)
      .where(budgetKey(input.regionCode, input.year));
    if (!row)
      return refuse(
        'budget.not_found',
        `no ${input.year} budget for ${input.regionCode} yet (PUT its lines to start a draft)`,
        { ...input },
      );
    const lines = await linesOf(ex, [input]);
    return ok(viewOf(row, lines.get(`${input.regionCode}|${input.year}`) ?? []));
  });
}

/** The budgets of a year in scope: every segment's for the province, the city's own for a city. */
export async function listBudgets(
  db: Database,
  input: { regionCode: string; year: number },
): Promise<BudgetView[]> {
  return db.withConnection(async (ex) => {
    const rows = await ex.orm
      .select(budgetColumns)
      .from(b)
      .where(
        and(
          eq(b.year, input.year),
          or(eq(b.regionCode, input.regionCode), eq(b.province, input.regionCode)),
        ),
      )
      .orderBy(b.regionCode);
    const lines = await linesOf(ex, rows);
    return rows.map((row) => viewOf(row, lines.get(`${row.regionCode}|${row.year}`) ?? []));
  });
}

async function lockBudget(
  tx: Executor,
  regionCode: string,
  year: number,
): Promise<BudgetRow | undefined> {
  const [row] = await tx.orm
    .select(budgetColumns)
    .from(b)
    .where(budgetKey(regionCode, year))
    .for('update');
  return row;
}

function notDraft(row: BudgetRow): Result<never, BudgetRefusalCode> {
  if (row.status === 'approved')
    return refuse(
      'budget.already_approved',
      `the ${row.year} budget of ${row.regionCode} is approved and cannot change`,
      { regionCode: row.regionCode, year: row.year },
    );
  return refuse(
    'budget.not_draft',
    `the ${row.year} budget of ${row.regionCode} is ${row.status}; only a draft can change (ask the province to return it)`,
    { regionCode: row.regionCode, year: row.year, status: row.status },
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
      const ins = await tx.orm
        .insert(b)
        .values({
          regionCode: input.regionCode,
          year: input.year,
          province: seg.value.province,
          status: 'draft',
          version: 1,
          createdBy: actor.username,
          updatedBy: actor.username,
        })
        .onConflictDoNothing({ target: [b.regionCode, b.year] })
        .returning({ regionCode: b.regionCode });
      const createdNow = ins.length > 0;
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
      await replaceLines(tx, input.regionCode, input.year, lines);
      const version = createdNow ? 1 : row.version + 1;
      const [upd] = await tx.orm
        .update(b)
        .set({ version, updatedBy: actor.username, updatedAt: sql`now()` })
        .where(budgetKey(input.regionCode, input.year))
        .returning(budgetColumns);
      const after = viewOf(upd!, lines);
      await appendAudit(
        tx,
        okEventOf(actor, 'fund.budget.save', `budget/${input.regionCode}/${input.year}`, {
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
    const [upd] = await tx.orm
      .update(b)
      .set({
        status: 'submitted',
        submittedBy: actor.username,
        submittedAt: sql`now()`,
        updatedBy: actor.username,
        updatedAt: sql`now()`,
      })
      .where(budgetKey(input.regionCode, input.year))
      .returning(budgetColumns);
    await appendAudit(
      tx,
      okEventOf(actor, 'fund.budget.submit', `budget/${input.regionCode}/${input.year}`, {
        version: row.version,
      }),
    );
    const lines = await linesOf(tx, [input]);
    return ok(viewOf(upd!, lines.get(`${input.regionCode}|${input.year}`) ?? []));
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
    const [upd] = await tx.orm
      .update(b)
      .set({
        status: 'draft',
        consolidationApprovalId: null,
        updatedBy: actor.username,
        updatedAt: sql`now()`,
      })
      .where(budgetKey(input.regionCode, input.year))
      .returning(budgetColumns);
    await appendAudit(
      tx,
      okEventOf(actor, 'fund.budget.return', `budget/${input.regionCode}/${input.year}`, {
        from: row.status,
        reason: input.reason,
      }),
    );
    const lines = await linesOf(tx, [input]);
    return ok(viewOf(upd!, lines.get(`${input.regionCode}|${input.year}`) ?? []));
  });
}

function regionsOf(rows: readonly BudgetRow[]): string[] {
  return rows.map((x) => x.regionCode);
}

/** Every budget of a province's year, locked, in region order (consolidation and approval). */
async function lockProvinceBudgets(
  tx: Executor,
  province: string,
  year: number,
): Promise<BudgetRow[]> {
  return tx.orm
    .select(budgetColumns)
    .from(b)
    .where(and(eq(b.province, province), eq(b.year, year)))
    .orderBy(b.regionCode)
    .for('update');
}

/** Replaces a draft's lines (the database refuses line changes of anything but a draft). */
async function replaceLines(
  tx: Executor,
  regionCode: string,
  year: number,
  lines: readonly BudgetLine[],
): Promise<void> {
  await tx.orm
    .delete(fundBudgetLines)
    .where(and(eq(fundBudgetLines.regionCode, regionCode), eq(fundBudgetLines.year, year)));
  if (lines.length > 0)
    await tx.orm
      .insert(fundBudgetLines)
      .values(lines.map((l) => ({ regionCode, year, account: l.account, amountFen: l.amountFen })));
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
  const lines = await linesOf(tx, rows);
  return consolidationPayload(
    province,
    year,
    rows.map((r) => ({
      segment: r.regionCode,
      version: r.version,
      lines: lines.get(`${r.regionCode}|${r.year}`) ?? [],
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
  input: { regionCode: string; year: number; policy?: ApprovalPolicy | undefined },
): Promise<Result<Consolidation, BudgetRefusalCode>> {
  return db.transaction(async (tx) => {
    const seg = await provinceOnly(tx, input.regionCode);
    if (!seg.ok) return seg;
    const all = await lockProvinceBudgets(tx, seg.value.province, input.year);
    const rows = all.filter((x) => x.status === 'submitted' || x.status === 'consolidated');
    if (rows.length === 0)
      return refuse(
        'budget.nothing_to_consolidate',
        `no submitted ${input.year} budget in ${seg.value.province} to consolidate`,
        {
          year: input.year,
          statuses: Object.fromEntries(all.map((x) => [x.regionCode, x.status])),
        },
      );
    const payload = await payloadOf(tx, seg.value.province, input.year, rows);
    const a = await requestApproval(tx, actor, {
      regionCode: seg.value.province,
      action: BUDGET_APPROVAL_ACTION,
      payload,
      policy: input.policy ?? DEFAULT_APPROVAL_POLICY,
    });
    await tx.orm
      .update(b)
      .set({
        status: 'consolidated',
        consolidationApprovalId: a.id,
        updatedBy: actor.username,
        updatedAt: sql`now()`,
      })
      .where(and(eq(b.year, input.year), inArray(b.regionCode, regionsOf(rows))));
    await appendAudit(
      tx,
      okEventOf(actor, 'fund.budget.consolidate', `budget/${seg.value.province}/${input.year}`, {
        approvalId: a.id,
        payloadHash: a.payloadHash,
        budgets: regionsOf(rows),
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
    const all = await lockProvinceBudgets(tx, seg.value.province, input.year);
    const rows = all.filter((x) => x.status === 'consolidated');
    if (rows.length === 0)
      return all.length > 0 && all.every((x) => x.status === 'approved')
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
    await tx.orm
      .update(b)
      .set({
        status: 'approved',
        approvalId: input.approvalId,
        approvedBy: actor.username,
        checkerId: consumed.value.checkerId,
        approvedAt: sql`now()`,
        updatedBy: actor.username,
        updatedAt: sql`now()`,
      })
      .where(and(eq(b.year, input.year), inArray(b.regionCode, regionsOf(rows))));
    const hash = payloadHash(payload);
    await appendAudit(
      tx,
      okEventOf(actor, 'fund.budget.approve', `budget/${seg.value.province}/${input.year}`, {
        approvalId: input.approvalId,
        checkerId: consumed.value.checkerId,
        payloadHash: hash,
        budgets: regionsOf(rows),
      }),
    );
    return ok({
      year: input.year,
      approved: regionsOf(rows),
      checkerId: consumed.value.checkerId,
      payloadHash: hash,
    });
  });
}
