import type { IsoDate } from '../../kernel/dates.ts';
import type { DecisionDeath } from './death-case.ts';
import type { DecisionItem } from './stored-decision.ts';
import type { WageMonth } from './wage-months.ts';

/**
 * The months a decision's monthly items are owed for that the payroll already ran (computed by
 * decision-arrears.ts): per month and kind, per kind with its expense account, and the total.
 */
export type DecisionArrears = {
  months: { month: string; kind: string; dueFen: number }[];
  /** One per kind, in kind order: the expense account and the months' sum. */
  byKind: { kind: string; account: string; amountFen: number }[];
  totalFen: number;
};

/** The approval action of a benefit decision (maker-checker, src/usecases/approvals/). */
export const BENEFIT_DECISION_ACTION = 'benefits.decision';

/**
 * What the checker approves: the decision, its case and worker, every wage month with its source,
 * the 本人工资, every item with its payer, the parameter snapshot. Any change of the proposal (a new
 * proposal is a new decision id; other wages change the months and the amounts) makes the approval
 * no longer fit (`approval.payload_mismatch`).
 */
export type BenefitDecisionPayload = {
  decisionId: string;
  caseId: string;
  workerId: string;
  /** Null: a death decision resting on no appraisal. */
  appraisalId: string | null;
  wageMonths: { month: string; wageFen: number; source: string }[];
  baseWageFen: number;
  items: {
    code: string;
    amountFen: number;
    frequency: string;
    payer: string;
    dependantIndex: number | null;
  }[];
  fundLumpSumTotalFen: number;
  snapshotId: string;
  /** Death decisions only (absent from a disability payload, whose hash stays as it was). */
  death?: DecisionDeath;
  /**
   * The months the city's payroll ran before the decision (decision-arrears.ts), paid with it;
   * absent when none, so a decision approved before its first month runs hashes as before.
   */
  arrears?: DecisionArrears;
};

export function decisionPayload(input: {
  decisionId: string;
  caseId: string;
  workerId: string;
  appraisalId: string | null;
  wageMonths: readonly WageMonth[];
  baseWageFen: number;
  items: readonly DecisionItem[];
  fundLumpSumTotalFen: number;
  snapshotId: string;
  death: DecisionDeath | null;
  arrears?: DecisionArrears | null;
}): BenefitDecisionPayload {
  return {
    decisionId: input.decisionId,
    caseId: input.caseId,
    workerId: input.workerId,
    appraisalId: input.appraisalId,
    wageMonths: input.wageMonths.map((m) => ({
      month: m.month,
      wageFen: m.wageFen,
      source: m.source,
    })),
    baseWageFen: input.baseWageFen,
    items: input.items.map((i) => ({
      code: i.code,
      amountFen: i.amountFen,
      frequency: i.frequency,
      payer: i.payer,
      dependantIndex: i.dependantIndex ?? null,
    })),
    fundLumpSumTotalFen: input.fundLumpSumTotalFen,
    snapshotId: input.snapshotId,
    ...(input.death === null ? {} : { death: input.death }),
    ...(input.arrears === undefined || input.arrears === null ? {} : { arrears: input.arrears }),
  };
}

export type EntitlementPlan = {
  kind: string;
  amountFen: number;
  payer: 'fund' | 'employer';
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  citation: string;
  /** A survivor_pension's dependant (the calculator's dependantIndex); null: the worker's own. */
  dependantIndex: number | null;
};

/**
 * The periodic items of an approved decision become entitlements (the payroll runs them): every
 * monthly item, the fund's and the employer's (the employer's recorded as data, never paid by the
 * fund). A monthly item split by a late application keeps its months.
 */
export function entitlementsOf(
  items: readonly DecisionItem[],
  startsOn: IsoDate,
): EntitlementPlan[] {
  return items
    .filter((i) => i.frequency === 'monthly')
    .map((i) => ({
      kind: i.code,
      amountFen: i.amountFen,
      payer: i.payer,
      startsOn:
        i.fromMonth !== undefined && `${i.fromMonth}-01` > startsOn
          ? `${i.fromMonth}-01`
          : startsOn,
      endsOn: i.untilMonth === undefined ? null : lastDayOf(i.untilMonth),
      citation: i.citation,
      dependantIndex: i.dependantIndex ?? null,
    }));
}

function lastDayOf(month: string): IsoDate {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}
