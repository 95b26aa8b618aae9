import type { FailedLinesResponse } from '../../../contract/benefits/payroll-failed-lines-contract.ts';
import type {
  ReissueBatchListResponse,
  ReissueBatchResponse,
  ReissueReturnResponse,
} from '../../../contract/benefits/payroll-reissue-contract.ts';
import { request } from '../../api/client.ts';
import {
  type DownloadedFile,
  fetchFile,
  fileNameFor,
  type PaymentFileFormat,
} from './payroll-api.ts';

export type FailedLine = FailedLinesResponse['items'][number];
export type FailedLineBlock = FailedLine['blocks'][number];
export type ReissueBatch = ReissueBatchResponse;
export type ReissueReturn = ReissueReturnResponse;
export type ReissueBatchItem = ReissueBatchListResponse['items'][number];

const enc = encodeURIComponent;
/** Rows per page of the batches' and the releases' lists on the payroll page. */
export const BY_HAND_PAGE = 20;
const batches = (regionCode: string) => `/api/v1/regions/${enc(regionCode)}/payroll-reissues`;

/**
 * The failed lines and the reissue by hand (src/api/routes/benefits/payroll-failed-lines-routes.ts,
 * payroll-reissue-routes.ts), typed by the contract.
 */
export const reissueApi = {
  failedLines: (regionCode: string, query: { include: 'open' | 'all'; after: string | null }) => {
    const q = new URLSearchParams({ include: query.include, limit: '200' });
    if (query.after !== null) q.set('after', query.after);
    return request<FailedLinesResponse>(
      `/api/v1/regions/${enc(regionCode)}/payroll-failed-lines?${q.toString()}`,
    );
  },
  /** The city's batches, newest first (a keyset page). */
  list: (regionCode: string, after: string | null) => {
    const q = new URLSearchParams({ limit: String(BY_HAND_PAGE) });
    if (after !== null) q.set('after', after);
    return request<ReissueBatchListResponse>(`${batches(regionCode)}?${q.toString()}`);
  },
  propose: (regionCode: string, lineIds: readonly string[]) =>
    request<ReissueBatch>(batches(regionCode), {
      method: 'POST',
      body: { lineIds },
      csrf: true,
    }),
  show: (regionCode: string, batchId: string) =>
    request<ReissueBatch>(`${batches(regionCode)}/${enc(batchId)}`),
  approve: (regionCode: string, batchId: string) =>
    request<ReissueBatch>(`${batches(regionCode)}/${enc(batchId)}/approval`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  bankReturn: (regionCode: string, batchId: string, text: string) =>
    request<ReissueReturn>(`${batches(regionCode)}/${enc(batchId)}/bank-return`, {
      method: 'POST',
      body: { text },
      csrf: true,
    }),
  paymentFile: (
    regionCode: string,
    batchId: string,
    format: PaymentFileFormat,
  ): Promise<DownloadedFile> =>
    fetchFile(
      `${batches(regionCode)}/${enc(batchId)}/payment-file.csv${format === 'csv' ? '' : `?format=${format}`}`,
      fileNameFor(batchId, format),
    ),
};
