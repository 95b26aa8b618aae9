import type { Database, Executor } from '../../db/client.ts';
import { intOf } from '../../db/rows.ts';
import {
  ASSESSMENT_ACTION,
  type AssessedLine,
  type AssessmentPayload,
  assessmentPayload,
  assessmentRunSeqId,
  assessmentTransaction,
} from '../../domain/contributions/assessment-postings.ts';
import {
  type AssessmentTables,
  assessmentTables,
} from '../../domain/contributions/assessment-rates.ts';
import { segmentKindOf } from '../../domain/fund/ledger/accounts.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import { isPeriod, periodStart } from '../../domain/fund/ledger/periods.ts';
import type { Actor } from '../../identity/actor.ts';
import { invariant } from '../../kernel/assert.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ContributionRefusalCode } from '../../rules/contributions/rate-policy.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransactions } from '../fund/ledger/ledger-write.ts';
import {
  declaredIndustries,
  insertAssessment,
  type PreviewRow,
  previewAssessment,
} from './assessment-sql.ts';

/**
 * 核定 of a city-month (ADR 0010, docs/contributions.md): the maker runs it without an approval and
 * gets the payload to approve (city, month, run, employer count, totals, hash of every amount); a
 * checker of another role approves it; the run with the approval id then writes the new assessment
 * versions in one INSERT … SELECT and posts the difference to the ledger, in one transaction that
 * consumes the approval. A rerun with no new declaration version finds nothing and writes nothing.
 */
export type AssessmentRefusal =
  | 'contributions.invalid_request'
  | 'contributions.assessment_changed'
  | ContributionRefusalCode
  | ApprovalRefusal
  | LedgerRefusalCode;

export type AssessmentRequest = {
  city: string;
  /** YYYY-MM */
  month: string;
  approvalId?: string | undefined;
};

export type AssessmentOutcome = {
  city: string;
  month: string;
  /**
   * nothing = no new declaration version; preview = what would be approved (CLI, nothing asked);
   * approval_requested = the maker's step; posted = written.
   */
  status: 'nothing' | 'preview' | 'approval_requested' | 'posted';
  payload: AssessmentPayload | null;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
  runId: string | null;
  transactionId: string | null;
};

type Plan = {
  tables: AssessmentTables;
  runId: string;
  rows: PreviewRow[];
  payload: AssessmentPayload;
};

function checkRequest(input: AssessmentRequest): Result<true, 'contributions.invalid_request'> {
  if (segmentKindOf(input.city) !== 'city')
    return refuse(
      'contributions.invalid_request',
      `${input.city} is not a city: assessment is per city`,
      {
        field: 'region',
      },
    );
  if (!isPeriod(input.month))
    return refuse('contributions.invalid_request', `month ${input.month} is not YYYY-MM`, {
      field: 'month',
    });
  return ok(true);
}

async function nextRunSeq(ex: Executor, city: string, monthStart: string): Promise<number> {
  const r = await ex.query(
    'SELECT coalesce(max(seq), 0)::int4 + 1 AS seq FROM contribution_assessment_runs WHERE region_code = $1 AND month = $2::date',
    [city, monthStart],
  );
  return r.rows[0] === undefined ? 1 : intOf(r.rows[0], 'seq');
}

/** The run as it would be now: tables, run id, rows and payload; refuses an unratable employer. */
async function plan(
  ex: Executor,
  rules: RuleSet,
  input: AssessmentRequest,
): Promise<Result<Plan, AssessmentRefusal>> {
  const date = periodStart(input.month);
  const tables = assessmentTables(
    rules,
    input.city,
    date,
    await declaredIndustries(ex, input.city, date),
  );
  if (!tables.ok) return tables;
  const [first] = tables.value.unclassified;
  if (first !== undefined)
    return refuse('contribution.division_unclassified', first.reason, {
      unclassified: tables.value.unclassified,
    });
  const seq = await nextRunSeq(ex, input.city, date);
  const runId = assessmentRunSeqId(input.city, input.month, seq);
  const rows = await previewAssessment(ex, input.city, tables.value, runId);
  const unrated = rows.filter((r) => r.amountFen === null);
  if (unrated.length > 0)
    return refuse(
      'contribution.grade_not_allowed',
      `${unrated.length} employer(s) have a grade their risk class cannot take (class 1 floats upward only): ${unrated.map((r) => r.employerId).join(', ')}`,
      {
        employers: unrated.map((r) => ({
          employerId: r.employerId,
          riskClass: r.riskClass,
          grade: r.grade,
        })),
      },
    );
  const lines: AssessedLine[] = rows.map((r) => ({
    employerId: r.employerId,
    version: r.version,
    declarationId: r.declarationId,
    amountFen: r.amountFen ?? 0,
    previousAmountFen: r.previousAmountFen,
  }));
  return ok({
    tables: tables.value,
    runId,
    rows,
    payload: assessmentPayload(input.city, input.month, seq, lines),
  });
}

const outcome = (
  input: AssessmentRequest,
  over: Partial<AssessmentOutcome>,
): AssessmentOutcome => ({
  city: input.city,
  month: input.month,
  status: 'nothing',
  payload: null,
  approval: null,
  runId: null,
  transactionId: null,
  ...over,
});

