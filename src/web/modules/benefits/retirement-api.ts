import type { z } from 'zod';
import type {
  retirementBody,
  retirementResponse,
  retirementView,
} from '../../../contract/benefits/retirement-contract.ts';
import { ApiError, request } from '../../api/client.ts';

export type Retirement = z.infer<typeof retirementView>;
export type RetirementPlan = Retirement['plan'];
export type RetirementInput = z.input<typeof retirementBody>;
export type RetirementAnswer = z.infer<typeof retirementResponse>;

const enc = encodeURIComponent;
const url = (regionCode: string, workerId: string) =>
  `/api/v1/regions/${enc(regionCode)}/workers/${enc(workerId)}/retirement`;

/**
 * The retirement routes (src/api/routes/benefits/retirement-routes.ts, 第三十五条第一款第（三）项),
 * typed by the contract: asked without approvalId (the answer holds the plan and the approval),
 * applied with the same body and the approved id.
 */
export const retirementApi = {
  /** The worker's recorded retirement; null: none recorded in the city (404). */
  show: async (regionCode: string, workerId: string): Promise<Retirement | null> => {
    try {
      return await request<Retirement>(url(regionCode, workerId));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
  record: (regionCode: string, workerId: string, body: RetirementInput) =>
    request<RetirementAnswer>(url(regionCode, workerId), { method: 'POST', body, csrf: true }),
};
