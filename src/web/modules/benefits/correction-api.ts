import type { z } from 'zod';
import type {
  correctionApplyResponse,
  correctionBody,
  correctionListResponse,
  correctionView,
} from '../../../contract/benefits/correction-contract.ts';
import { request } from '../../api/client.ts';

export type CorrectionInput = z.input<typeof correctionBody>;
export type Correction = z.infer<typeof correctionView>;
export type ListedCorrection = z.infer<typeof correctionListResponse>['corrections'][number];
export type CorrectionApplied = z.infer<typeof correctionApplyResponse>;

const enc = encodeURIComponent;
const region = (code: string) => `/api/v1/regions/${enc(code)}`;
const corrections = (regionCode: string, entitlementId: string) =>
  `${region(regionCode)}/benefit-entitlements/${enc(entitlementId)}/corrections`;

/**
 * The correction routes (src/api/routes/benefits/correction-routes.ts, docs/benefits.md
 * "Correcting an entitlement"), typed by the contract: the handler proposes (the answer holds the
 * plan), a supervisor approves on the approvals page, the handler applies.
 */
export const correctionApi = {
  /** The corrections of the case's entitlements, newest first, with their approval's state. */
  ofCase: (regionCode: string, caseId: string) =>
    request<{ corrections: ListedCorrection[] }>(
      `${region(regionCode)}/cases/${enc(caseId)}/benefit-corrections`,
    ),
  propose: (regionCode: string, entitlementId: string, body: CorrectionInput) =>
    request<Correction>(corrections(regionCode, entitlementId), {
      method: 'POST',
      body,
      csrf: true,
    }),
  apply: (regionCode: string, entitlementId: string, correctionId: string) =>
    request<CorrectionApplied>(
      `${corrections(regionCode, entitlementId)}/${enc(correctionId)}/apply`,
      { method: 'POST', body: {}, csrf: true },
    ),
};
