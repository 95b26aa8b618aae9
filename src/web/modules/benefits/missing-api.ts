import type { z } from 'zod';
import type {
  advanceBody,
  advanceResponse,
  declaredBody,
  declaredResponse,
  MissingBody,
  missingResponse,
  missingView,
  reappearedBody,
  reappearedResponse,
} from '../../../contract/benefits/missing-contract.ts';
import { ApiError, request } from '../../api/client.ts';

export type Missing = z.infer<typeof missingView>;
export type MissingInput = MissingBody;
export type AdvanceInput = z.input<typeof advanceBody>;
export type DeclaredInput = z.input<typeof declaredBody>;
export type ReappearedInput = z.input<typeof reappearedBody>;
/** Every step's answer names the approval it asked (null once applied). */
export type MissingAnswer =
  | z.infer<typeof missingResponse>
  | z.infer<typeof advanceResponse>
  | z.infer<typeof declaredResponse>
  | z.infer<typeof reappearedResponse>;

const enc = encodeURIComponent;
const missingUrl = (regionCode: string, caseId: string, step = '') =>
  `/api/v1/regions/${enc(regionCode)}/cases/${enc(caseId)}/missing${step}`;
const post = <T>(url: string, body: unknown) =>
  request<T>(url, { method: 'POST', body, csrf: true });

/**
 * The missing-worker routes (src/api/routes/benefits/missing-routes.ts, 《工伤保险条例》第四十一条),
 * typed by the contract. Each step is asked without approvalId (the answer names the approval) and
 * applied with the same body and the approved id.
 */
export const missingApi = {
  /** The case's missing event; null: none recorded (404). */
  show: async (regionCode: string, caseId: string): Promise<Missing | null> => {
    try {
      return await request<Missing>(missingUrl(regionCode, caseId));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
  record: (regionCode: string, caseId: string, body: MissingInput) =>
    post<z.infer<typeof missingResponse>>(missingUrl(regionCode, caseId), body),
  advance: (regionCode: string, caseId: string, body: AdvanceInput) =>
    post<z.infer<typeof advanceResponse>>(missingUrl(regionCode, caseId, '/advance'), body),
  declared: (regionCode: string, caseId: string, body: DeclaredInput) =>
    post<z.infer<typeof declaredResponse>>(missingUrl(regionCode, caseId, '/declared-death'), body),
  reappeared: (regionCode: string, caseId: string, body: ReappearedInput) =>
    post<z.infer<typeof reappearedResponse>>(missingUrl(regionCode, caseId, '/reappeared'), body),
};
