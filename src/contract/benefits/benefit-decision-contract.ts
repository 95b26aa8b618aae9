import { z } from 'zod';
import { calculationResultSchema } from '../../rules/calculator/index.ts';
import { approvalId, cliActingOptions, isoDate, period, regionCode } from '../common.ts';

/**
 * The benefit decision of a case (issue 11, ADR 0014): the request and answer schemas of the API;
 * the web panel imports their types, the CLI calls the same use cases.
 */
const caseId = z.string().regex(/^cas_[0-9]{6}_[0-9a-f]{16}$/, 'a case id cas_<city>_<16 hex>');
const decisionId = z
  .string()
  .regex(/^bdc_[0-9]{6}_[0-9a-f]{16}$/, 'a benefit decision id bdc_<city>_<16 hex>');
const paymentId = z
  .string()
  .regex(/^bpy_[0-9]{6}_[0-9a-f]{16}$/, 'a benefit payment id bpy_<city>_<16 hex>');
/** A monthly wage in fen: the calculator's bound (sums of 12 months stay exact). */
const wageFen = z.number().int('an integer number of fen').nonnegative().max(100_000_000_000);

export const caseParams = z.strictObject({ regionCode, caseId });
export const decisionParams = z.strictObject({ regionCode, decisionId });
export const paymentParams = z.strictObject({ regionCode, paymentId });

export const proposeBody = z.strictObject({
  /** Months with no declaration, entered by the handler (never over a declared month). */
  enteredWages: z
    .array(z.strictObject({ month: period, wageFen }))
    .max(12)
    .default([]),
  /** Required when any wage is entered: the note or material reference it comes from. */
  wageEvidence: z.string().trim().min(1).max(500).nullable().default(null),
  /** Grades 5–6: the employer arranged suitable work (no 伤残津贴). */
  employerArrangedWork: z.boolean().default(false),
  /** The day of the proposal (default today). */
  on: isoDate.optional(),
});

/** A death decision's death and the dependants its survivor_pension items belong to. */
const decisionDeath = z.object({
  diedOn: z.string(),
  circumstance: z.enum(['injury', 'within_suspension', 'grade1to4_after_suspension']),
  dependants: z.array(
    z.object({
      id: z.string(),
      ordinal: z.number().int(),
      name: z.string(),
      relation: z.enum(['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling']),
    }),
  ),
});

const payloadSchema = z.object({
  decisionId: z.string(),
  caseId: z.string(),
  workerId: z.string(),
  /** Null: a death decision resting on no appraisal. */
  appraisalId: z.string().nullable(),
  wageMonths: z.array(
    z.object({ month: z.string(), wageFen: z.number().int(), source: z.string() }),
  ),
  baseWageFen: z.number().int(),
  items: z.array(
    z.object({
      code: z.string(),
      amountFen: z.number().int(),
      frequency: z.string(),
      payer: z.string(),
      dependantIndex: z.number().int().nullable(),
    }),
  ),
  fundLumpSumTotalFen: z.number().int(),
  snapshotId: z.string(),
  death: decisionDeath.optional(),
});

export const proposeResponse = z.object({
  decisionId: z.string(),
  approvalId: z.string(),
  payload: payloadSchema,
});

export const applyBody = z.strictObject({
  /** Default: the approval asked for with the proposal. */
  approvalId: approvalId.optional(),
  /** The day of the decision (the payable's effective date; default today). */
  on: isoDate.optional(),
});
export const applyResponse = z.object({
  decisionId: z.string(),
  status: z.literal('approved'),
  ledgerTransactionId: z.string().nullable(),
  replayed: z.boolean(),
});

export const confirmBody = z.strictObject({
  bankReference: z.string().trim().min(1).max(64),
  paidOn: isoDate,
});
export const failBody = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  on: isoDate.optional(),
});
export const reissueBody = z.strictObject({ on: isoDate.optional() });

