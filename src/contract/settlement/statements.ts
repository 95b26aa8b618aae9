import { z } from 'zod';
import { isoDate, period, regionCode } from '../common.ts';

/**
 * The institution's month (issue 13): manual review of settled lines (人工审核), the declared
 * totals (对账), the monthly statement and its maker-checker payment. Shared by the API and the
 * web pages; amounts in fen.
 */
export const institutionId = z
  .string()
  .regex(/^INST-[0-9]{6}-[0-9]{4}$/, 'an institution id such as INST-330100-0001');
const settlementId = z.string().regex(/^stl_[0-9a-f]{16}$/, 'a settlement id stl_…');

export const statementParams = z.strictObject({ institutionId, month: period });
export const statementDocumentParams = z.strictObject({
  institutionId,
  month: period,
  format: z.enum(['pdf', 'xlsx']),
});
export const institutionParams = z.strictObject({ institutionId });
export const settlementParams = z.strictObject({ regionCode, settlementId });
export const lineParams = z.strictObject({
  regionCode,
  settlementId,
  lineNo: z.coerce.number().int().min(1).max(9999),
});

export const reviewQueueQuery = z.strictObject({
  month: period,
  institutionId: institutionId.optional(),
});

/** Accept a line, or deduct from it (扣款) with the reason the institution will read. */
export const reviewBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accepted'), on: isoDate.optional() }),
  z.strictObject({
    decision: z.literal('deducted'),
    deductedFen: z.number().int().min(1).max(100_000_000_00),
    reason: z.string().trim().min(1).max(500),
    /** The deduction's effective date (default today). */
    on: isoDate.optional(),
  }),
]);

/** 总额对账 (count, fund share, reversals netted) and optionally 明细对账 (per serial). */
export const declareBody = z.strictObject({
  settlementCount: z.number().int().min(-1_000_000).max(1_000_000),
  fundFen: z.number().int().min(-100_000_000_000_00).max(100_000_000_000_00),
  detail: z
    .array(
      z.strictObject({
        serial: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
        fundFen: z.number().int().min(-100_000_000_00).max(100_000_000_00),
      }),
    )
    .max(20_000)
    .optional(),
});

export const approveBody = z.strictObject({ on: isoDate.optional() });

const fen = z.number().int();

export const queueResponse = z.object({
  entries: z.array(
    z.object({
      regionCode: z.string(),
      settlementId: z.string(),
      institutionId: z.string(),
      serial: z.string(),
      month: z.string(),
      lineCount: z.number().int(),
      fundFen: fen,
      reviewedLines: z.number().int(),
      deductedFen: fen,
    }),
  ),
});

