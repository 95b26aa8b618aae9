import { z } from 'zod';
import { isoDate, regionCode } from '../common.ts';
import { workerId } from '../registry/workers-contract.ts';

/**
 * The social-security card accounts benefits are paid to (issue 12, docs/benefits.md "Card
 * accounts"): request and answer schemas of `/regions/:regionCode/workers/:workerId/card-account`
 * and `/regions/:regionCode/dependants/:dependantId/card-account`. Shapes only; whether the
 * beneficiary is known to the city, the date and the name are the use case's checks.
 */
export const dependantId = z
  .string()
  .regex(/^dep_\d{6}_[0-9a-f]{16}$/, 'a dependant id such as dep_330100_…');

export const workerCardAccountParams = z.strictObject({ regionCode, workerId });
export const dependantCardAccountParams = z.strictObject({ regionCode, dependantId });

export const cardAccountBody = z.strictObject({
  /** The first day the account is paid to (default today); the current month at the earliest. */
  validFrom: isoDate.optional(),
  /** 开户银行 as on the card, e.g. 中国工商银行杭州分行. */
  bankName: z.string().trim().min(1).max(60),
  /** The card's bank account number: 10–30 digits, no spaces. */
  accountNumber: z.string().regex(/^[0-9]{10,30}$/, '10–30 digits, no spaces'),
  /** 户名: must be the beneficiary's name in the register. */
  accountName: z.string().trim().min(1).max(50),
});
export type CardAccountBody = z.input<typeof cardAccountBody>;

const entry = z.object({
  validFrom: z.string(),
  bankName: z.string(),
  accountName: z.string(),
  /** All but the last four digits hidden. */
  accountNumberMasked: z.string(),
  /** Present only for a reader holding pii:reveal. */
  accountNumber: z.string().optional(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export const cardAccountResponse = z.object({
  beneficiary: z.enum(['worker', 'dependant']),
  workerId: z.string(),
  dependantId: z.string().nullable(),
  caseId: z.string().nullable(),
  name: z.string(),
  current: entry.nullable(),
  accounts: z.array(entry),
});
export type CardAccountResponse = z.output<typeof cardAccountResponse>;

/**
 * `tongchou benefits card-account set|show` options: exactly one of --worker and --dependant;
 * `set` takes the route's body as JSON (`--input`), so a number never sits in the shell's history.
 */
export const cardAccountCliOptions = z
  .strictObject({
    region: regionCode,
    worker: workerId.optional(),
    dependant: dependantId.optional(),
    as: z.string().min(1),
    input: z.string().min(1).optional(),
  })
  .refine((o) => (o.worker === undefined) !== (o.dependant === undefined), {
    message: 'name exactly one of --worker and --dependant',
  });
