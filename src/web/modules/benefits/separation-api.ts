import type { z } from 'zod';
import type {
  separationApplyResponse,
  separationListResponse,
  separationProposeBody,
  separationProposeResponse,
} from '../../../contract/benefits/separation-contract.ts';
import { request } from '../../api/client.ts';

export type Separation = z.infer<typeof separationListResponse>[number];
export type SeparationInput = z.input<typeof separationProposeBody>;

const enc = encodeURIComponent;
const region = (code: string) => `/api/v1/regions/${enc(code)}`;

/** The separation routes (src/api/routes/benefits/separation-routes.ts), typed by the contract. */
export const separationApi = {
  list: (regionCode: string, caseId: string) =>
    request<Separation[]>(`${region(regionCode)}/cases/${enc(caseId)}/separation`),
  propose: (regionCode: string, caseId: string, body: SeparationInput) =>
    request<z.infer<typeof separationProposeResponse>>(
      `${region(regionCode)}/cases/${enc(caseId)}/separation`,
      { method: 'POST', body, csrf: true },
    ),
  apply: (regionCode: string, separationId: string) =>
    request<z.infer<typeof separationApplyResponse>>(
      `${region(regionCode)}/separations/${enc(separationId)}/apply`,
      { method: 'POST', body: {}, csrf: true },
    ),
};
