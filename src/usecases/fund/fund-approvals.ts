import type { Database } from '../../db/client.ts';
import { provinceOfSegment, segmentKindOf } from '../../domain/fund/ledger/accounts.ts';
import type { TakeoverInput } from '../../domain/fund/ledger/opening-balance-takeover.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { requestApproval } from '../approvals/approvals.ts';
import {
  OPENING_BALANCE_ACTION,
  openingBalancePayload,
} from './ledger/opening-balance-takeover.ts';
import {
  ALLOCATION_ACTION,
  allocationPayload,
  BUDGET_ALLOCATION_ACTION,
  budgetAllocationPayload,
  budgetMonthFen,
  SWEEP_ACTION,
  sweepAmountFen,
  sweepPayload,
} from './pooling/unified-flows.ts';
import { YEAR_END_RUN_ACTION, yearEndRunPayload } from './pooling/year-end-run-store.ts';

/**
 * The maker's side of the money movements that had none of their own (docs/security.md,
 * "Maker-checker"): the request names the movement; the payload the checker will see is built
 * here by the same function the movement checks it with, including the amounts the server reads
 * from the ledger or the budget (a sweep's income, a month's budget share), so what is approved
 * is what will post. Budgets, period closing, reserve reductions and prevention caps ask through
 * their own use cases.
 */
export type FundApprovalRequest =
  | {
      action: typeof ALLOCATION_ACTION;
      allocationId: string;
      city: string;
      effectiveDate: IsoDate;
      amountFen: Fen;
      memo?: string | undefined;
    }
  | { action: typeof BUDGET_ALLOCATION_ACTION; city: string; period: string }
  | { action: typeof SWEEP_ACTION; city: string; period: string }
  | {
      action: typeof YEAR_END_RUN_ACTION;
      province: string;
      year: number;
      managementGapsFen?: Readonly<Record<string, number>> | undefined;
    }
  | ({ action: typeof OPENING_BALANCE_ACTION } & TakeoverInput);

export type FundApprovalRefusal =
  | 'approval.region_mismatch'
  | 'pooling.invalid_request'
  | 'pooling.budget_not_approved';

export type RequestedApproval = {
  regionCode: string;
  id: string;
  action: string;
  payload: unknown;
  amountFen: number | null;
  requiredCheckers: 1 | 2;
  expiresAt: string;
};

type Prepared = { regionCode: string; payload: unknown; amountFen: Fen | null };

async function prepare(
  db: Database,
  r: FundApprovalRequest,
): Promise<Result<Prepared, FundApprovalRefusal>> {
  if (r.action === YEAR_END_RUN_ACTION)
    return ok({
      regionCode: r.province,
      payload: yearEndRunPayload(r.province, r.year, r.managementGapsFen),
      amountFen: null,
    });
  if (segmentKindOf(r.city) !== 'city')
    return refuse('pooling.invalid_request', `${r.city} is not a city segment`, { city: r.city });
  const regionCode = provinceOfSegment(r.city);
  switch (r.action) {
    case ALLOCATION_ACTION:
      return ok({ regionCode, payload: allocationPayload(r), amountFen: r.amountFen });
    case SWEEP_ACTION: {
      const amountFen = await sweepAmountFen(db, r.city, r.period);
      return ok({ regionCode, payload: sweepPayload(r.city, r.period, amountFen), amountFen });
    }
    case BUDGET_ALLOCATION_ACTION: {
      const month = await budgetMonthFen(db, r.city, r.period);
      if (!month.ok) return month;
      const amountFen = month.value.monthFen;
      return ok({
        regionCode,
        payload: budgetAllocationPayload(r.city, r.period, amountFen),
        amountFen,
      });
    }
    case OPENING_BALANCE_ACTION:
      return ok({ regionCode, payload: openingBalancePayload(r), amountFen: r.balanceFen });
  }
}

/** Maker: asks for approval of one money movement, in the region that runs it (the province). */
export async function requestFundApproval(
  db: Database,
  maker: Actor,
  input: { regionCode: string; request: FundApprovalRequest; policy: ApprovalPolicy },
): Promise<Result<RequestedApproval, FundApprovalRefusal>> {
  const prepared = await prepare(db, input.request);
  if (!prepared.ok) return prepared;
  const { regionCode, payload, amountFen } = prepared.value;
  if (regionCode !== input.regionCode)
    return refuse(
      'approval.region_mismatch',
      `${input.request.action} is approved in ${regionCode}, not in ${input.regionCode}`,
      { regionCode: input.regionCode, expected: regionCode },
    );
  const a = await db.transaction((tx) =>
    requestApproval(tx, maker, {
      regionCode,
      action: input.request.action,
      payload,
      amountFen,
      policy: input.policy,
    }),
  );
  return ok({
    regionCode,
    id: a.id,
    action: input.request.action,
    payload,
    amountFen,
    requiredCheckers: a.requiredCheckers,
    expiresAt: a.expiresAt,
  });
}
