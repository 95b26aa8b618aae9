import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { benefitEntitlements, benefitMissing, benefitOverpayments } from '../../db/schema.ts';
import {
  advanceReturnId,
  endedByReappearance,
  reappearedOverpaymentId,
} from '../../domain/benefits/missing.ts';
import type { StoppedEntitlement } from '../../domain/benefits/stop.ts';
import { overpaymentAfterStop } from '../../domain/benefits/stop.ts';
import { benefitExpenseAccount } from '../../domain/fund/ledger/accounts.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import { type MissingReappearance, missingReappearance } from '../../rules/benefits/death.ts';
import type { RuleSet } from '../../rules/calculator/index.ts';
import { makeContext } from '../../rules/context.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { appendCaseEvent } from '../cases/case-events.ts';
import { type MissingView, missingOf } from './benefit-missing-read.ts';
import { missingKey } from './benefit-missing-step.ts';
import { issueChangeLetters } from './change-letters.ts';
import { linesAfter } from './death-record.ts';

/**
 * 下落不明 职工重新出现 (docs/benefits.md, "Whereabouts unknown", "Reappearance"). 《工伤保险条例》第四十一条
 * says nothing of it; 《河南省工伤保险条例》第三十二条: "该职工重新出现的，自出现的次月起停发供养亲属抚恤金，领取的一次性
 * 工亡补助金应当退回。" — the province's dated rule `death.missing_reappearance` (浙江: a `demo` value
 * borrowed from 河南's; a region without one refuses). Maker-checker bound to the exact plan; the
 * apply, in one transaction: every pension the missing event started ends on the last day of the
 * month he reappeared; months already paid after it (a back-dated record) become one open
 * overpayment per pension (reason `missing_reappeared`); the advance drawn becomes a receivable of
 * its payee, the 近亲属 (reason `missing_advance`, anchored on the advance's payment, migration 0060).
 * Both are recovered by the existing recovery flow (《社会保险经办条例》第四十六条 "个人多享受社会保险待遇的，
 * 由社会保险经办机构责令退回"). No ledger movement here: as for a death, the receivable is recognised
 * when a recovery is decided (Dr 1132 / Cr 51xx). A letter to the 近亲属 jointly.
 */
export const MISSING_REAPPEARED_ACTION = 'benefits.missing_reappeared';

export type ReappearedCode =
  | 'benefit.missing_not_recorded'
  | 'benefit.missing_already_declared'
  | 'benefit.missing_reappeared'
  | 'benefit.reappeared_before_accident'
  | 'benefit.reappeared_in_future'
  | 'benefit.missing_advance_unsettled'
  | 'rules.parameter_missing'
  | ApprovalRefusal;

export type ReappearedRequest = {
  regionCode: string;
  caseId: string;
  /** The day he reappeared. */
  reappearedOn: IsoDate;
  /** The evidence of it (公安机关的证明, his own statement …). */
  evidence: string;
  approvalId?: string | undefined;
  /** The day of recording (China's calendar): "today" for the date check, the letter's date. */
  on: IsoDate;
  policy: ApprovalPolicy;
};

export type ReappearedOutcome = {
  status: 'approval_requested' | 'reappeared';
  replayed: boolean;
  missing: MissingView;
  approval: { id: string; requiredCheckers: 1 | 2; expiresAt: string } | null;
};

type OverpaidPension = {
  id: string;
  entitlementId: string;
  name: string;
  months: string[];
  lineIds: string[];
  amountFen: number;
};

type Plan = {
  rule: MissingReappearance;
  ended: StoppedEntitlement[];
  overpaid: OverpaidPension[];
  advance: { id: string; paymentId: string; amountFen: number; paidOn: IsoDate } | null;
};

function refusalOf(
  request: ReappearedRequest,
  m: MissingView | null,
): Refusal<ReappearedCode> | null {
  if (m === null)
    return refuse(
      'benefit.missing_not_recorded',
      `case ${request.caseId} has no missing event recorded in ${request.regionCode}: no one to reappear`,
    );
  if (m.declared !== null)
    return refuse(
      'benefit.missing_already_declared',
      `declared dead on ${m.declared.on} already: a judgment revoking it is not recorded here`,
    );
  if (m.reappeared !== null)
    return refuse('benefit.missing_reappeared', `reappeared on ${m.reappeared.on} already`, {
      reappearedOn: m.reappeared.on,
    });
  if (request.reappearedOn < m.accidentDate)
    return refuse(
      'benefit.reappeared_before_accident',
      `${request.reappearedOn} is before the accident`,
      {
        field: 'reappearedOn',
        accidentDate: m.accidentDate,
      },
    );
  if (request.reappearedOn > request.on)
    return refuse(
      'benefit.reappeared_in_future',
      `${request.reappearedOn} is after ${request.on}`,
      {
        field: 'reappearedOn',
      },
    );
  // What the family received must be known before it is asked back: a payment still with the bank
  // (issued) or failed is settled first by the decision's payment routes.
  if (m.advance !== null && m.advance.paymentStatus !== 'paid')
    return refuse(
      'benefit.missing_advance_unsettled',
      `the advance's payment ${m.advance.paymentId} is ${m.advance.paymentStatus ?? 'unknown'}: confirm or settle it first`,
      { paymentId: m.advance.paymentId },
    );
  return null;
}

