import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { payrollLines } from '../../db/schema.ts';
import {
  type ReissueBlockReason,
  reissueBlockReason,
} from '../../domain/benefits/payroll-reissue-reasons.ts';
import { maskAccountNumber } from '../../identity/masking.ts';
import { ANY_MONTH, type ReissueCheck, reissueChecks } from './payroll-reissue.ts';

/**
 * The city's failed payroll lines as the payroll page lists them to act on (docs/benefits.md,
 * "Reissue by hand"; a read). Each line is read by the reissue's one statement of its rules
 * (`reissueChecks`, the next run's and the proposal's), so the page shows exactly what a proposal
 * would refuse and why: the card account in force on `on` (the proposal's day) and its blocks.
 * Open lines by default — a line paid again already (by a run or by hand) stays `failed` for ever,
 * so `all` adds those with their `reissued` block. Keyset paging by line id.
 */
export type FailedLine = {
  id: string;
  runId: string | null;
  batchId: string | null;
  month: string;
  workerId: string;
  kind: string;
  amountFen: number;
  /** 户名 of the account the line was sent to (or would have been), else of the account now. */
  payeeName: string | null;
  failureReason: string | null;
  account: {
    bankName: string;
    accountName: string;
    accountNumberMasked: string;
    validFrom: string;
  } | null;
  blocks: ReissueBlockReason[];
  reissuable: boolean;
};

export type FailedLinePage = { items: FailedLine[]; nextAfter: string | null };

export async function listFailedLines(
  db: Database,
  input: {
    regionCode: string;
    on: string;
    after: string | null;
    limit: number;
    include: 'open' | 'all';
  },
): Promise<FailedLinePage> {
  return db.withConnection(async (ex) => {
    const checks = await reissueChecks(ex, {
      regionCode: input.regionCode,
      before: ANY_MONTH,
      accountsOn: input.on,
      lineIds: null,
      usable: false,
      unreissued: input.include === 'open',
      after: input.after,
      limit: input.limit + 1,
    });
    const page = checks.slice(0, input.limit);
    const ids = page.map((c) => c.id);
    const stored =
      ids.length === 0
        ? []
        : await ex.orm
            .select({
              id: payrollLines.id,
              runId: payrollLines.runId,
              batchId: payrollLines.batchId,
              failureReason: payrollLines.failureReason,
              accountName: payrollLines.accountName,
            })
            .from(payrollLines)
            .where(
              and(eq(payrollLines.regionCode, input.regionCode), inArray(payrollLines.id, ids)),
            );
    const byId = new Map(stored.map((s) => [s.id, s]));
    return {
      items: page.map((c) => lineOf(c, byId.get(c.id))),
      nextAfter: checks.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    };
  });
}

type Stored = {
  runId: string | null;
  batchId: string | null;
  failureReason: string | null;
  accountName: string | null;
};

function lineOf(c: ReissueCheck, s: Stored | undefined): FailedLine {
  return {
    id: c.id,
    runId: s?.runId ?? null,
    batchId: s?.batchId ?? null,
    month: c.month,
    workerId: c.workerId,
    kind: c.kind,
    amountFen: c.amountFen,
    payeeName: s?.accountName ?? c.account?.accountName ?? null,
    failureReason: s?.failureReason ?? null,
    account:
      c.account === null
        ? null
        : {
            bankName: c.account.bankName,
            accountName: c.account.accountName,
            accountNumberMasked: maskAccountNumber(c.account.accountNumber),
            validFrom: c.account.accountValidFrom,
          },
    blocks: c.blocks.map(reissueBlockReason),
    reissuable: c.blocks.length === 0,
  };
}
