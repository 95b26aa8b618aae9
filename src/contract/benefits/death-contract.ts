import { z } from 'zod';
import { OVERPAYMENT_STATUSES } from '../../domain/benefits/recovery.ts';
import { isoDate, regionCode } from '../common.ts';
import { workerId } from '../registry/workers-contract.ts';

/**
 * The death event (issue 12, docs/benefits.md "Death"): the request and answer schemas of
 * `/regions/:regionCode/workers/:workerId/death`.
 */
export const workerDeathParams = z.strictObject({ regionCode, workerId });

export const recordDeathBody = z.strictObject({
  /** The date of death (死亡日期), from the evidence. */
  diedOn: isoDate,
  /** The evidence seen: certificate number, issuing hospital or police station (证据来源). */
  source: z.string().trim().min(1).max(500),
});

const overpayment = z.object({
  regionCode: z.string(),
  id: z.string(),
  entitlementId: z.string(),
  months: z.array(z.string()),
  lineIds: z.array(z.string()),
  amountFen: z.number().int(),
  status: z.enum(OVERPAYMENT_STATUSES),
});

export const workerDeathResponse = z.object({
  workerId: z.string(),
  diedOn: z.string(),
  source: z.string(),
  recordedBy: z.string(),
  overpayments: z.array(overpayment),
  overpaidFen: z.number().int(),
  /**
   * 《浙江省工伤保险条例》第二十六条第二款 "工伤职工死亡时其个人养老金账户有余额的，余额由其近亲属依法继承":
   * the balance left for the heirs (information: the account is the pension fund's, never posted).
   */
  personalAccountLeft: z
    .object({
      retirementId: z.string(),
      balanceFen: z.number().int(),
      monthlyOffsetFen: z.number().int(),
      leftFen: z.number().int(),
      citation: z.string(),
    })
    .nullable(),
});
export type WorkerDeathResponse = z.infer<typeof workerDeathResponse>;

export const recordDeathResponse = workerDeathResponse.extend({
  endedEntitlements: z.array(
    z.object({
      regionCode: z.string(),
      id: z.string(),
      kind: z.string(),
      endsOnBefore: z.string().nullable(),
      endsOn: z.string().nullable(),
    }),
  ),
  /** Failed lines after the death, their liability reversed Dr 2102 / Cr 51xx. */
  reversal: z.object({
    lineIds: z.array(z.string()),
    amountFen: z.number().int(),
    transactionIds: z.array(z.string()),
  }),
});
