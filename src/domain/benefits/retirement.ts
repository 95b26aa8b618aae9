import { createHash } from 'node:crypto';
import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { monthOf, nextMonth } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { retirementTopUp } from '../../rules/benefits/disability.ts';
import { deathMonthEnd } from './death.ts';
import { monthBounds } from './payroll-lines.ts';
import {
  ACCOUNT_FEN_MAX,
  accountIsPlausible,
  type BackDated,
  type OffsetPlan,
  offsetPlan,
  type PersonalAccount,
} from './retirement-offset.ts';

/**
 * 退休 of a worker with a 伤残津贴 (pure; docs/benefits.md, "Retirement"). 《工伤保险条例》第三十五条第一款
 * 第（三）项: "工伤职工达到退休年龄并办理退休手续后，停发伤残津贴，按照国家有关规定享受基本养老保险待遇。基本养老保险待遇低于伤残津贴的，由工伤保险基金补足差额。"
 * (《社会保险法》第四十条 says the same). The article names neither the month the allowance stops
 * nor the one the difference starts; our reading, the same cut as a death and a stop: the month of
 * 办理退休手续 is paid whole as 伤残津贴, the allowance ends on its last day, and the fund's difference
 * (a new entitlement of kind `disability_allowance_top_up`) runs from the next month's first day.
 * Only the fund's 伤残津贴 (grades 1–4, 第三十五条) is ended: the article speaks of it alone. An
 * employer's (grades 5–6, 第三十六条第一款第（二）项) is kept — no held text says what becomes of it at
 * retirement — and so is every other item (生活护理费: 第三十四条 names no end; 《河南省工伤保险条例》
 * 第二十八条 keeps it after retirement).
 */
export const ALLOWANCE_KIND = 'disability_allowance';
export const TOP_UP_KIND = 'disability_allowance_top_up';
export const TOP_UP_CITATION = '《工伤保险条例》第三十五条第一款第（三）项';

/**
 * A limit, not a legal number: a monthly basic pension above 100 000 元 is a typing error (fen
 * typed as yuan ×100, a digit too many); no such pension is paid in the provinces served.
 */
export const PENSION_FEN_MAX = 10_000_000;

export type RetirementInput = {
  regionCode: string;
  workerId: string;
  /** The day 办理退休手续 was completed, as the pension office's notice dates it. */
  retiredOn: IsoDate;
  /** The monthly basic pension the pension office set, in fen. */
  pensionFen: Fen;
  /** The evidence: the pension office's notice (文号), what it says. */
  evidence: string;
  /**
   * 《浙江省工伤保险条例》第二十六条第二款: the age is reached without a right to a monthly pension
   * (`pensionFen` 0); the personal account's balance and monthly offset, as the pension office states.
   */
  personalAccount?: PersonalAccount | null | undefined;
};

/** One of the worker's own active entitlements in the city, as the plan reads it. */
export type HeldEntitlement = {
  id: string;
  kind: string;
  payer: 'fund' | 'employer';
  amountFen: Fen;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  decisionId: string;
  snapshotId: string;
};

export type EndedAllowance = {
  id: string;
  amountFen: Fen;
  startsOn: IsoDate;
  endsOnBefore: IsoDate | null;
  endsOn: IsoDate;
};

export type TopUp = {
  id: string;
  /** The 伤残津贴 it replaces: its decision and snapshot are the top-up's. */
  allowanceId: string;
  amountFen: Fen;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
};

export type KeptEntitlement = { id: string; kind: string; payer: 'fund' | 'employer' };

/** What the checker approves and the apply writes: nothing else. */
export type RetirementPlan = {
  retirementId: string;
  ended: EndedAllowance[];
  /** The fund's difference; null when the pension is not lower than the allowance (or none ended). */
  topUp: TopUp | null;
  kept: KeptEntitlement[];
  /** No monthly pension (浙江 第二十六条第二款): the allowance's rows net of the offset. */
  offset?: OffsetPlan;
  /** Months after the month of retirement already paid as 伤残津贴: the net to recover. */
  backDated?: BackDated;
};

export type RetirementPlanRefusal =
  | 'benefit.retirement_pension_invalid'
  | 'benefit.retirement_account_invalid'
  | 'benefit.retirement_no_allowance'
  | 'benefit.retirement_before_entitlement';

/** Derived from the worker: a worker retires once, province-wide (a unique key holds it too). */
export function retirementId(workerId: string): string {
  const digest = createHash('sha256').update(`${workerId}|retirement`);
  return `ret_${digest.digest('hex').slice(0, 20)}`;
}

/** Derived from the retirement and the allowance: a repeated apply names the same row. */
export function topUpId(regionCode: string, retirement: string, allowanceId: string): string {
  const hex = createHash('sha256').update(`${regionCode}|${retirement}|${allowanceId}|top_up`);
  return `ent_${regionCode}_${hex.digest('hex').slice(0, 16)}`;
}

/** The last day the 伤残津贴 is paid: the last day of the month of 办理退休手续. */
export function retirementMonthEnd(retiredOn: IsoDate): IsoDate {
  return deathMonthEnd(retiredOn);
}

/** The first day of the difference: the first day of the month after 办理退休手续. */
export function topUpStart(retiredOn: IsoDate): IsoDate {
  return monthBounds(nextMonth(monthOf(retiredOn))).first;
}

