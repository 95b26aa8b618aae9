import { z } from 'zod';
import { isoDate, regionCode } from '../common.ts';
import { employerId, industryStandard } from './employers-contract.ts';

/** 按项目参保: construction projects insured once by a one-off contribution, workers by list. */
export const projectId = z
  .string()
  .regex(/^prj_\d{6}_[0-9a-f]{16}$/, 'a project id such as prj_330100_…');
export const projectParams = z.strictObject({ regionCode, projectId });

export const projectRegisterBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  siteAddress: z.string().trim().min(1).max(300),
  /** The contract value (工程合同价) in fen, > 0. */
  contractValueFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  industry: z.strictObject({
    standard: industryStandard,
    division: z.string().regex(/^\d{2}$/, 'a two-digit GB/T 4754 division (大类), e.g. 47'),
  }),
  startDate: isoDate,
  endDate: isoDate,
  /**
   * The idempotency key of this registration (the page makes one per form): the same key again
   * answers with the project it registered and charges nothing twice; a new project needs a new key.
   */
  clientKey: z
    .string()
    .regex(/^[0-9A-Za-z._:-]{8,100}$/, '8–100 letters, digits or . _ : - (one per registration)'),
});

export const projectWorkersBody = z.strictObject({
  workers: z
    .array(
      z.strictObject({
        idNumber: z.string().regex(/^\d{17}[\dXx]$/, '18 characters: 17 digits and a digit or X'),
        name: z.string().trim().min(1).max(50),
      }),
    )
    .min(1)
    .max(2000),
});

export const projectResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  employerId,
  name: z.string(),
  siteAddress: z.string(),
  contractValueFen: z.number().int(),
  industryStandard,
  industryDivision: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  riskClass: z.number().int(),
  labourShare: z.string(),
  baseRate: z.string(),
  /** The one-off contribution: contract value × labour share × base rate, rounded once. */
  contributionFen: z.number().int(),
  formula: z.string(),
  citations: z.array(z.string()),
  registeredBy: z.string(),
  registeredAt: z.string(),
  workerCount: z.number().int(),
  /** The receivable's ledger transaction (Dr 1131 / Cr 4101), null when nothing was posted. */
  receivableTransactionId: z.string().nullable(),
  /** Owed as posted: the contribution, or 0 when nothing was posted (0 fen, or before 0026). */
  receivableFen: z.number().int(),
  /** Paid: applied to the receivable by posted tax-bureau collection records. */
  paidFen: z.number().int(),
  outstandingFen: z.number().int(),
  /** Paid beyond the receivable, held in 2103 暂收款. */
  overpaidFen: z.number().int(),
});
export const projectListResponse = z.object({ projects: z.array(projectResponse) });
export const projectPageResponse = z.object({
  project: projectResponse,
  workers: z.array(
    z.object({
      workerId: z.string(),
      workerName: z.string(),
      idNumberMasked: z.string(),
      addedOn: z.string(),
    }),
  ),
});
export const projectWorkersResponse = z.object({
  added: z.number().int(),
  alreadyListed: z.number().int(),
});
