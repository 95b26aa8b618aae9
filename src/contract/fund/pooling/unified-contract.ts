import { z } from 'zod';
import { ALLOCATION_ID } from '../../../domain/fund/pooling/unified-postings.ts';
import { approvalId, isoDate, period, regionCode, regionParams } from '../../common.ts';

export const sweepParams = z.strictObject({ regionCode, period });
const city = z.string().regex(/^\d{6}$/, 'a 6-digit city code such as 330100');
/** The city, and the approved approval of exactly this movement (maker-checker). */
export const cityBody = z.strictObject({ city, approvalId });
export const allocationParams = regionParams;
const allocationFields = {
  allocationId: z
    .string()
    .regex(ALLOCATION_ID, '1–100 letters, digits or . _ : - (the idempotency key)'),
  city,
  effectiveDate: isoDate,
  amountFen: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  memo: z.string().trim().min(1).max(200).optional(),
};
export const allocationBody = z.strictObject({ ...allocationFields, approvalId });
/** An allocation as the maker asks for its approval (no approval id yet). */
export const allocationRequestFields = allocationFields;
export const cityField = city;

/** posted = the ledger recorded it now; exists = already recorded; nothing = zero amount. */
const flowOutcome = {
  status: z.enum(['posted', 'exists', 'nothing']),
  amountFen: z.number().int(),
  transactionIds: z.array(z.string()),
};

export const sweepResponse = z.object({ city: z.string(), period: z.string(), ...flowOutcome });

export const allocationResponse = z.object({ allocationId: z.string(), ...flowOutcome });