/**
 * What a run would assess now, without asking or writing: the CLI shows it (the system is no
 * maker; a person asks for the approval through the API).
 */
export async function previewCityMonth(
  db: Database,
  rules: RuleSet,
  input: AssessmentRequest,
): Promise<Result<AssessmentOutcome, AssessmentRefusal>> {
  const valid = checkRequest(input);
  if (!valid.ok) return valid;
  const planned = await db.transaction((tx) => plan(tx, rules, input));
  if (!planned.ok) return planned;
  const { payload } = planned.value;
  if (payload.employerCount === 0) return ok(outcome(input, {}));
  return ok(outcome(input, { status: 'preview', payload }));
}

/** Runs (maker: no approval id) or posts (with the approved id) the assessment of a city-month. */
export async function assessCityMonth(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: AssessmentRequest & { policy: ApprovalPolicy },
): Promise<Result<AssessmentOutcome, AssessmentRefusal>> {
  const valid = checkRequest(input);
  if (!valid.ok) return valid;
  const planned = await db.transaction((tx) => plan(tx, rules, input));
  if (!planned.ok) return planned;
  const { payload } = planned.value;
  if (payload.employerCount === 0) return ok(outcome(input, {}));
  if (input.approvalId === undefined) {
    const a = await db.transaction((tx) =>
      requestApproval(tx, actor, {
        regionCode: input.city,
        action: ASSESSMENT_ACTION,
        payload,
        amountFen: Math.abs(payload.differenceFen),
        policy: input.policy,
      }),
    );
    const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
    return ok(outcome(input, { status: 'approval_requested', payload, approval }));
  }
  return postRun(db, actor, rules, { ...input, approvalId: input.approvalId }, planned.value);
}

/**
 * Inside the posting transaction: the city-month is locked, the run recomputed (it must be the one
 * approved), the approval consumed, the run row and the assessment versions written.
 */
async function writeRun(
  tx: Executor,
  actor: Actor,
  rules: RuleSet,
  input: AssessmentRequest & { approvalId: string },
  expected: Plan,
  transactionId: string | null,
): Promise<Refusal<AssessmentRefusal> | null> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `assessment:${input.city}:${input.month}`,
  ]);
  const now = await plan(tx, rules, input);
  if (!now.ok) return now;
  if (JSON.stringify(now.value.payload) !== JSON.stringify(expected.payload))
    return refuse(
      'contributions.assessment_changed',
      'the declarations of this city-month changed while the run was being posted: run it again and have the new payload approved',
    );
  const used = await consumeApproval(tx, {
    regionCode: input.city,
    id: input.approvalId,
    action: ASSESSMENT_ACTION,
    payload: expected.payload,
  });
  if (!used.ok) return used;
  const p = expected.payload;
  await tx.query(
    `INSERT INTO contribution_assessment_runs (region_code, id, month, seq, employer_count, amount_total_fen,
       difference_fen, amounts_sha256, approval_id, transaction_id, run_by)
     VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      input.city,
      expected.runId,
      expected.tables.date,
      p.runSeq,
      p.employerCount,
      p.amountTotalFen,
      p.differenceFen,
      p.amountsSha256,
      input.approvalId,
      transactionId,
      actor.username,
    ],
  );
  const written = await insertAssessment(tx, input.city, expected.tables, expected.runId);
  invariant(
    written === p.employerCount,
    `assessment wrote ${written} rows, approved ${p.employerCount}`,
  );
  await appendAudit(
    tx,
    okEventOf(actor, 'contributions.assessment.run', `assessment/${input.city}/${expected.runId}`, {
      ...p,
    }),
  );
  return null;
}

async function postRun(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: AssessmentRequest & { approvalId: string },
  planned: Plan,
): Promise<Result<AssessmentOutcome, AssessmentRefusal>> {
  const request = assessmentTransaction(planned.payload, planned.runId, rules.snapshotId);
  const transactionId = request?.id ?? null;
  const guard = (tx: Executor) => writeRun(tx, actor, rules, input, planned, transactionId);
  if (request === null) {
    // A zero difference (e.g. a new version with the same bases) moves no money: no ledger write.
    const refusal = await db
      .transaction(async (tx) => {
        const r = await guard(tx);
        if (r !== null) throw new RunRefused(r);
        return null;
      })
      .catch((err: unknown) => {
        if (err instanceof RunRefused) return err.refusal;
        throw err;
      });
    if (refusal !== null) return refusal;
  } else {
    const r = await postTransactions<AssessmentRefusal>(db, actor, [request], {
      auditAction: 'contributions.assessment.post',
      guard,
    });
    if (!r.ok) return r;
  }
  const status = 'posted' as const;
  return ok(
    outcome(input, { status, payload: planned.payload, runId: planned.runId, transactionId }),
  );
}

/** Carries a refusal out of a transaction so it rolls back. */
class RunRefused extends Error {
  constructor(readonly refusal: Refusal<AssessmentRefusal>) {
    super(refusal.message);
  }
}
