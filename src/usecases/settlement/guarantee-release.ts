import type { Database, Executor } from '../../db/client.ts';
import { intOf, textArrayOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import {
  computeGuaranteeRelease,
  GUARANTEE_RELEASE_ACTION,
  type GuaranteeRelease,
  releaseTransactions,
} from '../../domain/settlement/guarantee-release.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { guaranteeReleaseDayOf } from '../../rules/settlement/settlement-rules.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import {
  type ApprovalRefusal,
  approveUnlessApproved,
  consumeApproval,
  payloadHash,
  requestApproval,
} from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import { type InstitutionFacts, institutionFacts, statementInScope } from './statement-read.ts';

/**
 * The year-end release of the guarantee retained from an institution's monthly statements
 * (责任保证金, docs/settlement-statements.md "Release of the guarantee"), maker-checker like the
 * statement's payment: a city handler (fund:write) proposes the release of a year once it has
 * ended by the rule (settlement.guarantee.release) and every month of it that owes the institution
 * is paid; the approval is bound to the release's payload; another person (fund:approve) approves;
 * applying recomputes the payload (a deduction found meanwhile no longer fits), consumes the
 * approval and posts Dr 2101 / Cr 1003 per segment
 * (`settlement-guarantee:<institution>:<year>:released:<segment>`) in the transaction that marks the
 * release paid. A rerun posts nothing and answers `replayed`.
 */
export type ReleaseRefusalCode =
  | 'settlement.institution_not_found'
  | 'settlement.guarantee_year_open'
  | 'settlement.guarantee_months_unpaid'
  | 'settlement.guarantee_nothing_to_release'
  | 'settlement.guarantee_released'
  | 'settlement.guarantee_not_proposed'
  | 'rules.parameter_missing'
  | 'rules.not_applicable'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type StoredRelease = {
  status: 'proposed' | 'paid';
  approvalRegionCode: string;
  approvalId: string;
  proposedBy: string;
  approvedBy: string | null;
  paidOn: string | null;
  ledgerTransactionIds: string[];
  releaseFen: number;
};

export type ReleaseView = {
  institutionId: string;
  year: number;
  /** The day the rule releases the year's guarantee (its last day, for year_end). */
  releaseDay: IsoDate;
  /** Months of the year with a positive fund share whose statement is not paid: they block it. */
  unpaidMonths: string[];
  release: GuaranteeRelease;
  stored: StoredRelease | null;
};

type Req = { institutionId: string; year: number };

async function loadInScope(
  ex: Executor,
  actor: Actor,
  institutionId: string,
): Promise<Result<InstitutionFacts, 'settlement.institution_not_found'>> {
  const institution = await institutionFacts(ex, institutionId);
  if (institution === null || !statementInScope(actor, institution))
    return refuse('settlement.institution_not_found', `institution ${institutionId} not found`);
  return ok(institution);
}

export async function storedRelease(
  ex: Executor,
  req: Req,
  lock: boolean,
): Promise<StoredRelease | null> {
  const r = await ex.query(
    `SELECT status, approval_region_code, approval_id, proposed_by, approved_by,
            paid_on::text AS paid_on, ledger_transaction_ids, release_fen
       FROM settlement_guarantee_releases WHERE institution_id = $1 AND year = $2
       ${lock ? 'FOR UPDATE' : ''}`,
    [req.institutionId, req.year],
  );
  const row = r.rows[0];
  if (row === undefined) return null;
  const status = textOf(row, 'status');
  return {
    status: status === 'paid' ? 'paid' : 'proposed',
    approvalRegionCode: textOf(row, 'approval_region_code'),
    approvalId: textOf(row, 'approval_id'),
    proposedBy: textOf(row, 'proposed_by'),
    approvedBy: textOrNullOf(row, 'approved_by'),
    paidOn: textOrNullOf(row, 'paid_on'),
    ledgerTransactionIds:
      row['ledger_transaction_ids'] === null ? [] : textArrayOf(row, 'ledger_transaction_ids'),
    releaseFen: intOf(row, 'release_fen'),
  };
}

/** The year's paid statements by segment, and the deductions on record now for their months. */
async function yearFacts(ex: Executor, req: Req) {
  const paid = await ex.query(
    `SELECT st.accounting_month AS month, seg->>'segment' AS segment,
            (seg->>'guaranteeFen')::bigint AS guarantee_fen,
            (seg->>'deductedFen')::bigint AS deducted_fen
       FROM settlement_statements st, jsonb_array_elements(st.payload->'segments') seg
      WHERE st.institution_id = $1 AND st.status = 'paid' AND st.accounting_month LIKE $2
      ORDER BY 1, 2`,
    [req.institutionId, `${req.year}-%`],
  );
  const deductions = await ex.query(
    `SELECT accounting_month AS month, region_code AS segment, sum(deducted_fen)::bigint AS fen
       FROM settlement_line_reviews
      WHERE institution_id = $1 AND accounting_month LIKE $2 AND decision = 'deducted'
      GROUP BY 1, 2`,
    [req.institutionId, `${req.year}-%`],
  );
  // A month the fund owes the institution something for (net fund share > 0) retains a guarantee
  // once paid; until then the year cannot be released whole.
  const unpaid = await ex.query(
    `SELECT s.accounting_month AS month FROM settlement_settlements s
      WHERE s.institution_id = $1 AND s.accounting_month LIKE $2
        AND NOT EXISTS (SELECT 1 FROM settlement_statements st WHERE st.status = 'paid'
              AND st.institution_id = s.institution_id AND st.accounting_month = s.accounting_month)
      GROUP BY 1 HAVING sum(s.fund_fen) > 0 ORDER BY 1`,
    [req.institutionId, `${req.year}-%`],
  );
  return {
    paid: paid.rows.map((row) => ({
      month: textOf(row, 'month'),
      segment: textOf(row, 'segment'),
      guaranteeFen: intOf(row, 'guarantee_fen'),
      deductedFen: intOf(row, 'deducted_fen'),
    })),
    deductionsNow: deductions.rows.map((row) => ({
      month: textOf(row, 'month'),
      segment: textOf(row, 'segment'),
      deductedFen: intOf(row, 'fen'),
    })),
    unpaidMonths: unpaid.rows.map((row) => textOf(row, 'month')),
  };
}

async function computeRelease(
  ex: Executor,
  rules: RuleSet,
  institution: InstitutionFacts,
  year: number,
): Promise<Result<ReleaseView, 'rules.parameter_missing' | 'rules.not_applicable'>> {
  const day = guaranteeReleaseDayOf(rules, institution.managingRegionCode, year);
  if (!day.ok) return day;
  const req = { institutionId: institution.id, year };
  const facts = await yearFacts(ex, req);
  return ok({
    ...req,
    releaseDay: day.value,
    unpaidMonths: facts.unpaidMonths,
    release: computeGuaranteeRelease({ ...req, ...facts }),
    stored: await storedRelease(ex, req, false),
  });
}

/** The release of a year as computed now, with its stored proposal or payment. */
export async function readGuaranteeRelease(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  req: Req,
): Promise<Result<ReleaseView, ReleaseRefusalCode>> {
  return db.withConnection(async (ex) => {
    const institution = await loadInScope(ex, actor, req.institutionId);
    if (!institution.ok) return institution;
    return computeRelease(ex, rules, institution.value, req.year);
  });
}

/** The year must have ended by the rule, its owing months be paid, and something be held. */
function releasable(view: ReleaseView, on: IsoDate): Refusal<ReleaseRefusalCode> | null {
  if (on < view.releaseDay)
    return refuse(
      'settlement.guarantee_year_open',
      `the guarantee of ${view.year} is released from ${view.releaseDay}, not on ${on}`,
      { releaseDay: view.releaseDay },
    );
  if (view.unpaidMonths.length > 0)
    return refuse(
      'settlement.guarantee_months_unpaid',
      `pay the statements of ${view.unpaidMonths.join(', ')} before releasing ${view.year}`,
      { months: view.unpaidMonths },
    );
  if (view.release.totals.releaseFen <= 0)
    return refuse(
      'settlement.guarantee_nothing_to_release',
      `nothing of ${view.year} is held for ${view.institutionId}`,
    );
  return null;
}

export type ReleaseProposed = Req & { approvalId: string; releaseFen: number; replayed: boolean };

export async function proposeGuaranteeRelease(
  db: Database,
  maker: Actor,
  rules: RuleSet,
  req: Req & { on: IsoDate },
  policy: ApprovalPolicy,
): Promise<Result<ReleaseProposed, ReleaseRefusalCode>> {
  return db.transaction(async (tx): Promise<Result<ReleaseProposed, ReleaseRefusalCode>> => {
    const institution = await loadInScope(tx, maker, req.institutionId);
    if (!institution.ok) return institution;
    const stored = await storedRelease(tx, req, true);
    if (stored?.status === 'paid')
      return refuse('settlement.guarantee_released', `the guarantee of ${req.year} is released`);
    const computed = await computeRelease(tx, rules, institution.value, req.year);
    if (!computed.ok) return computed;
    const refused = releasable(computed.value, req.on);
    if (refused !== null) return refused;
    const payload = computed.value.release;
    const hash = payloadHash(payload);
    const answer = (approvalId: string, replayed: boolean) =>
      ok({
        institutionId: req.institutionId,
        year: req.year,
        approvalId,
        releaseFen: payload.totals.releaseFen,
        replayed,
      });
    if (stored !== null && (await reusable(tx, stored.approvalRegionCode, stored.approvalId, hash)))
      return answer(stored.approvalId, true);
    const approval = await requestApproval(tx, maker, {
      regionCode: institution.value.managingRegionCode,
      action: GUARANTEE_RELEASE_ACTION,
      payload,
      amountFen: payload.totals.releaseFen,
      policy,
    });
    await tx.query(
      `INSERT INTO settlement_guarantee_releases (institution_id, year, status, payload, release_fen,
         approval_region_code, approval_id, proposed_by)
       VALUES ($1, $2, 'proposed', $3::jsonb, $4, $5, $6, $7)
       ON CONFLICT (institution_id, year) DO UPDATE SET payload = EXCLUDED.payload,
         release_fen = EXCLUDED.release_fen, approval_region_code = EXCLUDED.approval_region_code,
         approval_id = EXCLUDED.approval_id, proposed_by = EXCLUDED.proposed_by, proposed_at = now()`,
      [
        req.institutionId,
        req.year,
        JSON.stringify(payload),
        payload.totals.releaseFen,
        institution.value.managingRegionCode,
        approval.id,
        maker.username,
      ],
    );
    await appendAudit(
      tx,
      okEventOf(
        maker,
        'settlement.guarantee.propose',
        `guarantee/${req.institutionId}/${req.year}`,
        {
          approvalId: approval.id,
          payloadSha256: hash,
          releaseFen: payload.totals.releaseFen,
        },
      ),
    );
    return answer(approval.id, false);
  });
}

async function reusable(tx: Executor, regionCode: string, id: string, hash: string) {
  const r = await tx.query(
    `SELECT 1 FROM approvals WHERE region_code = $1 AND id = $2 AND payload_hash = $3
        AND status IN ('pending', 'approved') AND expires_at > now()`,
    [regionCode, id, hash],
  );
  return r.rows.length > 0;
}

export type Released = Req & {
  releaseFen: number;
  ledgerTransactionIds: string[];
  replayed: boolean;
};

const released = (req: Req, stored: StoredRelease): Released => ({
  institutionId: req.institutionId,
  year: req.year,
  releaseFen: stored.releaseFen,
  ledgerTransactionIds: stored.ledgerTransactionIds,
  replayed: true,
});

/** The checker approves the proposed release and it is paid (or answers the earlier payment). */
export async function approveGuaranteeRelease(
  db: Database,
  checker: Actor,
  rules: RuleSet,
  req: Req & { on: IsoDate },
): Promise<Result<Released, ReleaseRefusalCode>> {
  const loaded = await db.withConnection(async (ex) => {
    const institution = await loadInScope(ex, checker, req.institutionId);
    if (!institution.ok) return institution;
    return ok({ institution: institution.value, stored: await storedRelease(ex, req, false) });
  });
  if (!loaded.ok) return loaded;
  const { stored, institution } = loaded.value;
  if (stored === null)
    return refuse('settlement.guarantee_not_proposed', `no release proposed for ${req.year}`);
  if (stored.status === 'paid') return ok(released(req, stored));
  const decided = await approveUnlessApproved(db, checker, {
    regionCode: stored.approvalRegionCode,
    id: stored.approvalId,
  });
  if (decided !== null) return decided;
  const computed = await db.withConnection((ex) =>
    computeRelease(ex, rules, institution, req.year),
  );
  if (!computed.ok) return computed;
  const refused = releasable(computed.value, req.on);
  if (refused !== null) return refused;
  const payload = computed.value.release;
  const requests = releaseTransactions(payload, req.on);
  const ids = requests.map((r) => r.id);
  const written = await postTransactions<ReleaseRefusalCode>(db, checker, requests, {
    auditAction: 'settlement.guarantee.post',
    guard: (tx) => applyRelease(tx, checker, { ...req, payload, ids }),
  });
  if (!written.ok) {
    // A concurrent approval that won the race makes this one a replay, not a refusal.
    const after = await db.withConnection((ex) => storedRelease(ex, req, false));
    if (after?.status === 'paid') return ok(released(req, after));
    return written;
  }
  return ok({
    ...req,
    releaseFen: payload.totals.releaseFen,
    ledgerTransactionIds: ids,
    replayed: false,
  });
}

async function applyRelease(
  tx: Executor,
  checker: Actor,
  input: Req & { on: IsoDate; payload: GuaranteeRelease; ids: string[] },
): Promise<Refusal<ReleaseRefusalCode> | null> {
  const stored = await storedRelease(tx, input, true);
  if (stored === null)
    return refuse('settlement.guarantee_not_proposed', `no release proposed for ${input.year}`);
  if (stored.status === 'paid')
    return refuse('settlement.guarantee_released', `the guarantee of ${input.year} is released`);
  const used = await consumeApproval(tx, {
    regionCode: stored.approvalRegionCode,
    id: stored.approvalId,
    action: GUARANTEE_RELEASE_ACTION,
    payload: input.payload,
  });
  if (!used.ok) return used;
  await tx.query(
    `UPDATE settlement_guarantee_releases SET status = 'paid',
       approved_by = coalesce((SELECT username FROM users WHERE id = $3), $3), paid_on = $4::date,
       ledger_transaction_ids = $5::text[]
     WHERE institution_id = $1 AND year = $2`,
    [input.institutionId, input.year, used.value.checkerId, input.on, input.ids],
  );
  await appendAudit(
    tx,
    okEventOf(
      checker,
      'settlement.guarantee.approve',
      `guarantee/${input.institutionId}/${input.year}`,
      {
        approvalId: stored.approvalId,
        payloadSha256: payloadHash(input.payload),
        releaseFen: input.payload.totals.releaseFen,
        ledgerTransactionIds: input.ids,
      },
    ),
  );
  return null;
}

export type ReleaseListEntry = Req & {
  status: 'proposed' | 'paid';
  releaseFen: number;
  paidOn: string | null;
};

/** The institution's releases, latest year first (the institution's page shows them). */
export async function listGuaranteeReleases(
  db: Database,
  actor: Actor,
  institutionId: string,
): Promise<Result<ReleaseListEntry[], 'settlement.institution_not_found'>> {
  return db.withConnection(async (ex) => {
    const institution = await loadInScope(ex, actor, institutionId);
    if (!institution.ok) return institution;
    const r = await ex.query(
      `SELECT year, status, release_fen, paid_on::text AS paid_on FROM settlement_guarantee_releases
        WHERE institution_id = $1 ORDER BY year DESC LIMIT 50`,
      [institutionId],
    );
    return ok(
      r.rows.map((row) => ({
        institutionId,
        year: intOf(row, 'year'),
        status: textOf(row, 'status') === 'paid' ? 'paid' : 'proposed',
        releaseFen: intOf(row, 'release_fen'),
        paidOn: textOrNullOf(row, 'paid_on'),
      })),
    );
  });
}
