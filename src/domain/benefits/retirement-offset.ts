import { createHash } from 'node:crypto';
import type { IsoDate } from '../../kernel/dates.ts';
import { monthOf, nextMonth } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { overpaymentAfterDeath, type PaidLine } from './death.ts';
import { monthBounds } from './payroll-lines.ts';

/**
 * Two variants of a retirement (pure; docs/benefits.md, "Retirement"):
 *
 * - 《浙江省工伤保险条例》第二十六条第二款: "一级至四级工伤职工达到法定退休年龄，不符合按月领取基本养老保险待遇条件的，由工伤保险基金继续按月发放伤残津贴，职工个人养老金账户金额按照规定计发标准按月冲抵到伤残津贴。工伤职工死亡时其个人养老金账户有余额的，余额由其近亲属依法继承。"
 *   The fund goes on paying the 伤残津贴 less the monthly offset from the personal pension account
 *   until the balance is used up (the last month offsets only what is left), then the whole
 *   allowance. The 计发标准 is national pension policy not held here: the monthly offset and the
 *   balance are the pension office's figures the handler enters, never computed.
 * - A back-dated retirement: the 伤残津贴 paid for months after the month of retirement was not
 *   owed, the fund's successor (the difference of 第三十五条第一款第（三）项, or the net allowance above)
 *   was; the two net to one amount.
 */
export const OFFSET_CITATION = '《浙江省工伤保险条例》第二十六条第二款';

/** A limit against typing errors, not a legal number: 10 000 000 元 in a personal account. */
export const ACCOUNT_FEN_MAX = 1_000_000_000;

/** The pension office's statement: the account's balance and the monthly offset, in fen. */
export type PersonalAccount = { balanceFen: Fen; monthlyOffsetFen: Fen };

/** One dated row of the allowance after the age is reached (kind `disability_allowance`). */
export type OffsetRow = {
  id: string;
  amountFen: Fen;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  /** One row of the kind is active (the unique index); the dated others pay by their dates. */
  status: 'active' | 'ended';
};

export type OffsetPlan = PersonalAccount & {
  /** The allowance the rows replace: their decision and snapshot are its. */
  allowanceId: string;
  /** Months offsetting the whole monthly figure. */
  fullMonths: number;
  /** What the last month offsets (the balance left), 0: none such. */
  lastOffsetFen: Fen;
  /** Every month with an offset: fullMonths, plus one when lastOffsetFen > 0. */
  months: number;
  /** The first month offset (YYYY-MM). */
  firstMonth: string;
  rows: OffsetRow[];
};

export function accountIsPlausible(a: PersonalAccount, allowanceFen: Fen): boolean {
  const whole = (n: number) => Number.isSafeInteger(n) && n > 0;
  return (
    whole(a.balanceFen) &&
    a.balanceFen <= ACCOUNT_FEN_MAX &&
    whole(a.monthlyOffsetFen) &&
    a.monthlyOffsetFen <= allowanceFen
  );
}

export function offsetRowId(regionCode: string, retirement: string, n: number): string {
  const hex = createHash('sha256').update(`${regionCode}|${retirement}|offset|${n}`);
  return `ent_${regionCode}_${hex.digest('hex').slice(0, 16)}`;
}

function monthsLater(month: string, n: number): string {
  let m = month;
  for (let i = 0; i < n; i += 1) m = nextMonth(m);
  return m;
}

/**
 * The allowance's rows from `firstMonth`: (allowance − offset) for the whole months, (allowance −
 * what is left) for the last, then the whole allowance to its own end. Rows after that end are
 * dropped, the last one kept is cut at it; the last row is the active one.
 */
