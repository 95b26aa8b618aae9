import type { z } from 'zod';
import type {
  resumeBody,
  resumeResponse,
  stopBody,
  stopListResponse,
  stopResponse,
} from '../../../contract/benefits/stop-contract.ts';
import { request } from '../../api/client.ts';

export type StopList = z.infer<typeof stopListResponse>;
export type Stop = StopList['stops'][number];
export type StopGround = Stop['ground'];
export type StopInput = z.input<typeof stopBody>;
export type ResumeInput = z.input<typeof resumeBody>;
export type StopAnswer = z.infer<typeof stopResponse>;
export type ResumeAnswer = z.infer<typeof resumeResponse>;

const enc = encodeURIComponent;
const region = (code: string) => `/api/v1/regions/${enc(code)}`;

/**
 * The stop routes (src/api/routes/benefits/stop-routes.ts, 《工伤保险条例》第四十二条), typed by the
 * contract. A stop or a resumption is asked without approvalId (the answer names the approval)
 * and applied with the same body and the approved id.
 */
export const benefitStopApi = {
  list: (regionCode: string, workerId: string) =>
    request<StopList>(`${region(regionCode)}/workers/${enc(workerId)}/benefit-stops`),
  stop: (regionCode: string, workerId: string, body: StopInput) =>
    request<StopAnswer>(`${region(regionCode)}/workers/${enc(workerId)}/benefit-stops`, {
      method: 'POST',
      body,
      csrf: true,
    }),
  resume: (regionCode: string, stopId: string, body: ResumeInput) =>
    request<ResumeAnswer>(`${region(regionCode)}/benefit-stops/${enc(stopId)}/resumption`, {
      method: 'POST',
      body,
      csrf: true,
    }),
};
