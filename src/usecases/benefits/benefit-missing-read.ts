import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  benefitEntitlements,
  benefitMissing,
  benefitOverpayments,
  benefitPayments,
  caseDependants,
} from '../../db/schema.ts';
import type { MissingGround } from '../../domain/benefits/missing.ts';
import type { OverpaymentStatus } from '../../domain/benefits/recovery.ts';
import type { StoppedEntitlement } from '../../domain/benefits/stop.ts';
import { type OverpaymentView, onEntitlements } from './death-record.ts';

/**
 * A case's missing event (下落不明) as recorded: the employer's wage months (data), the survivors'
 * pensions it started, the worker's items it ended and what was overpaid, and the advance. No ID
 * number: the dependants by name and relation (their numbers only through the audited reveal).
 */
export type MissingView = {
  regionCode: string;
  id: string;
  caseId: string;
  workerId: string;
  decisionId: string;
  ground: MissingGround;
  accidentDate: string;
  reason: string;
  approvalId: string;
  recordedBy: string;
  employerWages: { payer: 'employer'; months: string[]; monthlyWageFen: number; totalFen: number };
  pensionsStartOn: string;
  pensions: {
    entitlementId: string;
    dependantId: string | null;
    name: string | null;
    relation: string | null;
    amountFen: number;
    startsOn: string;
    endsOn: string | null;
    status: 'active' | 'ended';
  }[];
  deathLumpSumFen: number;
  funeralGrantFen: number;
  advanceMaxFen: number;
  ended: StoppedEntitlement[];
  overpayments: OverpaymentView[];
  overpaidFen: number;
  advance: {
    amountFen: number;
    reason: string;
    approvalId: string;
    paymentId: string;
    paymentStatus: 'issued' | 'paid' | 'failed' | null;
    on: string;
    by: string;
  } | null;
  /** 宣告死亡: the judgment's date and what was then paid under 第三十九条 (null: not declared). */
  declared: { deadOn: string; reason: string; approvalId: string; on: string; by: string } | null;
  /**
   * 重新出现 (the province's rule `death.missing_reappearance`): the day he reappeared, its evidence,
   * and what is owed back — the pensions' months after it and the advance (null: not reappeared).
   */
  reappeared: {
    on: string;
    evidence: string;
    approvalId: string;
    recordedOn: string;
    by: string;
    returns: ReappearedReturn[];
    returnFen: number;
  } | null;
};

/** An overpayment a reappearance recorded: a pension's months, or the advance (no entitlement). */
export type ReappearedReturn = {
  id: string;
  reason: 'missing_reappeared' | 'missing_advance';
  entitlementId: string | null;
  paymentId: string | null;
  months: string[];
  amountFen: number;
  status: OverpaymentStatus;
};

export async function missingOf(
  ex: Executor,
  regionCode: string,
  caseId: string,
): Promise<MissingView | null> {
  const [m] = await ex.orm
    .select()
    .from(benefitMissing)
    .where(and(eq(benefitMissing.regionCode, regionCode), eq(benefitMissing.caseId, caseId)));
  if (m === undefined) return null;
  const pensions = await pensionsOf(ex, regionCode, m.decisionId);
  const overpayments = await overpaymentsOf(ex, regionCode, m.workerId, m.ended);
  return {
    regionCode: m.regionCode,
    id: m.id,
    caseId: m.caseId,
    workerId: m.workerId,
    decisionId: m.decisionId,
    ground: m.ground,
    accidentDate: m.accidentDate,
    reason: m.reason,
    approvalId: m.approvalId,
    recordedBy: m.recordedBy,
    employerWages: {
      payer: 'employer',
      months: m.employerWageMonths,
      monthlyWageFen: m.monthlyWageFen,
      totalFen: m.monthlyWageFen * m.employerWageMonths.length,
    },
    pensionsStartOn: m.pensionsStartOn,
    pensions,
    deathLumpSumFen: m.deathLumpSumFen,
    funeralGrantFen: m.funeralGrantFen,
    advanceMaxFen: m.advanceMaxFen,
    ended: m.ended,
    overpayments,
    overpaidFen: overpayments.reduce((s, o) => s + o.amountFen, 0),
    advance: await advanceOf(ex, m),
    declared:
      m.declaredDeadOn === null ||
      m.declaredReason === null ||
      m.declaredApprovalId === null ||
      m.declaredOn === null ||
      m.declaredBy === null
        ? null
        : {
            deadOn: m.declaredDeadOn,
            reason: m.declaredReason,
            approvalId: m.declaredApprovalId,
            on: m.declaredOn,
            by: m.declaredBy,
          },
    reappeared: await reappearedOf(ex, m),
  };
}

