import type {
  MonthResponse,
  MonthsResponse,
  QueueResponse,
  SettlementResponse,
  StatementResponse,
} from '../../../contract/settlement/statements.ts';
import { request } from '../../api/client.ts';

export type { MonthResponse, MonthsResponse, QueueResponse, SettlementResponse, StatementResponse };

const enc = encodeURIComponent;
const base = '/api/v1/settlement';
const monthPath = (institutionId: string, month: string) =>
  `${base}/institutions/${enc(institutionId)}/months/${enc(month)}`;

export type ReviewInput =
  | { decision: 'accepted' }
  | { decision: 'deducted'; deductedFen: number; reason: string };

/** The settlement routes of the institution's month (src/api/routes/settlement/statement-routes.ts). */
export const statementApi = {
  months: (institutionId: string) =>
    request<MonthsResponse>(`${base}/institutions/${enc(institutionId)}/months`),
  month: (institutionId: string, month: string) =>
    request<MonthResponse>(monthPath(institutionId, month)),
  statement: (institutionId: string, month: string) =>
    request<StatementResponse>(`${monthPath(institutionId, month)}/statement`),
  declare: (
    institutionId: string,
    month: string,
    body: { settlementCount: number; fundFen: number },
  ) =>
    request<unknown>(`${monthPath(institutionId, month)}/declared`, {
      method: 'PUT',
      body,
      csrf: true,
    }),
  propose: (institutionId: string, month: string) =>
    request<{ approvalId: string }>(`${monthPath(institutionId, month)}/payment-proposal`, {
      method: 'POST',
      csrf: true,
    }),
  approve: (institutionId: string, month: string) =>
    request<{ ledgerTransactionIds: string[] }>(
      `${monthPath(institutionId, month)}/payment-approval`,
      { method: 'POST', body: {}, csrf: true },
    ),
  documentUrl: (institutionId: string, month: string, format: 'pdf' | 'xlsx') =>
    `${monthPath(institutionId, month)}/statement-document/${format}`,
  queue: (month: string) => request<QueueResponse>(`${base}/review-queue?month=${enc(month)}`),
  settlement: (regionCode: string, settlementId: string) =>
    request<SettlementResponse>(`${base}/settlements/${enc(regionCode)}/${enc(settlementId)}`),
  review: (regionCode: string, settlementId: string, lineNo: number, body: ReviewInput) =>
    request<unknown>(
      `${base}/settlements/${enc(regionCode)}/${enc(settlementId)}/lines/${lineNo}/review`,
      { method: 'POST', body, csrf: true },
    ),
};
