import type {
  ReleaseListResponse,
  ReleaseResponse,
} from '../../../contract/benefits/payroll-release-contract.ts';
import { request } from '../../api/client.ts';
import { BY_HAND_PAGE } from './payroll-reissue-api.ts';

export type PayrollRelease = ReleaseResponse;
export type ReleaseItem = ReleaseListResponse['items'][number];

const enc = encodeURIComponent;
const releases = (regionCode: string) => `/api/v1/regions/${enc(regionCode)}/payroll-releases`;

/**
 * The release of failed lines owed to no one (src/api/routes/benefits/payroll-release-routes.ts),
 * typed by the contract: the handler proposes, the checker's approval applies it (Dr 2102 / Cr 51xx).
 */
export const releaseApi = {
  /** The city's releases, newest first (a keyset page). */
  list: (regionCode: string, after: string | null) => {
    const q = new URLSearchParams({ limit: String(BY_HAND_PAGE) });
    if (after !== null) q.set('after', after);
    return request<ReleaseListResponse>(`${releases(regionCode)}?${q.toString()}`);
  },
  propose: (regionCode: string, lineIds: readonly string[]) =>
    request<PayrollRelease>(releases(regionCode), {
      method: 'POST',
      body: { lineIds },
      csrf: true,
    }),
  show: (regionCode: string, releaseId: string) =>
    request<PayrollRelease>(`${releases(regionCode)}/${enc(releaseId)}`),
  approve: (regionCode: string, releaseId: string) =>
    request<PayrollRelease>(`${releases(regionCode)}/${enc(releaseId)}/approval`, {
      method: 'POST',
      body: {},
      csrf: true,
    }),
};