export function pensionIsPlausible(pensionFen: number): boolean {
  return Number.isSafeInteger(pensionFen) && pensionFen >= 0 && pensionFen <= PENSION_FEN_MAX;
}

/**
 * The plan of a retirement from the worker's own active entitlements in the city. Refused: a
 * pension negative or past the limit; no 伤残津贴 (fund's or employer's) running after the month of
 * retirement; a retirement dated before the fund's allowance started (the allowance it would stop
 * had not begun).
 */
export function retirementPlan(
  input: RetirementInput,
  held: readonly HeldEntitlement[],
): Result<RetirementPlan, RetirementPlanRefusal> {
  if (!pensionIsPlausible(input.pensionFen))
    return refuse(
      'benefit.retirement_pension_invalid',
      `a monthly basic pension of ${input.pensionFen} fen is not a whole number of fen from 0 to ${PENSION_FEN_MAX}`,
      { pensionFen: input.pensionFen, maxFen: PENSION_FEN_MAX },
    );
  const last = retirementMonthEnd(input.retiredOn);
  const running = held.filter(
    (e) => e.kind === ALLOWANCE_KIND && (e.endsOn === null || e.endsOn > last),
  );
  if (running.length === 0)
    return refuse(
      'benefit.retirement_no_allowance',
      `the worker has no active 伤残津贴 in ${input.regionCode} running after ${last}: nothing for a retirement to stop`,
    );
  // The database keeps one active 伤残津贴 per worker whoever pays it (benefit_entitlements_one_active).
  invariant(
    running.length === 1,
    `worker ${input.workerId} holds ${running.length} active 伤残津贴`,
  );
  const fund = running.filter((e) => e.payer === 'fund');
  const early = fund.find((e) => e.startsOn > input.retiredOn);
  if (early !== undefined)
    return refuse(
      'benefit.retirement_before_entitlement',
      `the retirement (${input.retiredOn}) is before the 伤残津贴 ${early.id} started (${early.startsOn})`,
      { entitlementId: early.id, startsOn: early.startsOn },
    );
  const id = retirementId(input.workerId);
  const ended = fund.map((e) => ({
    id: e.id,
    amountFen: e.amountFen,
    startsOn: e.startsOn,
    endsOnBefore: e.endsOn,
    endsOn: last,
  }));
  const endedIds = new Set(ended.map((e) => e.id));
  const kept = held
    .filter((e) => !endedIds.has(e.id))
    .map((e) => ({ id: e.id, kind: e.kind, payer: e.payer }));
  const account = input.personalAccount ?? null;
  if (account === null)
    return ok({ retirementId: id, ended, topUp: topUpOf(input, id, fund), kept });
  const offset = offsetOf(input, id, fund, account);
  if (!offset.ok) return offset;
  return ok({ retirementId: id, ended, topUp: null, kept, offset: offset.value });
}

/**
 * 《浙江省工伤保险条例》第二十六条第二款 "由工伤保险基金继续按月发放伤残津贴，职工个人养老金账户金额按照规定计发标准按月冲抵到伤残津贴":
 * the fund's 伤残津贴 (grades 1–4) goes on net of the offset from the month after the age is
 * reached. Refused: no fund allowance (the paragraph is the fund's), a balance or offset not a
 * positive whole number of fen, an offset above the allowance, a balance past the limit.
 */
function offsetOf(
  input: RetirementInput,
  retirement: string,
  fund: readonly HeldEntitlement[],
  account: PersonalAccount,
): Result<OffsetPlan, RetirementPlanRefusal> {
  const [allowance] = fund;
  if (allowance === undefined)
    return refuse(
      'benefit.retirement_no_allowance',
      `the worker has no 伤残津贴 of the fund in ${input.regionCode}: the personal account is offset into the fund's allowance only`,
    );
  if (!accountIsPlausible(account, allowance.amountFen))
    return refuse(
      'benefit.retirement_account_invalid',
      `a balance of ${account.balanceFen} fen offset by ${account.monthlyOffsetFen} fen a month does not fit the 伤残津贴 of ${allowance.amountFen} fen: both whole fen above 0, the offset not above the allowance, the balance up to ${ACCOUNT_FEN_MAX}`,
      { ...account, allowanceFen: allowance.amountFen, maxFen: ACCOUNT_FEN_MAX },
    );
  return ok(
    offsetPlan({
      regionCode: input.regionCode,
      retirementId: retirement,
      allowance,
      account,
      firstMonth: nextMonth(monthOf(input.retiredOn)),
    }),
  );
}

/**
 * The difference, 《工伤保险条例》第三十五条第一款第（三）项 "基本养老保险待遇低于伤残津贴的，由工伤保险基金补足差额。":
 * max(0, allowance − pension) (the rule `retirementTopUp`), from the month after retirement to
 * the allowance's own end. No fund allowance (an employer's is kept), or a pension not lower: none.
 */
function topUpOf(
  input: RetirementInput,
  retirement: string,
  fund: readonly HeldEntitlement[],
): TopUp | null {
  const [allowance] = fund;
  if (allowance === undefined) return null;
  const { topUpFen } = retirementTopUp(allowance.amountFen, input.pensionFen);
  if (topUpFen === 0) return null;
  return {
    id: topUpId(input.regionCode, retirement, allowance.id),
    allowanceId: allowance.id,
    amountFen: topUpFen,
    startsOn: topUpStart(input.retiredOn),
    endsOn: allowance.endsOn,
  };
}
