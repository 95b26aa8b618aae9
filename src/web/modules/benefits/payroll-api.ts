import type {
  BankReturnResponse,
  PayrollRunListResponse,
  PayrollRunResponse,
} from '../../../contract/benefits/payroll-contract.ts';
import { ApiError, parseProblem, request } from '../../api/client.ts';

export type PayrollRun = PayrollRunResponse;
export type PayrollRunItem = PayrollRunListResponse['items'][number];
export type BankReturn = BankReturnResponse;
export type PaymentFile = { name: string; text: string; sha256: string | null };

const enc = encodeURIComponent;
const runs = (regionCode: string) => `/api/v1/regions/${enc(regionCode)}/payroll-runs`;

/** The monthly payroll routes (src/api/routes/benefits/payroll-routes.ts), typed by the contract. */
export const payrollApi = {
  list: (regionCode: string) => request<PayrollRunListResponse>(runs(regionCode)),
  show: (regionCode: string, runId: string) =>
    request<PayrollRun>(`${runs(regionCode)}/${enc(runId)}`),
  start: (regionCode: string, month: string) =>
    request<PayrollRun>(runs(regionCode), { method: 'POST', body: { month }, csrf: true }),
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
  paymentFile: (regionCode: string, runId: string) => paymentFile(regionCode, runId),
};

/** The payment file as text (CSV, not JSON): the page saves it and then re-reads the run. */
async function paymentFile(regionCode: string, runId: string): Promise<PaymentFile> {
  const response = await fetch(`${runs(regionCode)}/${enc(runId)}/payment-file.csv`, {
    headers: { accept: 'text/csv, application/problem+json' },
    credentials: 'same-origin',
  });
  const text = await response.text();
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    throw new ApiError(response.status, parseProblem(body, response.status));
  }
  return { name: `${runId}.csv`, text, sha256: response.headers.get('x-content-sha256') };
}
