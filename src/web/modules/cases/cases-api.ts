import type { z } from 'zod';
import type {
  ownBenefitResponse,
  ownSurvivorBenefitsResponse,
} from '../../../contract/benefits/benefit-decision-contract.ts';
import type { ownAppraisalsResponse } from '../../../contract/cases/appraisal-contract.ts';
import type {
  actionBody,
  actionResponse,
  bulkResponse,
  casePageResponse,
  dashboardResponse,
  ownReportBody,
  reportResponse,
  workListResponse,
} from '../../../contract/cases/determination-contract.ts';
import { request } from '../../api/client.ts';

export type WorkList = z.infer<typeof workListResponse>;
export type WorkListItem = WorkList['items'][number];
export type CasePageData = z.infer<typeof casePageResponse>;
export type CaseFacts = CasePageData['facts'];
export type CaseEvent = CasePageData['timeline'][number];
export type Dashboard = z.infer<typeof dashboardResponse>;
export type ActionBody = z.input<typeof actionBody>;
export type ActionAnswer = z.infer<typeof actionResponse>;
export type BulkAnswer = z.infer<typeof bulkResponse>;
export type OwnReport = z.input<typeof ownReportBody>;
export type ReportAnswer = z.infer<typeof reportResponse>;

export type OwnAppraisals = z.infer<typeof ownAppraisalsResponse>;
export type OwnBenefit = z.infer<typeof ownBenefitResponse>;
export type OwnSurvivorBenefits = z.infer<typeof ownSurvivorBenefitsResponse>;

export type WorkListFilters = {
  status?: string[];
  dueKind?: 'acceptance' | 'decision';
  overdue?: boolean;
  dueWithinDays?: number;
  after?: string;
};

const enc = encodeURIComponent;
const base = (region: string) => `/api/v1/regions/${enc(region)}/cases`;

function qs(f: WorkListFilters): string {
  const s = new URLSearchParams();
  if (f.status && f.status.length > 0) s.set('status', f.status.join(','));
  if (f.dueKind) s.set('dueKind', f.dueKind);
  if (f.overdue) s.set('overdue', 'true');
  if (f.dueWithinDays !== undefined) s.set('dueWithinDays', String(f.dueWithinDays));
  if (f.after) s.set('after', f.after);
  s.set('limit', '50');
  return `?${s.toString()}`;
}

export const casesApi = {
  workList: (region: string, f: WorkListFilters) => request<WorkList>(`${base(region)}${qs(f)}`),
  dashboard: (region: string) => request<Dashboard>(`${base(region)}/dashboard`),
  casePage: (region: string, caseId: string) =>
    request<CasePageData>(`${base(region)}/${enc(caseId)}`),
  act: (region: string, caseId: string, body: ActionBody) =>
    request<ActionAnswer>(`${base(region)}/${enc(caseId)}/actions`, {
      method: 'POST',
      csrf: true,
      body,
    }),
  bulkAccept: (region: string, caseIds: string[], on: string) =>
    request<BulkAnswer>(`${base(region)}/bulk/accept`, {
      method: 'POST',
      csrf: true,
      body: { on, clear: false, cases: caseIds.map((caseId) => ({ caseId })) },
    }),
  letterUrl: (region: string, caseId: string, letterId: string) =>
    `${base(region)}/${enc(caseId)}/letters/${enc(letterId)}`,
  myCases: () => request<WorkList>('/api/v1/my/cases?limit=100'),
  myCase: (caseId: string) => request<CasePageData>(`/api/v1/my/cases/${enc(caseId)}`),
  reportOwn: (body: OwnReport) =>
    request<ReportAnswer>('/api/v1/my/cases', { method: 'POST', csrf: true, body }),
  myAppraisals: (caseId: string) =>
    request<OwnAppraisals>(`/api/v1/my/cases/${enc(caseId)}/appraisals`),
  myBenefit: (caseId: string) =>
    request<OwnBenefit>(`/api/v1/my/cases/${enc(caseId)}/benefit-decision`),
  myLetterUrl: (caseId: string, letterId: string) =>
    `/api/v1/my/cases/${enc(caseId)}/letters/${enc(letterId)}`,
  mySurvivorBenefits: () => request<OwnSurvivorBenefits>('/api/v1/my/survivor-benefits'),
  mySurvivorLetterUrl: (caseId: string, letterId: string) =>
    `/api/v1/my/survivor-benefits/${enc(caseId)}/letters/${enc(letterId)}`,
};
