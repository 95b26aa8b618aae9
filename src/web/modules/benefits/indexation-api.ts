import type {
  IndexationListResponse,
  IndexationResponse,
} from '../../../contract/benefits/indexation-contract.ts';
import { request } from '../../api/client.ts';
import { type DownloadedFile, fetchFile } from './payroll-api.ts';

export type IndexationBatch = IndexationResponse;
export type IndexationLine = IndexationResponse['lines'][number];
export type IndexationItem = IndexationListResponse['items'][number];

const enc = encodeURIComponent;
const batches = (regionCode: string) => `/api/v1/regions/${enc(regionCode)}/indexation-batches`;
const batch = (regionCode: string, batchId: string) => `${batches(regionCode)}/${enc(batchId)}`;

/**
 * The indexation routes (src/api/routes/benefits/indexation-routes.ts), typed by the contract.
 * `show` reads one page of the before/after lines after the cursor `after` (an entitlement id).
 */
export const indexationApi = {
  list: (regionCode: string) => request<IndexationListResponse>(batches(regionCode)),
  show: (regionCode: string, batchId: string, page: { after: string; limit: number }) => {
    const query = new URLSearchParams({ limit: String(page.limit) });
    if (page.after !== '') query.set('after', page.after);
    return request<IndexationBatch>(`${batch(regionCode, batchId)}?${query.toString()}`);
  },
  propose: (regionCode: string, year: number) =>
    request<IndexationBatch>(batches(regionCode), { method: 'POST', body: { year }, csrf: true }),
  approve: (regionCode: string, batchId: string) =>
    request<IndexationBatch>(`${batch(regionCode, batchId)}/approval`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  apply: (regionCode: string, batchId: string) =>
    request<IndexationBatch>(`${batch(regionCode, batchId)}/apply`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
  /** Fetched, not linked, as the payroll's files: a refusal shows the server's text. */
  report: (regionCode: string, batchId: string): Promise<DownloadedFile> =>
    fetchFile(`${batch(regionCode, batchId)}/report.xlsx`, `${batchId}.xlsx`),
};
