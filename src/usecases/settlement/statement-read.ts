import type { Database, Executor } from '../../db/client.ts';
import {
  intOf,
  jsonOf,
  oneOf,
  oneOrNullOf,
  textArrayOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import {
  computeStatement,
  type DeclaredTotals,
  type Statement,
  type StatementDeduction,
  type StatementSettlement,
} from '../../domain/settlement/statement.ts';
import type { Actor } from '../../identity/actor.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { statementGuaranteeShareOf } from '../../rules/settlement/settlement-rules.ts';

/** No guarantee share in force for the institution's region on the month's last day. */
export type ShareMissing = 'rules.parameter_missing';

export type StoredStatement = {
  status: 'proposed' | 'paid';
  approvalRegionCode: string;
  approvalId: string;
  proposedBy: string;
  approvedBy: string | null;
  paidOn: string | null;
  ledgerTransactionIds: string[];
  payableFen: number;
};

export type StatementView = Statement & {
  institutionName: string;
  managingRegionCode: string;
  stored: StoredStatement | null;
};

export type InstitutionFacts = { id: string; name: string; managingRegionCode: string };

export async function institutionFacts(
  ex: Executor,
  institutionId: string,
): Promise<InstitutionFacts | null> {
  const r = await ex.query(
    `SELECT id, name, managing_region_code FROM settlement_institutions WHERE id = $1`,
    [institutionId],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  return {
    id: textOf(row, 'id'),
    name: textOf(row, 'name'),
    managingRegionCode: textOf(row, 'managing_region_code'),
  };
}

/**
 * An institution's statements are read by itself and by the staff of the city managing it (or the
 * province): the statement spans every city whose cases it treated, one pool.
 */
export function statementInScope(actor: Actor, institution: InstitutionFacts): boolean {
  if (actor.scopeKind === 'institution') return actor.scopeCode === institution.id;
  if (actor.scopeKind === 'city') return actor.scopeCode === institution.managingRegionCode;
  return actor.scopeKind === 'province';
}

async function monthSettlements(
  ex: Executor,
  institutionId: string,
  month: string,
): Promise<StatementSettlement[]> {
  const r = await ex.query(
    `SELECT region_code, id, serial, kind, claimed_fen, fund_fen FROM settlement_settlements
      WHERE institution_id = $1 AND accounting_month = $2 ORDER BY settled_at, id`,
    [institutionId, month],
  );
  return r.rows.map((row) => ({
    regionCode: textOf(row, 'region_code'),
    id: textOf(row, 'id'),
    serial: textOf(row, 'serial'),
    kind: oneOf(row, 'kind', ['settlement', 'reversal']),
    claimedFen: intOf(row, 'claimed_fen'),
    fundFen: intOf(row, 'fund_fen'),
  }));
}

export async function monthDeductions(
  ex: Executor,
  institutionId: string,
  month: string,
): Promise<StatementDeduction[]> {
  const r = await ex.query(
    `SELECT region_code, settlement_id, line_no, deducted_fen, reason FROM settlement_line_reviews
      WHERE institution_id = $1 AND accounting_month = $2 AND decision = 'deducted'
      ORDER BY region_code, settlement_id, line_no`,
    [institutionId, month],
  );
  return r.rows.map((row) => ({
    regionCode: textOf(row, 'region_code'),
    settlementId: textOf(row, 'settlement_id'),
    lineNo: intOf(row, 'line_no'),
    deductedFen: intOf(row, 'deducted_fen'),
    reason: textOrNullOf(row, 'reason') ?? '',
  }));
}

function detailOf(value: unknown): DeclaredTotals['detail'] {
  if (!Array.isArray(value)) return null;
  return value.map((d: unknown) => {
    const o = d !== null && typeof d === 'object' ? d : {};
    const serial = 'serial' in o ? String(o.serial) : '';
    const fundFen = 'fundFen' in o ? Number(o.fundFen) : 0;
    return { serial, fundFen };
  });
}

async function declaredTotals(
  ex: Executor,
  institutionId: string,
  month: string,
): Promise<DeclaredTotals | null> {
  const r = await ex.query(
    `SELECT settlement_count, fund_fen, detail FROM settlement_declared_totals
      WHERE institution_id = $1 AND accounting_month = $2`,
    [institutionId, month],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  return {
    settlementCount: intOf(row, 'settlement_count'),
    fundFen: intOf(row, 'fund_fen'),
    detail: detailOf(jsonOf(row, 'detail')),
  };
}

export async function storedStatement(
  ex: Executor,
  institutionId: string,
  month: string,
  lock: boolean,
): Promise<StoredStatement | null> {
  const r = await ex.query(
    `SELECT status, approval_region_code, approval_id, proposed_by, approved_by,
            paid_on::text AS paid_on, ledger_transaction_ids, payable_fen
       FROM settlement_statements WHERE institution_id = $1 AND accounting_month = $2
       ${lock ? 'FOR UPDATE' : ''}`,
    [institutionId, month],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  return {
    status: oneOf(row, 'status', ['proposed', 'paid']),
    approvalRegionCode: textOf(row, 'approval_region_code'),
    approvalId: textOf(row, 'approval_id'),
    proposedBy: textOf(row, 'proposed_by'),
    approvedBy: textOrNullOf(row, 'approved_by'),
    paidOn: textOrNullOf(row, 'paid_on'),
    ledgerTransactionIds:
      row['ledger_transaction_ids'] === null ? [] : textArrayOf(row, 'ledger_transaction_ids'),
    payableFen: intOf(row, 'payable_fen'),
  };
}

/**
 * The statement as computed now from the month's settlements, reviews and declared totals. The
 * guarantee share is the dated parameter settlement.guarantee.retained_share of the institution's
 * managing city (its province's value) in force on the month's last day.
 */
export async function computeMonth(
  ex: Executor,
  rules: RuleSet,
  institution: InstitutionFacts,
  month: string,
): Promise<Result<StatementView, ShareMissing>> {
  const share = statementGuaranteeShareOf(rules, institution.managingRegionCode, month);
  if (!share.ok) return share;
  const statement = computeStatement({
    institutionId: institution.id,
    month,
    guaranteeShare: share.value,
    settlements: await monthSettlements(ex, institution.id, month),
    deductions: await monthDeductions(ex, institution.id, month),
    declared: await declaredTotals(ex, institution.id, month),
  });
  return ok({
    ...statement,
    institutionName: institution.name,
    managingRegionCode: institution.managingRegionCode,
    stored: await storedStatement(ex, institution.id, month, false),
  });
}

export async function readStatement(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  key: { institutionId: string; month: string },
): Promise<Result<StatementView, 'settlement.institution_not_found' | ShareMissing>> {
  return db.withConnection(async (ex) => {
    const institution = await institutionFacts(ex, key.institutionId);
    if (institution === null || !statementInScope(actor, institution))
      return refuse(
        'settlement.institution_not_found',
        `institution ${key.institutionId} not found`,
      );
    return computeMonth(ex, rules, institution, key.month);
  });
}

export type MonthSettlement = {
  regionCode: string;
  id: string;
  serial: string;
  kind: 'settlement' | 'reversal';
  status: 'active' | 'reversed';
  hisVisitNo: string;
  visitKind: string;
  openedOn: string;
  claimedFen: number;
  fundFen: number;
  rejectedFen: number;
  sampled: boolean;
  deductedFen: number;
};

export type MonthRejection = {
  regionCode: string;
  settlementId: string;
  serial: string;
  lineNo: number;
  name: string;
  outcome: 'partial' | 'rejected';
  claimedFen: number;
  payableFen: number;
  reasons: string[];
};

export type MonthView = {
  institutionId: string;
  month: string;
  settlements: MonthSettlement[];
  rejections: MonthRejection[];
};

/** The month's settlements (at most 2 000) and the lines not paid whole, for the month's page. */
export async function readMonth(
  db: Database,
  actor: Actor,
  key: { institutionId: string; month: string },
): Promise<Result<MonthView, 'settlement.institution_not_found'>> {
  return db.withConnection(async (ex) => {
    const institution = await institutionFacts(ex, key.institutionId);
    if (institution === null || !statementInScope(actor, institution))
      return refuse(
        'settlement.institution_not_found',
        `institution ${key.institutionId} not found`,
      );
    const s = await ex.query(
      `SELECT s.region_code, s.id, s.serial, s.kind, s.status, v.his_visit_no, v.kind AS visit_kind,
              v.opened_on::text AS opened_on, s.claimed_fen, s.fund_fen, s.rejected_fen, s.sampled,
              (SELECT coalesce(sum(r.deducted_fen), 0)::bigint FROM settlement_line_reviews r
                WHERE r.region_code = s.region_code AND r.settlement_id = s.id) AS deducted_fen
         FROM settlement_settlements s
         JOIN settlement_visits v ON v.region_code = s.region_code AND v.id = s.visit_id
        WHERE s.institution_id = $1 AND s.accounting_month = $2
        ORDER BY s.settled_at, s.id LIMIT 2000`,
      [key.institutionId, key.month],
    );
    return ok({
      ...key,
      settlements: s.rows.map((row) => ({
        regionCode: textOf(row, 'region_code'),
        id: textOf(row, 'id'),
        serial: textOf(row, 'serial'),
        kind: oneOf(row, 'kind', ['settlement', 'reversal']),
        status: oneOf(row, 'status', ['active', 'reversed']),
        hisVisitNo: textOf(row, 'his_visit_no'),
        visitKind: textOf(row, 'visit_kind'),
        openedOn: textOf(row, 'opened_on'),
        claimedFen: intOf(row, 'claimed_fen'),
        fundFen: intOf(row, 'fund_fen'),
        rejectedFen: intOf(row, 'rejected_fen'),
        sampled: row['sampled'] === true,
        deductedFen: intOf(row, 'deducted_fen'),
      })),
      rejections: await monthRejections(ex, key.institutionId, key.month),
    });
  });
}

async function monthRejections(
  ex: Executor,
  institutionId: string,
  month: string,
): Promise<MonthRejection[]> {
  const r = await ex.query(
    `SELECT l.region_code, l.settlement_id, s.serial, l.line_no, f.name, l.outcome, l.claimed_fen,
            l.payable_fen, l.reasons
       FROM settlement_settlements s
       JOIN settlement_line_results l ON l.region_code = s.region_code AND l.settlement_id = s.id
       JOIN settlement_fee_lines f
         ON f.region_code = l.region_code AND f.visit_id = s.visit_id AND f.line_no = l.line_no
      WHERE s.institution_id = $1 AND s.accounting_month = $2 AND l.outcome <> 'payable'
      ORDER BY s.settled_at, s.id, l.line_no LIMIT 2000`,
    [institutionId, month],
  );
  return r.rows.map((row) => ({
    regionCode: textOf(row, 'region_code'),
    settlementId: textOf(row, 'settlement_id'),
    serial: textOf(row, 'serial'),
    lineNo: intOf(row, 'line_no'),
    name: textOf(row, 'name'),
    outcome: oneOf(row, 'outcome', ['partial', 'rejected']),
    claimedFen: intOf(row, 'claimed_fen'),
    payableFen: intOf(row, 'payable_fen'),
    reasons: textArrayOf(row, 'reasons'),
  }));
}

export type InstitutionMonth = {
  month: string;
  settlements: number;
  fundFen: number;
  status: 'open' | 'proposed' | 'paid';
};

/** The accounting months an institution has settlements in, latest first (at most 36). */
export async function institutionMonths(
  db: Database,
  actor: Actor,
  institutionId: string,
): Promise<Result<InstitutionMonth[], 'settlement.institution_not_found'>> {
  return db.withConnection(async (ex) => {
    const institution = await institutionFacts(ex, institutionId);
    if (institution === null || !statementInScope(actor, institution))
      return refuse('settlement.institution_not_found', `institution ${institutionId} not found`);
    const r = await ex.query(
      `SELECT s.accounting_month, count(*)::int AS n, sum(s.fund_fen)::bigint AS fund_fen,
              max(st.status) AS status
         FROM settlement_settlements s
         LEFT JOIN settlement_statements st
           ON st.institution_id = s.institution_id AND st.accounting_month = s.accounting_month
        WHERE s.institution_id = $1
        GROUP BY s.accounting_month ORDER BY s.accounting_month DESC LIMIT 36`,
      [institutionId],
    );
    return ok(
      r.rows.map((row) => ({
        month: textOf(row, 'accounting_month'),
        settlements: intOf(row, 'n'),
        fundFen: intOf(row, 'fund_fen'),
        status: oneOrNullOf(row, 'status', ['proposed', 'paid']) ?? 'open',
      })),
    );
  });
}
