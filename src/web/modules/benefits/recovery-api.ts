import type {
  OverpaymentListResponse,
  RecoveryBody,
  RecoveryResponse,
  RepaymentBody,
  RepaymentResponse,
} from '../../../contract/benefits/recovery-contract.ts';
import { request } from '../../api/client.ts';

export type { RecoveryBody, RepaymentBody };
export type OverpaymentItem = OverpaymentListResponse['items'][number];
export type OverpaymentFilter = OverpaymentItem['status'] | 'all';

const enc = encodeURIComponent;
const region = (regionCode: string) => `/api/v1/regions/${enc(regionCode)}`;

/**
 * The recovery routes (src/api/routes/benefits/recovery-routes.ts), typed by the contract. A
 * decision and a repayment are asked without approvalId (the answer names the approval) and
 * applied with it, after a second person approved it through the approvals routes.
 */
export const recoveryApi = {
  list: (regionCode: string, filter: OverpaymentFilter) =>
    request<OverpaymentListResponse>(
      `${region(regionCode)}/benefit-overpayments${filter === 'all' ? '' : `?status=${filter}`}`,
    ),
  decide: (regionCode: string, overpaymentId: string, body: RecoveryBody) =>
    request<RecoveryResponse>(
      `${region(regionCode)}/benefit-overpayments/${enc(overpaymentId)}/recovery`,
      { method: 'POST', body, csrf: true },
    ),
  repay: (regionCode: string, recoveryId: string, body: RepaymentBody) =>
    request<RepaymentResponse>(
      `${region(regionCode)}/benefit-recoveries/${enc(recoveryId)}/repayments`,
      { method: 'POST', body, csrf: true },
    ),
};
