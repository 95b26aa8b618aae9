import type {
  BankReturnResponse,
  PayrollRunListResponse,
  PayrollRunResponse,
} from '../../../contract/benefits/payroll-contract.ts';
import { ApiError, parseProblem, request } from '../../api/client.ts';

export type PayrollRun = PayrollRunResponse;
export type PayrollRunItem = PayrollRunListResponse['items'][number];
export type BankReturn = BankReturnResponse;
/** A fetched download: the file's name (from the server's content-disposition) and bytes. */
export type DownloadedFile = { name: string; blob: Blob; sha256: string | null };
export type PaymentFileFormat = 'csv' | 'fixed-gbk';
export type ReportFormat = 'xlsx' | 'pdf';

const enc = encodeURIComponent;
const runs = (regionCode: string) => `/api/v1/regions/${enc(regionCode)}/payroll-runs`;

/** The monthly payroll routes (src/api/routes/benefits/payroll-routes.ts), typed by the contract. */
export const payrollApi = {
  list: (regionCode: string) => request<PayrollRunListResponse>(runs(regionCode)),
  show: (regionCode: string, runId: string) =>
    request<PayrollRun>(`${runs(regionCode)}/${enc(runId)}`),
  start: (regionCode: string, month: string) =>
    request<PayrollRun>(runs(regionCode), { method: 'POST', body: { month }, csrf: true }),
  /** A computed, unapproved run computed again; the answer is the run as computed anew. */
  recompute: (regionCode: string, runId: string, reason: string) =>
    request<PayrollRun>(`${runs(regionCode)}/${enc(runId)}/recompute`, {
      method: 'POST',
      body: { reason },
      csrf: true,
    }),
  approve: (regionCode: string, runId: string) =>
    request<PayrollRun>(`${runs(regionCode)}/${enc(runId)}/approval`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  bankReturn: (regionCode: string, runId: string, text: string) =>
    request<BankReturn>(`${runs(regionCode)}/${enc(runId)}/bank-return`, {
      method: 'POST',
      body: { text },
      csrf: true,
    }),
  paymentFile: (regionCode: string, runId: string, format: PaymentFileFormat) =>
    fetchFile(
      `${runs(regionCode)}/${enc(runId)}/payment-file.csv${format === 'csv' ? '' : `?format=${format}`}`,
      fileNameFor(runId, format),
    ),
  reconciliationReport: (regionCode: string, runId: string, format: ReportFormat) =>
    fetchFile(
      `${runs(regionCode)}/${enc(runId)}/reconciliation-report/${format}`,
      fileNameFor(runId, format),
    ),
};

/** The name to save under when the server names none (it does: content-disposition). */
export function fileNameFor(runId: string, format: PaymentFileFormat | ReportFormat): string {
  return `${runId}.${format === 'fixed-gbk' ? 'txt' : format}`;
}

/** The file name of a `content-disposition: attachment; filename="…"` header, or the fallback. */
export function attachmentNameOf(header: string | null, fallback: string): string {
  const m = header === null ? null : /filename="([^"/\\]+)"/.exec(header);
  return m?.[1] ?? fallback;
}

/**
 * A file route fetched rather than linked, so a refusal (problem+json, e.g.
 * benefit.payroll_fixed_file_unfit) reaches the page as an ApiError with the server's text
 * instead of a saved error body or a blank tab. The bytes are kept as sent (GBK stays GBK).
 */
export async function fetchFile(path: string, fallbackName: string): Promise<DownloadedFile> {
  const response = await fetch(path, {
    headers: { accept: '*/*' },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = JSON.parse(await response.text());
    } catch {
      body = null;
    }
    throw new ApiError(response.status, parseProblem(body, response.status));
  }
  const name = attachmentNameOf(response.headers.get('content-disposition'), fallbackName);
  return { name, blob: await response.blob(), sha256: response.headers.get('x-content-sha256') };
}
