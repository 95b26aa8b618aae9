import { z } from 'zod';
import { isoDate, period, regionCode } from '../common.ts';

/**
 * The monthly payroll (issue 12, docs/benefits.md "Monthly payroll"): the request and answer
 * schemas of the API; the CLI parses its options with the same schemas.
 */
const runId = z
  .string()
  .regex(/^prl_[0-9]{6}_[0-9]{4}(0[1-9]|1[0-2])$/, 'a payroll run id prl_<city>_<YYYYMM>');

export const payrollRunParams = z.strictObject({ regionCode, runId });
/** The run's reconciliation report (docs/benefits.md, "Reconciliation report"). */
export const reconciliationReportFormat = z.enum(['xlsx', 'pdf']);
export const reconciliationReportParams = z.strictObject({
  regionCode,
  runId,
  format: reconciliationReportFormat,
});
export const startRunBody = z.strictObject({ month: period });
/** Why the computed run is computed again (the event recorded since, as the handler states it). */
export const recomputeRunBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const approveRunBody = z.strictObject({
  /** The day of the approval: the payable's effective date (default today). */
  on: isoDate.optional(),
});
/** The payment file's format (docs/benefits.md, "Payment file", "Fixed-width GBK file"). */
export const paymentFileFormat = z.enum(['csv', 'fixed-gbk']);
export const paymentFileQuery = z.strictObject({ format: paymentFileFormat.optional() });
export const bankReturnBody = z.strictObject({
  /** The bank's return file, UTF-8 CSV (docs/benefits.md, "Bank return file"). */
  text: z.string().min(1).max(20_000_000),
});

const figure = z.object({ lines: z.number().int(), amountFen: z.number().int() });
const kindTotal = z.object({
  kind: z.string(),
  expenseAccount: z.string(),
  lines: z.number().int(),
  amountFen: z.number().int(),
});
const reconciliation = z.object({
  sent: figure,
  confirmed: figure,
  failed: figure,
  outstanding: figure,
  notSent: figure,
  /** Owed to no one, the liability released (a release or a death's reversal): not in failed. */
  released: figure,
});

export const payrollRunResponse = z.object({
  regionCode: z.string(),
  id: z.string(),
  month: z.string(),
  status: z.enum(['computing', 'computed', 'approved', 'file_issued', 'reconciled']),
  checkpointEntitlementId: z.string().nullable(),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  anomalies: z.array(
    z.object({
      code: z.string(),
      workerId: z.string(),
      lineIds: z.array(z.string()),
      detail: z.string(),
    }),
  ),
  totalsSha256: z.string().nullable(),
  approvalId: z.string().nullable(),
  payableTransactionId: z.string().nullable(),
  fileSha256: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedOn: z.string().nullable(),
  byKind: z.array(kindTotal),
  /** Reissue lines of failed lines of earlier runs (in the file; their payable posted before). */
  reissued: figure,
  /** Deductions for recoveries by offset, by kind (the lines' amounts are what the bank pays). */
  offsets: z.array(kindTotal),
  reconciliation,
});
export type PayrollRunResponse = z.infer<typeof payrollRunResponse>;

export const bankReturnResponse = z.object({
  runId: z.string(),
  returnSha256: z.string(),
  confirmed: z.number().int(),
  failed: z.number().int(),
  replayed: z.number().int(),
  transactionIds: z.array(z.string()),
  reconciliation,
});

/** CLI options (`tongchou payroll …`), named as on the command line. */
export const payrollRunCliOptions = z.strictObject({
  region: regionCode,
  month: period,
  as: z.string().min(1),
});
export const payrollShowCliOptions = z.strictObject({ region: regionCode, run: runId });
export const payrollApproveCliOptions = payrollShowCliOptions.extend({
  as: z.string().min(1),
  on: isoDate.optional(),
});
export const payrollRecomputeCliOptions = payrollShowCliOptions.extend({
  as: z.string().min(1),
  reason: recomputeRunBody.shape.reason,
});
export const payrollFileCliOptions = payrollShowCliOptions.extend({
  as: z.string().min(1),
  out: z.string().min(1),
  format: paymentFileFormat.default('csv'),
});
export const payrollReportCliOptions = payrollShowCliOptions.extend({
  as: z.string().min(1),
  out: z.string().min(1),
  format: reconciliationReportFormat.default('xlsx'),
});
export const payrollReturnCliOptions = payrollShowCliOptions.extend({
  as: z.string().min(1),
  file: z.string().min(1),
});

/** The city's runs (`GET …/payroll-runs`), newest month first; `year` keeps one year's months. */
export const payrollRunsQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const payrollRunSummary = z.object({
  runId: z.string(),
  month: z.string(),
  status: payrollRunResponse.shape.status,
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  startedBy: z.string(),
  startedByUsername: z.string().nullable(),
  startedAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedByUsername: z.string().nullable(),
  approvedOn: z.string().nullable(),
  fileSha256: z.string().nullable(),
});
export type PayrollRunSummary = z.infer<typeof payrollRunSummary>;
export const payrollRunListResponse = z.object({ items: z.array(payrollRunSummary) });
export type PayrollRunListResponse = z.infer<typeof payrollRunListResponse>;
export type BankReturnResponse = z.infer<typeof bankReturnResponse>;