export const settlementResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  institutionId: z.string(),
  visitId: z.string(),
  serial: z.string(),
  kind: z.enum(['settlement', 'reversal']),
  status: z.enum(['active', 'reversed']),
  month: z.string(),
  claimedFen: fen,
  fundFen: fen,
  sampled: z.boolean(),
  ledgerTransactionId: z.string(),
  lines: z.array(
    z.object({
      lineNo: z.number().int(),
      name: z.string(),
      ownCode: z.string(),
      category: z.enum(['medical', 'rehabilitation', 'device']),
      outcome: z.enum(['payable', 'partial', 'rejected']),
      claimedFen: fen,
      payableFen: fen,
      reasons: z.array(z.string()),
      review: z
        .object({
          decision: z.enum(['accepted', 'deducted']),
          deductedFen: fen,
          reason: z.string().nullable(),
          reviewedBy: z.string(),
          ledgerTransactionId: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});

export const reviewResponse = z.object({
  regionCode: z.string(),
  settlementId: z.string(),
  lineNo: z.number().int(),
  decision: z.enum(['accepted', 'deducted']),
  deductedFen: fen,
  ledgerTransactionId: z.string().nullable(),
  replayed: z.boolean(),
});

const segment = z.object({
  segment: z.string(),
  fundFen: fen,
  deductedFen: fen,
  guaranteeFen: fen,
  payableFen: fen,
});
const declared = z.object({
  settlementCount: z.number().int(),
  fundFen: fen,
  detail: z.array(z.object({ serial: z.string(), fundFen: fen })).nullable(),
});

export const statementResponse = z.object({
  institutionId: z.string(),
  institutionName: z.string(),
  managingRegionCode: z.string(),
  month: z.string(),
  guaranteeShare: z.string(),
  totals: z.object({
    settlementCount: z.number().int(),
    reversalCount: z.number().int(),
    netCount: z.number().int(),
    claimedFen: fen,
    fundFen: fen,
    deductedFen: fen,
    guaranteeFen: fen,
    payableFen: fen,
  }),
  segments: z.array(segment),
  reconciliation: z.object({
    status: z.enum(['not_declared', 'reconciled', 'differs']),
    declared: declared.optional(),
    differences: z
      .array(z.object({ serial: z.string(), oursFen: fen.nullable(), theirsFen: fen.nullable() }))
      .optional(),
  }),
  stored: z
    .object({
      status: z.enum(['proposed', 'paid']),
      approvalRegionCode: z.string(),
      approvalId: z.string(),
      proposedBy: z.string(),
      approvedBy: z.string().nullable(),
      paidOn: z.string().nullable(),
      ledgerTransactionIds: z.array(z.string()),
      payableFen: fen,
    })
    .nullable(),
});
export type StatementResponse = z.infer<typeof statementResponse>;

export const monthResponse = z.object({
  institutionId: z.string(),
  month: z.string(),
  settlements: z.array(
    z.object({
      regionCode: z.string(),
      id: z.string(),
      serial: z.string(),
      kind: z.enum(['settlement', 'reversal']),
      status: z.enum(['active', 'reversed']),
      hisVisitNo: z.string(),
      visitKind: z.string(),
      openedOn: z.string(),
      claimedFen: fen,
      fundFen: fen,
      rejectedFen: fen,
      sampled: z.boolean(),
      deductedFen: fen,
    }),
  ),
  rejections: z.array(
    z.object({
      regionCode: z.string(),
      settlementId: z.string(),
      serial: z.string(),
      lineNo: z.number().int(),
      name: z.string(),
      outcome: z.enum(['partial', 'rejected']),
      claimedFen: fen,
      payableFen: fen,
      reasons: z.array(z.string()),
    }),
  ),
});
export type MonthResponse = z.infer<typeof monthResponse>;
export type QueueResponse = z.infer<typeof queueResponse>;
export type SettlementResponse = z.infer<typeof settlementResponse>;

export const monthsResponse = z.object({
  institutionId: z.string(),
  months: z.array(
    z.object({
      month: z.string(),
      settlements: z.number().int(),
      fundFen: fen,
      status: z.enum(['open', 'proposed', 'paid']),
    }),
  ),
});
export type MonthsResponse = z.infer<typeof monthsResponse>;

export const declareResponse = z.object({ institutionId: z.string(), month: z.string() });
export const proposeResponse = z.object({
  institutionId: z.string(),
  month: z.string(),
  approvalId: z.string(),
  payableFen: fen,
  replayed: z.boolean(),
});
export const paidResponse = z.object({
  institutionId: z.string(),
  month: z.string(),
  payableFen: fen,
  ledgerTransactionIds: z.array(z.string()),
  replayed: z.boolean(),
});

/**
 * `tongchou settlement statement|review …` options (src/cli/commands/settlement/statement-cli.ts),
 * as commander names them; numbers arrive as text. The bodies are then parsed with the routes'
 * own schemas (declareBody, reviewBody), so the command and the route refuse the same input.
 */
const username = z.string().min(1);
export const statementMonthsCliOptions = z.strictObject({
  institution: institutionId,
  as: username.optional(),
});
export const statementShowCliOptions = statementMonthsCliOptions.extend({ month: period });
export const statementProposeCliOptions = z.strictObject({
  institution: institutionId,
  month: period,
  as: username,
});
export const statementApproveCliOptions = statementProposeCliOptions.extend({
  on: isoDate.optional(),
});
export const statementDeclareCliOptions = statementProposeCliOptions.extend({
  settlementCount: z.coerce.number(),
  fundFen: z.coerce.number(),
  /** A JSON file: [{ "serial": "…", "fundFen": 123 }, …] (明细对账). */
  detail: z.string().min(1).optional(),
});
export const reviewQueueCliOptions = z.strictObject({
  month: period,
  institution: institutionId.optional(),
  as: username,
});
export const reviewShowCliOptions = z.strictObject({
  region: regionCode,
  settlement: settlementId,
  as: username,
});
export const reviewDecideCliOptions = reviewShowCliOptions.extend({
  line: lineParams.shape.lineNo,
  decision: z.string(),
  deductedFen: z.coerce.number().optional(),
  reason: z.string().optional(),
  on: z.string().optional(),
});