export const paymentResponse = z.object({
  id: z.string(),
  decisionId: z.string(),
  caseId: z.string(),
  itemCode: z.string(),
  amountFen: z.number().int(),
  attempt: z.number().int(),
  status: z.enum(['issued', 'paid', 'failed']),
  paidTransactionId: z.string().nullable(),
  reversalTransactionId: z.string().nullable(),
  bankReference: z.string().nullable(),
});

const wageMonth = z.object({
  month: z.string(),
  wageFen: z.number().int(),
  source: z.enum(['declaration', 'entered']),
  declarationId: z.string().nullable(),
});

const decisionView = z.object({
  id: z.string(),
  status: z.enum(['proposed', 'approved', 'superseded', 'replaced']),
  kind: z.enum(['disability', 'death', 'missing']),
  appraisalId: z.string().nullable(),
  death: decisionDeath.nullable(),
  wageMonths: z.array(wageMonth),
  wageEvidence: z.string().nullable(),
  result: calculationResultSchema,
  snapshotId: z.string(),
  approval: z.object({ id: z.string(), status: z.string() }),
  ledgerTransactionId: z.string().nullable(),
  letter: z.object({ id: z.string(), documentNumber: z.string() }).nullable(),
  proposedBy: z.string(),
  proposedAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedOn: z.string().nullable(),
});

export const panelResponse = z.object({
  caseId: z.string(),
  regionCode: z.string(),
  worker: z.object({ sex: z.enum(['male', 'female']), birthDate: z.string() }),
  accidentDate: z.string(),
  determinationOutcome: z.string().nullable(),
  current: decisionView.nullable(),
  history: z.array(z.object({ id: z.string(), status: z.string(), proposedAt: z.string() })),
  payments: z.array(
    z.object({
      id: z.string(),
      itemCode: z.string(),
      amountFen: z.number().int(),
      attempt: z.number().int(),
      status: z.enum(['issued', 'paid', 'failed']),
      payableTransactionId: z.string(),
      paidTransactionId: z.string().nullable(),
      reversalTransactionId: z.string().nullable(),
      bankReference: z.string().nullable(),
      paidOn: z.string().nullable(),
      failureReason: z.string().nullable(),
    }),
  ),
  entitlements: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      amountFen: z.number().int(),
      payer: z.enum(['fund', 'employer']),
      startsOn: z.string(),
      endsOn: z.string().nullable(),
      status: z.enum(['active', 'ended']),
      /** A survivor's pension's beneficiary (case_dependants); null: the worker's own item. */
      dependantId: z.string().nullable(),
    }),
  ),
  /** Months the payroll ran before the decision, paid with it (ADR 0023): per month and kind. */
  monthsRunBefore: z.array(
    z.object({
      month: z.string(),
      kind: z.string(),
      amountFen: z.number().int(),
      paymentId: z.string(),
    }),
  ),
});

const brief = z.object({
  baseWageFen: z.number().int(),
  items: z.array(z.object({ code: z.string(), amountFen: z.number().int(), payer: z.string() })),
});
export const recomputationResponse = z.object({
  decisionId: z.string(),
  snapshotId: z.string(),
  same: z.boolean(),
  stored: brief,
  recomputed: brief,
});

export type BenefitPanel = z.output<typeof panelResponse>;
export type ProposeBody = z.input<typeof proposeBody>;
export type Recomputation = z.output<typeof recomputationResponse>;

/** `tongchou benefits decision show|recompute` options (commander gives strings). */
export const decisionShowCliOptions = z.strictObject({
  region: regionCode,
  case: caseId,
});
export const decisionRecomputeCliOptions = z.strictObject({
  region: regionCode,
  decision: decisionId,
});
/** `tongchou benefits decision propose` (POST …/cases/:caseId/benefit-decision). */
export const decisionProposeCliOptions = decisionShowCliOptions.extend(cliActingOptions);
/** `tongchou benefits decision approve`: the checker's decision on the proposal's approval. */
export const decisionApproveCliOptions = decisionRecomputeCliOptions.extend({
  as: cliActingOptions.as,
});
/** `tongchou benefits decision apply` (POST …/benefit-decisions/:decisionId/apply). */
export const decisionApplyCliOptions = decisionRecomputeCliOptions.extend(cliActingOptions);
/** `tongchou benefits decision pay|fail|reissue` (POST …/benefit-payments/:paymentId/…). */
export const paymentConfirmCliOptions = z.strictObject({
  region: regionCode,
  payment: paymentId,
  ...cliActingOptions,
});

