import { and, desc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { settlementXpAdvances } from '../../db/schema.ts';
import type { LedgerRefusalCode } from '../../domain/fund/ledger/ledger.ts';
import {
  advanceTransaction,
  advanceTransactionId,
} from '../../domain/settlement/cross-province-postings.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import type { Fen } from '../../kernel/money.ts';
import { isProvinceCode } from '../../kernel/region-codes.ts';
import { ok, type Refusal, type Result, refuse } from '../../kernel/result.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { type ApprovalRefusal, consumeApproval, requestApproval } from '../approvals/approvals.ts';
import { appendAudit, okEventOf } from '../audit/audit-log.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';

/**
 * Advances (预付金) of cross-province care (docs/settlement-cross-province.md): the province's fund
 * pays an advance to the national clearing system (Dr 1132 暂付款 / Cr 1003 in the province
 * segment), under maker-checker: the maker asks for approval of the exact payload (province, id,
 * amount, date); the payment consumes the approval in the ledger write's transaction (its guard),
 * so an advance is paid once, only as approved. A retry of a paid advance answers the same and
 * posts nothing.
 */
export const ADVANCE_ACTION = 'settlement.cross_province_advance';

export type AdvanceRefusal =
  | 'settlement.cross_province_not_province'
  | 'settlement.cross_province_advance_conflict'
  | ApprovalRefusal
  | LedgerRefusalCode;

export type AdvanceInput = {
  province: string;
  /** The fund's own reference of the advance (e.g. its payment order number). */
  advanceId: string;
  amountFen: Fen;
  paidOn: IsoDate;
};

/** What the checker approves and the payment re-builds: the same function on both sides. */
export function advancePayload(input: AdvanceInput) {
  return {
    province: input.province,
    advanceId: input.advanceId,
    amountFen: input.amountFen,
    paidOn: input.paidOn,
  };
}

function notProvince(region: string): Refusal<'settlement.cross_province_not_province'> {
  return refuse(
    'settlement.cross_province_not_province',
    `${region} is not a province: advances and clearing are the province fund's`,
    { region },
  );
}

async function storedAdvance(ex: Executor, province: string, advanceId: string) {
  const [row] = await ex.orm
    .select({ amountFen: settlementXpAdvances.amountFen, paidOn: settlementXpAdvances.paidOn })
    .from(settlementXpAdvances)
    .where(
      and(eq(settlementXpAdvances.regionCode, province), eq(settlementXpAdvances.id, advanceId)),
    );
  return row ?? null;
}

function conflict(advanceId: string) {
  return refuse(
    'settlement.cross_province_advance_conflict',
    `advance ${advanceId} was paid already with another amount or date: use a new advance id`,
    { advanceId },
  );
}

export type RequestedAdvance = {
  approvalId: string;
  payload: ReturnType<typeof advancePayload>;
  requiredCheckers: 1 | 2;
  expiresAt: string;
};

/** Maker: asks for approval of an advance (nothing is paid yet). */
export async function requestAdvance(
  db: Database,
  maker: Actor,
  input: AdvanceInput & { policy: ApprovalPolicy },
): Promise<Result<RequestedAdvance, AdvanceRefusal>> {
  if (!isProvinceCode(input.province)) return notProvince(input.province);
  const payload = advancePayload(input);
  return db.transaction(async (tx) => {
    if ((await storedAdvance(tx, input.province, input.advanceId)) !== null)
      return conflict(input.advanceId);
    const a = await requestApproval(tx, maker, {
      regionCode: input.province,
      action: ADVANCE_ACTION,
      payload,
      amountFen: input.amountFen,
      policy: input.policy,
    });
    return ok({
      approvalId: a.id,
      payload,
      requiredCheckers: a.requiredCheckers,
      expiresAt: a.expiresAt,
    });
  });
}

export type PaidAdvance = {
  advanceId: string;
  ledgerTransactionId: string;
  replayed: boolean;
};

/** Pays an approved advance: Dr 1132 / Cr 1003 (province), the approval consumed atomically. */
export async function payAdvance(
  db: Database,
  actor: Actor,
  input: AdvanceInput & { approvalId: string },
): Promise<Result<PaidAdvance, AdvanceRefusal>> {
  if (!isProvinceCode(input.province)) return notProvince(input.province);
  const request = advanceTransaction(input);
  const posted = await postTransaction<AdvanceRefusal>(db, actor, request, {
    auditAction: 'settlement.cross_province.advance_post',
    guard: async (tx) => {
      const stored = await storedAdvance(tx, input.province, input.advanceId);
      if (stored !== null)
        return stored.amountFen === input.amountFen && stored.paidOn === input.paidOn
          ? null
          : conflict(input.advanceId);
      const used = await consumeApproval(tx, {
        regionCode: input.province,
        id: input.approvalId,
        action: ADVANCE_ACTION,
        payload: advancePayload(input),
      });
      if (!used.ok) return used;
      await tx.orm.insert(settlementXpAdvances).values({
        regionCode: input.province,
        id: input.advanceId,
        amountFen: input.amountFen,
        paidOn: input.paidOn,
        approvalId: input.approvalId,
        ledgerTransactionId: request.id,
        paidBy: actor.userId,
      });
      await appendAudit(
        tx,
        okEventOf(
          actor,
          'settlement.cross_province.advance',
          `xp-advance/${input.province}/${input.advanceId}`,
          {
            approvalId: input.approvalId,
            checker: used.value.checkerId,
            amountFen: input.amountFen,
          },
        ),
      );
      return null;
    },
  });
  if (!posted.ok) return posted;
  return ok({
    advanceId: input.advanceId,
    ledgerTransactionId: advanceTransactionId(input.province, input.advanceId),
    replayed: posted.value.status === 'exists',
  });
}

export type AdvanceView = {
  advanceId: string;
  amountFen: number;
  paidOn: IsoDate;
  approvalId: string;
  ledgerTransactionId: string;
};

export async function listAdvances(
  db: Database,
  input: { province: string; limit: number },
): Promise<AdvanceView[]> {
  const a = settlementXpAdvances;
  return db.withConnection((ex) =>
    ex.orm
      .select({
        advanceId: a.id,
        amountFen: a.amountFen,
        paidOn: a.paidOn,
        approvalId: a.approvalId,
        ledgerTransactionId: a.ledgerTransactionId,
      })
      .from(a)
      .where(eq(a.regionCode, input.province))
      .orderBy(desc(a.paidOn), desc(a.id))
      .limit(input.limit),
  );
}