async function reappearedOf(
  ex: Executor,
  m: typeof benefitMissing.$inferSelect,
): Promise<MissingView['reappeared']> {
  if (
    m.reappearedOn === null ||
    m.reappearedEvidence === null ||
    m.reappearedApprovalId === null ||
    m.reappearedRecordedOn === null ||
    m.reappearedBy === null
  )
    return null;
  const o = benefitOverpayments;
  const rows = await ex.orm
    .select({
      id: o.id,
      reason: o.reason,
      entitlementId: o.entitlementId,
      paymentId: o.paymentId,
      decisionId: o.decisionId,
      months: o.months,
      amountFen: o.amountFen,
      status: o.status,
    })
    .from(o)
    .where(
      and(
        eq(o.regionCode, m.regionCode),
        eq(o.workerId, m.workerId),
        inArray(o.reason, ['missing_reappeared', 'missing_advance']),
      ),
    )
    .orderBy(o.reason, o.id);
  const pensionIds = new Set(
    (await pensionsOf(ex, m.regionCode, m.decisionId)).map((p) => p.entitlementId),
  );
  const returns = rows.flatMap((r): ReappearedReturn[] => {
    const ours =
      r.reason === 'missing_advance'
        ? r.decisionId === m.decisionId
        : r.entitlementId !== null && pensionIds.has(r.entitlementId);
    if (!ours || (r.reason !== 'missing_advance' && r.reason !== 'missing_reappeared')) return [];
    const { decisionId: _d, ...rest } = r;
    return [{ ...rest, reason: r.reason }];
  });
  return {
    on: m.reappearedOn,
    evidence: m.reappearedEvidence,
    approvalId: m.reappearedApprovalId,
    recordedOn: m.reappearedRecordedOn,
    by: m.reappearedBy,
    returns,
    returnFen: returns.reduce((s, r) => s + r.amountFen, 0),
  };
}

async function pensionsOf(ex: Executor, regionCode: string, decisionId: string) {
  const e = benefitEntitlements;
  return ex.orm
    .select({
      entitlementId: e.id,
      dependantId: e.dependantId,
      name: caseDependants.name,
      relation: caseDependants.relation,
      amountFen: e.amountFen,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
      status: e.status,
    })
    .from(e)
    .leftJoin(
      caseDependants,
      and(eq(caseDependants.regionCode, e.regionCode), eq(caseDependants.id, e.dependantId)),
    )
    .where(and(eq(e.regionCode, regionCode), eq(e.decisionId, decisionId)))
    .orderBy(asc(caseDependants.ordinal));
}

async function overpaymentsOf(
  ex: Executor,
  regionCode: string,
  workerId: string,
  ended: readonly StoppedEntitlement[],
): Promise<OverpaymentView[]> {
  const ids = new Set(ended.map((e) => e.id));
  const o = benefitOverpayments;
  const rows = await ex.orm
    .select({
      regionCode: o.regionCode,
      id: o.id,
      entitlementId: o.entitlementId,
      months: o.months,
      lineIds: o.lineIds,
      amountFen: o.amountFen,
      status: o.status,
    })
    .from(o)
    .where(and(eq(o.regionCode, regionCode), eq(o.workerId, workerId), eq(o.reason, 'missing')))
    .orderBy(o.entitlementId);
  return onEntitlements(rows).filter((r) => ids.has(r.entitlementId));
}

async function advanceOf(
  ex: Executor,
  m: typeof benefitMissing.$inferSelect,
): Promise<MissingView['advance']> {
  if (
    m.advanceFen === null ||
    m.advanceReason === null ||
    m.advanceApprovalId === null ||
    m.advancePaymentId === null ||
    m.advanceOn === null ||
    m.advanceBy === null
  )
    return null;
  // The latest attempt of the advance's item (a failed one is reissued as a new attempt).
  const [payment] = await ex.orm
    .select({ status: benefitPayments.status })
    .from(benefitPayments)
    .where(
      and(
        eq(benefitPayments.regionCode, m.regionCode),
        eq(benefitPayments.decisionId, m.decisionId),
        eq(benefitPayments.itemCode, 'death_lump_sum_advance'),
      ),
    )
    .orderBy(desc(benefitPayments.attempt))
    .limit(1);
  return {
    amountFen: m.advanceFen,
    reason: m.advanceReason,
    approvalId: m.advanceApprovalId,
    paymentId: m.advancePaymentId,
    paymentStatus: payment?.status ?? null,
    on: m.advanceOn,
    by: m.advanceBy,
  };
}
