import { z } from 'zod';
import { approvalId, isoDate, regionCode } from '../common.ts';
import { workerId } from '../registry/workers-contract.ts';

/**
 * 退休 of a worker with a 伤残津贴 (《工伤保险条例》第三十五条第一款第（三）项; docs/benefits.md
 * "Retirement"): the request and answer schemas of `/regions/:regionCode/workers/:workerId/retirement`.
 * The pension is any whole number of fen here: a negative or absurd one is the use case's refusal
 * (`benefit.retirement_pension_invalid`), not a malformed body.
 */
export const retirementParams = z.strictObject({ regionCode, workerId });

const pensionFen = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const evidence = z.string().trim().min(1).max(500);

/** Any whole fen here: zero, negative or absurd figures are the use case's refusal. */
const wholeFen = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/**
 * 《浙江省工伤保险条例》第二十六条第二款 (no right to a monthly pension): the personal pension account's
 * balance and the monthly offset, as the pension office's statement gives them (not computed).
 */
export const personalAccount = z.strictObject({
  balanceFen: wholeFen,
  monthlyOffsetFen: wholeFen,
});

const exactlyOne = {
  message:
    'send exactly one of pensionFen (a monthly basic pension) and personalAccount (no monthly pension: 《浙江省工伤保险条例》第二十六条第二款)',
};

export const retirementBody = z
  .strictObject({
    /**
     * The day 办理退休手续 was completed (or, with personalAccount, the statutory retirement age was
     * reached): the month of it is paid whole as 伤残津贴.
     */
    retiredOn: isoDate,
    /** The monthly basic pension the pension office set, in fen. */
    pensionFen: pensionFen.optional(),
    personalAccount: personalAccount.optional(),
    /** The pension office's notice or statement (文号) and what it says. */
    evidence,
    approvalId: approvalId.optional(),
  })
  .refine((b) => (b.pensionFen === undefined) !== (b.personalAccount === undefined), exactlyOne);

const plan = z.object({
  retirementId: z.string(),
  ended: z.array(
    z.object({
      id: z.string(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOnBefore: z.string().nullable(),
      endsOn: z.string(),
    }),
  ),
  topUp: z
    .object({
      id: z.string(),
      allowanceId: z.string(),
      amountFen: z.number().int(),
      startsOn: z.string(),
      endsOn: z.string().nullable(),
    })
    .nullable(),
  kept: z.array(
    z.object({ id: z.string(), kind: z.string(), payer: z.enum(['fund', 'employer']) }),
  ),
  offset: z
    .object({
      allowanceId: z.string(),
      balanceFen: z.number().int(),
      monthlyOffsetFen: z.number().int(),
      fullMonths: z.number().int(),
      lastOffsetFen: z.number().int(),
      months: z.number().int(),
      firstMonth: z.string(),
      rows: z.array(
        z.object({
          id: z.string(),
          amountFen: z.number().int(),
          startsOn: z.string(),
          endsOn: z.string().nullable(),
          status: z.enum(['active', 'ended']),
        }),
      ),
    })
    .optional(),
  backDated: z
    .object({
      months: z.array(z.string()),
      paidMonths: z.array(z.string()),
      lineIds: z.array(z.string()),
      overpaidFen: z.number().int(),
      arrearsFen: z.number().int(),
      netFen: z.number().int(),
    })
    .optional(),
});

export const retirementView = z.object({
  regionCode: z.string(),
  id: z.string(),
  workerId: z.string(),
  retiredOn: z.string(),
  pensionFen: z.number().int(),
  evidence: z.string(),
  personalAccount: z
    .object({
      balanceFen: z.number().int(),
      monthlyOffsetFen: z.number().int(),
      months: z.number().int(),
    })
    .nullable(),
  approvalId: z.string(),
  plan,
  topUpFen: z.number().int(),
  overpaymentId: z.string().nullable(),
  recordedBy: z.string(),
});

export const retirementResponse = z.object({
  status: z.enum(['approval_requested', 'retired']),
  replayed: z.boolean(),
  plan,
  retirement: retirementView.nullable(),
  approval: z
    .object({ id: z.string(), requiredCheckers: z.number().int(), expiresAt: z.string() })
    .nullable(),
});

const fenText = z
  .string()
  .regex(/^-?[0-9]{1,15}$/, 'a whole number of fen')
  .transform(Number);

/**
 * `tongchou benefits retire` options (commander's camel-cased names; the figures as text): a
 * pension, or the personal account's balance and monthly offset (no monthly pension).
 */
export const retireCliOptions = z
  .strictObject({
    region: regionCode,
    worker: workerId,
    retiredOn: isoDate,
    pensionFen: fenText.optional(),
    accountBalanceFen: fenText.optional(),
    monthlyOffsetFen: fenText.optional(),
    evidence,
    approval: approvalId.optional(),
    as: z.string().min(1),
  })
  .refine(
    (o) =>
      o.pensionFen === undefined
        ? o.accountBalanceFen !== undefined && o.monthlyOffsetFen !== undefined
        : o.accountBalanceFen === undefined && o.monthlyOffsetFen === undefined,
    {
      message:
        'give --pension-fen, or --account-balance-fen with --monthly-offset-fen (no monthly pension)',
    },
  );

/** `tongchou benefits retire-approve` options. */
export const retireApproveCliOptions = z.strictObject({
  region: regionCode,
  approval: approvalId,
  as: z.string().min(1),
});

/** `tongchou benefits retirement-show` options. */
export const retirementShowCliOptions = z.strictObject({
  region: regionCode,
  worker: workerId,
  as: z.string().min(1),
});