async function plan(
  ex: Executor,
  rules: RuleSet,
  request: ReappearedRequest,
  m: MissingView,
): Promise<Result<Plan, 'rules.parameter_missing'>> {
  const rule = missingReappearance(
    makeContext(rules, request.regionCode, {}, false),
    request.reappearedOn,
  );
  if (!rule.ok) return rule;
  const pensions = m.pensions.map((p) => ({ ...p, id: p.entitlementId, kind: 'survivor_pension' }));
  const ended = endedByReappearance(pensions, request.reappearedOn);
  const lines = await linesAfter(ex, m.workerId, request.reappearedOn);
  const overpaid = ended.flatMap((e): OverpaidPension[] => {
    const own = lines.filter((l) => l.regionCode === m.regionCode && l.entitlementId === e.id);
    const over = overpaymentAfterStop(own, request.reappearedOn);
    if (over === null) return [];
    const name = m.pensions.find((p) => p.entitlementId === e.id)?.name ?? '';
    return [
      { id: reappearedOverpaymentId(m.regionCode, e.id), entitlementId: e.id, name, ...over },
    ];
  });
  const advance =
    m.advance === null
      ? null
      : {
          id: advanceReturnId(m.regionCode, m.advance.paymentId),
          paymentId: m.advance.paymentId,
          amountFen: m.advance.amountFen,
          paidOn: m.advance.on,
        };
  return ok({ rule: rule.value, ended, overpaid, advance });
}

/** What the checker approves: the date, the evidence, the rule's value and every fen owed back. */
function payloadOf(request: ReappearedRequest, m: MissingView, p: Plan) {
  return {
    regionCode: request.regionCode,
    caseId: request.caseId,
    missingId: m.id,
    decisionId: m.decisionId,
    reappearedOn: request.reappearedOn,
    evidence: request.evidence,
    rule: p.rule,
    ended: p.ended.map((e) => ({ id: e.id, amountFen: e.amountFen, endsOn: e.endsOn })),
    overpaid: p.overpaid.map((o) => ({
      entitlementId: o.entitlementId,
      months: o.months,
      amountFen: o.amountFen,
    })),
    advance:
      p.advance === null
        ? null
        : { paymentId: p.advance.paymentId, amountFen: p.advance.amountFen },
  };
}

export async function recordReappearance(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  request: ReappearedRequest,
): Promise<Result<ReappearedOutcome, ReappearedCode>> {
  return db
    .transaction(async (tx): Promise<Result<ReappearedOutcome, ReappearedCode>> => {
      await tx.orm
        .select({ id: benefitMissing.id })
        .from(benefitMissing)
        .where(missingKey(request))
        .for('update');
      const held = await missingOf(tx, request.regionCode, request.caseId);
      const { approvalId } = request;
      // The same approval again: the reappearance it wrote, nothing more.
      if (held !== null && approvalId !== undefined && held.reappeared?.approvalId === approvalId)
        return ok({ status: 'reappeared', replayed: true, missing: held, approval: null });
      const refused = refusalOf(request, held);
      if (refused !== null) return refused;
      if (held === null) throw new Error('refusalOf passed without an event');
      const planned = await plan(tx, rules, request, held);
      if (!planned.ok) return planned;
      const payload = payloadOf(request, held, planned.value);
      if (approvalId === undefined) {
        const a = await requestApproval(tx, actor, {
          regionCode: request.regionCode,
          action: MISSING_REAPPEARED_ACTION,
          payload,
          amountFen: null,
          policy: request.policy,
        });
        const approval = { id: a.id, requiredCheckers: a.requiredCheckers, expiresAt: a.expiresAt };
        return ok({ status: 'approval_requested', replayed: false, missing: held, approval });
      }
      const used = await consumeApproval(tx, {
        regionCode: request.regionCode,
        id: approvalId,
        action: MISSING_REAPPEARED_ACTION,
        payload,
      });
      if (!used.ok) throw new Refused(used);
      await writeReappeared(tx, actor, { request, m: held, plan: planned.value, approvalId });
      const now = await missingOf(tx, request.regionCode, request.caseId);
      if (now === null) throw new Error('the missing event vanished in its transaction');
      return ok({ status: 'reappeared', replayed: false, missing: now, approval: null });
    })
    .catch((err: unknown) => {
      if (err instanceof Refused) return err.refusal;
      throw err;
    });
}