export function offsetPlan(input: {
  regionCode: string;
  retirementId: string;
  allowance: { id: string; amountFen: Fen; endsOn: IsoDate | null };
  account: PersonalAccount;
  firstMonth: string;
}): OffsetPlan {
  const { allowance, account, firstMonth } = input;
  const fullMonths = Math.floor(account.balanceFen / account.monthlyOffsetFen);
  const lastOffsetFen = account.balanceFen - fullMonths * account.monthlyOffsetFen;
  const months = fullMonths + (lastOffsetFen > 0 ? 1 : 0);
  const spans: { amountFen: Fen; from: string; to: string | null }[] = [];
  if (fullMonths > 0)
    spans.push({
      amountFen: allowance.amountFen - account.monthlyOffsetFen,
      from: firstMonth,
      to: monthsLater(firstMonth, fullMonths - 1),
    });
  if (lastOffsetFen > 0) {
    const m = monthsLater(firstMonth, fullMonths);
    spans.push({ amountFen: allowance.amountFen - lastOffsetFen, from: m, to: m });
  }
  spans.push({ amountFen: allowance.amountFen, from: monthsLater(firstMonth, months), to: null });
  const rows: OffsetRow[] = [];
  for (const s of spans) {
    const startsOn = monthBounds(s.from).first;
    const own = s.to === null ? null : monthBounds(s.to).last;
    if (allowance.endsOn !== null && startsOn > allowance.endsOn) break;
    const endsOn =
      allowance.endsOn !== null && (own === null || own > allowance.endsOn)
        ? allowance.endsOn
        : own;
    const id = offsetRowId(input.regionCode, input.retirementId, rows.length);
    rows.push({ id, amountFen: s.amountFen, startsOn, endsOn, status: 'ended' });
  }
  const last = rows.at(-1);
  if (last !== undefined) last.status = 'active';
  return {
    ...account,
    allowanceId: allowance.id,
    fullMonths,
    lastOffsetFen,
    months,
    firstMonth,
    rows,
  };
}

/**
 * What is left in the personal account after the months offset up to and including the month of
 * death (the worker's own items are paid through it): 第二十六条第二款 "余额由其近亲属依法继承" — the
 * heirs', not the fund's. Information only: the account is the pension fund's.
 */
export function accountLeftAt(plan: OffsetPlan, diedOn: IsoDate): Fen {
  const died = monthOf(diedOn);
  let offset = 0;
  let m = plan.firstMonth;
  for (let i = 0; i < plan.months && m <= died; i += 1) {
    offset += i < plan.fullMonths ? plan.monthlyOffsetFen : plan.lastOffsetFen;
    m = nextMonth(m);
  }
  return plan.balanceFen - offset;
}

/** The successors' amount due for a month: the rows covering its first day (they run whole months). */
export function successorDue(
  rows: readonly { amountFen: Fen; startsOn: IsoDate; endsOn: IsoDate | null }[],
  month: string,
): Fen {
  const first = monthBounds(month).first;
  return rows
    .filter((r) => r.startsOn <= first && (r.endsOn === null || r.endsOn >= first))
    .reduce((s, r) => s + r.amountFen, 0);
}

export type BackDated = {
  /** The months after the month of retirement a posted run held the 伤残津贴 for, in order. */
  months: string[];
  /** The months of them the allowance was sent or confirmed for (not a failed line's), and its lines. */
  paidMonths: string[];
  lineIds: string[];
  overpaidFen: Fen;
  /** What the successors owed for those months. */
  arrearsFen: Fen;
  /** arrears − overpaid: below 0 the worker owes the fund. */
  netFen: Fen;
};

/**
 * The net of a back-dated retirement: for every month after the month of retirement a posted run
 * holds a line of the allowance for, the successors owed their amount; the lines sent or confirmed
 * paid the allowance (a failed line paid nothing, and is not reissued: payroll-reissue.ts). Null:
 * no such month.
 */
export function backDatedNet(
  allowanceLines: readonly PaidLine[],
  retiredOn: IsoDate,
  dueOf: (month: string) => Fen,
): BackDated | null {
  const after = monthOf(retiredOn);
  const months = [...new Set(allowanceLines.map((l) => l.month).filter((m) => m > after))].sort();
  if (months.length === 0) return null;
  const over = overpaymentAfterDeath(allowanceLines, retiredOn);
  const overpaidFen = over?.amountFen ?? 0;
  const arrearsFen = months.reduce((s, m) => s + dueOf(m), 0);
  return {
    months,
    paidMonths: over?.months ?? [],
    lineIds: over?.lineIds ?? [],
    overpaidFen,
    arrearsFen,
    netFen: arrearsFen - overpaidFen,
  };
}

export function retirementOverpaymentId(regionCode: string, entitlementId: string): string {
  const digest = createHash('sha256').update(`${regionCode}|${entitlementId}|retirement`);
  return `ovp_${digest.digest('hex').slice(0, 20)}`;
}
