import { z } from 'zod';
import { SURVIVOR_EVENT_KINDS } from '../../domain/benefits/survivor-events.ts';
import {
  approvalId,
  approvalStatus,
  cliActingOptions,
  isoDate,
  period,
  regionCode,
} from '../common.ts';

/**
 * A survivor's pension ends, is suspended or resumes (docs/benefits.md, "Survivors' pensions end"):
 * the request and answer schemas of `/regions/:regionCode/dependants/:dependantId/survivor-changes`,
 * `/regions/:regionCode/survivor-changes/:changeId` (approval, apply, read) and the ageing-out job
 * `/regions/:regionCode/survivor-ageing`. The CLI parses its input with the same bodies. No answer
 * names a person or an ID number: dependants are ids.
 */
export const dependantId = z
  .string()
  .regex(/^dep_\d{6}_[0-9a-f]{16}$/, 'a dependant id dep_<city>_…');
export const survivorChangeId = z
  .string()
  .regex(/^bsc_[0-9a-f]{20}$/, 'a survivor change id bsc_…');

const kind = z.enum(SURVIVOR_EVENT_KINDS);

export const dependantParams = z.strictObject({ regionCode, dependantId });
export const survivorChangeParams = z.strictObject({ regionCode, changeId: survivorChangeId });
export const survivorCaseParams = z.strictObject({
  regionCode,
  caseId: z.string().regex(/^cas_[0-9]{6}_[0-9a-f]{16}$/, 'a case id cas_<city>_<16 hex>'),
});

export const survivorChangeBody = z.strictObject({
  /**
   * aged_out, employed (就业或参军), remarried, adopted, died; imprisoned (停发), released (恢复);
   * orphan_or_sole_elder (成为孤儿或孤寡老人: the 10 % of 第三十九条第一款第（二）项 from the next month).
   */
  kind,
  /** The day of the event; the month of it is paid whole. */
  eventOn: isoDate,
  reason: z.string().trim().min(1).max(500),
  /** What shows the event (a certificate, its number). */
  evidence: z.string().trim().min(1).max(1000),
});

export const survivorChangeApplyBody = z.strictObject({
  approvalId: approvalId.optional(),
  /** The day applied: the arrears' effective date (default today). */
  on: isoDate.optional(),
});

export const survivorChangeDecisionBody = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
});

export const survivorAgeingBody = z.strictObject({ month: period });

const ended = z.object({
  entitlementId: z.string(),
  dependantId: z.string(),
  amountFen: z.number().int(),
  startsOn: z.string(),
  endsOnBefore: z.string().nullable(),
  endsOn: z.string().nullable(),
});

const started = z.object({
  id: z.string(),
  predecessorId: z.string(),
  dependantId: z.string(),
  beforeFen: z.number().int(),
  amountFen: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
});

export const survivorChangeView = z.object({
  regionCode: z.string(),
  id: z.string(),
  decisionId: z.string(),
  workerId: z.string(),
  dependantId: z.string(),
  kind,
  eventOn: z.string(),
  lastPaidMonth: z.string(),
  endedEntitlementId: z.string().nullable(),
  status: z.enum(['proposed', 'applied', 'superseded', 'rejected']),
  reason: z.string(),
  evidence: z.string(),
  plan: z.object({
    event: z.object({ dependantId: z.string(), kind, eventOn: z.string() }),
    lastPaidMonth: z.string(),
    ended: z.array(ended),
    started: z.array(started),
    recomputed: z.boolean(),
    months: z.array(
      z.object({
        month: z.string(),
        dependantId: z.string(),
        paidFen: z.number().int(),
        dueFen: z.number().int(),
        differenceFen: z.number().int(),
      }),
    ),
    arrears: z.object({ account: z.string(), amountFen: z.number().int() }).nullable(),
    overpayment: z
      .object({
        entitlementId: z.string(),
        dependantId: z.string(),
        amountFen: z.number().int(),
        months: z.array(z.string()),
        lineIds: z.array(z.string()),
      })
      .nullable(),
  }),
  approvalId: z.string(),
  proposedBy: z.string(),
  appliedOn: z.string().nullable(),
  appliedBy: z.string().nullable(),
  ledgerTransactionId: z.string().nullable(),
  paymentId: z.string().nullable(),
  overpaymentId: z.string().nullable(),
});

/** `GET /regions/:regionCode/cases/:caseId/survivor-changes`: the case's changes, newest first. */
export const survivorChangeListResponse = z.object({
  changes: z.array(
    survivorChangeView.extend({
      /** The approval's state (null: the approval is gone); `approved` and `proposed`: applicable. */
      approvalStatus: approvalStatus.nullable(),
    }),
  ),
});

export const survivorChangeApplyResponse = z.object({
  change: survivorChangeView,
  replayed: z.boolean(),
});

export const survivorChangeDecisionResponse = z.object({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  approvingCheckers: z.number().int(),
  requiredCheckers: z.number().int(),
});

export const survivorAgeingResponse = z.object({
  regionCode: z.string(),
  month: z.string(),
  endAge: z.number().int(),
  proposed: z.array(
    z.object({ dependantId: z.string(), changeId: z.string(), eventOn: z.string() }),
  ),
  skipped: z.array(z.object({ dependantId: z.string(), why: z.literal('open_or_ended') })),
  refused: z.array(z.object({ dependantId: z.string(), code: z.string(), message: z.string() })),
});

/** `tongchou benefits survivor propose` (the route's body as JSON through `--input`). */
export const survivorProposeCliOptions = z.strictObject({
  region: regionCode,
  dependant: dependantId,
  ...cliActingOptions,
});

/** `tongchou benefits survivor approve|apply|show`. */
export const survivorStepCliOptions = z.strictObject({
  region: regionCode,
  change: survivorChangeId,
  ...cliActingOptions,
});

/** `tongchou benefits survivor ageing`. */
export const survivorAgeingCliOptions = z.strictObject({
  region: regionCode,
  month: period,
  ...cliActingOptions,
});

/** `tongchou benefits survivor show`. */
export const survivorShowCliOptions = z.strictObject({
  region: regionCode,
  change: survivorChangeId,
});
