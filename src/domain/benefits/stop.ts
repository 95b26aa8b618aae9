import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import { laterDate, monthOf } from '../../kernel/dates.ts';
import {
  deathMonthEnd,
  type EntitlementDates,
  endedByDeath,
  type Overpayment,
  overpaymentAfterDeath,
  type PaidLine,
} from './death.ts';
import { monthBounds } from './payroll-lines.ts';

/**
 * 停止享受工伤保险待遇 (pure): 《工伤保险条例》第四十二条 "工伤职工有下列情形之一的，停止享受工伤保险待遇：
 * (一)丧失享受待遇条件的；(二)拒不接受劳动能力鉴定的；(三)拒绝治疗的。" The article says neither from
 * when benefits stop nor whether they come back; our reading (docs/benefits.md, "Stopping
 * benefits"): the month of the event is paid whole and the worker's own items end on its last day
 * (as after a death, death.ts); a stop on ground (二) or (三) ends with the act it rests on and is
 * lifted from a later month (new entitlements, the same amounts); ground (一) is final.
 */
export type StopGround = 'lost_conditions' | 'refused_appraisal' | 'refused_treatment';

export const STOP_GROUNDS: readonly StopGround[] = [
  'lost_conditions',
  'refused_appraisal',
  'refused_treatment',
];

/** Losing the conditions of benefit is not undone by a later act of the worker. */
export function groundIsFinal(ground: StopGround): boolean {
  return ground === 'lost_conditions';
}

/** The last day paid before a stop: the last day of the month of the event. */
export function stopMonthEnd(effectiveOn: IsoDate): IsoDate {
  return deathMonthEnd(effectiveOn);
}

/**
 * The entitlement's dates after the stop (null: unchanged). The worker's own items end as after a
 * death; a survivor's pension is not the worker's and is never stopped here.
 */
export function endedByStop(
  e: EntitlementDates,
  effectiveOn: IsoDate,
): { endsOn: IsoDate | null; status: 'ended' } | null {
  return endedByDeath(e, effectiveOn);
}

/** What was paid (sent or confirmed) for months after the month of the event. */
export function overpaymentAfterStop(
  lines: readonly PaidLine[],
  effectiveOn: IsoDate,
): Overpayment | null {
  return overpaymentAfterDeath(lines, effectiveOn);
}

/** Derived from the entitlement: an entitlement is ended by one stop, at most once. */
export function stopOverpaymentId(regionCode: string, entitlementId: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${entitlementId}|suspension`);
  return `ovp_${digest.digest('hex').slice(0, 20)}`;
}

/** Derived from the approval: a repeated apply of one approval names the same stop. */
export function stopId(regionCode: string, approvalId: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${approvalId}|stop`);
  return `stp_${digest.digest('hex').slice(0, 20)}`;
}

/** An entitlement a stop ended, as the stop stores it. */
export type StoppedEntitlement = {
  id: string;
  kind: string;
  amountFen: number;
  startsOn: IsoDate;
  endsOnBefore: IsoDate | null;
  endsOn: IsoDate | null;
};

/** Why a resumption is refused (null: it may go ahead). */
export function resumeRefusal(
  stop: { ground: StopGround; effectiveOn: IsoDate; resumedOn: IsoDate | null },
  resumedOn: IsoDate,
): 'benefit.stop_final' | 'benefit.stop_already_resumed' | 'benefit.resume_before_stop' | null {
  if (stop.resumedOn !== null) return 'benefit.stop_already_resumed';
  if (groundIsFinal(stop.ground)) return 'benefit.stop_final';
  // The month of the event is paid whole: a resumption in it would pay that month twice.
  if (monthOf(resumedOn) <= monthOf(stop.effectiveOn)) return 'benefit.resume_before_stop';
  return null;
}

export type Successor = {
  id: string;
  predecessorId: string;
  kind: string;
  amountFen: number;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
};

/**
 * The entitlements a resumption starts: one per stopped one, the same amount, from the first day
 * of the month of resumption (or the old start, if later) to the old end. One whose old end came
 * before the resumption month would pay nothing: none.
 */
export function resumedEntitlements(
  regionCode: string,
  stop: { id: string; ended: readonly StoppedEntitlement[] },
  resumedOn: IsoDate,
): Successor[] {
  const first = monthBounds(monthOf(resumedOn)).first;
  const out: Successor[] = [];
  for (const e of stop.ended) {
    const startsOn = laterDate(first, e.startsOn);
    if (e.endsOnBefore !== null && e.endsOnBefore < startsOn) continue;
    out.push({
      id: resumedId(regionCode, stop.id, e.id),
      predecessorId: e.id,
      kind: e.kind,
      amountFen: e.amountFen,
      startsOn,
      endsOn: e.endsOnBefore,
    });
  }
  return out;
}

/** Derived from the stop and the entitlement: a repeated resumption names the same row. */
export function resumedId(regionCode: string, stopIdValue: string, entitlementId: string): string {
  const hex = createHash('sha256').update(`${regionCode}|${stopIdValue}|${entitlementId}|resume`);
  return `ent_${regionCode}_${hex.digest('hex').slice(0, 16)}`;
}