/**
 * The portal's view of one's own benefit decision (GET /api/v1/my/cases/{caseId}/benefit-decision):
 * the approved decision only (a proposal is the fund's work in progress), its items and amounts,
 * the payments and the periodic entitlements — not the ledger's transaction ids nor the trace.
 */
/** One adjustment of a beneficiary's item: before, after, from when, the batch's notice. */
export const ownAdjustment = z.object({
  year: z.number().int(),
  kind: z.string(),
  effectiveOn: z.string(),
  beforeFen: z.number().int(),
  afterFen: z.number().int(),
  notice: z.object({ letterId: z.string(), documentNumber: z.string() }).nullable(),
});

export const ownBenefitResponse = z.object({
  caseId: z.string(),
  decision: z
    .object({
      approvedOn: z.string().nullable(),
      baseWageFen: z.number().int(),
      items: z.array(
        z.object({
          code: z.string(),
          amountFen: z.number().int(),
          frequency: z.enum(['once', 'monthly']),
          payer: z.enum(['fund', 'employer']),
          citation: z.string(),
        }),
      ),
      letter: z.object({ id: z.string(), documentNumber: z.string() }).nullable(),
    })
    .nullable(),
  payments: z.array(
    z.object({
      itemCode: z.string(),
      amountFen: z.number().int(),
      status: z.enum(['issued', 'paid', 'failed']),
      paidOn: z.string().nullable(),
    }),
  ),
  entitlements: z.array(
    z.object({
      kind: z.string(),
      amountFen: z.number().int(),
      payer: z.enum(['fund', 'employer']),
      startsOn: z.string(),
      endsOn: z.string().nullable(),
      status: z.enum(['active', 'ended']),
    }),
  ),
  /** The monthly payroll's lines of the case's entitlements, in runs approved by the fund. */
  monthlyPayments: z.array(
    z.object({
      month: z.string(),
      kind: z.string(),
      amountFen: z.number().int(),
      status: z.enum(['issued', 'paid', 'failed']),
      paidOn: z.string().nullable(),
      failureReason: z.string().nullable(),
      reissue: z.boolean(),
    }),
  ),
  /** The indexation (待遇调整) of the worker's items, newest first, each with its notice. */
  adjustments: z.array(ownAdjustment),
});
const ownMonthlyPayment = z.object({
  month: z.string(),
  kind: z.string(),
  amountFen: z.number().int(),
  status: z.enum(['issued', 'paid', 'failed']),
  paidOn: z.string().nullable(),
  failureReason: z.string().nullable(),
  reissue: z.boolean(),
});

/**
 * A survivor's own view (供养亲属, portal): per case that records her, her entitlements, her payroll
 * lines and the letters that concern her — never a co-survivor's amounts or ID number, no account
 * number, no ledger id (benefit-survivor-self.ts).
 */
export const ownSurvivorBenefitsResponse = z.object({
  cases: z.array(
    z.object({
      caseId: z.string(),
      workerName: z.string(),
      diedOn: z.string().nullable(),
      relation: z.enum(['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling']),
      entitlements: z.array(
        z.object({
          kind: z.string(),
          amountFen: z.number().int(),
          payer: z.enum(['fund', 'employer']),
          startsOn: z.string(),
          endsOn: z.string().nullable(),
          status: z.enum(['active', 'ended']),
        }),
      ),
      monthlyPayments: z.array(ownMonthlyPayment),
      letters: z.array(
        z.object({
          id: z.string(),
          documentNumber: z.string(),
          title: z.string(),
          issuedOn: z.string(),
        }),
      ),
      /** The indexation (待遇调整) of her pension, newest first, each with its notice. */
      adjustments: z.array(ownAdjustment),
    }),
  ),
});
