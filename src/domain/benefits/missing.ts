import { createHash } from 'node:crypto';
import { addDays, addMonths, type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { DeterminationGround } from '../cases/determination-grounds.ts';
import { type EntitlementDates, endedByDeath } from './death.ts';
import type { CaseFacts } from './decision-input.ts';
import type { StoppedEntitlement } from './stop.ts';

/**
 * 下落不明 (pure). 《工伤保险条例》第四十一条, whole: "职工因工外出期间发生事故或者在抢险救灾中下落不明的，从事故发生当月起
 * 3个月内照发工资，从第4个月起停发工资，由工伤保险基金向其供养亲属按月支付供养亲属抚恤金。生活有困难的，可以预支一次性工亡补助金的
 * 50%。职工被人民法院宣告死亡的，按照本条例第三十九条职工因工死亡的规定处理。" 《河南省工伤保险条例》第三十二条 says the same
 * (and that a worker who reappears stops the pensions and returns the lump sum drawn). The months
 * and the share are the rule `missingWorker` (src/rules/benefits/death.ts); the pensions are the
 * death computation's (`survivorPensions` through the calculator); this file checks the case and
 * dates the items.
 */
export type MissingGround = 'business_trip' | 'rescue';

/**
 * The case's determination grounds behind each circumstance of 第四十一条: 因工外出 is 第十四条第（五）项
 * ("因工外出期间，由于工作原因受到伤害或者发生事故下落不明的"), 抢险救灾 is 第十五条第（二）项 ("在抢险救灾等维护国家利益、
 * 公共利益活动中受到伤害的").
 */
const GROUND_OF: ReadonlyMap<DeterminationGround | string, MissingGround> = new Map([
  ['art14_5', 'business_trip'],
  ['art15_2', 'rescue'],
]);

export type MissingRefusalCode =
  | 'benefit.case_not_recognised'
  | 'benefit.missing_ground_not_met'
  | 'benefit.dependants_invalid';

/** The circumstance of 第四十一条 the case's recognised grounds give (the first that fits). */
export function missingGroundOf(grounds: readonly string[]): MissingGround | null {
  for (const g of grounds) {
    const found = GROUND_OF.get(g);
    if (found !== undefined) return found;
  }
  return null;
}

/** The case may carry a missing event: recognised or deemed, on a ground of 第四十一条. */
export function missingCaseRefusal(
  c: CaseFacts,
  grounds: readonly string[],
): Result<MissingGround, MissingRefusalCode> {
  if (c.determinationOutcome !== 'recognised' && c.determinationOutcome !== 'deemed')
    return refuse(
      'benefit.case_not_recognised',
      'a missing worker’s benefits are decided for a case recognised (认定) or deemed (视同) a work injury',
      { determinationOutcome: c.determinationOutcome },
    );
  const ground = missingGroundOf(grounds);
  if (ground === null)
    return refuse(
      'benefit.missing_ground_not_met',
      '《工伤保险条例》第四十一条 covers an accident while travelling for work (第十四条第（五）项) or in 抢险救灾 (第十五条第（二）项): the case’s determination rests on neither',
      { grounds: [...grounds] },
    );
  return ok(ground);
}

/** The months ("YYYY-MM") the employer keeps paying the wage: from the accident's month, `count` of them. */
export function employerWageMonths(accidentDate: IsoDate, count: number): string[] {
  const first = `${monthOf(accidentDate)}-01`;
  return Array.from({ length: count }, (_, i) => monthOf(addMonths(first, i)));
}

/** The first day of month `fromMonth` counted from the accident's month (month 1): the pensions' start. */
export function pensionsStartOn(accidentDate: IsoDate, fromMonth: number): IsoDate {
  return addMonths(`${monthOf(accidentDate)}-01`, fromMonth - 1);
}

/**
 * The worker's own entitlements the event ends: the same cut as a death or a stop (the month of the
 * accident paid whole, ended on its last day; one starting later ended without an end date). Our
 * reading: 第四十一条 keeps the wage for 3 months and says nothing of the worker's own periodic
 * items; a person missing since the accident is treated as a death is (docs/benefits.md).
 */
export function endedByMissing(
  held: readonly (EntitlementDates & { amountFen: number })[],
  accidentDate: IsoDate,
): StoppedEntitlement[] {
  return held.flatMap((e) => {
    const change = e.status === 'active' ? endedByDeath(e, accidentDate) : null;
    if (change === null) return [];
    return [
      {
        id: e.id,
        kind: e.kind,
        amountFen: e.amountFen,
        startsOn: e.startsOn,
        endsOnBefore: e.endsOn,
        endsOn: change.endsOn,
      },
    ];
  });
}

const hex = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** Ids derived from the approval: a repeated apply of one approval names the same rows. */
export function missingIds(regionCode: string, approvalId: string) {
  const base = `${regionCode}|${approvalId}|missing`;
  return {
    missingId: `bms_${hex(base, 20)}`,
    decisionId: `bdc_${regionCode}_${hex(`${base}|decision`, 16)}`,
    dependantId: (ordinal: number) => `dep_${regionCode}_${hex(`${base}|dep|${ordinal}`, 16)}`,
    entitlementId: (ordinal: number) => `ent_${regionCode}_${hex(`${base}|ent|${ordinal}`, 16)}`,
  };
}

/** Derived from the entitlement: an entitlement is ended by one missing event, at most once. */
export function missingOverpaymentId(regionCode: string, entitlementId: string): string {
  return `ovp_${hex(`${regionCode}|${entitlementId}|missing`, 20)}`;
}

/** The advance's payable: Dr 5112 一次性工亡补助金 / Cr 2102, keyed by the decision (one advance). */
export function advanceTransactionId(decisionId: string): string {
  return `benefit-missing:${decisionId}:advance`;
}

/**
 * 宣告死亡 (第四十一条's last sentence): the death decision's 一次性工亡补助金 less the advance drawn.
 * The article does not say the advance is deducted; "预支" (drawn in advance) of the same lump sum
 * reads so, and 《河南省工伤保险条例》第三十二条 treats the advance as part of it ("领取的一次性工亡补助金应当退回"):
 * our reading (benefit-missing-declared.ts pays the rest; docs/benefits.md).
 */
export function lumpSumAfterAdvance(deathLumpSumFen: number, advanceFen: number): number {
  return Math.max(0, deathLumpSumFen - advanceFen);
}

/**
 * 重新出现 (the province's rule `death.missing_reappearance`): the survivors' pensions the event
 * started end as a death or a stop ends items — the month of the reappearance paid whole, ended on
 * its last day ("自出现的次月起停发"); one not begun yet ends without an end date. A pension is not
 * one of the items a death ends (`endedByDeath`), so the cut is written out here.
 */
export function endedByReappearance(
  pensions: readonly (EntitlementDates & { amountFen: number })[],
  reappearedOn: IsoDate,
): StoppedEntitlement[] {
  const last = addDays(`${nextMonth(monthOf(reappearedOn))}-01`, -1);
  return pensions.flatMap((e) => {
    if (e.status !== 'active' || (e.endsOn !== null && e.endsOn <= last)) return [];
    const endsOn = e.startsOn > last ? null : last;
    return [
      {
        id: e.id,
        kind: e.kind,
        amountFen: e.amountFen,
        startsOn: e.startsOn,
        endsOnBefore: e.endsOn,
        endsOn,
      },
    ];
  });
}

/** Derived from the pension: a pension is ended by one reappearance, at most once. */
export function reappearedOverpaymentId(regionCode: string, entitlementId: string): string {
  return `ovp_${hex(`${regionCode}|${entitlementId}|missing_reappeared`, 20)}`;
}

/** Derived from the advance's payment: the advance is owed back once. */
export function advanceReturnId(regionCode: string, paymentId: string): string {
  return `ovp_${hex(`${regionCode}|${paymentId}|missing_advance`, 20)}`;
}