type Write = { request: ReappearedRequest; m: MissingView; plan: Plan; approvalId: string };

async function writeReappeared(tx: Executor, actor: Actor, w: Write): Promise<void> {
  const { request, m, plan: p } = w;
  for (const e of p.ended)
    await tx.orm
      .update(benefitEntitlements)
      .set({ endsOn: e.endsOn, status: 'ended' })
      .where(
        and(eq(benefitEntitlements.regionCode, m.regionCode), eq(benefitEntitlements.id, e.id)),
      );
  const common = {
    regionCode: m.regionCode,
    workerId: m.workerId,
    status: 'open' as const,
    createdBy: actor.username,
  };
  for (const o of p.overpaid)
    await tx.orm.insert(benefitOverpayments).values({
      ...common,
      id: o.id,
      entitlementId: o.entitlementId,
      reason: 'missing_reappeared',
      months: o.months,
      lineIds: o.lineIds,
      amountFen: o.amountFen,
    });
  // The advance: owed by its payee (the 近亲属), anchored on its payment and expensed to 5112.
  if (p.advance !== null)
    await tx.orm.insert(benefitOverpayments).values({
      ...common,
      id: p.advance.id,
      entitlementId: null,
      decisionId: m.decisionId,
      paymentId: p.advance.paymentId,
      expenseAccount: benefitExpenseAccount.death_lump_sum,
      reason: 'missing_advance',
      months: [],
      lineIds: [],
      amountFen: p.advance.amountFen,
    });
  await tx.orm
    .update(benefitMissing)
    .set({
      reappearedOn: request.reappearedOn,
      reappearedEvidence: request.evidence,
      reappearedApprovalId: w.approvalId,
      reappearedRecordedOn: request.on,
      reappearedBy: actor.username,
    })
    .where(missingKey(request));
  const letters = await issueLetter(tx, actor, w);
  await recordEvents(
    tx,
    actor,
    w,
    letters.map((l) => l.letterId),
  );
}

async function issueLetter(tx: Executor, actor: Actor, w: Write) {
  const { request, m, plan: p } = w;
  const endOf = new Map(p.ended.map((e) => [e.id, e.endsOn]));
  return issueChangeLetters(tx, actor, {
    regionCode: m.regionCode,
    event: { kind: 'reappeared', id: m.id },
    on: request.on,
    entitlementIds: m.pensions.slice(0, 1).map((x) => x.entitlementId),
    recipient: (workerName) => `${workerName}的近亲属`,
    factsOf: (workerName) => ({
      event: 'reappeared',
      workerName,
      reappearedOn: request.reappearedOn,
      evidence: request.evidence,
      rule: { status: p.rule.status, citation: p.rule.citation },
      pensions: m.pensions.map((x) => ({
        name: x.name ?? '',
        amountFen: x.amountFen,
        startsOn: x.startsOn,
        endsOn: endOf.has(x.entitlementId) ? (endOf.get(x.entitlementId) ?? null) : x.endsOn,
      })),
      overpaid: p.overpaid.map((o) => ({
        kind: 'survivor_pension',
        name: o.name,
        months: o.months,
        amountFen: o.amountFen,
      })),
      advance:
        p.advance === null ? null : { amountFen: p.advance.amountFen, paidOn: p.advance.paidOn },
    }),
  });
}

async function recordEvents(tx: Executor, actor: Actor, w: Write, letterIds: string[]) {
  const { request, m, plan: p } = w;
  const data = {
    missingId: m.id,
    reappearedOn: request.reappearedOn,
    rule: { status: p.rule.status, citation: p.rule.citation },
    endedEntitlements: p.ended.map((e) => e.id),
    overpayments: p.overpaid.map((o) => ({ id: o.id, amountFen: o.amountFen })),
    advanceReturn: p.advance === null ? null : { id: p.advance.id, amountFen: p.advance.amountFen },
    letterIds,
  };
  await appendCaseEvent(tx, {
    regionCode: request.regionCode,
    caseId: request.caseId,
    kind: 'benefit.missing_reappeared',
    occurredOn: request.on,
    data,
    recordedBy: actor.userId,
  });
  await appendAudit(
    tx,
    okEventOf(
      actor,
      'benefits.missing.reappeared',
      `case/${request.regionCode}/${request.caseId}/missing`,
      {
        ...data,
        approvalId: w.approvalId,
      },
    ),
  );
}

/** Carries a refusal out of the transaction so it rolls back (nothing of the apply stays). */
class Refused extends Error {
  constructor(readonly refusal: Refusal<ReappearedCode>) {
    super(refusal.message);
  }
}
